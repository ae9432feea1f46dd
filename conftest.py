"""Test-wide settings: fast mode, strict exercise checks, and a non-interactive Matplotlib.

These variables are inherited by the Jupyter kernels nbval starts, so notebooks run in fast mode
and a wrong reference solution fails the suite. Under an old jaxlib, the same XLA_FLAGS as
``course_utils.setup()`` sets are set here, before any test imports JAX.
"""

import os

from course_utils import versions

os.environ["COURSE_FAST"] = "1"
os.environ["COURSE_STRICT_CHECKS"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
versions.avoid_jaxlib_avx512_bug()

#: The slowest test files, heaviest first (fast-mode seconds in one pinned run on the 2-core
#: machine: 87, 82, 60, 55, 50, 43, 41, 38, 32, 25, 20). pytest-xdist hands whole files to its two
#: workers (``--dist loadfile``) in collection order, so a long notebook collected last would keep
#: one worker busy while the other sits idle; starting with them balances the two.
SLOWEST_FIRST = (
    "notebooks/07_lstm_classifiers.ipynb", "notebooks/08_anomalies_pretraining_vae.ipynb",
    "tests/test_benchmarks.py", "notebooks/05_conv_recurrent_autoencoders.ipynb",
    "notebooks/06_denoising_regularized_autoencoders.ipynb", "notebooks/03_linear_autoencoder.ipynb",
    "notebooks/04_deep_autoencoders.ipynb", "notebooks/02_pca_scikit_learn.ipynb",
    "tests/test_experiments_08.py", "tests/test_experiments_07.py", "tests/test_slides.py",
)


def pytest_collection_modifyitems(config, items):
    """Run the slowest files first; every file keeps its own order (nbval runs a notebook's cells in turn)."""
    place = {path: rank for rank, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: place.get(item.nodeid.split("::")[0], len(place)))

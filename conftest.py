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

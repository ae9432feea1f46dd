"""Notebook set-up: seeds, plotting style, fast/full mode, and a one-line environment report.

Every notebook's first code cell is ``cfg = course_utils.setup()``. The returned
:class:`CourseConfig` is the only place a notebook takes its sizes from, so that fast mode
(``COURSE_FAST=1``, used by CI) shrinks data and epochs without changing any code path.

Used by: every notebook.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import platform
import random
import re
import sys
import tempfile

import numpy as np

#: Environment variable that switches fast mode on (``1``, ``true``, ``yes`` or ``on``).
FAST_ENV = "COURSE_FAST"
_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"", "0", "false", "no", "off"}

#: Environment variable that says whose training settings a run uses: ``course`` (default) or
#: ``lecture``. The benchmark sets it when it injects the lecture's settings into a notebook's
#: ``parameters`` cells (``benchmarks/``); it labels the run's records and lets a claim about the
#: course's settings that fails under the lecture's print a cross instead of stopping the run.
SETTINGS_ENV = "COURSE_SETTINGS"
SETTINGS_CHOICES = ("course", "lecture")

# The mode chosen by the last call of setup(); None until setup() runs.
_active_fast_mode: bool | None = None
# The settings chosen by the last call of setup(); None until setup() runs.
_active_settings: str | None = None


def fast_mode_from_environment() -> bool:
    """Return whether ``COURSE_FAST`` asks for fast mode.

    Raises
    ------
    ValueError
        If the variable holds something other than a yes/no word.
    """
    value = os.environ.get(FAST_ENV, "").strip().lower()
    if value in _TRUE_WORDS:
        return True
    if value in _FALSE_WORDS:
        return False
    raise ValueError(f"{FAST_ENV}={value!r} is not understood: use 1 (fast mode) or 0 (full mode).")


def settings_from_environment() -> str:
    """Return the training settings ``COURSE_SETTINGS`` asks for: ``"course"`` (default) or ``"lecture"``.

    Raises
    ------
    ValueError
        If the variable holds another word.
    """
    value = os.environ.get(SETTINGS_ENV, "").strip().lower() or "course"
    if value not in SETTINGS_CHOICES:
        raise ValueError(f"{SETTINGS_ENV}={value!r} is not understood: use 'course' (the notebooks' own "
                         "settings) or 'lecture' (the lecture notes' settings, for the benchmark).")
    return value


def active_settings() -> str:
    """The settings set by :func:`setup`, or, before it runs, the ones ``COURSE_SETTINGS`` asks for."""
    return _active_settings if _active_settings is not None else settings_from_environment()


def is_fast_mode() -> bool:
    """Return the mode set by :func:`setup`, or, before it runs, the one ``COURSE_FAST`` asks for."""
    if _active_fast_mode is not None:
        return _active_fast_mode
    return fast_mode_from_environment()


@dataclasses.dataclass(frozen=True)
class CourseConfig:
    """What a notebook needs to know about the run: mode, seed and where it runs.

    Attributes
    ----------
    fast : bool
        True in fast mode (smaller data, fewer epochs).
    seed : int
        The seed given to Python, NumPy and Keras.
    backend : str
        Keras backend name (``tensorflow``, ``jax``, ``torch``), or ``"none"`` if Keras is missing.
    device : str
        ``"GPU"`` or ``"CPU"``.
    on_colab : bool
        True when running inside Google Colab.
    settings : str
        ``"course"`` (the notebooks' own training settings) or ``"lecture"`` (the benchmark's
        run with the lecture notes' settings injected).
    """

    fast: bool
    seed: int
    backend: str
    device: str
    on_colab: bool
    settings: str = "course"

    @property
    def mode(self) -> str:
        """``"fast"`` or ``"full"``."""
        return "fast" if self.fast else "full"

    def epochs(self, full: int, fast: int = 2) -> int:
        """Number of epochs: ``full`` in full mode, at most ``fast`` in fast mode."""
        _require_positive_int("full", full)
        _require_positive_int("fast", fast)
        return min(full, fast) if self.fast else full

    def limit(self, full: int, fast: int = 1000) -> int:
        """A sample count: ``full`` in full mode, at most ``fast`` in fast mode."""
        _require_positive_int("full", full)
        _require_positive_int("fast", fast)
        return min(full, fast) if self.fast else full

    def pick(self, full, fast):
        """Any setting that differs between modes: ``full`` in full mode, else ``fast``."""
        return fast if self.fast else full

    @property
    def lecture_settings(self) -> bool:
        """True when the notebook trains with the lecture notes' settings (``COURSE_SETTINGS=lecture``)."""
        return self.settings == "lecture"


def _require_positive_int(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}.")


def on_colab() -> bool:
    """Return True inside Google Colab (its ``google.colab`` module is importable there)."""
    if "google.colab" in sys.modules:
        return True
    try:
        import importlib.util

        return importlib.util.find_spec("google.colab") is not None
    except (ImportError, ValueError):
        return False


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and Keras (and through Keras, the backend)."""
    _require_non_negative_int("seed", seed)
    random.seed(seed)
    np.random.seed(seed)
    try:
        import keras
    except ImportError:
        return
    keras.utils.set_random_seed(seed)


def _require_non_negative_int(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative whole number, got {value!r}.")


#: Lines TensorFlow's C++ runtime writes while it starts, before its log level can apply
#: (``TF_CPP_MIN_LOG_LEVEL`` does not reach them): notices, not problems. :func:`setup` drops them.
STARTUP_NOISE = re.compile(
    r"All log messages before absl::InitializeLog\(\) is called|oneDNN custom operations are on|"
    r"Unable to register cu(DNN|FFT|BLAS) factory|Could not find cuda drivers|TF-TRT Warning|"
    r"computation placer already registered|This TensorFlow binary is optimized to use")


@contextlib.contextmanager
def drop_native_startup_noise(noise: re.Pattern = STARTUP_NOISE):
    """Inside the block, hold back what native code writes to file descriptor 2 (stderr); then
    pass on every line that ``noise`` does not match, so real errors are still seen."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real stderr to redirect (embedded interpreters)
        yield
        return
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            held.seek(0)
            lines = held.read().decode(errors="replace").splitlines(keepends=True)
            kept = "".join(line for line in lines if not noise.search(line))
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()


def detect_backend_and_device() -> tuple[str, str]:
    """Return the Keras backend name and ``"GPU"`` or ``"CPU"``, without changing anything."""
    # Hide TensorFlow's C++ log messages below errors (must be set before TensorFlow is first imported).
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with drop_native_startup_noise():  # importing a backend is what prints the start-up notices
        return _backend_and_device()


def _backend_and_device() -> tuple[str, str]:
    try:
        import keras
    except ImportError:
        return "none", "CPU"
    backend = keras.config.backend()
    has_gpu = False
    if backend == "tensorflow":
        import tensorflow as tf

        has_gpu = bool(tf.config.list_physical_devices("GPU"))
    elif backend == "jax":
        import jax

        has_gpu = any(device.platform == "gpu" for device in jax.devices())
    elif backend == "torch":
        import torch

        has_gpu = torch.cuda.is_available()
    return backend, "GPU" if has_gpu else "CPU"


def version_line(config: CourseConfig) -> str:
    """The one-line report :func:`setup` prints: versions, backend, device and mode."""
    from course_utils import __version__

    parts = [f"course_utils {__version__}", f"Python {platform.python_version()}", f"NumPy {np.__version__}"]
    try:
        import keras

        parts.append(f"Keras {keras.__version__} ({config.backend})")
    except ImportError:
        parts.append("Keras not installed")
    where = "Colab" if config.on_colab else "local"
    mode_note = f"{config.mode} mode" + (f" ({FAST_ENV}=1)" if config.fast else "")
    parts += [f"{config.device} ({where})", mode_note, f"seed {config.seed}"]
    if config.lecture_settings:
        parts.append(f"lecture settings ({SETTINGS_ENV}=lecture)")
    return " | ".join(parts)


def setup(seed: int = 42, fast: bool | None = None, quiet: bool = False) -> CourseConfig:
    """Prepare a notebook: seeds, plotting style, mode; print one line about the environment.

    Warns when a library is older than the oldest version the course is tested with
    (:mod:`course_utils.versions`).

    Parameters
    ----------
    seed : int, default 42
        Seed for Python, NumPy and Keras.
    fast : bool, optional
        Force fast (True) or full (False) mode. By default ``COURSE_FAST`` decides.
    quiet : bool, default False
        Do not print the environment line.

    Returns
    -------
    CourseConfig
        Mode, seed, backend, device; use ``cfg.epochs(...)`` and ``cfg.limit(...)`` for sizes.
    """
    global _active_fast_mode, _active_settings
    settings = settings_from_environment()
    if fast is None:
        fast = fast_mode_from_environment()
    elif not isinstance(fast, bool):
        raise ValueError(f"fast must be True, False or None, got {fast!r}.")
    from course_utils import colab, plotting, versions

    colab_here = on_colab()
    if colab_here:
        colab.ensure_course_package()
    versions.warn_if_older_than_tested()
    avx2_only = versions.avoid_jaxlib_avx512_bug()
    backend, device = detect_backend_and_device()
    seed_everything(seed)
    plotting.apply_style()
    _active_fast_mode = fast
    _active_settings = settings
    config = CourseConfig(fast=fast, seed=seed, backend=backend, device=device, on_colab=colab_here,
                          settings=settings)
    if not quiet:
        print(version_line(config))
        if avx2_only:
            print(f"(jaxlib before {versions.JAXLIB_AVX512_FIXED} trains wrongly with AVX-512 code, so XLA_FLAGS "
                  "now limits JAX's CPU code to AVX2; `pip install -U jax jaxlib` lifts this)")
    return config

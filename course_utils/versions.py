"""The oldest library versions the course is tested with, and a warning for older ones.

CI runs every notebook with two sets of packages (``scripts/profiles.sh``): the pinned
requirements and Colab's runtime (``constraints/colab.txt``, under TensorFlow and JAX). For each library below, the older of the two
is the oldest version anything has run with; ``pyproject.toml`` declares the same minimums, and
the tests check all three agree. :func:`course_utils.setup` warns when a notebook runs with
something older, naming the package and the command that fixes it.

Used by: :func:`course_utils.setup`.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from importlib import metadata
from pathlib import Path

from packaging.version import Version

#: Oldest tested version of each library the course uses (the Colab profile's, 2026-08-19).
OLDEST_TESTED = {
    "numpy": "2.1.3",
    "pandas": "2.2.3",
    "matplotlib": "3.10.0",
    "scikit-learn": "1.6.1",
    "scipy": "1.16.3",
    "keras": "3.13.2",
    "tensorflow": "2.20.0",
    "jax": "0.7.2",
    "nbformat": "5.11.1",
}
#: Oldest tested Python (the pinned profile's).
OLDEST_PYTHON = (3, 11)
#: Other names a library is installed under (TensorFlow's CPU-only wheel).
_DISTRIBUTIONS = {"tensorflow": ("tensorflow", "tensorflow-cpu")}


def installed_version(package: str) -> str | None:
    """The installed version of ``package`` (under any of its distribution names), or None."""
    for name in _DISTRIBUTIONS.get(package, (package,)):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def older_than_tested(installed: dict[str, str | None] | None = None) -> list[str]:
    """One message for each installed library older than :data:`OLDEST_TESTED` says.

    ``installed`` maps package names to versions (None: not installed); by default the versions
    installed here. Libraries that are not installed are not reported.
    """
    if installed is None:
        installed = {package: installed_version(package) for package in OLDEST_TESTED}
    messages = []
    for package, oldest in OLDEST_TESTED.items():
        version = installed.get(package)
        if version is not None and Version(version) < Version(oldest):
            messages.append(f"{package} {version} is older than {oldest}, the oldest version this course is "
                            f"tested with, so some cells may fail. Upgrade it: pip install -U {package}")
    return messages


def warn_if_older_than_tested(python: tuple[int, int] | None = None) -> list[str]:
    """Warn (``UserWarning``) once per library, and for Python, older than the course is tested with.

    Returns the messages, so callers and tests can see what was said.
    """
    messages = older_than_tested()
    python = python or sys.version_info[:2]
    if tuple(python) < OLDEST_PYTHON:
        oldest = ".".join(map(str, OLDEST_PYTHON))
        messages.append(f"Python {python[0]}.{python[1]} is older than {oldest}, the oldest Python this course is "
                        f"tested with; use Python {oldest} or newer.")
    for message in messages:
        warnings.warn(message, UserWarning, stacklevel=3)
    return messages


#: jaxlib releases before this one compile Keras's jitted Adam training steps wrongly on CPUs with
#: AVX-512: the training loss falls while the weights get worse (measured with jaxlib 0.7.2, Colab's,
#: and 0.8.0 on an AMD EPYC; 0.8.3 and later train correctly). Limiting XLA's CPU code to AVX2
#: avoids it.
JAXLIB_AVX512_FIXED = "0.8.3"
_AVX2_ONLY = "--xla_cpu_max_isa=AVX2"


def requested_keras_backend() -> str:
    """The backend Keras will load, read as Keras reads it (``KERAS_BACKEND``, else keras.json), without importing it."""
    if os.environ.get("KERAS_BACKEND"):
        return os.environ["KERAS_BACKEND"]
    home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    try:
        return json.loads((home / "keras.json").read_text()).get("backend", "tensorflow")
    except (OSError, ValueError, AttributeError):
        return "tensorflow"


def avoid_jaxlib_avx512_bug(environ=None, jaxlib_version: str | None = None) -> bool:
    """Before JAX starts, limit XLA's CPU code to AVX2 where the installed jaxlib has the AVX-512 bug.

    Acts only when Keras will use JAX, jaxlib is older than :data:`JAXLIB_AVX512_FIXED` and
    ``XLA_FLAGS`` does not already choose an instruction set. Returns whether it changed ``XLA_FLAGS``.
    If JAX has already started it can no longer help: it warns, saying how to fix it.
    """
    environ = os.environ if environ is None else environ
    if jaxlib_version is None:
        jaxlib_version = installed_version("jaxlib")
    if requested_keras_backend() != "jax" or jaxlib_version is None:
        return False
    if Version(jaxlib_version) >= Version(JAXLIB_AVX512_FIXED) or "xla_cpu_max_isa" in environ.get("XLA_FLAGS", ""):
        return False
    if "jax" in sys.modules:
        warnings.warn(f"jaxlib {jaxlib_version} can train wrongly on CPUs with AVX-512, and JAX has already "
                      f"started. Restart the kernel and run course_utils.setup() first, or upgrade it: "
                      f"pip install -U jax jaxlib", UserWarning, stacklevel=3)
        return False
    environ["XLA_FLAGS"] = (environ.get("XLA_FLAGS", "") + " " + _AVX2_ONLY).strip()
    return True

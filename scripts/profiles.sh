# The test profiles: which Python, which packages and which Keras backend each one uses.
# Sourced by scripts/install.sh and scripts/run_tests.sh; PROFILE picks one:
#   pinned     requirements.txt (the versions the course pins), the machine's python3, TensorFlow
#   colab      requirements-colab.txt (Colab's runtime versions, constraints/colab.txt), Python 3.13
#   colab-jax  the colab environment with KERAS_BACKEND=jax (Colab ships JAX too)
# ALL_PROFILES is what `bash scripts/run_tests.sh` runs when PROFILE is not set.

ALL_PROFILES="pinned colab colab-jax"
# The installer every profile uses (scripts/install.sh).
UV_VERSION=0.13.9
# Colab's Python (the header of constraints/colab.txt names it); refresh both together.
COLAB_PYTHON=3.13
# The unit tests of the modules notebooks import; the colab profiles run them beside the notebooks.
# (Maintainer tools, slides, rendering, student copies and the benchmark run in the pinned profile.)
RUNTIME_TESTS="tests/test_checks.py tests/test_config.py tests/test_data.py tests/test_idx.py
tests/test_metrics.py tests/test_plotting.py tests/test_training.py tests/test_versions.py"

die() { echo "error: $*" >&2; exit 1; }

# find_python X.Y: print the path of a working pythonX.Y (PATH first, then pyenv's versions).
find_python() {
    local version=$1 candidate
    for candidate in "$(command -v "python$version" 2>/dev/null)" \
                     "$(pyenv root 2>/dev/null)"/versions/"$version"*/bin/"python$version"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c "" 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# use_profile NAME: set PROFILE_VENV, PROFILE_PYTHON, PROFILE_REQUIREMENTS, PROFILE_BACKEND and
# PROFILE_TESTS (the test selection; empty means pyproject.toml's testpaths). Exits on an unknown
# profile or a missing interpreter, naming what is missing.
use_profile() {
    case "$1" in
        pinned)
            PROFILE_VENV=.venv
            PROFILE_PYTHON=${PYTHON:-python3}
            PROFILE_REQUIREMENTS=requirements.txt
            PROFILE_BACKEND=tensorflow
            PROFILE_TESTS=""
            ;;
        colab | colab-jax)
            PROFILE_VENV=.venv-colab
            PROFILE_PYTHON=$(find_python "$COLAB_PYTHON") || die "profile '$1' needs Python $COLAB_PYTHON" \
                "(Colab's), and no python$COLAB_PYTHON was found on PATH or in pyenv. Install it" \
                "(e.g. 'pyenv install $COLAB_PYTHON') or run one profile: PROFILE=pinned bash scripts/run_tests.sh"
            PROFILE_REQUIREMENTS=requirements-colab.txt
            PROFILE_BACKEND=$([ "$1" = colab-jax ] && echo jax || echo tensorflow)
            PROFILE_TESTS="notebooks $RUNTIME_TESTS"
            ;;
        *)
            die "unknown PROFILE '$1': use one of $ALL_PROFILES"
            ;;
    esac
}

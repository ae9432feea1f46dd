#!/usr/bin/env bash
# Create a test profile's virtual environment (if missing) and install its packages and the
# course package. Re-running is quick: uv skips what is already installed.
#     bash scripts/install.sh                 # .venv: the pinned requirements (what students use)
#     PROFILE=colab bash scripts/install.sh   # .venv-colab: Colab's versions, Python 3.13
# The profiles are described in scripts/profiles.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/profiles.sh
use_profile "${PROFILE:-pinned}"
if [ ! -x "$PROFILE_VENV/bin/python" ]; then
    "$PROFILE_PYTHON" -m venv "$PROFILE_VENV"
fi
# uv installs the same packages as pip from the same index, several times faster (TensorFlow alone
# takes pip about a minute to unpack); pip brings uv itself into the environment.
"$PROFILE_VENV/bin/python" -m pip install --quiet "uv==$UV_VERSION"
uv_pip() { "$PROFILE_VENV/bin/uv" pip "$@" --quiet --python "$PROFILE_VENV/bin/python"; }
# Byte-compile at install: where PYTHONDONTWRITEBYTECODE is set (as on CI), every kernel would
# otherwise recompile TensorFlow's and Keras's sources each time it imports them.
uv_pip install --compile-bytecode -r "$PROFILE_REQUIREMENTS"
uv_pip install --no-deps -e .

#!/usr/bin/env bash
# Create a test profile's virtual environment (if missing) and install its packages and the
# course package. Re-running is quick: pip skips what is already installed.
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
"$PROFILE_VENV/bin/python" -m pip install --quiet --upgrade pip
"$PROFILE_VENV/bin/python" -m pip install --quiet -r "$PROFILE_REQUIREMENTS"
"$PROFILE_VENV/bin/python" -m pip install --quiet --no-deps -e .

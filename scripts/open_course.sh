#!/usr/bin/env bash
# Set up the course's environment (if needed) and open the notebooks in JupyterLab.
#     bash scripts/open_course.sh          # full mode, what students run
#     COURSE_FAST=1 bash scripts/open_course.sh   # small data and few epochs, for a quick look
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/jupyter lab notebooks/

#!/usr/bin/env bash
# Set up the course's environment (if needed) and run every test: course_utils's unit tests and
# every notebook re-executed in fast mode under nbval. Usage, from anywhere:
#     bash scripts/run_tests.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# Two workers, each taking whole files (nbval must run a notebook's cells in one kernel).
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"

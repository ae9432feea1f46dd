#!/usr/bin/env bash
# Build the course website into _build/site/ from the committed notebooks, without executing them:
# _build/site/student/ (the student copies in student/) and _build/site/instructor/ (notebooks/,
# with their outputs and folded solutions); see website/build.py. Usage, from anywhere:
#     bash scripts/fetch_slide_assets.sh    # once: MathJax (and the decks' assets) from npm
#     bash scripts/build_site.sh
# The toolchain (requirements-site.txt) lives in its own .venv-site, apart from the notebooks'
# pinned environment; it is created on first use and re-checked quickly on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/profiles.sh
if [ ! -f .cache/slides/node_modules/mathjax/es5/tex-chtml-full.js ]; then
    die "MathJax is missing from .cache/slides/node_modules: run bash scripts/fetch_slide_assets.sh"
fi
if [ ! -x .venv-site/bin/python ]; then
    "${PYTHON:-python3}" -m venv .venv-site
fi
case "$(.venv-site/bin/uv --version 2>/dev/null)" in
    "uv $UV_VERSION "*) ;;  # pip takes seconds to find that it has nothing to do
    *) .venv-site/bin/python -m pip install --quiet "uv==$UV_VERSION" ;;
esac
# Bytecode at install time: Sphinx imports hundreds of modules, and compiling them on every run
# (where PYTHONDONTWRITEBYTECODE is set) would double the build time.
.venv-site/bin/uv pip install --quiet --compile-bytecode --python .venv-site/bin/python -r requirements-site.txt
exec .venv-site/bin/python website/build.py "$@"

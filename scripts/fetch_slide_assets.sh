#!/usr/bin/env bash
# Put reveal.js, require.js, jQuery and MathJax 3 (from the npm registry) in
# .cache/slides/node_modules, so static decks and the course website work offline, formulas
# included, and the browser tests can open them without a network:
#     python -m course_utils.slides build notebooks/*.ipynb --assets .cache/slides/node_modules
#     bash scripts/build_site.sh     # copies MathJax from here into _build/site/
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache/slides
npm install --prefix .cache/slides --no-audit --no-fund --silent --no-save \
    reveal.js@4.0.2 requirejs@2.3.7 jquery@3.7.1 mathjax@3.2.2

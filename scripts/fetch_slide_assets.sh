#!/usr/bin/env bash
# Put reveal.js, require.js and jQuery (from the npm registry) in .cache/slides/node_modules, so
# static decks work offline and the slide test can open one in a headless browser.
#     python -m course_utils.slides build notebooks/*.ipynb --assets .cache/slides/node_modules
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache/slides
npm install --prefix .cache/slides --no-audit --no-fund --silent --no-save \
    reveal.js@4.0.2 requirejs@2.3.7 jquery@3.7.1

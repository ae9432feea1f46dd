#!/usr/bin/env bash
# Set up each test profile's environment (if needed) and run its tests: course_utils's unit tests
# and every notebook re-executed in fast mode under nbval (the pinned profile also builds the course
# website first, scripts/build_site.sh, for its browser tests). Usage, from anywhere:
#     bash scripts/run_tests.sh [extra pytest arguments]                # every profile, in turn
#     PROFILE=colab-jax bash scripts/run_tests.sh [extra pytest arguments]  # one profile
# Profiles (scripts/profiles.sh): pinned (requirements.txt, all tests), colab (Colab's versions on
# Python 3.13: notebooks and runtime unit tests), colab-jax (the same with KERAS_BACKEND=jax).
# A profile whose Python is missing fails the run, naming it; none is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/profiles.sh
failed="" installed=" "
for profile in ${PROFILE:-$ALL_PROFILES}; do
    use_profile "$profile"
    echo "=== profile $profile: $("$PROFILE_PYTHON" --version 2>&1), $PROFILE_REQUIREMENTS, KERAS_BACKEND=$PROFILE_BACKEND"
    start=$SECONDS
    # colab and colab-jax share one environment: set it up once per run.
    case "$installed" in *" $PROFILE_VENV "*) ;; *) PROFILE=$profile bash scripts/install.sh; installed="$installed$PROFILE_VENV " ;; esac
    # The pinned profile also builds the course website, which tests/test_site.py opens in Chromium.
    # It needs MathJax from npm (scripts/fetch_slide_assets.sh, which .ci/run runs); without it the
    # site's tests skip, except under CI.
    if [ "$profile" = pinned ]; then
        if [ -f .cache/slides/node_modules/mathjax/es5/tex-chtml-full.js ] || [ -n "${CI:-}" ]; then
            site_start=$SECONDS
            bash scripts/build_site.sh || failed="$failed $profile(site)"
            echo "=== course website: $((SECONDS - site_start)) s"
        else
            echo "=== not building the course website: run bash scripts/fetch_slide_assets.sh first"
        fi
    fi
    # Two workers, each taking whole files (nbval must run a notebook's cells in one kernel).
    # shellcheck disable=SC2086  # PROFILE_TESTS is a list of paths
    KERAS_BACKEND=$PROFILE_BACKEND "$PROFILE_VENV/bin/python" -m pytest -n 2 --dist loadfile \
        $PROFILE_TESTS "$@" || failed="$failed $profile"
    echo "=== profile $profile took $((SECONDS - start)) s"
done
if [ -n "$failed" ]; then
    echo "FAILED profiles:$failed" >&2
    exit 1
fi

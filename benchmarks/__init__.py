"""Benchmark every model the course trains against the lecture's own settings and against PCA.

Run ``python -m benchmarks`` from the repository root (see :mod:`benchmarks.__main__`). It
executes the weekly notebooks themselves, so every number comes from the code students read:

1. each notebook runs in full mode on a temporary copy with the course's settings, and, when
   :data:`benchmarks.recipes.LECTURE_SETTINGS` gives the lecture's settings for some of its
   models, a second time with those injected into its cells tagged ``parameters``
   (:mod:`benchmarks.parameters`, papermill's convention);
2. the notebooks record each model's numbers with :func:`course_utils.training.record_result`
   into a JSON-lines file (``COURSE_RESULTS_FILE``);
3. the records of both runs are paired by notebook and model name and written as
   ``benchmarks/results.md`` and ``benchmarks/results.json``.
"""

from benchmarks.report import (  # noqa: F401  (the public API)
    ModelComparison,
    compare,
    load_records,
    render_markdown,
    summarise,
)

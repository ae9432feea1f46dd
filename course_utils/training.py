"""Training helpers: time every epoch, and record a model's numbers for tables and the benchmark.

Used by: notebooks 03 to 07 and ``benchmarks``.
"""

from __future__ import annotations

import json
import os
import time

import keras
import numpy as np

#: When set, :func:`record_result` also appends each record as a JSON line to this file.
RESULTS_ENV = "COURSE_RESULTS_FILE"


class EpochTimer(keras.callbacks.Callback):
    """A callback that measures the wall-clock seconds of every training epoch.

    Examples
    --------
    >>> timer = EpochTimer()
    >>> model.fit(x, y, epochs=5, callbacks=[timer])      # doctest: +SKIP
    >>> timer.total_seconds, timer.seconds_per_epoch       # doctest: +SKIP
    """

    def __init__(self):
        super().__init__()
        self.epoch_seconds: list[float] = []
        self._started = None

    def on_epoch_begin(self, epoch, logs=None):
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_seconds.append(time.perf_counter() - self._started)

    @property
    def total_seconds(self) -> float:
        """Seconds spent in all epochs."""
        return float(sum(self.epoch_seconds))

    @property
    def seconds_per_epoch(self) -> float:
        """Median seconds of one epoch (the first, which compiles, counts too); NaN before training."""
        return float(np.median(self.epoch_seconds)) if self.epoch_seconds else float("nan")


_records: list[dict] = []


def record_result(notebook: str, model: str, **numbers) -> dict:
    """Remember one model's numbers (code size, parameters, seconds, test MSE or accuracy, ...).

    Records are kept in memory (see :func:`recorded_results`) and, when ``COURSE_RESULTS_FILE``
    is set, appended as one JSON line each to that file; the benchmark reads them from there.

    Parameters
    ----------
    notebook : str
        The notebook's short name, e.g. ``"04_deep_autoencoders"``.
    model : str
        A stable name for the model, e.g. ``"stacked_ae_fashion"``.
    **numbers
        JSON-serialisable values (floats, ints, strings).
    """
    if not notebook or not model:
        raise ValueError("record_result needs a notebook name and a model name.")
    record = {"notebook": notebook, "model": model}
    for key, value in numbers.items():
        if isinstance(value, (np.integer, np.floating)):
            value = value.item()
        record[key] = value
    line = json.dumps(record)  # fails loudly on values JSON cannot hold
    _records.append(record)
    target = os.environ.get(RESULTS_ENV)
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return record


def recorded_results(notebook: str | None = None) -> list[dict]:
    """The records made so far in this process (optionally only one notebook's)."""
    return [dict(record) for record in _records if notebook is None or record["notebook"] == notebook]

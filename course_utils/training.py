"""Training helpers: time every epoch, decay the learning rate over a run, and record a model's numbers for tables and the benchmark.

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


def cosine_decay(learning_rate: float, *, epochs: int, n_samples: int, batch_size: int,
                 final_fraction: float = 0.0) -> keras.optimizers.schedules.CosineDecay:
    """A learning rate that falls from ``learning_rate`` along a half cosine over a whole training run.

    The schedule counts optimizer steps, so it needs the number of steps the run will take:
    ``epochs * ceil(n_samples / batch_size)``. Pass it to an optimizer as ``learning_rate=``.

    Parameters
    ----------
    learning_rate : float
        The rate of the first step (positive).
    epochs, n_samples, batch_size : int
        What ``model.fit`` will be given: epochs, training examples, batch size (all positive).
    final_fraction : float
        The rate at the last step, as a fraction of ``learning_rate`` (0 ≤ it < 1; default 0).

    Raises
    ------
    ValueError
        If a count is not a positive integer, the rate is not positive or the fraction is out of range.
    """
    for name, value in (("epochs", epochs), ("n_samples", n_samples), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"cosine_decay needs {name} as a positive integer, got {value!r}.")
    if not learning_rate > 0:
        raise ValueError(f"cosine_decay needs a positive learning_rate, got {learning_rate!r}.")
    if not 0 <= final_fraction < 1:
        raise ValueError(f"cosine_decay needs 0 <= final_fraction < 1, got {final_fraction!r}.")
    steps = int(epochs) * int(np.ceil(int(n_samples) / int(batch_size)))
    return keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps, alpha=final_fraction)


_records: list[dict] = []


def record_result(notebook: str, model: str, **numbers) -> None:
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

    Returns nothing, so a cell that ends with it shows no record; read them with :func:`recorded_results`.
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


def recorded_results(notebook: str | None = None) -> list[dict]:
    """The records made so far in this process (optionally only one notebook's)."""
    return [dict(record) for record in _records if notebook is None or record["notebook"] == notebook]

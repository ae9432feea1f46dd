"""Training helpers: compile and fit a model from a plain settings dict, time every epoch, decay the
learning rate over a run, and record a model's numbers for tables and the benchmark.

A notebook writes each model's training settings as a plain dict in a cell tagged ``parameters``,
for example ``dict(optimizer="Adam", learning_rate=3e-3, loss="mse", batch_size=128, epochs=10)``,
and trains with :func:`compile_and_fit`, which returns a :class:`TrainingRun`. The benchmark
replaces such dicts from outside (see ``benchmarks/recipes.py``); nothing in the lesson changes.

Used by: notebooks 03 to 07 and ``benchmarks``.
"""

from __future__ import annotations

import dataclasses
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


#: The optimisers a settings dict may name (``optimizer="Adam"``), with the extra keys each accepts.
OPTIMIZERS = {"Adam": ("clipnorm",), "AdamW": ("clipnorm", "weight_decay"), "SGD": ("momentum", "clipnorm"),
              "RMSprop": ("clipnorm",)}
#: Every optional optimiser key of a settings dict, in the order descriptions name them.
OPTIMIZER_EXTRAS = ("momentum", "clipnorm", "weight_decay")
#: Keys of a settings dict that :func:`compile_and_fit` reads; any others are the notebook's own
#: (an activation, say), which it passes over.
TRAINING_KEYS = {"optimizer", "learning_rate", "schedule", "final_fraction", "loss", "batch_size", "epochs",
                 *OPTIMIZER_EXTRAS}
SCHEDULES = ("constant", "cosine")


def check_settings(settings: dict) -> None:
    """Raise ValueError, saying what is expected, if ``settings`` is not a usable training settings dict."""
    if not isinstance(settings, dict):
        raise ValueError(f"training settings must be a dict such as dict(optimizer='Adam', learning_rate=1e-3, "
                         f"loss='mse', batch_size=128, epochs=10), got {type(settings).__name__}.")
    missing = [key for key in ("optimizer", "learning_rate", "loss", "batch_size", "epochs") if key not in settings]
    if missing:
        raise ValueError(f"training settings lack {', '.join(missing)}: add them to the settings dict.")
    name = settings["optimizer"]
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer={name!r} is not one of {', '.join(OPTIMIZERS)}.")
    allowed = set(OPTIMIZERS[name])
    for key in OPTIMIZER_EXTRAS:
        if settings.get(key) is not None and key not in allowed:
            raise ValueError(f"{key} does not apply to {name}: remove it or choose an optimizer that takes it.")
    if settings.get("schedule", "constant") not in SCHEDULES:
        raise ValueError(f"schedule={settings['schedule']!r} is not one of {', '.join(SCHEDULES)}.")
    if not settings["learning_rate"] > 0:
        raise ValueError(f"learning_rate must be positive, got {settings['learning_rate']!r}.")


def make_optimizer(settings: dict, *, epochs: int, n_samples: int, batch_size: int) -> keras.optimizers.Optimizer:
    """The Keras optimiser ``settings`` describes, with its learning-rate schedule over the whole run.

    ``schedule="cosine"`` decays the rate along a half cosine to ``final_fraction`` of it (default 0)
    by the last of ``epochs * ceil(n_samples / batch_size)`` steps; ``"constant"`` (the default) keeps it.
    """
    check_settings(settings)
    learning_rate = settings["learning_rate"]
    if settings.get("schedule", "constant") == "cosine":
        learning_rate = cosine_decay(learning_rate, epochs=epochs, n_samples=n_samples, batch_size=batch_size,
                                     final_fraction=settings.get("final_fraction", 0.0))
    extras = {key: settings[key] for key in OPTIMIZERS[settings["optimizer"]] if settings.get(key) is not None}
    return getattr(keras.optimizers, settings["optimizer"])(learning_rate=learning_rate, **extras)


def _short_number(value: float) -> str:
    """``3e-3`` for 0.003, ``1.5`` for 1.5: how learning rates are written in the course."""
    if value < 0.01:
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:g}"


def describe_optimizer(settings: dict) -> str:
    """A short text for the optimiser of a settings dict, e.g. ``'Adam 2e-3 cosine, clipnorm 1'``."""
    text = f"{settings['optimizer']} {_short_number(settings['learning_rate'])}"
    if settings.get("schedule", "constant") == "cosine":
        text += " cosine"
    for key in OPTIMIZER_EXTRAS:
        if settings.get(key) is not None:
            text += f", {key} {settings[key]:g}"
    return text


def _describe_compiled_optimizer(optimizer) -> str:
    """Like :func:`describe_optimizer`, for an optimiser built by hand (``SGD 0.3, momentum 0.9``)."""
    config = optimizer.get_config()
    rate = config.get("learning_rate")
    if not isinstance(rate, (int, float)):  # a schedule: name the optimiser only
        return type(optimizer).__name__
    described = {"optimizer": type(optimizer).__name__, "learning_rate": float(rate)}
    for key in OPTIMIZER_EXTRAS:
        if config.get(key):
            described[key] = config[key]
    return describe_optimizer(described)


@dataclasses.dataclass
class TrainingRun:
    """What one call of :func:`compile_and_fit` produced: the model, its per-epoch history, the
    epoch timer, and the settings, epochs and batch size it was trained with."""

    model: keras.Model
    history: dict
    timer: EpochTimer
    settings: dict | None
    epochs: int
    batch_size: int

    def __str__(self) -> str:
        text = (f"{self.model.name}: {self.epochs} epochs in {self.timer.total_seconds:.0f} s "
                f"({self.timer.seconds_per_epoch:.1f} s per epoch)")
        last = {key: values[-1] for key, values in self.history.items() if values}
        for key in ("loss", "val_loss"):
            if key in last:
                text += f", final {'validation' if key == 'val_loss' else 'training'} loss {last[key]:.4f}"
        return text

    def numbers(self) -> dict:
        """The record entries that follow from the run: parameters, seconds, epochs, batch, optimiser, loss.

        A run made without a settings dict (``settings=None``, e.g. a hand-written training loop)
        names the compiled optimiser's class and loss instead.
        """
        if self.settings is None:
            optimizer, loss = _describe_compiled_optimizer(self.model.optimizer), str(self.model.loss)
        else:
            optimizer, loss = describe_optimizer(self.settings), str(self.settings["loss"])
        return {"params": self.model.count_params(), "train_seconds": self.timer.total_seconds,
                "seconds_per_epoch": self.timer.seconds_per_epoch, "epochs": self.epochs,
                "batch_size": self.batch_size, "optimizer": optimizer, "loss": loss}


class RandomShifts(keras.utils.PyDataset):
    """Augmented batches for an autoencoder: each image moved by up to ``max_shift`` pixels.

    Every item is an ``(input, target)`` pair of the same shifted images (flattened rows, as the
    dense autoencoders take them); the vacated border is filled with 0. Each epoch draws a fresh
    order and fresh shifts, so the network never sees exactly the same image twice. Pass it to
    :func:`compile_and_fit` as ``x`` with ``y=None``.

    Parameters
    ----------
    images : array of shape (m, side * side)
        Flattened square images.
    batch_size : int
    side : int
        The images' side in pixels (28 for MNIST).
    max_shift : int
        The largest move, in pixels, along each axis (each move is drawn from -max_shift..max_shift).
    seed : int
    """

    def __init__(self, images, *, batch_size: int, side: int = 28, max_shift: int = 1, seed: int = 0):
        super().__init__()
        images = np.asarray(images, dtype="float32")
        if images.ndim != 2 or images.shape[1] != side * side:
            raise ValueError(f"RandomShifts expects flattened images of shape (m, {side * side}); got "
                             f"{images.shape}. Flatten them first (data.flatten_images) or pass side=.")
        if batch_size < 1 or max_shift < 0 or max_shift >= side:
            raise ValueError(f"RandomShifts needs batch_size >= 1 and 0 <= max_shift < side; got "
                             f"batch_size={batch_size}, max_shift={max_shift}, side={side}.")
        self.images, self.batch_size, self.side, self.max_shift = images.reshape(-1, side, side), batch_size, side, max_shift
        self._rng = np.random.default_rng(seed)
        self.on_epoch_end()

    def __len__(self) -> int:
        return -(-len(self.images) // self.batch_size)

    def __getitem__(self, index: int):
        if not 0 <= index < len(self):
            raise IndexError(f"batch {index} of {len(self)}")
        chosen = self._order[index * self.batch_size:(index + 1) * self.batch_size]
        s, side = self.max_shift, self.side
        padded = np.pad(self.images[chosen], ((0, 0), (s, s), (s, s)))
        batch = np.stack([padded[j, top:top + side, left:left + side]
                          for j, (top, left) in enumerate(self._offsets[chosen])])
        flat = batch.reshape(len(chosen), side * side)
        return flat, flat

    def on_epoch_end(self) -> None:
        """Draw the next epoch's order and shifts."""
        self._order = self._rng.permutation(len(self.images))
        self._offsets = self._rng.integers(0, 2 * self.max_shift + 1, size=(len(self.images), 2))


def compile_and_fit(model: keras.Model, x, y, *, settings: dict, epochs: int, batch_size: int | None = None,
                    metrics=None, **fit_arguments) -> TrainingRun:
    """Compile ``model`` with the optimiser and loss ``settings`` name, fit it on ``(x, y)``, time it.

    Parameters
    ----------
    model : keras.Model
    x, y
        Training inputs and targets, as for ``model.fit`` (an autoencoder passes the images twice);
        or a ``keras.utils.PyDataset`` such as :class:`RandomShifts` as ``x`` with ``y=None``, which
        makes its own batches (its ``batch_size`` is used, ``settings["batch_size"]`` ignored).
    settings : dict
        ``optimizer`` (one of :data:`OPTIMIZERS`), ``learning_rate``, ``loss``, ``batch_size``,
        ``epochs``; optionally ``schedule`` (``"constant"`` or ``"cosine"``), ``final_fraction``,
        ``momentum``, ``clipnorm``, ``weight_decay``. Other keys are ignored.
    epochs : int
        The epochs to train, usually ``cfg.epochs(settings["epochs"], fast=...)``, so that fast
        mode can shrink them.
    batch_size : int, optional
        Overrides ``settings["batch_size"]`` (e.g. smaller batches in fast mode).
    metrics : list, optional
        Passed to ``compile``.
    **fit_arguments
        Passed to ``model.fit`` (``validation_data``, ``callbacks``, ...); ``verbose`` defaults to 0.

    Returns
    -------
    TrainingRun
        ``print(run)`` shows epochs, seconds and the final losses; :func:`record_result` takes it.
    """
    check_settings(settings)
    batched = isinstance(x, keras.utils.PyDataset)  # it makes its own batches (e.g. RandomShifts)
    if batched and (y is not None or batch_size is not None):
        raise ValueError("a PyDataset yields its own targets and batches: call compile_and_fit(model, dataset, None, ...) "
                         "without batch_size")
    batch_size = int(x.batch_size if batched else settings["batch_size"] if batch_size is None else batch_size)
    n_samples = len(x) * batch_size if batched else len(x)
    optimizer = make_optimizer(settings, epochs=epochs, n_samples=n_samples, batch_size=batch_size)
    model.compile(optimizer=optimizer, loss=settings["loss"], metrics=metrics)
    timer = EpochTimer()
    fit_arguments.setdefault("verbose", 0)
    callbacks = [*fit_arguments.pop("callbacks", []), timer]
    if not batched:
        fit_arguments["batch_size"] = batch_size
    history = model.fit(x, y, epochs=epochs, callbacks=callbacks, **fit_arguments)
    return TrainingRun(model, history.history, timer, dict(settings), len(timer.epoch_seconds), batch_size)


_records: list[dict] = []


def record_result(notebook: str, model: str, run: TrainingRun | None = None, **numbers) -> None:
    """Remember one model's numbers for the week's table and the benchmark.

    Records are kept in memory (see :func:`recorded_results`) and, when ``COURSE_RESULTS_FILE``
    is set (by the benchmark), appended as one JSON line each to that file.

    Parameters
    ----------
    notebook : str
        The notebook's short name, e.g. ``"04_deep_autoencoders"``.
    model : str
        A stable name for the model, e.g. ``"stacked_ae_fashion"``.
    run : TrainingRun, optional
        The model's training run: parameters, seconds, epochs, batch size, optimiser and loss are
        taken from it (:meth:`TrainingRun.numbers`).
    **numbers
        What the run cannot know, as JSON-serialisable values: ``test_mse``, ``pca_mse``,
        ``code_size``, ``data`` (the data set's name), ... They override the run's entries.

    Returns nothing, so a cell that ends with it shows no record; read them with :func:`recorded_results`.
    """
    if not notebook or not model:
        raise ValueError("record_result needs a notebook name and a model name.")
    if run is not None and not isinstance(run, TrainingRun):
        raise ValueError(f"record_result's third argument is the model's TrainingRun (from compile_and_fit), "
                         f"got {type(run).__name__}; pass other numbers by name, e.g. test_mse=0.01.")
    from course_utils import config

    record = {"notebook": notebook, "model": model, "settings": config.active_settings()}
    merged = {**(run.numbers() if run is not None else {}), **numbers}
    for key, value in merged.items():
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

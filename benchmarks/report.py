"""Pair the numbers the notebooks record under both settings, check the targets, write the table.

Everything here is pure: records in, comparisons, a summary and Markdown out. The command that
executes the notebooks is :mod:`benchmarks.__main__`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

#: Quality numbers a record may carry, best first, with whether larger is better.
QUALITY_KEYS = {"test_mse": False, "test_accuracy": True, "train_mse": False,
                "heldout_mean_auc": True, "test_neg_elbo": False}
#: How the table labels each quality number.
QUALITY_LABELS = {"test_mse": "MSE", "test_accuracy": "acc.", "train_mse": "train MSE",
                  "heldout_mean_auc": "mean AUC", "test_neg_elbo": "−ELBO", None: ""}
#: Record keys the table already shows (or that describe the run); any other number a notebook
#: records is listed under the table, model by model.
SHOWN_KEYS = {*QUALITY_KEYS, "pca_mse", "params", "train_seconds", "seconds_per_epoch", "epochs", "batch_size",
              "code_size"}
#: The course's whole training must take at most this share of the lecture settings' time.
TIME_TARGET = 0.5

#: Why a model misses a target, when the reason is known and does not depend on one run's numbers:
#: {(model, target): reason}, with target "lecture" (at least as good as the lecture's settings) or
#: "pca" (better than PCA at its code size). Shown under the table only when that miss happens.
MISS_EXPLANATIONS = {
    ("linear_ae_mnist_16", "pca"):
        "by theorem, not by training: no linear autoencoder can do better than PCA at its code size "
        "(Eckart–Young; Baldi & Hornik 1989), so the target here is to equal it. Week 3 checks that it "
        "does: an MSE ratio of 1.0000 and principal angles under 0.1 degree to PCA's subspace.",
    ("conv_transpose_ae", "pca"):
        "by design: its code has 576 numbers, and PCA with 576 of the 784 components is almost exact. "
        "Week 5 shows this comparison and explains it; the model teaches the layers, not compression.",
    ("upsampling_conv_ae", "pca"):
        "by design: an autoencoder with 1 185 weights in all cannot match PCA-64, whose 64 components "
        "alone hold 50 176 numbers. Week 5 makes this comparison to show how few weights convolutions need.",
    ("upsampling_conv_ae", "lecture"):
        "the two runs differ only in the hidden activations (both train the course's way, as the notes "
        "give no settings for this model). Over six random starts, week 5's GELU beat the lecture's ReLU "
        "five times, by about 9 % on average (week 5 shows the table): an edge, not a certainty, so one "
        "run can land on the other side.",
}


def load_records(path) -> list[dict]:
    """Read the JSON lines :func:`course_utils.training.record_result` appended to ``path``.

    A missing file means the notebook recorded nothing and gives an empty list.

    Raises
    ------
    ValueError
        If a line is not a JSON object with ``notebook`` and ``model`` keys.
    """
    path = Path(path)
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}, line {number}: not JSON ({error}); the file should hold one "
                             "record_result() object per line.") from None
        if not isinstance(record, dict) or "notebook" not in record or "model" not in record:
            raise ValueError(f"{path}, line {number}: expected an object with 'notebook' and 'model' keys.")
        records.append(record)
    return records


def _number(record: dict | None, key: str) -> float:
    """``record[key]`` as a float, NaN when the record or the key is missing."""
    if record is None or record.get(key) is None:
        return math.nan
    return float(record[key])


def _ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, NaN when either is missing or the denominator is 0."""
    if math.isnan(numerator) or math.isnan(denominator) or denominator == 0:
        return math.nan
    return numerator / denominator


@dataclasses.dataclass
class ModelComparison:
    """One model: its record under the course's settings and, if trained, under the lecture's."""

    notebook: str
    model: str
    course: dict | None
    lecture: dict | None = None

    @property
    def _any(self) -> dict:
        return self.course or self.lecture or {}

    @property
    def quality_key(self) -> str | None:
        """Which quality number the model reports (``test_mse``, ``test_accuracy`` or ``train_mse``)."""
        return next((key for key in QUALITY_KEYS if key in self._any), None)

    @property
    def higher_is_better(self) -> bool:
        return bool(self.quality_key and QUALITY_KEYS[self.quality_key])

    def quality(self, settings: str) -> float:
        """The model's quality number under ``"course"`` or ``"lecture"`` settings (NaN if absent)."""
        return _number(getattr(self, settings), self.quality_key) if self.quality_key else math.nan

    def seconds(self, settings: str) -> float:
        """Training seconds under ``"course"`` or ``"lecture"`` settings (NaN if absent)."""
        return _number(getattr(self, settings), "train_seconds")

    def seconds_per_epoch(self, settings: str) -> float:
        """Median seconds of one training epoch under ``"course"`` or ``"lecture"`` settings (NaN if absent)."""
        return _number(getattr(self, settings), "seconds_per_epoch")

    @property
    def pca_mse(self) -> float:
        return _number(self.course or self.lecture, "pca_mse")

    @property
    def has_lecture_version(self) -> bool:
        """Whether the lecture run trained this model differently (a different recipe) from the course run.

        Models the lecture gives no settings for are trained the course's way in both runs; they
        are shown, but the lecture comparisons and targets skip them.
        """
        return self.course is not None and self.lecture is not None and _recipe(self.course) != _recipe(self.lecture)

    @property
    def time_ratio(self) -> float:
        """Course training time / lecture training time."""
        return _ratio(self.seconds("course"), self.seconds("lecture"))

    @property
    def quality_ratio(self) -> float:
        """Course quality / lecture quality (an MSE ratio below 1, or accuracy ratio above 1, is better)."""
        return _ratio(self.quality("course"), self.quality("lecture"))

    @property
    def pca_ratio(self) -> float:
        """Course test MSE / PCA's test MSE at the same code size (below 1: the AE beats PCA)."""
        if self.quality_key != "test_mse":
            return math.nan
        return _ratio(self.quality("course"), self.pca_mse)

    def at_least_as_good_as_lecture(self) -> bool | None:
        """Whether the course's version matches or beats the lecture's; None without both numbers."""
        ours, theirs = self.quality("course"), self.quality("lecture")
        if not self.has_lecture_version or math.isnan(ours) or math.isnan(theirs):
            return None
        return ours >= theirs if self.higher_is_better else ours <= theirs

    def beats_pca(self) -> bool | None:
        """Whether the course's test MSE is below PCA's at the same code size; None if not comparable."""
        ratio = self.pca_ratio
        return None if math.isnan(ratio) else ratio < 1.0

    def as_dict(self) -> dict:
        """Everything about this comparison, JSON-ready (NaN becomes None)."""
        numbers = {
            "quality_key": self.quality_key,
            "course_quality": self.quality("course"), "lecture_quality": self.quality("lecture"),
            "course_seconds": self.seconds("course"), "lecture_seconds": self.seconds("lecture"),
            "course_seconds_per_epoch": self.seconds_per_epoch("course"),
            "lecture_seconds_per_epoch": self.seconds_per_epoch("lecture"),
            "pca_mse": self.pca_mse, "time_ratio": self.time_ratio, "quality_ratio": self.quality_ratio,
            "pca_ratio": self.pca_ratio,
        }
        numbers = {key: (None if isinstance(value, float) and math.isnan(value) else value)
                   for key, value in numbers.items()}
        return {"notebook": self.notebook, "model": self.model, "has_lecture_version": self.has_lecture_version,
                **numbers,
                "at_least_as_good_as_lecture": self.at_least_as_good_as_lecture(),
                "beats_pca": self.beats_pca(), "course": self.course, "lecture": self.lecture}


def compare(course_records: list[dict], lecture_records: list[dict]) -> list[ModelComparison]:
    """Pair records by (notebook, model), in the order the course run recorded them.

    A model recorded twice in one run keeps its last record. Models only the lecture run
    recorded come last.
    """
    def by_key(records):
        table = {}
        for record in records:
            table[(record["notebook"], record["model"])] = record
        return table

    course, lecture = by_key(course_records), by_key(lecture_records)
    keys = list(course) + [key for key in lecture if key not in course]
    return [ModelComparison(notebook, model, course.get((notebook, model)), lecture.get((notebook, model)))
            for notebook, model in keys]


def summarise(comparisons: list[ModelComparison]) -> dict:
    """Totals and the three targets: as good as the lecture, better than PCA, half the lecture's time.

    The time target compares only models with a lecture version (see
    :attr:`ModelComparison.has_lecture_version`) and both timings.
    """
    paired = [c for c in comparisons if c.has_lecture_version
              and not math.isnan(c.seconds("course")) and not math.isnan(c.seconds("lecture"))]
    course_seconds = sum(c.seconds("course") for c in paired)
    lecture_seconds = sum(c.seconds("lecture") for c in paired)
    worse_than_lecture = [c.model for c in comparisons if c.at_least_as_good_as_lecture() is False]
    not_beating_pca = [c.model for c in comparisons if c.beats_pca() is False]
    time_ratio = _ratio(course_seconds, lecture_seconds)
    return {
        "models": len(comparisons),
        "paired_models": len(paired),
        "course_training_seconds_paired": course_seconds,
        "lecture_training_seconds_paired": lecture_seconds,
        "course_training_seconds_all": sum(c.seconds("course") for c in comparisons
                                           if not math.isnan(c.seconds("course"))),
        "time_ratio": None if math.isnan(time_ratio) else time_ratio,
        "time_target": TIME_TARGET,
        "time_target_met": None if math.isnan(time_ratio) else time_ratio <= TIME_TARGET,
        "worse_than_lecture": worse_than_lecture,
        "not_beating_pca": not_beating_pca,
    }


def _format(value: float, digits: int = 4, percent: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.2%}" if percent else f"{value:.{digits}f}"


def _seconds(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.0f}"


def _recipe(record: dict | None) -> str:
    """A short description of how a model was built and trained: activations, optimiser, loss, batch, epochs."""
    if record is None:
        return "—"
    parts = [str(record[key]) for key in ("activations", "optimizer", "loss") if record.get(key)]
    if record.get("batch_size"):
        parts.append(f"batch {record['batch_size']}")
    if record.get("epochs"):
        parts.append(f"{record['epochs']} ep")
    return ", ".join(parts) or "—"


def _mark(flag: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "—"}[flag]


def _explained_misses(summary: dict) -> list[str]:
    """Markdown lines giving, for every missed model target, the reason in MISS_EXPLANATIONS (or saying
    there is none); models that miss the same target for the same reason share one line."""
    misses = [(model, "lecture") for model in summary["worse_than_lecture"]]
    misses += [(model, "pca") for model in summary["not_beating_pca"]]
    if not misses:
        return []
    what = {"lecture": "worse than with the lecture's settings", "pca": "not better than PCA"}
    unexplained = "no reason recorded yet; look into this model."
    grouped: dict[tuple[str, str], list[str]] = {}
    for model, target in misses:
        grouped.setdefault((target, MISS_EXPLANATIONS.get((model, target), unexplained)), []).append(model)
    return ["", "## Why targets were missed", ""] + [
        f"- {', '.join(models)}, {what[target]}: {reason}" for (target, reason), models in grouped.items()]


def _more_numbers(comparisons: list[ModelComparison]) -> list[str]:
    """Markdown lines listing, for every model, the numbers its course run recorded beyond the table's."""
    lines = []
    for c in comparisons:
        record = c.course or c.lecture or {}
        extra = [f"{key} {value:,}" if isinstance(value, int) else f"{key} {value:.4g}" for key, value in record.items()
                 if key not in SHOWN_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool)]
        if extra:
            lines.append(f"- {c.notebook[:2]} {c.model}: " + ", ".join(extra))
    return ["", "## More numbers the notebooks record (course settings)", ""] + lines if lines else []


def render_markdown(comparisons: list[ModelComparison], summary: dict, run: dict) -> str:
    """The results page: how it ran, one row per model, the targets, and what was missed."""
    dates = sorted(set((run.get("notebook_dates") or {}).values()) | {run.get("date", "?")})
    when = dates[0] if len(dates) == 1 else (f"{dates[0]} to {dates[-1]} (each notebook's date is in the "
                                             "run-time table below; `--update` re-ran some of them)")
    lines = ["# Benchmark: the course's models against the lecture's settings and PCA", "",
             f"Made by `python -m benchmarks{' --fast' if run.get('mode') == 'fast' else ''}` on "
             f"{when}: **{run.get('mode', '?')} mode**, Keras {run.get('keras', '?')} "
             f"({run.get('backend', '?')}{' ' + run['backend_version'] if run.get('backend_version') else ''}) "
             f"on {run.get('device', '?')}, {run.get('machine', '?')}, Python "
             f"{run.get('python', '?')}. Every number comes from executing the notebooks themselves "
             "(as they are, then with the lecture's settings from `benchmarks/recipes.py` injected into their "
             "`parameters` cells) in one run on one machine.", ""]
    lines += ["Rows whose lecture recipe reads \"same as course\" are models the lecture gives no settings "
              "for (or the same ones): the lecture run trains them the course's way, and the comparisons "
              "and the time target leave them out. \"Time ratio\" is course seconds / lecture seconds; "
              "\"quality ratio\" is course / lecture test MSE (below 1 is better) or accuracy (above 1 "
              "is better); \"MSE / PCA\" below 1 means the autoencoder beats PCA at its code size.", ""]
    planned, finished = run.get("planned_runs"), run.get("finished_runs")
    if planned is not None and finished is not None and finished < planned:
        lines += [f"> **Partial run**: {finished} of {planned} notebook runs had finished when this table was "
                  "written (it is rewritten after each one); the totals cover only those.", ""]
    if run.get("mode") == "fast":
        lines += ["> Fast mode: small samples and few epochs. These numbers only show that the pipeline "
                  "works; they say nothing about quality or speed.", ""]
    lines += ["| notebook | model | code | params | course recipe | lecture recipe | course s | lecture s "
              "| s / epoch (course, lecture) | time ratio | course quality | lecture quality | quality ratio "
              "| PCA MSE | MSE / PCA | ≥ lecture | beats PCA |",
              "|---|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|"]
    for c in comparisons:
        record = c.course or c.lecture or {}
        percent = c.quality_key == "test_accuracy"
        label = QUALITY_LABELS[c.quality_key]
        paired = c.has_lecture_version
        lecture_recipe = _recipe(c.lecture) if paired or c.lecture is None else "same as course"
        lecture_seconds = _seconds(c.seconds("lecture")) if paired else "—"
        per_epoch = _format(c.seconds_per_epoch("course"), 1) + (
            f", {_format(c.seconds_per_epoch('lecture'), 1)}" if paired else "")
        lecture_quality = _format(c.quality("lecture"), percent=percent) if paired else "—"
        lines.append(
            f"| {c.notebook[:2]} | {c.model} | {record.get('code_size', '—')} | "
            f"{'—' if record.get('params') is None else format(record['params'], ',')} | "
            f"{_recipe(c.course)} | {lecture_recipe} | {_seconds(c.seconds('course'))} | "
            f"{lecture_seconds} | {per_epoch} | {_format(c.time_ratio, 2) if paired else '—'} | "
            f"{label} {_format(c.quality('course'), percent=percent)} | "
            f"{lecture_quality} | {_format(c.quality_ratio, 3) if paired else '—'} | "
            f"{_format(c.pca_mse)} | {_format(c.pca_ratio, 3)} | {_mark(c.at_least_as_good_as_lecture())} | "
            f"{_mark(c.beats_pca())} |")
    ratio = summary["time_ratio"]
    lines += ["", "## Targets", "",
              f"- Training time of the models that have a lecture version: course "
              f"{summary['course_training_seconds_paired']:.0f} s, lecture "
              f"{summary['lecture_training_seconds_paired']:.0f} s, ratio {_format(ratio, 2)} "
              f"(target ≤ {summary['time_target']}): "
              f"{_mark(summary['time_target_met']).replace('yes', 'met').replace('**no**', '**missed**')}.",
              f"- Every model at least as good as with the lecture's settings: "
              + ("met." if not summary["worse_than_lecture"] else
                 "**missed** by " + ", ".join(summary["worse_than_lecture"]) + "."),
              f"- Every autoencoder better than PCA at its code size (test MSE): "
              + ("met." if not summary["not_beating_pca"] else
                 "**missed** by " + ", ".join(summary["not_beating_pca"]) + "."),
              f"- All course training in this run: {summary['course_training_seconds_all']:.0f} s."]
    lines += _explained_misses(summary)
    lines += _more_numbers(comparisons)
    notebook_seconds = run.get("notebook_seconds", {})
    if notebook_seconds:
        notebook_dates = run.get("notebook_dates") or {}
        lines += ["", "## Whole-notebook run times (seconds, including data loading, PCA, t-SNE and plots)", "",
                  "| notebook | run on | course | lecture |", "|---|---|---:|---:|"]
        for notebook in sorted(notebook_seconds):
            seconds = notebook_seconds[notebook]
            lines.append(f"| {notebook} | {notebook_dates.get(notebook, run.get('date', '?'))} | "
                         f"{_seconds(seconds.get('course', math.nan))} | "
                         f"{_seconds(seconds.get('lecture', math.nan))} |")
    failures = run.get("failures", [])
    if failures:
        lines += ["", "## Runs that failed", ""] + [f"- {failure}" for failure in failures]
    notes = run.get("notes", [])
    if notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"

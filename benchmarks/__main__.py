"""``python -m benchmarks``: execute the notebooks under both settings and write the results table.

Usage::

    python -m benchmarks                       # full mode, all model notebooks (about 80 minutes on 2 cores)
    python -m benchmarks --fast                # smoke run: fast mode, results under benchmarks/runs/fast/
    python -m benchmarks --notebooks 05 07     # only some notebooks (prefixes or names)
    python -m benchmarks --notebooks 05 --update   # re-run week 5, keep the other weeks' rows
    KERAS_BACKEND=jax python -m benchmarks     # any Keras backend; the results record which
    python -m benchmarks --rerender            # rewrite results.md from results.json (no training)

Each notebook runs on a temporary copy (the committed notebooks are never touched), once as it
is (the course's settings) and, if :data:`benchmarks.recipes.LECTURE_SETTINGS` has an entry for it,
once with the lecture's settings injected into its cells tagged ``parameters``
(:mod:`benchmarks.parameters`, papermill's convention). ``COURSE_SETTINGS=lecture`` tells the
kernel which run it is, so that a claim about the course's settings that fails under the
lecture's prints a cross instead of stopping the run, and every record is labelled.
A progress line is printed as each model finishes. The results are written only at the end,
each file first to a temporary name and then renamed, so no half-written table is left behind.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.parameters import inject_parameters
from benchmarks.recipes import LECTURE_SETTINGS
from benchmarks.report import QUALITY_KEYS, QUALITY_LABELS, compare, load_records, render_markdown, summarise

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
#: The notebooks that train models, in course order (weeks 1–2 fit only PCA).
MODEL_NOTEBOOKS = (
    "03_linear_autoencoder",
    "04_deep_autoencoders",
    "05_conv_recurrent_autoencoders",
    "06_denoising_regularized_autoencoders",
    "07_lstm_classifiers",
    "08_anomalies_pretraining_vae",
)
SETTINGS = ("course", "lecture")


def select_notebooks(requested: list[str] | None) -> list[str]:
    """Resolve names or prefixes (``"05"``, ``"05_conv"``) to notebook names, in the order given.

    Raises
    ------
    ValueError
        If a request matches no model notebook, or more than one.
    """
    if not requested:
        return list(MODEL_NOTEBOOKS)
    chosen = []
    for request in requested:
        stem = Path(request).stem
        matches = [name for name in MODEL_NOTEBOOKS if name.startswith(stem)]
        if len(matches) != 1:
            raise ValueError(f"--notebooks {request!r} matches {len(matches)} notebooks; use one of "
                             f"{', '.join(MODEL_NOTEBOOKS)} (or a unique prefix such as '05').")
        chosen.append(matches[0])
    return list(dict.fromkeys(chosen))  # the order given, without repeats


def has_lecture_recipes(notebook: str) -> bool:
    """Whether the lecture gives settings for any model of the notebook (an entry in LECTURE_SETTINGS)."""
    return bool(LECTURE_SETTINGS.get(notebook))


def describe_record(settings: str, record: dict) -> str:
    """One progress line for a model that just finished."""
    quality = next(((key, record[key]) for key in QUALITY_KEYS if key in record), None)
    shown = "" if quality is None else (
        f"test accuracy {quality[1]:.2%}" if quality[0] == "test_accuracy" else f"{QUALITY_LABELS[quality[0]]} {quality[1]:.4f}")
    seconds = record.get("train_seconds")
    timing = "" if seconds is None else f" in {seconds:.0f} s"
    epochs = f" ({record['epochs']} epochs)" if record.get("epochs") else ""
    return f"[{settings:>7}] {record['notebook']} / {record['model']}: {shown}{timing}{epochs}"


class ProgressPrinter(threading.Thread):
    """Print a line for every record that appears in a results file, while a notebook runs."""

    def __init__(self, path: Path, settings: str, interval: float = 1.0):
        super().__init__(daemon=True)
        self.path, self.settings, self.interval = path, settings, interval
        self.printed = 0
        self.finished = threading.Event()

    def poll(self) -> None:
        try:
            records = load_records(self.path)
        except ValueError:  # a line being written right now; read it next time
            return
        for record in records[self.printed:]:
            print(describe_record(self.settings, record), flush=True)
        self.printed = max(self.printed, len(records))

    def run(self) -> None:
        while not self.finished.wait(self.interval):
            self.poll()

    def stop(self) -> None:
        self.finished.set()
        self.join()
        self.poll()


def run_notebook(notebook: str, settings: str, fast: bool, workdir: Path, keep_dir: Path | None,
                 timeout: int) -> tuple[list[dict], dict]:
    """Execute one notebook on a copy under ``settings``; return its records and the render metadata."""
    from course_utils import render

    import nbformat

    copy = workdir / f"{notebook}.{settings}.ipynb"
    executed = nbformat.read(NOTEBOOK_DIR / f"{notebook}.ipynb", as_version=4)
    if settings == "lecture":
        inject_parameters(executed, LECTURE_SETTINGS[notebook])
    nbformat.write(executed, copy)
    results_file = workdir / f"{notebook}.{settings}.jsonl"
    env = {"COURSE_RESULTS_FILE": str(results_file), "COURSE_SETTINGS": settings}
    progress = ProgressPrinter(results_file, settings)
    progress.start()
    try:
        metadata = render.render_notebook(copy, fast=fast, timeout=timeout, env=env)
    finally:
        progress.stop()
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(copy, keep_dir / copy.name)
    return load_records(results_file), metadata


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _json_ready(value):
    """Replace NaN floats (not valid JSON) with None, recursively."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    return value


#: The packages that may provide each Keras backend, in the order to look for them.
BACKEND_PACKAGES = {"tensorflow": ("tensorflow", "tensorflow-cpu"), "jax": ("jax",), "torch": ("torch",)}


def backend_version(backend: str | None) -> str | None:
    """The installed version of the library behind a Keras backend (None if unknown or not installed)."""
    from importlib import metadata

    for package in BACKEND_PACKAGES.get(backend or "", ()):
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return None


def records_from_results(path: Path) -> tuple[dict, dict]:
    """The per-settings records and the run description stored in a ``results.json`` written earlier.

    Raises
    ------
    ValueError
        If the file is missing or is not a results file of this benchmark.
    """
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path} does not exist: run the benchmark first (python -m benchmarks).") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON ({error}).") from None
    if not isinstance(payload, dict) or not {"run", "models"} <= payload.keys():
        raise ValueError(f"{path} has no 'run' and 'models': it is not a results file of this benchmark.")
    records = {settings: [model[settings] for model in payload["models"] if model.get(settings)]
               for settings in SETTINGS}
    return records, payload["run"]


def in_course_order(records: list[dict]) -> list[dict]:
    """The records sorted by their notebook's place in the course (stable: a notebook's models keep their order)."""
    place = {name: index for index, name in enumerate(MODEL_NOTEBOOKS)}
    return sorted(records, key=lambda record: place.get(record["notebook"], len(place)))


def load_previous_run(output_dir: Path, mode: str) -> tuple[dict, dict]:
    """For ``--update``: the records and run description in the output folder's results.json.

    Raises
    ------
    ValueError
        If there is no earlier results file, or it was made in the other mode (fast and full
        numbers must not share a table).
    """
    records, previous = records_from_results(output_dir / "results.json")
    if previous.get("mode") != mode:
        raise ValueError(f"{output_dir / 'results.json'} holds a {previous.get('mode')}-mode run and this is a "
                         f"{mode}-mode run; --update only adds to a run of the same mode (drop --update to "
                         "start a new table).")
    return records, previous


def with_previous_rows(previous_records: dict, previous: dict, records: dict, run: dict,
                       attempted: set[str]) -> tuple[dict, dict]:
    """This run's records and description, plus the earlier run's for every notebook not attempted yet.

    A notebook's earlier rows, times, date, failures and notes stay until this run has tried it
    (so an interrupted update loses nothing); after that only this run's count.
    """
    def kept(notebook: str) -> bool:
        return notebook not in attempted

    merged_records = {settings: [record for record in previous_records[settings] if kept(record["notebook"])]
                      + records[settings] for settings in SETTINGS}
    previous_dates = previous.get("notebook_dates") or {}
    merged_run = dict(run)
    merged_run["notebook_seconds"] = {**{notebook: seconds for notebook, seconds in
                                         previous.get("notebook_seconds", {}).items() if kept(notebook)},
                                      **run["notebook_seconds"]}
    merged_run["notebook_dates"] = {**{notebook: previous_dates.get(notebook, previous.get("date", "?"))
                                       for notebook in merged_run["notebook_seconds"] if kept(notebook)},
                                    **run["notebook_dates"]}
    merged_run["failures"] = [failure for failure in previous.get("failures", []) if kept(failure.split(" ")[0])] \
        + run["failures"]
    merged_run["notes"] = [note for note in previous.get("notes", []) if kept(note.split(":")[0])] + run["notes"]
    changed = [key for key in ("keras", "backend", "backend_version")
               if previous.get(key) is not None and run.get(key) is not None and previous[key] != run[key]]
    if changed and len(merged_run["notebook_dates"]) > len(run["notebook_dates"]):
        merged_run["notes"].append(
            f"rows kept from the earlier run were made with Keras {previous.get('keras')} ({previous.get('backend')} "
            f"{previous.get('backend_version')}), not this run's versions.")
    merged_run["notes"] = list(dict.fromkeys(merged_run["notes"]))
    return merged_records, merged_run


def write_results(output_dir: Path, records: dict, run: dict) -> None:
    """Pair the records so far, check the targets, and (re)write results.md and results.json."""
    comparisons = compare(in_course_order(records["course"]), in_course_order(records["lecture"]))
    summary = summarise(comparisons)
    write_atomically(output_dir / "results.md", render_markdown(comparisons, summary, run))
    payload = {"run": run, "summary": summary, "models": [comparison.as_dict() for comparison in comparisons]}
    write_atomically(output_dir / "results.json", json.dumps(_json_ready(payload), indent=2) + "\n")


def parse_arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description="Train every course model under the course's and the "
                                                 "lecture's settings and compare them with PCA.")
    parser.add_argument("--fast", action="store_true",
                        help="smoke run in fast mode (COURSE_FAST=1); writes to benchmarks/runs/fast/ by default")
    parser.add_argument("--notebooks", nargs="+", metavar="NAME",
                        help="notebook names or prefixes (default: all of " + ", ".join(MODEL_NOTEBOOKS) + ")")
    parser.add_argument("--settings", nargs="+", choices=SETTINGS, default=list(SETTINGS),
                        help="which settings to run (default: both)")
    parser.add_argument("--output-dir", type=Path,
                        help="where results.md and results.json go (default: benchmarks/, or "
                             "benchmarks/runs/fast/ with --fast)")
    parser.add_argument("--keep-executed", type=Path, metavar="DIR",
                        help="also save the executed notebook copies in DIR")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds any single cell may take")
    parser.add_argument("--update", action="store_true",
                        help="re-run only the chosen notebooks and keep every other notebook's rows (and their "
                             "dates) from the results.json already in the output folder")
    parser.add_argument("--rerender", action="store_true",
                        help="train nothing: rewrite results.md (and results.json) from the results.json "
                             "already in the output folder, e.g. after the report's format changed")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    """Run the benchmark (see the module docstring); return 0, or 1 if a notebook failed."""
    arguments = parse_arguments(argv)
    try:
        notebooks = select_notebooks(arguments.notebooks)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    output_dir = arguments.output_dir or (ROOT / "benchmarks" / ("runs/fast" if arguments.fast else ""))
    if arguments.rerender:
        try:
            records, run = records_from_results(output_dir / "results.json")
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        write_results(output_dir, records, run)
        print(f"rewrote {output_dir / 'results.md'} from results.json")
        return 0
    mode, today = ("fast" if arguments.fast else "full"), datetime.date.today().isoformat()
    records = {settings: [] for settings in SETTINGS}
    run = {"mode": mode, "date": today, "python": platform.python_version(),
           "machine": f"{os.cpu_count()} CPU cores ({platform.machine()})",
           "notebook_seconds": {}, "notebook_dates": {}, "failures": [], "notes": []}
    previous_records = {settings: [] for settings in SETTINGS}
    previous: dict = {}
    if arguments.update:
        try:
            previous_records, previous = load_previous_run(output_dir, mode)
        except ValueError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    attempted: set[str] = set()
    planned = [(notebook, settings) for notebook in notebooks for settings in arguments.settings
               if settings == "course" or has_lecture_recipes(notebook)]
    run["planned_runs"], run["finished_runs"] = len(planned), 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="course-benchmark-") as workdir:
        for notebook in notebooks:
            for settings in arguments.settings:
                if settings == "lecture" and not has_lecture_recipes(notebook):
                    run["notes"].append(f"{notebook}: no lecture recipes (the notes give no training "
                                        "settings for its models), so it ran with the course's settings only.")
                    continue
                print(f"[{settings:>7}] {notebook}: running ({run['mode']} mode)", flush=True)
                try:
                    notebook_records, metadata = run_notebook(notebook, settings, arguments.fast, Path(workdir),
                                                              arguments.keep_executed, arguments.timeout)
                except Exception as error:  # one broken notebook must not lose the others' numbers
                    message = f"{notebook} ({settings} settings): {type(error).__name__}: {str(error)[-600:]}"
                    run["failures"].append(message)
                    print(f"[{settings:>7}] FAILED {message}", file=sys.stderr, flush=True)
                else:
                    records[settings] += notebook_records
                    run["notebook_seconds"].setdefault(notebook, {})[settings] = metadata["seconds"]
                    run["notebook_dates"][notebook] = today
                    for key in ("backend", "device", "keras", "course_utils"):
                        run.setdefault(key, metadata.get(key))
                    run.setdefault("backend_version", backend_version(run["backend"]))
                    print(f"[{settings:>7}] {notebook}: done in {metadata['seconds']:.0f} s", flush=True)
                run["finished_runs"] += 1
                attempted.add(notebook)
                run["total_seconds"] = round(time.perf_counter() - started, 1)
                # after every notebook, so an interrupted run still leaves the finished part's table
                write_results(output_dir, *with_previous_rows(previous_records, previous, records, run, attempted))
    write_results(output_dir, *with_previous_rows(previous_records, previous, records, run, attempted))
    print(f"wrote {output_dir / 'results.md'} and results.json ({run['finished_runs']} notebook runs, "
          f"{time.perf_counter() - started:.0f} s)")
    return 1 if run["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Execute notebooks in place so they are committed with their outputs (figures included).

Usage::

    python -m course_utils.render notebooks/*.ipynb            # full mode (what we commit)
    python -m course_utils.render --fast notebooks/03_linear_autoencoder.ipynb

Each notebook runs in its own folder with a fresh kernel; on success its outputs are written
back and its metadata gains ``course.render``: mode, Keras backend, device, seconds, date and
versions. On failure the file is left untouched, and the outputs up to the failing cell are saved
as ``<tmp>/NAME.failed.ipynb`` for a look at what happened. Runs take a lock file, so two renders (or a
render and a benchmark) never train at the same time on a small machine. Widget state, which
breaks GitHub's renderer, is removed.

Used by: maintainers before committing, and ``benchmarks``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import fcntl
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat

#: Lock file shared by every heavy run on this machine.
LOCK_PATH = Path(tempfile.gettempdir()) / "course-utils-training.lock"
_SETUP_LINE = re.compile(r"course_utils (?P<version>\S+) \| .*?\| Keras (?P<keras>\S+) \((?P<backend>\w+)\) \| (?P<device>\w+)")


def _ancestor_pids() -> set[int]:
    """Process ids of this process's parents, grandparents, ... (empty where /proc is missing)."""
    ancestors, pid = set(), os.getpid()
    while pid > 1:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])  # the field after the state letter is the parent
        ancestors.add(pid)
    return ancestors


def lock_held_by_ancestor(path: Path) -> bool:
    """Whether a parent process already holds a ``flock`` on ``path`` (e.g. ``flock LOCK python -m ...``).

    Taking the lock again in the child would wait for the parent forever, so
    :func:`training_lock` skips it then. Reads Linux's ``/proc/locks``; elsewhere returns False.
    """
    try:
        status = os.stat(path)
        table = Path("/proc/locks").read_text()
    except OSError:
        return False
    inode_suffix = f":{status.st_ino}"
    ancestors = _ancestor_pids()
    for line in table.splitlines():
        fields = line.split()
        if "FLOCK" in fields and len(fields) >= 6 and fields[5].endswith(inode_suffix):
            if fields[4].isdigit() and int(fields[4]) in ancestors:
                return True
    return False


@contextlib.contextmanager
def training_lock(path: Path | None = None):
    """Hold an exclusive lock on ``path`` (default :data:`LOCK_PATH`) for the block; waits for other holders.

    If a parent process already holds it (a run started as ``flock LOCK python -m ...``), the
    block runs at once under the parent's lock instead of waiting for it forever.
    """
    path = Path(path or LOCK_PATH)
    with open(path, "a") as handle:
        if lock_held_by_ancestor(path):
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def setup_report(notebook) -> dict:
    """Backend, device and versions parsed from the line ``setup()`` printed in ``notebook``."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            match = _SETUP_LINE.search(text if isinstance(text, str) else "".join(text))
            if match:
                return match.groupdict()
    return {}


def strip_widget_state(notebook) -> None:
    """Remove ipywidgets state and outputs that GitHub cannot render."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)


def save_failed_run(notebook, path: Path) -> Path:
    """Write a partly executed ``notebook`` to the temporary folder (never beside ``path``); return where."""
    target = Path(tempfile.gettempdir()) / f"{path.stem}.failed.ipynb"
    strip_widget_state(notebook)
    nbformat.write(notebook, target)
    return target


def render_notebook(path, fast=False, timeout=1800, env=None) -> dict:
    """Execute ``path`` in place and record how it ran; return the recorded metadata.

    Parameters
    ----------
    path : str or Path
        The ``.ipynb`` file.
    fast : bool, default False
        Run in fast mode (``COURSE_FAST=1``) instead of full mode.
    timeout : int, default 1800
        Seconds any single cell may take.
    env : dict, optional
        Extra environment variables for the kernel.
    """
    from nbclient import NotebookClient

    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise FileNotFoundError(f"{path} is not a notebook file (.ipynb).")
    saved = {key: os.environ.get(key) for key in ("COURSE_FAST", *(env or {}))}
    os.environ["COURSE_FAST"] = "1" if fast else "0"
    os.environ.update(env or {})
    try:
        with training_lock():
            notebook = nbformat.read(path, as_version=4)  # read once our turn comes: never a stale copy
            client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent.resolve())}})
            started = time.perf_counter()  # after the lock: waiting for other runs is not run time
            try:
                client.execute()
            except Exception as error:
                kept = save_failed_run(notebook, path)
                raise RuntimeError(f"{path.name} failed; the outputs up to the failing cell are in {kept}. "
                                   f"{type(error).__name__}: {str(error)[-1500:]}") from error
            seconds = time.perf_counter() - started
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    report = setup_report(notebook)
    record = {
        "mode": "fast" if fast else "full",
        "backend": report.get("backend", "unknown"),
        "device": report.get("device", "unknown"),
        "seconds": round(seconds, 1),
        "date": datetime.date.today().isoformat(),
        "course_utils": report.get("version", "unknown"),
        "keras": report.get("keras", "unknown"),
        "python": sys.version.split()[0],
    }
    notebook.metadata.setdefault("course", {})["render"] = record
    strip_widget_state(notebook)
    partial = path.with_name(f".{path.name}.partial")
    nbformat.write(notebook, partial)
    partial.replace(path)
    return record


def main(argv=None) -> int:
    """Command-line entry point (see module docstring)."""
    parser = argparse.ArgumentParser(description="Execute notebooks in place and record how they ran.")
    parser.add_argument("notebooks", nargs="+", help="the .ipynb files to execute")
    parser.add_argument("--fast", action="store_true", help="fast mode (COURSE_FAST=1) instead of full mode")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds a single cell may take")
    arguments = parser.parse_args(argv)
    failures = 0
    for notebook in arguments.notebooks:
        try:
            record = render_notebook(notebook, fast=arguments.fast, timeout=arguments.timeout)
        except Exception as error:  # report and go on with the next notebook
            failures += 1
            print(f"FAILED {notebook}: {type(error).__name__}: {str(error)[-2000:]}", file=sys.stderr)
            continue
        print(f"{notebook}: {record['mode']} mode, {record['backend']} on {record['device']}, {record['seconds']} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

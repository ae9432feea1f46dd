import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from course_utils import render


@pytest.fixture(autouse=True)
def private_lock(tmp_path_factory, monkeypatch):
    """Tests must not wait for (or block) real training runs holding the machine-wide lock."""
    monkeypatch.setattr(render, "LOCK_PATH", tmp_path_factory.mktemp("lock") / "training.lock")


def test_setup_report_parses_the_setup_line():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("cfg = setup()")
    cell.outputs = [nbformat.v4.new_output("stream", text=(
        "course_utils 0.1.0 | Python 3.11.7 | NumPy 2.4 | Keras 3.15.1 (jax) | GPU (local) | full mode | seed 42\n"))]
    nb.cells = [cell]
    assert render.setup_report(nb) == {"version": "0.1.0", "keras": "3.15.1", "backend": "jax", "device": "GPU"}
    assert render.setup_report(nbformat.v4.new_notebook()) == {}


def test_strip_widget_state():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"state": {}}
    cell = nbformat.v4.new_code_cell("w")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "w", "application/vnd.jupyter.widget-view+json": {"model_id": "1"}})]
    nb.cells = [cell]
    render.strip_widget_state(nb)
    assert "widgets" not in nb.metadata and list(cell.outputs[0]["data"]) == ["text/plain"]


def test_render_executes_in_place_and_records(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("import os\nprint('fast' if os.environ['COURSE_FAST'] == '1' else 'full')")]
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    record = render.render_notebook(path, fast=True, timeout=120)
    executed = nbformat.read(path, as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "fast\n"
    assert executed.metadata["course"]["render"] == record and record["mode"] == "fast" and record["seconds"] > 0


def test_failed_render_leaves_file_untouched(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('reached')"), nbformat.v4.new_code_cell("raise RuntimeError('boom')")]
    path = tmp_path / "broken_for_render_test.ipynb"
    nbformat.write(nb, path)
    before = path.read_text()
    assert render.main([str(path), "--fast", "--timeout", "120"]) == 1
    assert path.read_text() == before and [p.name for p in tmp_path.iterdir()] == [path.name]
    kept = nbformat.read(render.Path(render.tempfile.gettempdir()) / "broken_for_render_test.failed.ipynb", as_version=4)
    assert kept.cells[0].outputs[0]["text"] == "reached\n"


def test_training_lock_is_exclusive(tmp_path):
    import fcntl

    lock = tmp_path / "l"
    with render.training_lock(lock):
        with open(lock) as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(lock) as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_render_rejects_non_notebooks(tmp_path):
    with pytest.raises(FileNotFoundError, match=".ipynb"):
        render.render_notebook(tmp_path / "x.py")


@pytest.mark.skipif(not shutil.which("flock") or not os.path.exists("/proc/locks"), reason="needs Linux flock")
def test_a_run_started_under_flock_does_not_wait_for_its_own_parent(tmp_path):
    lock = tmp_path / "lock"
    lock.touch()
    code = ("from pathlib import Path; from course_utils import render\n"
            f"p = Path({str(lock)!r}); print(render.lock_held_by_ancestor(p))\n"
            "with render.training_lock(p): print('inside')")
    under_flock = subprocess.run(["flock", str(lock), sys.executable, "-c", code],
                                 capture_output=True, text=True, timeout=60)
    assert under_flock.stdout.split() == ["True", "inside"], under_flock.stderr
    alone = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert alone.stdout.split() == ["False", "inside"], alone.stderr

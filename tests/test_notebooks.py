"""The committed notebooks: paired scripts in sync, Colab badges and bootstrap, full-mode outputs."""

from pathlib import Path

import jupytext
import nbformat
import pytest

from course_utils import colab

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ids = [path.stem for path in NOTEBOOKS]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1 and all(path.stem[:2].isdigit() for path in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_paired_script_is_in_sync(path):
    script = path.with_suffix(".py")
    assert script.exists(), f"{script.name} is missing: run jupytext --sync {path.relative_to(ROOT)}"
    expected = jupytext.writes(jupytext.read(path), fmt="py:percent")
    assert script.read_text() == expected, f"{script.name} and {path.name} differ: run jupytext --sync on the one you edited"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_colab_badge_and_bootstrap(path):
    notebook = nbformat.read(path, as_version=4)
    relative = path.relative_to(ROOT).as_posix()
    assert colab.badge_markdown(relative) in notebook.cells[0].source, "first cell must carry this notebook's Colab badge"
    setup_cells = [cell for cell in notebook.cells if "setup" in cell.metadata.get("tags", [])]
    assert len(setup_cells) == 1, "exactly one cell must be tagged 'setup'"
    source = setup_cells[0].source
    assert f"{colab.repository_url()} {colab.COLAB_CHECKOUT}" in source and "course_utils.setup(" in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_committed_with_full_mode_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    render = notebook.metadata.get("course", {}).get("render", {})
    assert render.get("mode") == "full", "commit the notebook rendered in full mode: python -m course_utils.render"
    for key in ("backend", "device", "seconds", "date"):
        assert render.get(key) not in (None, "unknown"), f"render metadata lacks {key}"
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells), "some code cells were not executed"
    assert "widgets" not in notebook.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_nbval_markers_are_cell_tags_not_comments(path):
    notebook = nbformat.read(path, as_version=4)
    marked = [cell for cell in notebook.cells if "NBVAL_" in cell.source]
    assert not marked, "use the cell tag nbval-check-output (or nbval-skip, ...), not an NBVAL_ comment"
    tagged = [cell for cell in notebook.cells if "nbval-check-output" in cell.metadata.get("tags", [])]
    assert all(cell.cell_type == "code" and cell.outputs for cell in tagged), "a checked cell must have stored outputs"

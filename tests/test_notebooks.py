"""The committed notebooks: paired scripts in sync, Colab badges and bootstrap, full-mode outputs."""

import re
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


def code_cells(path):
    return [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def lesson_lines(cell) -> int:
    """Non-blank lines of a code cell."""
    return sum(1 for line in cell.source.splitlines() if line.strip())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_code_cells_are_short(path):
    lengths = sorted(lesson_lines(cell) for cell in code_cells(path))
    median = lengths[len(lengths) // 2] if len(lengths) % 2 else (lengths[len(lengths) // 2 - 1] + lengths[len(lengths) // 2]) / 2
    assert median <= 8, f"median code cell has {median} non-blank lines (at most 8): split cells or move code to course_utils"
    long_cells = [(lesson_lines(cell), cell.source.splitlines()[0]) for cell in code_cells(path) if lesson_lines(cell) > 30]
    assert not long_cells, f"code cells over 30 non-blank lines (split them, or move figure code to course_utils.plotting): {long_cells}"


HARNESS_WORDS = ("cfg.recipe(", "COURSE_SETTINGS", "settings=cfg.settings", "cfg.settings", "lecture_settings")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_lessons_hold_no_benchmark_switches(path):
    source = path.with_suffix(".py").read_text()
    found = [word for word in HARNESS_WORDS if word in source]
    assert not found, f"the benchmark injects settings into cells tagged 'parameters'; remove {found} from the lesson"
    assert "fast=\"" not in source and "full=\"" not in source, \
        "state each claim once: pick the bound with cfg.pick(full=..., fast=...), never the sentence"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_parameters_cells_hold_only_literal_settings(path):
    from benchmarks import parameters

    notebook = nbformat.read(path, as_version=4)
    values = parameters.parameter_values(notebook)  # raises on anything but literals and dict(key=literal)
    for index, names in parameters.parameter_cells(notebook):
        assert names, "a parameters cell must assign at least one setting"
    for name, value in values.items():
        if name.endswith("_SETTINGS"):
            assert isinstance(value, dict) and {"optimizer", "learning_rate", "loss", "batch_size", "epochs"} <= value.keys(), \
                f"{name} must hold a model's training settings (optimizer, learning_rate, loss, batch_size, epochs)"


def top_level_functions(path):
    import ast

    tree = ast.parse(jupytext.writes(jupytext.read(path), fmt="py:percent"))
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def test_one_name_means_one_thing_across_weeks():
    import course_utils
    from course_utils import checks, data, metrics, plotting, training

    defined = {path.stem: top_level_functions(path) for path in NOTEBOOKS}
    seen = {}
    for notebook, names in defined.items():
        for name in names:
            assert name not in seen, f"{name} is defined in both {seen[name]} and {notebook}: give each its own name"
            seen[name] = notebook
    shared = {name for module in (checks, data, metrics, plotting, training) for name in dir(module) if not name.startswith("_")}
    clashes = sorted(set(seen) & shared)
    assert not clashes, f"notebooks redefine course_utils names {clashes}: use the shared one or rename"
    assert course_utils


EXERCISE_HEADING = re.compile(r"^### Exercise (\d+)( \(experiment\))?: \S", re.MULTILINE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_week_has_four_to_six_exercises_two_of_them_experiments(path):
    """Exercises are headed '### Exercise N: …' or '### Exercise N (experiment): …', numbered 1, 2, …;
    every week has 4–6 of them, at least 2 experiments, and an experiment is judged by its outcome."""
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    loose = [line for line in markdown.splitlines() if line.startswith("### Exercise") and not EXERCISE_HEADING.match(line)]
    assert not loose, f"exercise headings must read '### Exercise N: title' or '### Exercise N (experiment): title': {loose}"
    headings = EXERCISE_HEADING.findall(markdown)
    assert [int(number) for number, _ in headings] == list(range(1, len(headings) + 1)), "exercises are numbered 1, 2, 3, …"
    experiments = sum(1 for _, experiment in headings if experiment)
    assert 4 <= len(headings) <= 6 and experiments >= 2, \
        f"{len(headings)} exercises, {experiments} experiments: a week has 4–6, at least 2 of them experiments"
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert code.count("checks.check_experiment(") >= experiments, "every experiment is judged by checks.check_experiment"

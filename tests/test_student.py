import ast
from pathlib import Path

import nbformat
import pytest

from course_utils import student


def _notebook():
    nb = nbformat.v4.new_notebook()
    solution = nbformat.v4.new_code_cell(
        "import numpy as np\n"
        "def pca(X, k):\n    \"\"\"Return components.\"\"\"\n    return np.linalg.svd(X)[2][:k]\n"
        "answer = 2040\nwith_bias, without = 2162, 2040\nprint(answer)\n",
        metadata={"tags": ["solution"]})
    solution.outputs = [nbformat.v4.new_output("stream", text="2040\n")]
    solution.execution_count = 3
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        solution,
        nbformat.v4.new_code_cell("checks.check_value('a', answer, 2040)"),
        nbformat.v4.new_markdown_cell("The answer is **B**.", metadata={"tags": ["solution"]}),
    ]
    return nb


def test_stub_keeps_signatures_and_resets_names():
    stub = student.stub_source(_notebook().cells[1].source)
    tree = ast.parse(stub)
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
    assert function.name == "pca" and [a.arg for a in function.args.args] == ["X", "k"]
    assert ast.get_docstring(function) == "Return components."
    assert "svd" not in stub and "print" not in stub
    namespace = {}
    exec(stub, namespace)
    assert namespace["answer"] is None and namespace["with_bias"] is None and namespace["without"] is None
    assert namespace["pca"]([[1.0]], 1) is None


@pytest.mark.parametrize("source", ["%timeit x = 1\ny = 2", "x = (", ""])
def test_stub_handles_magics_and_bad_code(source):
    stub = student.stub_source(source)
    compile(stub, "<stub>", "exec")
    assert student.STUB_MARK in stub


def test_student_notebook_clears_outputs_and_replaces_solutions():
    original = _notebook()
    copy = student.make_student_notebook(original)
    assert copy.cells[1].outputs == [] and copy.cells[1].execution_count is None
    assert "svd" not in copy.cells[1].source and copy.cells[3].source == student.MARKDOWN_STUB
    assert copy.cells[2].source == original.cells[2].source
    assert copy.metadata["course_utils"]["student_copy"] is True
    assert "svd" in original.cells[1].source and original.cells[1].outputs  # input untouched


def test_write_student_copies_and_refuse_foreign_files(tmp_path, capsys):
    source = tmp_path / "notebooks"
    source.mkdir()
    nbformat.write(_notebook(), source / "01_x.ipynb")
    target = tmp_path / "student"
    assert student.main([str(source), str(target)]) == 0
    assert (target / "01_x.ipynb").exists() and "wrote" in capsys.readouterr().out
    assert student.main([str(source), str(target)]) == 0  # rewriting its own copies is fine
    nbformat.write(_notebook(), target / "01_x.ipynb")  # now a file it did not write
    with pytest.raises(ValueError, match="not written by this tool"):
        student.write_student_copies(source, target)
    assert "svd" in (target / "01_x.ipynb").read_text()
    assert student.main([str(source), str(target)]) == 2
    assert "not written by this tool" in capsys.readouterr().err


def test_write_student_copies_bad_paths(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a directory"):
        student.write_student_copies(tmp_path / "missing", tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="no .ipynb"):
        student.write_student_copies(tmp_path, tmp_path / "out")
    nbformat.write(_notebook(), tmp_path / "a.ipynb")
    with pytest.raises(ValueError, match="must differ"):
        student.write_student_copies(tmp_path, tmp_path)


MARKED = '''import numpy as np


def count_parameters(layer_sizes, use_bias):
    """Weights (and biases) of a chain of Dense layers."""
    ### BEGIN SOLUTION
    pairs = zip(layer_sizes[:-1], layer_sizes[1:])
    return sum(a * b + (b if use_bias else 0) for a, b in pairs)
    ### END SOLUTION


### BEGIN SOLUTION
params = count_parameters((3, 2, 3), True)
### END SOLUTION'''


def test_nbgrader_markers_keep_the_scaffolding_and_stub_only_the_answer():
    stub = student.stub_source(MARKED)
    assert "def count_parameters(layer_sizes, use_bias):" in stub and '"""Weights (and biases)' in stub
    assert "import numpy as np" in stub and "params = None" in stub
    assert "zip(" not in stub and "sum(" not in stub and "BEGIN SOLUTION" not in stub
    namespace = {}
    exec(stub, namespace)
    assert namespace["count_parameters"]((1, 2), True) is None and namespace["params"] is None


def test_unmatched_markers_are_an_error():
    with pytest.raises(ValueError, match="has no ### END SOLUTION"):
        student.stub_source("### BEGIN SOLUTION\nx = 1")
    with pytest.raises(ValueError, match="without a ### BEGIN SOLUTION"):
        student.stub_source("x = 1\n### END SOLUTION")


def test_mark_solution_round_trips_through_the_stub():
    plain = MARKED.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", "")
    plain = plain.replace("### BEGIN SOLUTION\n", "").replace("\n### END SOLUTION", "")
    assert student.mark_solution(plain) == MARKED
    assert student.mark_solution(MARKED) == MARKED


def test_nbgrader_export_then_nbgrader_generate_assignment_leaves_no_solution(tmp_path):
    """nbgrader's own generate_assignment on one exported week: no solution line survives."""
    import os
    import shutil
    import subprocess
    import sys

    from test_student_copies import _solution_lines

    if shutil.which("nbgrader", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("nbgrader is an authoring dependency of the pinned profile only")
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "notebooks").mkdir()
    shutil.copy(root / "notebooks" / "03_linear_autoencoder.ipynb", tmp_path / "notebooks")
    course = tmp_path / "course"
    (written,) = student.write_nbgrader_source(tmp_path / "notebooks", course)
    exported = nbformat.read(written, as_version=4)
    graded = [cell for cell in exported.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    solutions = [cell for cell in exported.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert len(graded) >= 3 and all(cell.metadata.nbgrader["locked"] for cell in graded) and len(solutions) >= 3
    result = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", "03_linear_autoencoder",
                             f"--CourseDirectory.root={course}", "--CourseDirectory.db_url=sqlite:///" + str(tmp_path / "gradebook.db")],
                            capture_output=True, text=True, cwd=course, timeout=300,
                            env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    released = nbformat.read(course / "release" / "03_linear_autoencoder" / "03_linear_autoencoder.ipynb", as_version=4)
    released_text = "\n".join(cell.source for cell in released.cells)
    original = nbformat.read(root / "notebooks" / "03_linear_autoencoder.ipynb", as_version=4)
    # a line the lesson itself shows (e.g. seeding) is no leak: only lines found in no other cell count
    lesson_lines = {line.strip() for cell in original.cells if not student.is_solution(cell) for line in cell.source.splitlines()}
    for cell in original.cells:
        if student.is_solution(cell) and cell.cell_type == "code":
            survivors = [line for line in _solution_lines(cell.source) if line in released_text and line not in lesson_lines]
            assert not survivors, f"nbgrader's release keeps solution lines: {survivors}"
    assert "def count_parameters(layer_sizes, use_bias):" in released_text  # the scaffolding stays
    assert "BEGIN SOLUTION" not in released_text and "YOUR CODE HERE" in released_text

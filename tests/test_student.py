import ast

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

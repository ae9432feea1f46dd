"""Student copies of every notebook: no solution survives, every check stays and says "not solved yet".

The checks are run against the stubs without re-running the notebook: each ``checks.check_*(...)``
call of a check cell is evaluated in a namespace holding the stubs, where every other name is a
stand-in that absorbs any operation. So each check meets the stub's placeholder (None, or a
function returning None) and must report that it is not solved.
"""

import ast
import io
import builtins
from contextlib import redirect_stdout
from pathlib import Path

import nbformat
import pytest

from course_utils import checks, student

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ids = [path.stem for path in NOTEBOOKS]


class _StandIn:
    """Absorbs attribute access, calls, indexing, arithmetic and comparisons (for unknown names)."""

    def _same(self, *args, **kwargs):
        return self

    __getattr__ = __call__ = __getitem__ = _same
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _same
    __mod__ = __pow__ = __matmul__ = __rmatmul__ = __neg__ = __abs__ = __lt__ = __gt__ = __le__ = __ge__ = _same

    def __iter__(self):
        return iter([self, self])

    def __len__(self):
        return 2

    def __index__(self):
        return 1

    def __float__(self):
        return 1.0


def _check_calls(source):
    """The top-level ``checks.check_*(...)`` calls of a cell, as compiled expressions."""
    tree = ast.parse(source)
    calls = []
    for node in tree.body:
        value = getattr(node, "value", None)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr.startswith("check_"):
            calls.append(compile(ast.Expression(value), "check", "eval"))
    return calls


def _is_check_cell(cell):
    return cell.cell_type == "code" and "checks.check_" in cell.source


def _solution_lines(source):
    """Lines that carry the answer (not imports, signatures, docstrings or blank lines)."""
    tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()))
    kept = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            kept.update(range(node.lineno, node.end_lineno + 1))
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            kept.add(node.lineno)
            docstring = node.body[0] if node.body and isinstance(node.body[0], ast.Expr) and isinstance(getattr(node.body[0], "value", None), ast.Constant) else None
            if docstring is not None:
                kept.update(range(docstring.lineno, docstring.end_lineno + 1))
    lines = source.splitlines()
    return [line.strip() for number, line in enumerate(lines, start=1)
            if number not in kept and line.strip() and not line.strip().startswith("#") and len(line.strip()) > 3]


def _names_assigned(source):
    tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _names_loaded(source):
    tree = ast.parse("\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()))
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_student_copy(path, tmp_path, monkeypatch):
    monkeypatch.delenv(checks.STRICT_ENV, raising=False)
    original = nbformat.read(path, as_version=4)
    copy = student.make_student_notebook(original)
    assert len(copy.cells) == len(original.cells)
    solutions = [i for i, cell in enumerate(original.cells) if student.is_solution(cell)]
    if path.stem != "00_getting_started":
        assert len(solutions) >= 3, "every weekly notebook has at least 3 exercises"
    for index, (before, after) in enumerate(zip(original.cells, copy.cells)):
        if before.cell_type == "code":
            assert after.outputs == [] and after.execution_count is None
        if not student.is_solution(before):
            assert after.source == before.source, f"cell {index} changed but is not a solution"
            continue
        if before.cell_type == "code":
            survivors = [line for line in _solution_lines(before.source) if line in after.source]
            assert not survivors, f"solution lines survive in cell {index}: {survivors}"

    stub_names = set()
    for index, cell in enumerate(copy.cells):
        if student.is_solution(original.cells[index]) and cell.cell_type == "code":
            stub_names |= _names_assigned(original.cells[index].source)
            continue
        if cell.cell_type != "code" or not stub_names:
            continue
        used = _names_loaded(cell.source) & stub_names
        if _is_check_cell(cell):
            continue
        assert not used, f"cell {index} uses the exercise answers {sorted(used)}; only check cells may"

    for index in solutions:
        if original.cells[index].cell_type != "code":
            continue
        check_index = next((i for i in range(index + 1, len(copy.cells)) if _is_check_cell(copy.cells[i])), None)
        assert check_index is not None, f"solution cell {index} has no check cell after it"
        namespace = {"checks": checks, "__builtins__": builtins}
        exec(compile(copy.cells[index].source, f"stub {index}", "exec"), namespace)
        check_source = copy.cells[check_index].source
        for name in _names_loaded(check_source) - set(namespace) - set(dir(builtins)):
            namespace[name] = _StandIn()
        calls = _check_calls(check_source)
        assert calls, f"check cell {check_index} makes no checks.check_*(...) call at top level"
        for call in calls:
            output = io.StringIO()
            with redirect_stdout(output):
                eval(call, namespace)
            printed = output.getvalue()
            assert checks.NOT_SOLVED in printed, f"a check in cell {check_index} on the stub printed: {printed!r}"


def test_published_student_copies_are_up_to_date_and_open_themselves_on_colab(tmp_path):
    from course_utils import colab

    published = sorted((ROOT / "student").glob("*.ipynb"))
    assert [path.name for path in published] == [path.name for path in NOTEBOOKS], \
        "student/ must hold one copy of every notebook: python -m course_utils.student notebooks/ student/"
    fresh = student.write_student_copies(ROOT / "notebooks", tmp_path / "student")
    for path, new in zip(published, fresh):
        assert path.read_text() == new.read_text(), \
            f"student/{path.name} is out of date: run python -m course_utils.student notebooks/ student/"
        first_cell = nbformat.read(path, as_version=4).cells[0].source
        assert colab.badge_markdown(f"student/{path.name}") in first_cell
        assert colab.colab_url(f"notebooks/{path.name}") not in path.read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_choice_answer_is_written_in_a_kept_check_cell(path):
    """A choice's answer is computed at check time or stored as a digest, never as a literal."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or student.is_solution(cell) or "check_choice(" not in cell.source:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "check_choice":
                expected = node.args[2] if len(node.args) > 2 else next(
                    (keyword.value for keyword in node.keywords if keyword.arg == "expected"), None)
                literal = expected is not None and isinstance(expected, (ast.Constant, ast.Set, ast.List, ast.Tuple)) \
                    and not (isinstance(expected, ast.Constant) and isinstance(expected.value, bool))
                assert not literal, f"a check cell holds the answer {ast.unparse(expected)}: use digest=checks.answer_digest(...)"

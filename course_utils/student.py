"""Write student copies of the notebooks: solutions replaced by stubs, outputs cleared.

A cell is a solution when it carries the cell tag ``solution``. In a student copy:

* a code solution becomes a stub that keeps its imports, the signatures and docstrings of the
  functions it defines (bodies become ``...``), and sets every top-level name it assigns to
  ``None``, so the check cells after it run and report "not solved yet";
* a markdown solution becomes "*Write your answer here.*";
* every output and execution count is cleared;
* the Colab badge opens the copy, not the notebook with the solutions.

The copies are published in ``student/`` (a test fails when one is out of date). A solution cell
may mark its answer with nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION``; then only the
marked lines are stubbed. For instructors who grade with nbgrader, ``--nbgrader`` writes nbgrader
source notebooks instead (one assignment per week). Usage::

    python -m course_utils.student notebooks/ student/
    python -m course_utils.student --nbgrader notebooks/ my-course/   # then: nbgrader generate_assignment ...

Copies carry the metadata ``course_utils.student_copy = true``; an existing file without that
mark is never overwritten. Used by: instructors, and the tests that build every student copy.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"
STUB_MARK = "# YOUR CODE HERE"
MARKDOWN_STUB = "*Write your answer here.*"
_BODY_PLACEHOLDER = "__course_stub_body__()"
_MAGIC_LINE = re.compile(r"^\s*[%!]")


def is_solution(cell) -> bool:
    """True when the cell is tagged ``solution``."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def _stub_definition(node) -> str:
    """A function or class definition with its docstring kept and its body replaced by ``...``."""
    body = []
    docstring = ast.get_docstring(node, clean=False)
    if docstring is not None:
        body.append(ast.Expr(ast.Constant(docstring)))
    body.append(ast.parse(_BODY_PLACEHOLDER).body[0])
    stub = type(node)(**{**{field: getattr(node, field) for field in node._fields}, "body": body})
    text = ast.unparse(ast.fix_missing_locations(stub))
    return text.replace(_BODY_PLACEHOLDER, f"...  {STUB_MARK}")


def _assigned_names(node) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    names = []
    for target in targets:
        for element in ast.walk(target):
            if isinstance(element, ast.Name) and element.id not in names:
                names.append(element.id)
    return names


BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"


def _stub_marked_regions(source: str) -> str:
    """Keep a solution cell's scaffolding and stub only what lies between nbgrader's markers.

    An indented region (a function body) becomes ``...``; a top-level region sets the names it
    assigns to ``None`` (or becomes ``...`` if it assigns none).

    Raises
    ------
    ValueError
        If a ``### BEGIN SOLUTION`` has no ``### END SOLUTION`` after it (or the other way round).
    """
    lines, kept, index = source.splitlines(), [], 0
    while index < len(lines):
        line = lines[index]
        if line.strip() == END_SOLUTION:
            raise ValueError(f"{END_SOLUTION} without a {BEGIN_SOLUTION} before it.")
        if line.strip() != BEGIN_SOLUTION:
            kept.append(line)
            index += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == END_SOLUTION), None)
        if end is None:
            raise ValueError(f"{BEGIN_SOLUTION} in line {index + 1} has no {END_SOLUTION} after it.")
        region = "\n".join(lines[index + 1:end])
        names = []
        if not indent:
            try:
                names = [name for node in ast.parse(region).body if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign))
                         for name in _assigned_names(node)]
            except SyntaxError:
                names = []
        kept += [f"{name} = None  {STUB_MARK}" for name in dict.fromkeys(names)] or [f"{indent}...  {STUB_MARK}"]
        index = end + 1
    return "\n".join(kept)


def stub_source(source: str) -> str:
    """The stub that replaces a solution cell's ``source`` (see module docstring).

    If the cell marks its answer with nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION``,
    everything outside the markers is kept as scaffolding and only the marked lines are stubbed.
    """
    if BEGIN_SOLUTION in source or END_SOLUTION in source:
        return _stub_marked_regions(source)
    clean = "\n".join("" if _MAGIC_LINE.match(line) else line for line in source.splitlines())
    try:
        tree = ast.parse(clean)
    except SyntaxError:
        return f"{STUB_MARK}\n..."
    lines = ["# Exercise: write your solution here, then run the check below."]
    assigned = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            lines.append(ast.unparse(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            lines.append(_stub_definition(node))
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            assigned += [name for name in _assigned_names(node) if name not in assigned]
    lines += [f"{name} = None  {STUB_MARK}" for name in assigned]
    if len(lines) == 1:
        lines.append(f"...  {STUB_MARK}")
    return "\n".join(lines)


def make_student_notebook(notebook):
    """Return a student copy of an nbformat notebook (the input is not changed)."""
    copy = nbformat.from_dict(notebook)
    copy = nbformat.reads(nbformat.writes(copy), as_version=4)
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if is_solution(cell):
            cell.source = stub_source(cell.source) if cell.cell_type == "code" else MARKDOWN_STUB
    copy.metadata.setdefault("course_utils", {})["student_copy"] = True
    return copy


def mark_solution(source: str) -> str:
    """``source`` with nbgrader's markers around the answer lines: imports, ``def``/``class`` lines and
    docstrings stay outside, as the scaffolding a student keeps. A cell that has markers already,
    or is not Python, is returned as it is."""
    if BEGIN_SOLUTION in source:
        return source
    lines = source.splitlines()
    try:
        tree = ast.parse("\n".join("" if _MAGIC_LINE.match(line) else line for line in lines))
    except SyntaxError:
        return source
    scaffolding = set()
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            scaffolding.update(range(node.lineno, node.end_lineno + 1))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
            header_end = node.body[0].lineno - 1
            if ast.get_docstring(node, clean=False) is not None:
                header_end = node.body[0].end_lineno
            scaffolding.update(range(first, header_end + 1))
    marked, run_indent = [], None
    for number, line in enumerate(lines, start=1):
        indent = len(line) - len(line.lstrip())
        is_answer = number not in scaffolding and line.strip() != "" and not _MAGIC_LINE.match(line)
        if run_indent is not None and (not is_answer and line.strip() != "" or is_answer and indent < run_indent):
            blanks = 0
            while marked and marked[-1].strip() == "":  # close the run before the blank lines that end it
                marked.pop()
                blanks += 1
            marked += [" " * run_indent + END_SOLUTION] + [""] * blanks
            run_indent = None
        if is_answer and run_indent is None:
            run_indent = indent
            marked.append(" " * indent + BEGIN_SOLUTION)
        marked.append(line)
    if run_indent is not None:
        while marked and marked[-1].strip() == "":
            marked.pop()
        marked.append(" " * run_indent + END_SOLUTION)
    return "\n".join(marked)


#: Put first in an nbgrader export: a check that does not pass raises, so its graded cell scores 0.
NBGRADER_STRICT_CELL = ("import os\n\n"
                        "os.environ[\"COURSE_STRICT_CHECKS\"] = \"1\"  # nbgrader: a failing self-check raises, so its cell scores 0")


def make_nbgrader_notebook(notebook, assignment: str):
    """An nbgrader source notebook: solution cells marked (``solution``, with markers around the
    answer), the check cell after each graded and locked (1 point), outputs cleared."""
    copy = nbformat.reads(nbformat.writes(nbformat.from_dict(notebook)), as_version=4)
    strict = nbformat.v4.new_code_cell(NBGRADER_STRICT_CELL)
    strict.metadata["nbgrader"] = {"grade": False, "grade_id": f"{assignment}-strict-checks", "locked": True,
                                   "schema_version": 3, "solution": False, "task": False}
    copy.cells.insert(0, strict)
    waiting_for_check = False
    for index, cell in enumerate(copy.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if is_solution(cell):
            if cell.cell_type == "code":
                cell.source = mark_solution(cell.source)
            cell.metadata["nbgrader"] = {"grade": False, "grade_id": f"{assignment}-solution-{index}", "locked": False,
                                         "schema_version": 3, "solution": True, "task": False}
            waiting_for_check = cell.cell_type == "code"
        elif waiting_for_check and cell.cell_type == "code" and "checks.check_" in cell.source:
            cell.metadata["nbgrader"] = {"grade": True, "grade_id": f"{assignment}-check-{index}", "locked": True,
                                         "points": 1, "schema_version": 3, "solution": False, "task": False}
            waiting_for_check = False
    return copy


def write_nbgrader_source(source_dir, course_dir) -> list[Path]:
    """Write every notebook of ``source_dir`` as an nbgrader assignment of its own:
    ``course_dir/source/<notebook name>/<notebook>.ipynb``. Returns the files written."""
    source_dir, course_dir = Path(source_dir), Path(course_dir)
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"{source_dir} holds no .ipynb files.")
    written = []
    for source in notebooks:
        target = course_dir / "source" / source.stem / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        nbformat.write(make_nbgrader_notebook(nbformat.read(source, as_version=4), source.stem), partial)
        partial.replace(target)
        written.append(target)
    return written


def repository_path(path: Path) -> str:
    """``path`` relative to the course repository (``student``), or just its name if it lies outside."""
    root = Path(__file__).resolve().parent.parent
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).name


def point_badges_at(copy, source_path: str, target_path: str) -> None:
    """Make the Colab badges of a copy open the copy (``target_path``) instead of its source."""
    from course_utils import colab

    old, new = colab.colab_url(source_path), colab.colab_url(target_path)
    for cell in copy.cells:
        if cell.cell_type == "markdown" and old in cell.source:
            cell.source = cell.source.replace(old, new)


def _is_student_copy(path: Path) -> bool:
    try:
        existing = nbformat.read(path, as_version=4)
    except Exception:  # unreadable: certainly not a copy we wrote
        return False
    return bool(existing.metadata.get("course_utils", {}).get("student_copy"))


def write_student_copies(source_dir, target_dir) -> list[Path]:
    """Write a student copy of every ``*.ipynb`` in ``source_dir`` into ``target_dir``.

    Raises
    ------
    FileNotFoundError
        If ``source_dir`` does not exist or holds no notebooks.
    ValueError
        If the directories are the same, or a target file exists that this tool did not write.
    """
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    if not source_dir.is_dir():
        raise FileNotFoundError(f"{source_dir} is not a directory of notebooks.")
    notebooks = sorted(source_dir.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"{source_dir} holds no .ipynb files.")
    if target_dir.exists() and target_dir.resolve() == source_dir.resolve():
        raise ValueError("The target directory must differ from the source: student copies never replace the originals.")
    for source in notebooks:
        target = target_dir / source.name
        if target.exists() and not _is_student_copy(target):
            raise ValueError(f"{target} exists and was not written by this tool; move it away or choose another target.")
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in notebooks:
        copy = make_student_notebook(nbformat.read(source, as_version=4))
        target = target_dir / source.name
        point_badges_at(copy, f"{repository_path(source_dir)}/{source.name}", f"{repository_path(target_dir)}/{source.name}")
        partial = target.with_name(f".{target.name}.partial")
        nbformat.write(copy, partial)
        partial.replace(target)
        written.append(target)
    return written


def main(argv=None) -> int:
    """Command-line entry point: ``python -m course_utils.student SOURCE_DIR TARGET_DIR``."""
    parser = argparse.ArgumentParser(description="Write student copies of the course notebooks.")
    parser.add_argument("source_dir", help="folder with the instructor notebooks, e.g. notebooks/")
    parser.add_argument("target_dir", help="folder for the student copies, e.g. student/ (with --nbgrader: "
                                           "the nbgrader course folder; the notebooks go under its source/)")
    parser.add_argument("--nbgrader", action="store_true",
                        help="write nbgrader source notebooks (solution and graded, locked check cells) instead")
    arguments = parser.parse_args(argv)
    try:
        if arguments.nbgrader:
            written = write_nbgrader_source(arguments.source_dir, arguments.target_dir)
        else:
            written = write_student_copies(arguments.source_dir, arguments.target_dir)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

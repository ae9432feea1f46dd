"""Write student copies of the notebooks: solutions replaced by stubs, outputs cleared.

A cell is a solution when it carries the cell tag ``solution``. In a student copy:

* a code solution becomes a stub that keeps its imports, the signatures and docstrings of the
  functions it defines (bodies become ``...``), and sets every top-level name it assigns to
  ``None``, so the check cells after it run and report "not solved yet";
* a markdown solution becomes "*Write your answer here.*";
* every output and execution count is cleared;
* the Colab badge opens the copy, not the notebook with the solutions.

The copies are published in ``student/`` (a test fails when one is out of date). Usage::

    python -m course_utils.student notebooks/ student/

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


def stub_source(source: str) -> str:
    """The stub that replaces a solution cell's ``source`` (see module docstring)."""
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
    parser.add_argument("target_dir", help="folder for the student copies, e.g. student/")
    arguments = parser.parse_args(argv)
    try:
        written = write_student_copies(arguments.source_dir, arguments.target_dir)
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

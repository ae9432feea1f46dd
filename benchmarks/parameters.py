"""Inject settings into a notebook's cells tagged ``parameters``, the way papermill does.

Papermill's convention: a code cell tagged ``parameters`` holds plain assignments (the values a
student reads and may change), and an executor adds a cell tagged ``injected-parameters`` right
after it that assigns new values to some of those names. A notebook here may have several
``parameters`` cells, each just above the cell that trains its model, so that a model's settings
are read where it is trained; each injected value goes after the cell that assigns its name. The
injected cells are written by papermill's own translator.

Used by: ``benchmarks`` (the lecture's settings, :mod:`benchmarks.recipes`).
"""

from __future__ import annotations

import ast

import nbformat
from papermill.translators import translate_parameters

PARAMETERS_TAG, INJECTED_TAG = "parameters", "injected-parameters"


def _assignments(cell) -> list[ast.Assign]:
    """The top-level assignments of a code cell."""
    return [node for node in ast.parse(cell.source).body if isinstance(node, ast.Assign)]


def parameter_cells(notebook) -> list[tuple[int, set[str]]]:
    """``(cell index, names it assigns)`` for every code cell tagged ``parameters``, in order."""
    return [(index, {target.id for node in _assignments(cell) for target in node.targets if isinstance(target, ast.Name)})
            for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", [])]


def parameter_values(notebook) -> dict:
    """The values the ``parameters`` cells assign (each must be a literal), by name."""
    values = {}
    for index, _ in parameter_cells(notebook):
        for node in _assignments(notebook.cells[index]):
            value = ast.literal_eval(_dict_call(node.value) if isinstance(node.value, ast.Call) else node.value)
            values.update({target.id: value for target in node.targets})
    return values


def _dict_call(call: ast.Call) -> ast.Dict:
    """``dict(a=1, b=2)`` as the literal ``{"a": 1, "b": 2}``, so that it can be evaluated safely."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "dict") or call.args:
        raise ValueError(f"a parameters cell may assign only literals or dict(key=literal, ...), "
                         f"got {ast.unparse(call)}")
    return ast.Dict(keys=[ast.Constant(keyword.arg) for keyword in call.keywords],
                    values=[keyword.value for keyword in call.keywords])


def inject_parameters(notebook, parameters: dict, comment: str = "Injected by the course benchmark"):
    """Add, after each ``parameters`` cell, a cell assigning the new values of the names it defines.

    Earlier injected cells are removed first. Returns ``notebook`` (changed in place).

    Raises
    ------
    ValueError
        If a name in ``parameters`` is assigned by no ``parameters`` cell (a typo, or a setting
        the notebook no longer has), naming the ones it does have.
    """
    notebook.cells = [cell for cell in notebook.cells if INJECTED_TAG not in cell.get("metadata", {}).get("tags", [])]
    cells = parameter_cells(notebook)
    known = set().union(*(names for _, names in cells)) if cells else set()
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise ValueError(f"no cell tagged 'parameters' assigns {', '.join(unknown)}; the notebook's parameters are "
                         f"{', '.join(sorted(known)) or 'none'}.")
    for index, names in reversed(cells):  # from the end, so earlier indices stay valid
        chosen = {name: value for name, value in parameters.items() if name in names}
        if chosen:
            source = translate_parameters("python3", "python", chosen, comment)
            cell = nbformat.v4.new_code_cell(source.rstrip("\n"), metadata={"tags": [INJECTED_TAG]})
            notebook.cells.insert(index + 1, cell)
    return notebook

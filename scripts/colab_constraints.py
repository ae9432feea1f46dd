"""Write constraints/colab.txt from Colab's published ``pip freeze``.

Colab publishes the package versions of its runtime in the repository googlecolab/backend-info
(``pip-freeze.txt``). The Colab test profile installs the course with those versions as pip
constraints, so that CI runs the notebooks as a student's Colab runtime would. To refresh it,
download the newest ``pip-freeze.txt`` and run::

    python scripts/colab_constraints.py pip-freeze.txt --date YYYY-MM-DD --commit SHA --python 3.13

then update ``COLAB_PYTHON`` in ``scripts/profiles.sh`` if Colab's Python changed. Lines that pin
a package to a URL or a local file (``name @ ...``) are dropped: pip constraints cannot use them.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "constraints" / "colab.txt"
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[^\s;]+$")


def constraint_lines(freeze_text: str) -> list[str]:
    """The ``name==version`` lines of a ``pip freeze`` output, in their order."""
    return [line.strip() for line in freeze_text.splitlines() if PINNED.match(line.strip())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("freeze", type=Path, help="Colab's pip-freeze.txt")
    parser.add_argument("--date", required=True, help="date of the backend-info commit, YYYY-MM-DD")
    parser.add_argument("--commit", required=True, help="backend-info commit the file comes from")
    parser.add_argument("--python", required=True, help="Colab's Python, major.minor (e.g. 3.13)")
    args = parser.parse_args(argv)
    lines = constraint_lines(args.freeze.read_text())
    if not lines:
        parser.error(f"{args.freeze} holds no 'name==version' lines; is it a pip freeze output?")
    header = [
        "# Colab's runtime, as pip constraints for the Colab test profile (scripts/profiles.sh).",
        "# Source: github.com/googlecolab/backend-info, pip-freeze.txt",
        f"# commit {args.commit}, {args.date}; Colab's Python there: {args.python}.",
        "# Written by scripts/colab_constraints.py; refresh it with that script, never by hand.",
    ]
    OUTPUT.write_text("\n".join(header + lines) + "\n")
    print(f"wrote {len(lines)} constraints to {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

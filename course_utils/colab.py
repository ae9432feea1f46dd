"""Running the course on Google Colab: the repository address, badges and the install command.

The repository address lives here and nowhere else; notebooks' badges and install lines are
checked against it by the tests.

Used by: :func:`course_utils.setup` and the first cell of every notebook.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

#: GitHub ``owner/name`` of the course repository (the one place it is configured).
REPOSITORY = "ml-course-lab/autoencoders-pca-lstm-keras"
#: Branch or tag the Colab badges and installs point at.
BRANCH = "main"
#: Where the repository is cloned on Colab, so that its ``data/`` samples are available too.
COLAB_CHECKOUT = Path("/content/autoencoders-pca-lstm-keras")


def repository_url() -> str:
    """HTTPS address of the course repository."""
    return f"https://github.com/{REPOSITORY}"


def colab_url(notebook_path: str) -> str:
    """The Colab address that opens ``notebook_path`` (relative to the repository root)."""
    notebook_path = str(notebook_path).lstrip("/")
    if not notebook_path.endswith(".ipynb"):
        raise ValueError(f"colab_url expects a path to an .ipynb file, got {notebook_path!r}.")
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{notebook_path}"


def badge_markdown(notebook_path: str) -> str:
    """Markdown for an "Open in Colab" badge linking to ``notebook_path``."""
    badge = "https://colab.research.google.com/assets/colab-badge.svg"
    return f"[![Open In Colab]({badge})]({colab_url(notebook_path)})"


def install_commands(checkout: Path = COLAB_CHECKOUT) -> list[list[str]]:
    """The commands that put the course on a Colab machine: clone, then an editable install."""
    return [
        ["git", "clone", "--depth", "1", "--branch", BRANCH, repository_url() + ".git", str(checkout)],
        [sys.executable, "-m", "pip", "install", "--quiet", "-e", str(checkout)],
    ]


def course_package_is_installed() -> bool:
    """True when ``course_utils`` is installed as a distribution (not merely importable from a folder)."""
    from importlib import metadata

    try:
        metadata.version("course-utils")
    except metadata.PackageNotFoundError:
        return False
    return True


def ensure_course_package(run=subprocess.run, checkout: Path = COLAB_CHECKOUT) -> bool:
    """On Colab, install the course package if it is missing; return True if it installed it.

    ``run`` is the function that executes a command (``subprocess.run``); tests pass a fake one.
    """
    if course_package_is_installed():
        return False
    for command in install_commands(checkout):
        if command[0] == "git" and (checkout / ".git").exists():
            continue
        result = run(command, check=False)
        if getattr(result, "returncode", 0) != 0:
            raise RuntimeError(
                f"Installing the course package failed: `{shlex.join(command)}` exited with "
                f"{result.returncode}. Check the Colab machine's internet access and run the cell again."
            )
    return True

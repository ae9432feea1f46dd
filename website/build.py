"""Build the course website from the committed notebooks, without executing them.

    bash scripts/build_site.sh          # sets up .venv-site (requirements-site.txt), then runs:
    .venv-site/bin/python website/build.py [--output _build/site] [--mathjax DIR]

Two editions, each a Sphinx site (MyST-NB, the Jupyter Book theme; configuration in website/conf.py):

- ``student/``: the student copies (``student/*.ipynb``): exercises with stubs, no outputs;
- ``instructor/``: the instructors' notebooks (``notebooks/*.ipynb``) with the outputs of their
  full run, every solution (cells tagged ``solution``) folded under "Show solution";

plus ``index.html`` linking both and ``build-info.json`` (the sources' SHA-256, which the tests use
to tell a stale site). MathJax 3 (from the npm package that scripts/fetch_slide_assets.sh puts in
.cache/slides/node_modules/mathjax) is copied into each edition, and the Colab badge is drawn from
course_utils/assets, so the site works offline and asks nothing of the network. The committed
notebooks are only read: the tags that fold solutions are added to copies in a temporary folder,
and the new site is built beside the old one and moved into place at the end, so a failed build
leaves nothing half-written.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {"student": ROOT / "student", "instructor": ROOT / "notebooks"}
DEFAULT_OUTPUT = ROOT / "_build" / "site"
DEFAULT_MATHJAX = ROOT / ".cache" / "slides" / "node_modules" / "mathjax"
# The same parts as course_utils.slides.MATHJAX_PARTS (a test checks): the component the pages load,
# its fonts, and what it loads on demand. (course_utils itself needs NumPy, which .venv-site lacks.)
MATHJAX_PARTS = ["es5/tex-chtml-full.js", "es5/output/chtml/fonts", "es5/input/tex/extensions", "es5/ui",
                 "es5/a11y", "es5/sre"]
COLAB_BADGE_URL = "https://colab.research.google.com/assets/colab-badge.svg"
COLAB_BADGE_FILE = ROOT / "course_utils" / "assets" / "colab-badge.svg"
COURSE = "Autoencoders, PCA and LSTMs with Keras"
# MyST-NB's markup for a folded cell ("hide-input"), so that a written solution folds and looks the same.
FOLDED_MARKDOWN_OPEN = """<details class="admonition hide above-input">
<summary aria-label="Toggle hidden content">
<p class="collapsed admonition-title">Show solution</p>
<p class="expanded admonition-title">Hide solution</p>
</summary>"""
INTRO = {
    "student": "The weekly notebooks as you work in them: every exercise has a stub for your answer and a "
               "self-check. Run them on Colab (the badge on each page) or on your laptop (see the "
               "repository's README); the figures appear as you run the cells.",
    "instructor": "The instructors' notebooks with the outputs of a full run. Each exercise's solution is "
                  "folded: click *Show solution* to open it.",
}


class BuildError(RuntimeError):
    """A missing input, or a Sphinx build that failed (the message says which and what to do)."""


def check_mathjax(mathjax_dir: Path) -> None:
    missing = [part for part in MATHJAX_PARTS if not (mathjax_dir / part).exists()]
    if missing:
        raise BuildError(f"MathJax is missing from {mathjax_dir} ({', '.join(missing)}): "
                         "run bash scripts/fetch_slide_assets.sh")


def prepare_notebook(path: Path, edition: str):
    """The notebook as the site shows it: a local Colab badge and, for instructors, folded solutions.

    The badge becomes ``colab-badge.svg``, which :func:`write_sources` puts beside the notebooks.
    """
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = cell.source.replace(COLAB_BADGE_URL, COLAB_BADGE_FILE.name)
        if edition != "instructor" or "solution" not in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.metadata["tags"] = [*cell.metadata["tags"], "hide-input"]
            cell.metadata["mystnb"] = {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"}
        else:  # a written answer: fold it as MyST-NB folds code, in HTML that MyST passes through
            cell.source = f"{FOLDED_MARKDOWN_OPEN}\n\n{cell.source}\n\n</details>"
    return notebook


def write_sources(edition: str, source_dir: Path) -> list[Path]:
    """Prepare one edition's Sphinx source folder; return the notebooks it was made from."""
    notebooks = sorted(EDITIONS[edition].glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise BuildError(f"no notebooks in {EDITIONS[edition]}")
    source_dir.mkdir(parents=True)
    shutil.copy2(COLAB_BADGE_FILE, source_dir / COLAB_BADGE_FILE.name)
    for path in notebooks:
        nbformat.write(prepare_notebook(path, edition), source_dir / path.name)
    toctree = "\n".join(path.stem for path in notebooks)
    (source_dir / "index.md").write_text(
        f"# {COURSE}\n\n{INTRO[edition]}\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n:caption: Weeks\n\n{toctree}\n```\n", encoding="utf-8")
    return notebooks


def copy_mathjax(mathjax_dir: Path, static_dir: Path) -> None:
    for part in MATHJAX_PARTS:
        source, target = mathjax_dir / part, static_dir / "mathjax" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def landing_page() -> str:
    title = html.escape(COURSE)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body {{font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem;
line-height: 1.5}} a {{font-size: 1.2rem}}</style></head>
<body>
<h1>{title}</h1>
<p>A week-by-week course in Jupyter notebooks: PCA, autoencoders and LSTMs with Keras.</p>
<ul>
<li><a href="student/index.html">Student edition</a>: the notebooks you work in, exercises with stubs.</li>
<li><a href="instructor/index.html">Instructor edition</a>: the notebooks with their outputs and folded solutions.</li>
</ul>
</body>
</html>
"""


def build(output: Path = DEFAULT_OUTPUT, mathjax_dir: Path = DEFAULT_MATHJAX) -> Path:
    """Build both editions into ``output`` (replacing what is there only once all went well)."""
    output, mathjax_dir = Path(output).resolve(), Path(mathjax_dir).resolve()
    check_mathjax(mathjax_dir)
    if not COLAB_BADGE_FILE.is_file():
        raise BuildError(f"{COLAB_BADGE_FILE} is missing")
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    jobs = {}
    try:
        site, sources = work / "site", {}
        site.mkdir()
        for edition in EDITIONS:
            sources[edition] = write_sources(edition, work / "src" / edition)
            copy_mathjax(mathjax_dir, work / "static" / edition)
        for edition in EDITIONS:
            env = dict(os.environ, COURSE_SITE_EDITION=edition, COURSE_SITE_STATIC=str(work / "static" / edition))
            # Both editions build at once (two processes, for two cores), each into its own folder:
            # MyST-NB writes the notebooks' images into jupyter_execute/ beside the output folder.
            with (work / f"{edition}.log").open("w") as log:
                jobs[edition] = subprocess.Popen(
                    [sys.executable, "-m", "sphinx", "build", "-b", "html", "-q", "-c", str(ROOT / "website"),
                     "-d", str(work / "doctrees" / edition), str(work / "src" / edition),
                     str(work / "out" / edition / "html")],
                    env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
        failed = []
        for edition, process in jobs.items():
            process.wait()
            text = (work / f"{edition}.log").read_text()
            if text.strip():
                print(f"--- Sphinx, {edition} edition:\n{text.rstrip()}", file=sys.stderr)
            if process.returncode:
                failed.append(edition)
        if failed:
            raise BuildError(f"Sphinx failed for the {' and '.join(failed)} edition(s) (its messages are above)")
        for edition in EDITIONS:
            (work / "out" / edition / "html").rename(site / edition)
            for path in sources[edition]:  # the download button offers the committed notebook itself
                shutil.copy2(path, site / edition / "_sources" / path.name)
        (site / "index.html").write_text(landing_page(), encoding="utf-8")
        (site / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ and _images/ as they are
        info = {
            "sources": {str(path.relative_to(ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()
                        for paths in sources.values() for path in paths},
            "tools": {name: metadata.version(name) for name in ("sphinx", "myst-nb", "sphinx-book-theme")},
            "mathjax": json.loads((mathjax_dir / "package.json").read_text())["version"],
        }
        (site / "build-info.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        previous = work / "previous"
        if output.exists():
            output.rename(previous)
        try:
            site.rename(output)
        except OSError:
            if previous.exists():
                previous.rename(output)
            raise
    finally:
        for process in jobs.values():  # after an interruption, stop what still writes into work/
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)
    return output


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the course website (student and instructor editions).")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="default: _build/site")
    parser.add_argument("--mathjax", type=Path, default=DEFAULT_MATHJAX,
                        help="the mathjax npm package (default: .cache/slides/node_modules/mathjax)")
    arguments = parser.parse_args(argv)
    try:
        output = build(arguments.output, arguments.mathjax)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"built {output}/ (student/ and instructor/ editions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

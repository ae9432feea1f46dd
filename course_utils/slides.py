"""Lecture slides: slideshow metadata for every notebook, and static reveal.js decks.

Instructors present live in JupyterLab with the ``jupyterlab-rise`` extension, or build static
decks::

    python -m course_utils.slides annotate notebooks/*.ipynb   # fill in missing slide types
    python -m course_utils.slides build notebooks/*.ipynb      # decks in slides/

Slide rules (applied by ``annotate`` where a cell has no type yet; the last two always):
the first cell and every ``#``/``##`` heading start a slide, ``###`` headings a sub-slide, other
cells continue the current slide (``-``, also what a cell without a type does), and cells tagged ``setup`` or ``solution`` are skipped.

``build`` uses reveal.js, require.js, jQuery and MathJax 3 from ``--assets`` (a ``node_modules``
folder made by ``scripts/fetch_slide_assets.sh``) when given, copying them next to the decks so they
work offline, formulas included; otherwise the decks load them from public CDNs. The decks use the
template in ``course_utils/templates/course_reveal`` (nbconvert's reveal template with MathJax 3 and
no CDN import of Mermaid), and the Colab badge is drawn from ``course_utils/assets``, so an offline
deck asks nothing of the network. Used by: instructors, the tests.
"""

from __future__ import annotations

import argparse
import base64
import shutil
import sys
from pathlib import Path

import nbformat

SKIPPED_TAGS = {"setup", "solution"}
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
_HERE = Path(__file__).resolve().parent
#: Default place of the offline assets (see scripts/fetch_slide_assets.sh).
DEFAULT_ASSETS = _HERE.parent / ".cache" / "slides" / "node_modules"
#: What MathJax 3 needs beside the component the pages load: its fonts, and what it loads on demand
#: (TeX extensions named by \require, the menu, its accessibility tools). The site builder
#: (website/build.py) copies the same list.
MATHJAX_PARTS = ["es5/tex-chtml-full.js", "es5/output/chtml/fonts", "es5/input/tex/extensions", "es5/ui",
                 "es5/a11y", "es5/sre"]
_ASSET_FILES = {  # what the deck needs from each npm package
    "reveal.js": ["dist", "plugin"],
    "requirejs": ["require.js"],
    "jquery": ["dist/jquery.min.js"],
    "mathjax": MATHJAX_PARTS,
}
_CDN_MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@3.2.2/es5/tex-chtml-full.js"
#: The badge every notebook opens with, and the local drawing that replaces it in decks.
COLAB_BADGE_URL = "https://colab.research.google.com/assets/colab-badge.svg"
COLAB_BADGE_FILE = _HERE / "assets" / "colab-badge.svg"
TEMPLATES = _HERE / "templates"


def slide_type(cell) -> str | None:
    """The cell's slide type, or None if it has none."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def _default_type(cell, is_first: bool) -> str:
    if is_first:
        return "slide"
    if cell.cell_type == "markdown":
        first_line = cell.source.lstrip().split("\n", 1)[0]
        if first_line.startswith(("# ", "## ")):
            return "slide"
        if first_line.startswith("### "):
            return "subslide"
    return "-"


def annotate(notebook) -> int:
    """Give every cell a slide type (see module docstring); return how many cells changed."""
    changed = 0
    for index, cell in enumerate(notebook.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        wanted = "skip" if tags & SKIPPED_TAGS else (slide_type(cell) or _default_type(cell, index == 0))
        if slide_type(cell) != wanted and not (wanted == "-" and slide_type(cell) is None):
            cell.metadata.setdefault("slideshow", {})["slide_type"] = wanted
            changed += 1
    return changed


def slide_problems(notebook) -> list[str]:
    """Ways ``notebook`` breaks the slide rules (empty when it presents well)."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        kind = slide_type(cell)
        tags = set(cell.get("metadata", {}).get("tags", []))
        if kind is not None and kind not in SLIDE_TYPES:
            problems.append(f"cell {index} has no valid slide type ({kind!r})")
        elif tags & SKIPPED_TAGS and kind != "skip":
            problems.append(f"cell {index} is tagged {sorted(tags & SKIPPED_TAGS)} but not skipped")
        elif cell.cell_type == "markdown" and cell.source.lstrip().startswith("## ") and kind not in {"slide", "subslide"}:
            problems.append(f"cell {index} opens a section (##) but does not start a slide or sub-slide")
    if notebook.cells and slide_type(notebook.cells[0]) != "slide":
        problems.append("the first cell does not start a slide")
    return problems


def copy_assets(assets_dir: Path, output_dir: Path) -> dict:
    """Copy reveal.js, require.js, jQuery and MathJax to ``output_dir/vendor``; return the exporter's URLs."""
    assets_dir = Path(assets_dir)
    for package, parts in _ASSET_FILES.items():
        for part in parts:
            source = assets_dir / package / part
            if not source.exists():
                raise FileNotFoundError(f"{source} is missing: run scripts/fetch_slide_assets.sh or omit --assets.")
            target = output_dir / "vendor" / package / part
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copy2(source, target)
    return {"reveal_url_prefix": "vendor/reveal.js", "require_js_url": "vendor/requirejs/require.js",
            "jquery_url": "vendor/jquery/dist/jquery.min.js", "mathjax_url": "vendor/mathjax/es5/tex-chtml-full.js"}


def offline_badge(notebook) -> None:
    """Replace the Colab badge image (fetched from Colab's site) by the local drawing, as a data URI."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(COLAB_BADGE_FILE.read_bytes()).decode()
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and COLAB_BADGE_URL in cell.source:
            cell.source = cell.source.replace(COLAB_BADGE_URL, uri)


def build_decks(notebooks, output_dir, assets_dir=None) -> list[Path]:
    """Write ``<name>.slides.html`` for each notebook into ``output_dir``; return the paths."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    settings = copy_assets(assets_dir, output_dir) if assets_dir is not None else {}
    config = Config()
    config.SlidesExporter.reveal_url_prefix = settings.get("reveal_url_prefix", "https://unpkg.com/reveal.js@4.0.2")
    config.SlidesExporter.reveal_scroll = True
    config.SlidesExporter.reveal_number = "c/t"
    # reveal.js's "white" theme brings its fonts along; nbconvert's default, "simple", asks Google Fonts.
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.mathjax_url = settings.get("mathjax_url", _CDN_MATHJAX)
    if settings:
        config.SlidesExporter.require_js_url = settings["require_js_url"]
        config.SlidesExporter.jquery_url = settings["jquery_url"]
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.SlidesExporter.template_name = "course_reveal"
    exporter = SlidesExporter(config=config)
    written = []
    for notebook_path in notebooks:
        notebook_path = Path(notebook_path)
        if notebook_path.suffix != ".ipynb" or not notebook_path.is_file():
            raise FileNotFoundError(f"{notebook_path} is not a notebook file (.ipynb).")
        notebook = nbformat.read(notebook_path, as_version=4)
        offline_badge(notebook)
        body, _ = exporter.from_notebook_node(notebook)
        target = output_dir / f"{notebook_path.stem}.slides.html"
        partial = output_dir / f".{target.name}.partial"
        partial.write_text(body, encoding="utf-8")
        partial.replace(target)
        written.append(target)
    return written


def main(argv=None) -> int:
    """Command-line entry point (see module docstring)."""
    parser = argparse.ArgumentParser(description="Slide metadata and reveal.js decks for the notebooks.")
    commands = parser.add_subparsers(dest="command", required=True)
    annotate_parser = commands.add_parser("annotate", help="fill in missing slide types, in place")
    annotate_parser.add_argument("notebooks", nargs="+")
    build_parser = commands.add_parser("build", help="build static reveal.js decks")
    build_parser.add_argument("notebooks", nargs="+")
    build_parser.add_argument("--output", default="slides", help="folder for the decks (default slides/)")
    build_parser.add_argument("--assets", default=None,
                              help="node_modules folder with reveal.js, requirejs, jquery and mathjax (offline decks)")
    arguments = parser.parse_args(argv)
    if arguments.command == "annotate":
        for path in arguments.notebooks:
            notebook = nbformat.read(path, as_version=4)
            changed = annotate(notebook)
            if changed:
                nbformat.write(notebook, path)
            print(f"{path}: {changed} cell(s) annotated")
        return 0
    try:
        decks = build_decks(arguments.notebooks, arguments.output, arguments.assets)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for deck in decks:
        print(f"wrote {deck}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

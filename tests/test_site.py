"""The course website (``bash scripts/build_site.sh`` writes ``_build/site/``, without executing any
notebook): both editions have every week, solutions are folded for instructors and absent for
students, and in headless Chromium the pages navigate, typeset their formulas with the site's own
MathJax, show their figures and ask nothing of the network.

The site is built by scripts/run_tests.sh (pinned profile) and CI before pytest runs; these tests
read it. A missing or stale site (built from other notebooks than the committed ones) skips the
tests that need it, and fails them under CI.
"""

import hashlib
import html
import importlib.util
import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from _browser import MATHJAX_DONE_JS, PROSE_TEXT_JS, chromium_page, require_chromium, serve
from course_utils import slides

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "site"
BUILD_HINT = "run bash scripts/fetch_slide_assets.sh && bash scripts/build_site.sh"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EDITIONS = {"student": ROOT / "student", "instructor": ROOT / "notebooks"}
ARTIFACTS = ROOT / "test-artifacts"
# Maths MathJax left alone: Sphinx's \( \) and \[ \] delimiters, $$, or $...$ around a TeX command.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\[|\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")


def _load_builder():
    spec = importlib.util.spec_from_file_location("course_site_build", ROOT / "website" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def site():
    """The built site, checked to be built from the committed notebooks."""
    info_path = SITE / "build-info.json"
    problem = None
    if not info_path.is_file():
        problem = f"{SITE} is not built"
    else:
        built = json.loads(info_path.read_text())["sources"]
        committed = {str(path.relative_to(ROOT)): _sha256(path)
                     for folder in EDITIONS.values() for path in folder.glob("[0-9][0-9]_*.ipynb")}
        stale = sorted(name for name in built.keys() | committed.keys() if built.get(name) != committed.get(name))
        if stale:
            problem = f"{SITE} is stale (built from other versions of {', '.join(stale[:3])}...)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem}: CI must build it first ({BUILD_HINT})")
        pytest.skip(f"{problem}: {BUILD_HINT}")
    return SITE


def _page_text(path: Path) -> str:
    """A page's text, tags removed and whitespace collapsed (code highlighting splits lines into spans)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))
    return " ".join(text.split())


def _solution_lines(notebook_path: Path) -> list[str]:
    """The longest line of each code solution that the student copy has nowhere (whitespace collapsed)."""
    student = nbformat.read(ROOT / "student" / notebook_path.name, as_version=4)
    kept = {" ".join(line.split()) for cell in student.cells for line in cell.source.splitlines()}
    lines = []
    for cell in nbformat.read(notebook_path, as_version=4).cells:
        if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []):
            dropped = [" ".join(line.split()) for line in cell.source.splitlines()]
            dropped = [line for line in dropped if len(line) > 20 and line not in kept and not line.startswith("#")]
            if dropped:
                lines.append(max(dropped, key=len))
    return lines


def test_builder_uses_the_decks_mathjax_and_badge():
    builder = _load_builder()
    assert builder.MATHJAX_PARTS == slides.MATHJAX_PARTS
    assert builder.COLAB_BADGE_URL == slides.COLAB_BADGE_URL and builder.COLAB_BADGE_FILE == slides.COLAB_BADGE_FILE


def test_prepared_notebooks_fold_solutions_for_instructors_only():
    builder = _load_builder()
    source = NOTEBOOKS[1]
    before = _sha256(source)
    committed = nbformat.read(source, as_version=4)
    solutions = [i for i, cell in enumerate(committed.cells) if "solution" in cell.metadata.get("tags", [])]
    assert solutions
    instructor = builder.prepare_notebook(source, "instructor")
    for index in solutions:
        cell = instructor.cells[index]
        if cell.cell_type == "code":
            assert "hide-input" in cell.metadata["tags"] and cell.source == committed.cells[index].source
        else:
            assert cell.source.startswith("<details") and committed.cells[index].source in cell.source
    student = builder.prepare_notebook(ROOT / "student" / source.name, "student")
    assert not any("hide-input" in cell.metadata.get("tags", []) for cell in student.cells)
    assert builder.COLAB_BADGE_URL not in json.dumps(instructor) + json.dumps(student)
    assert _sha256(source) == before, "the committed notebook must only be read"


def test_build_names_the_script_for_missing_mathjax(tmp_path):
    builder = _load_builder()
    with pytest.raises(builder.BuildError, match="fetch_slide_assets"):
        builder.build(tmp_path / "site", mathjax_dir=tmp_path / "no-mathjax")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_week_has_a_page_that_loads_nothing_remote(site, edition):
    pages = sorted((site / edition).glob("[0-9][0-9]_*.html"))
    assert [page.stem for page in pages] == [path.stem for path in NOTEBOOKS]
    assert (site / edition / "_static" / "mathjax" / "es5" / "tex-chtml-full.js").is_file()
    for number, page in enumerate(pages):
        source = page.read_text(encoding="utf-8")
        assert re.search(rf"<title>Week {number}\b", source), f"{page.name} has no 'Week {number}' title"
        remote = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]+)"', source)
        assert remote == [], f"{page.name} loads {remote}"
        download = site / edition / "_sources" / f"{page.stem}.ipynb"  # the page's download button
        assert _sha256(download) == _sha256(EDITIONS[edition] / download.name), f"{download} is not the committed notebook"


def test_student_edition_has_no_solutions_and_instructor_edition_folds_them(site):
    for notebook in NOTEBOOKS:
        lines = _solution_lines(notebook)
        assert lines, notebook.name
        instructor = _page_text(site / "instructor" / f"{notebook.stem}.html")
        student = _page_text(site / "student" / f"{notebook.stem}.html")
        n_solutions = sum("solution" in cell.metadata.get("tags", [])
                          for cell in nbformat.read(notebook, as_version=4).cells)
        assert instructor.count("Show solution") == n_solutions, notebook.name
        assert "Show solution" not in student
        for line in lines:
            assert line in instructor, f"{notebook.name}: solution line missing from the instructor edition: {line}"
            assert line not in student, f"{notebook.name}: solution line in the student edition: {line}"


def _open_edition(page, base_url, edition):
    """From the landing page, open an edition's index; return the week titles of its sidebar."""
    page.goto(f"{base_url}index.html")
    page.get_by_role("link", name=f"{edition.capitalize()} edition").click()
    page.wait_for_url(f"{base_url}{edition}/index.html")
    titles = [title.strip() for title in page.locator("nav.bd-docs-nav a.reference.internal").all_inner_texts()]
    weeks = [title for title in titles if title.startswith("Week ")]
    assert len(weeks) == len(NOTEBOOKS), titles
    return weeks


def _check_week(page, edition, number, title):
    """Follow the sidebar link to week ``number``; check its title, formulas and images; return the images."""
    page.locator("nav.bd-docs-nav a.reference.internal", has_text=title).first.click()
    page.wait_for_url(re.compile(rf"/{edition}/{number:02d}_[^/]*\.html"))
    assert page.locator("article h1").first.inner_text().startswith(f"Week {number}")
    assert page.evaluate(MATHJAX_DONE_JS), f"MathJax did not start on week {number}"
    n_maths = page.locator("article .math").count()
    assert page.locator("article .math mjx-container").count() == n_maths, f"week {number}: formulas not typeset"
    prose = page.locator("article").evaluate(PROSE_TEXT_JS)
    assert not RAW_TEX.findall(prose), f"week {number}: raw TeX on the page: {RAW_TEX.findall(prose)[:5]}"
    images = page.evaluate("() => [...document.querySelectorAll('article img')].map("
                           "i => [i.getAttribute('src').slice(0, 60), i.complete && i.naturalWidth > 0])")
    assert all(loaded for _, loaded in images), f"week {number}: images not loaded: {images}"
    return n_maths, images


def test_site_navigates_typesets_shows_figures_and_stays_offline(site):
    """The instructor edition, week by week through the sidebar; the student edition's maths weeks."""
    require_chromium(hint="install Debian's chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(site) as base_url, chromium_page() as (page, log):
        weeks = _open_edition(page, base_url, "instructor")
        figures = maths = 0
        for number, title in enumerate(weeks):
            n_maths, images = _check_week(page, "instructor", number, title)
            figures, maths = figures + len(images) - 1, maths + n_maths  # less the Colab badge
            assert len(images) >= 2, f"week {number}: the instructor page shows no figure"
            folded = page.locator(".tag_solution details.hide")
            assert folded.count() >= 1 and not folded.first.evaluate("d => d.open")
            code = folded.first.locator(".cell_input")
            assert not code.is_visible()
            folded.first.locator("summary").click()
            assert code.is_visible()
            if number == 3:
                page.screenshot(path=str(ARTIFACTS / "site-instructor-03.png"))
        assert figures >= 40 and maths >= 300
        # Students: the same navigation, formulas typeset, and neither solutions nor outputs.
        weeks = _open_edition(page, base_url, "student")
        for number in (1, 3):
            n_maths, images = _check_week(page, "student", number, weeks[number])
            assert n_maths >= 50
            assert page.locator(".tag_solution details").count() == 0 and len(images) == 1
        page.screenshot(path=str(ARTIFACTS / "site-student-03.png"))
    assert log.external == [], f"the site asked the network for {log.external}"
    assert log.failed == [] and log.errors == [], (log.failed, log.errors)

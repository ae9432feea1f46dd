"""Slides: every notebook presents well, every deck builds, decks work offline in a real browser
(formulas typeset, no request leaving the machine), and RISE presents a notebook in JupyterLab."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from _browser import MATHJAX_DONE_JS, PROSE_TEXT_JS, chromium_page, require_chromium
from course_utils import slides

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"
ASSETS_HINT = "install Debian's chromium and run scripts/fetch_slide_assets.sh"
# Raw TeX left in the prose: a $$ or $...$ pair around a TeX command.
RAW_TEX = re.compile(r"\$\$|\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_annotate_rules():
    nb = _notebook(
        nbformat.v4.new_markdown_cell("Intro"),
        nbformat.v4.new_code_cell("import x", metadata={"tags": ["setup"]}),
        nbformat.v4.new_markdown_cell("## Section"),
        nbformat.v4.new_markdown_cell("### Detail"),
        nbformat.v4.new_code_cell("y = 1"),
        nbformat.v4.new_code_cell("y = 2", metadata={"tags": ["solution"], "slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_markdown_cell("text", metadata={"slideshow": {"slide_type": "fragment"}}),
    )
    assert slides.slide_problems(nb)
    assert slides.annotate(nb) == 5
    assert [slides.slide_type(c) for c in nb.cells] == ["slide", "skip", "slide", "subslide", None, "skip", "fragment"]
    assert slides.slide_problems(nb) == [] and slides.annotate(nb) == 0


def test_unknown_slide_type_is_a_problem():
    nb = _notebook(nbformat.v4.new_markdown_cell("# T", metadata={"slideshow": {"slide_type": "slide"}}),
                   nbformat.v4.new_code_cell("x", metadata={"slideshow": {"slide_type": "side"}}))
    assert slides.slide_problems(nb) == ["cell 1 has no valid slide type ('side')"]


def test_problems_are_named():
    nb = _notebook(nbformat.v4.new_markdown_cell("## A", metadata={"slideshow": {"slide_type": "-"}}),
                   nbformat.v4.new_code_cell("s", metadata={"tags": ["solution"], "slideshow": {"slide_type": "-"}}))
    problems = " ".join(slides.slide_problems(nb))
    assert "cell 0 opens a section" in problems and "cell 1 is tagged ['solution']" in problems
    assert "first cell does not start a slide" in problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_carries_slide_metadata(path):
    assert slides.slide_problems(nbformat.read(path, as_version=4)) == []


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    output = tmp_path_factory.mktemp("slides")
    assets = slides.DEFAULT_ASSETS if slides.DEFAULT_ASSETS.is_dir() else None
    return slides.build_decks(NOTEBOOKS, output, assets), assets


def test_every_deck_builds(decks):
    paths, _ = decks
    assert [p.name for p in paths] == [f"{nb.stem}.slides.html" for nb in NOTEBOOKS]
    for path, notebook_path in zip(paths, NOTEBOOKS):
        html = path.read_text()
        n_slides = sum(slides.slide_type(c) == "slide" for c in nbformat.read(notebook_path, as_version=4).cells)
        assert html.count("<section") >= n_slides >= 2
        assert "Reveal.initialize" in html


def test_build_rejects_missing_assets(tmp_path):
    with pytest.raises(FileNotFoundError, match="fetch_slide_assets"):
        slides.build_decks(NOTEBOOKS[:1], tmp_path, assets_dir=tmp_path / "none")


def _deck(decks, stem):
    paths, assets = decks
    require_chromium(assets, hint=ASSETS_HINT)
    return next(path for path in paths if path.name.startswith(stem))


def test_deck_renders_and_navigates_in_headless_chromium(decks):
    deck = _deck(decks, NOTEBOOKS[0].stem)
    with chromium_page() as (page, log):
        page.goto(deck.as_uri())
        # reveal.js (loaded through require.js, so not a global) marks its root "ready" once initialised.
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        assert page.locator(".reveal .slides > section").count() >= 3
        title = page.locator(".reveal .slides section.present h1").first
        assert title.is_visible() and title.inner_text().strip()
        first_url = page.url
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"window.location.href !== {first_url!r}")
        assert page.url.endswith("#/1")
        assert page.locator(".reveal .slides > section.present").count() == 1
        assert page.locator(".reveal .slides > section").nth(1).evaluate("e => e.classList.contains('present')")
        ARTIFACTS.mkdir(exist_ok=True)
        screenshot = page.screenshot(path=str(ARTIFACTS / f"{deck.stem}.png"))
        assert screenshot[:4] == b"\x89PNG"
    assert log.external == [], f"the deck asked the network for {log.external}"
    assert log.failed == [] and log.errors == [], (log.failed, log.errors)


def test_maths_deck_typesets_formulas_offline(decks):
    """Week 1 is the most formula-heavy deck: every formula is typeset by the local MathJax."""
    deck = _deck(decks, "01_")
    n_display = sum(cell.source.count("$$") // 2 for cell in nbformat.read(NOTEBOOKS[1], as_version=4).cells
                    if cell.cell_type == "markdown" and slides.slide_type(cell) != "skip")
    assert n_display >= 3, "week 1 should have display formulas on its slides"
    with chromium_page() as (page, log):
        page.goto(deck.as_uri())
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        assert page.evaluate(MATHJAX_DONE_JS), "MathJax did not start"
        assert page.locator(".reveal .slides mjx-container").count() >= 20
        assert page.locator('.reveal .slides mjx-container[display="true"]').count() >= n_display
        prose = page.locator(".reveal .slides").evaluate(PROSE_TEXT_JS)
        assert not RAW_TEX.findall(prose), f"raw TeX left on the slides: {RAW_TEX.findall(prose)[:5]}"
        # Go to the first slide with a display formula: it is visible there, and typeset in MathJax's fonts.
        h, v = page.evaluate("""() => {
            const tops = [...document.querySelectorAll('.reveal .slides > section')];
            for (const [h, top] of tops.entries()) {
                const subs = top.querySelectorAll(':scope > section');
                for (const [v, s] of (subs.length ? [...subs] : [top]).entries())
                    if (s.querySelector('mjx-container[display="true"]')) return [h, v];
            }
            return [-1, -1];
        }""")
        assert h >= 0
        page.evaluate(f"window.location.hash = '#/{h}/{v}'")
        formula = page.locator('.reveal .slides section.present mjx-container[display="true"]').first
        formula.wait_for(state="visible", timeout=10_000)
        box = formula.bounding_box()
        assert box and box["width"] > 20 and box["height"] > 10
        fonts = page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
        assert any(family.startswith("MJXZERO") or family.startswith("MJXTEX") for family in fonts), fonts
        ARTIFACTS.mkdir(exist_ok=True)
        page.wait_for_timeout(1_000)  # let the slide transition end before the screenshot
        page.screenshot(path=str(ARTIFACTS / f"{deck.stem}-formula.png"))
    assert log.external == [], f"the deck asked the network for {log.external}"
    assert log.failed == [] and log.errors == [], (log.failed, log.errors)


# What RISE may ask of the network: the notebook's Colab badge, and the Google Fonts that RISE's
# default reveal.js theme ("simple") imports. Offline, both fail quietly (alt text, system fonts);
# anything else (MathJax or reveal.js from a CDN, say) fails the test.
RISE_KNOWN_EXTERNAL = re.compile(r"https://(colab\.research\.google\.com/assets/colab-badge\.svg"
                                 r"|fonts\.googleapis\.com/css\?family=(News\+Cycle|Lato)\b)")


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server of this environment on the loopback interface, serving a copy of week 1.

    Its configuration, settings, workspaces and runtime files live under ``tmp_path``, so the
    user's own JupyterLab settings play no part. Yields ``(base_url, token, notebook_name)``.
    """
    pytest.importorskip("jupyterlab_rise")
    root, home = tmp_path / "root", tmp_path / "jupyter"
    root.mkdir()
    notebook = root / NOTEBOOKS[1].name
    shutil.copy(NOTEBOOKS[1], notebook)
    token = "course-rise-test"
    # nbgrader (an authoring tool) takes seconds to import and plays no part in presenting: leave it out.
    nbgrader = {"jpserver_extensions": {f"nbgrader.server_extensions.{name}": False for name in
                                        ("assignment_list", "course_list", "formgrader", "validate_assignment")}}
    (home / "config" / "labconfig").mkdir(parents=True)
    (home / "config" / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": nbgrader}))
    (home / "config" / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyter/nbgrader": True}}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    log = (tmp_path / "jupyterlab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", "--port=0", "--allow-root",
         f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline, url = time.monotonic() + 90, None
        while url is None:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("JupyterLab did not start: " + (tmp_path / "jupyterlab.log").read_text()[-3000:])
            for info in (home / "runtime").glob("jpserver-*.json"):
                try:
                    url = json.loads(info.read_text())["url"]
                except ValueError:  # still being written
                    pass
            time.sleep(0.2)
        while True:
            try:
                urllib.request.urlopen(f"{url}api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url, token, notebook.name
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_rise_presents_heading_and_formula_in_jupyterlab(jupyterlab):
    """Open week 1 in JupyterLab, enter RISE (Alt+R), and find the title and typeset formulas on slide 1.

    jupyterlab-rise bundles its own JupyterLab 4.3 front end; this checks that it still presents
    markdown (jupyterlab-contrib/rise#137) beside the JupyterLab that requirements.txt pins.
    """
    require_chromium(hint="install Debian's chromium")
    url, token, name = jupyterlab
    with chromium_page() as (page, log):
        page.goto(f"{url}lab/tree/{name}?token={token}")
        page.locator(".jp-NotebookPanel .jp-MarkdownCell h1").first.wait_for(timeout=90_000)
        page.locator(".jp-NotebookPanel .jp-Notebook").first.focus()  # RISE's shortcut listens there
        page.keyboard.press("Alt+r")
        rise = page.frame_locator("iframe[src*='/rise/']")
        slide = rise.locator(".reveal .slides section.present").first
        heading = slide.locator("h1").first
        heading.wait_for(state="visible", timeout=90_000)
        assert heading.inner_text().strip().startswith("Week 1")
        formula = slide.locator("mjx-container").first
        formula.wait_for(state="visible", timeout=30_000)
        box = formula.bounding_box()
        assert box and box["width"] > 5 and box["height"] > 5
        assert rise.locator(".reveal .jp-MarkdownCell").count() >= 2  # markdown cells are inside the deck
        prose = slide.evaluate(PROSE_TEXT_JS)
        assert not RAW_TEX.findall(prose), f"raw TeX on the RISE slide: {RAW_TEX.findall(prose)[:5]}"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "rise-01_pca_by_hand.png"))
    unexpected = [request for request in log.external if not RISE_KNOWN_EXTERNAL.match(request)]
    assert unexpected == [], f"JupyterLab or RISE asked the network for {unexpected}"

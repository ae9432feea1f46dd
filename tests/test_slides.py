"""Slides: every notebook presents well, every deck builds, and one deck works in a real browser."""

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from course_utils import slides

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


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


def test_deck_renders_and_navigates_in_headless_chromium(decks):
    paths, assets = decks
    if assets is None or not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium and the slide assets (see .ci/run)")
        pytest.skip("needs Debian's chromium and scripts/fetch_slide_assets.sh")
    from playwright.sync_api import sync_playwright

    deck = paths[0]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic", "--allow-file-access-from-files"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
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
        finally:
            browser.close()

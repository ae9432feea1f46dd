"""Shared by the browser tests (decks, RISE, the course website): headless Debian Chromium driven by
Playwright (which downloads no browser), a record of every request a page makes, and a local web
server. Any request for a non-local address is recorded and aborted, so that nothing leaves the
machine even when a test fails, and the test can say which requests tried to.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--allow-file-access-from-files"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
# Text of the rendered page outside code, maths and scripts: where raw TeX would show if MathJax failed.
PROSE_TEXT_JS = """root => {
  const skip = new Set(['SCRIPT', 'STYLE', 'PRE', 'CODE', 'MJX-CONTAINER', 'TEXTAREA']);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode: node => {
    for (let e = node.parentElement; e && e !== root.parentElement; e = e.parentElement)
      if (skip.has(e.tagName)) return NodeFilter.FILTER_REJECT;
    return NodeFilter.FILTER_ACCEPT;
  }});
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.textContent);
  return parts.join(' ');
}"""
# Resolves once MathJax 3 has typeset the page (and fails the wait if MathJax never loaded).
MATHJAX_DONE_JS = "() => window.MathJax && MathJax.startup && MathJax.startup.promise.then(() => true)"


def require_chromium(*needed: Path | None, hint: str) -> None:
    """Skip (fail under CI) unless Chromium and every path in ``needed`` exist; ``hint`` says how to get them."""
    missing = [str(path) for path in needed if path is None or not Path(path).exists()]
    if not Path(CHROMIUM).exists():
        missing.append(CHROMIUM)
    if missing:
        message = f"missing {', '.join(missing)}: {hint}"
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide them (see .ci/run): {message}")
        pytest.skip(message)


def is_local(url: str) -> bool:
    """Whether ``url`` stays on this machine (a file, inline data, or the loopback interface)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


class RequestLog:
    """Every request of a browser context; non-local ones are aborted and listed in ``external``."""

    def __init__(self):
        self.urls: list[str] = []
        self.external: list[str] = []
        self.failed: list[str] = []  # local requests that failed or answered 4xx/5xx
        self.errors: list[str] = []  # uncaught JavaScript errors

    def attach(self, context, page) -> None:
        context.on("request", lambda request: self.urls.append(request.url))
        context.route(lambda url: not is_local(url), self._abort)
        context.on("requestfailed", lambda r: is_local(r.url) and self.failed.append(f"{r.url} ({r.failure})"))
        context.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _abort(self, route) -> None:
        self.external.append(route.request.url)
        route.abort("blockedbyclient")


@contextlib.contextmanager
def chromium_page(width: int = 1280, height: int = 800):
    """Yield ``(page, log)``: a fresh headless Chromium page and the :class:`RequestLog` of its context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            log = RequestLog()
            log.attach(context, page)
            yield page, log
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` over HTTP on the loopback interface; yield its base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

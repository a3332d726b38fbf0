"""The course website in Chromium: every page loads cleanly, offline, and is accessible.

The site is built from the student lessons (tests/site_build.py) and served from a loopback
HTTP server; any request for anything else is blocked and counted as a failure. For every page:
no console error, every chart image shown with alt text, widgets rendered from their saved
state next to their text summary, axe-core finds no serious or critical violation. The weight
of each page (bytes transferred) is written to tests/artifacts/site-weights.json.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from tests.browser.lab import AXE_SCRIPT
from tests.site_build import built_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SERIOUS = {"serious", "critical"}
WEIGHTS: dict[str, int] = {}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site served on a free loopback port."""
    root = built_site(tmp_path_factory)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "site-weights.json").write_text(
            json.dumps(WEIGHTS, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )


LESSONS = Path(__file__).resolve().parents[2] / "lessons"
PAGES = [
    "index.html",
    "data.html",
    "search.html",
    "genindex.html",
    *sorted(f"lessons/{p.stem}.html" for p in LESSONS.glob("*.ipynb")),
]


@pytest.fixture(scope="module")
def opened(
    site_url: str, browser_context: BrowserContext
) -> Iterator[Callable[[str], tuple[Page, list[str]]]]:
    """``opened[page]``: the page loaded once, with its console errors and blocked requests."""
    cache: dict[str, tuple[Page, list[str]]] = {}

    def load(relative: str) -> tuple[Page, list[str]]:
        if relative in cache:
            return cache[relative]
        page = browser_context.new_page()
        problems: list[str] = []
        transferred = [0]

        def only_the_site(route: Route) -> None:
            if route.request.url.startswith(site_url):
                route.continue_()
            else:
                problems.append(f"blocked request to {route.request.url}")
                route.abort()

        page.route("**/*", only_the_site)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))

        def count(response) -> None:
            if response.status >= 400:
                problems.append(f"HTTP {response.status}: {response.url}")
            with contextlib.suppress(Exception):  # a redirect or an aborted request has no body
                transferred[0] += len(response.body())

        page.on("response", count)
        page.goto(f"{site_url}/{relative}", wait_until="networkidle")
        page.wait_for_timeout(500)
        WEIGHTS[relative] = transferred[0]
        cache[relative] = (page, problems)
        return cache[relative]

    yield load
    for page, _ in cache.values():
        page.close()


@pytest.mark.parametrize("relative", PAGES)
def test_a_page_loads_with_no_console_error_and_nothing_from_outside(opened, relative):
    _, problems = opened(relative)
    assert problems == []


@pytest.mark.parametrize("relative", PAGES)
def test_every_image_has_alt_text_and_loads(opened, relative):
    page, _ = opened(relative)
    bad = page.eval_on_selector_all(
        "article img",
        """(images) => images
            .filter((i) => !(i.getAttribute('alt') || '').trim() || !i.complete
                || i.naturalWidth === 0)
            .map((i) => i.outerHTML.slice(0, 120))""",
    )
    assert bad == []


@pytest.mark.parametrize("relative", [p for p in PAGES if p.startswith("lessons/")])
def test_widgets_render_from_saved_state_beside_their_summary(opened, relative):
    page, _ = opened(relative)
    states = page.locator('script[type="application/vnd.jupyter.widget-state+json"]').count()
    if not states:
        pytest.skip(f"{relative} has no widgets")
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    rendered = page.locator(".jupyter-widgets, .widget-container").count()
    assert views and rendered >= views, f"{rendered} widgets rendered for {views} views"
    assert page.locator(".widget-summary pre").count() >= 1


def _axe_violations(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary)}))"""
    )
    return [v for v in violations if v["impact"] in SERIOUS]


@pytest.mark.parametrize("relative", PAGES)
def test_axe_finds_no_serious_violation(opened, relative):
    page, _ = opened(relative)
    violations = _axe_violations(page)
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
        for v in violations
    ]
    assert not violations, "\n".join(report)

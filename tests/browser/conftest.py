"""Fixtures of the browser tests: one JupyterLab server and one Chromium for the whole session.

Each notebook is opened in its own tab and run top to bottom once (`executed`); the tests of
that notebook then look at the same tab. Without Chromium every test is skipped, and pytest
gives the reason once; under ``CI=true`` every test fails instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import BrowserContext, sync_playwright

from intermestic.explorers import EXPLORERS
from tests.browser.lab import (
    ARTIFACTS,
    CHROMIUM,
    LabServer,
    OpenNotebook,
    gallery_notebook,
    lab_server,
    launch_chromium,
    new_context,
    run_notebook,
    screenshot,
)

MISSING = (
    None
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)
    else f"Chromium not found at {CHROMIUM}; install it with apt-get install chromium"
)


@pytest.fixture(scope="session")
def prerequisites() -> None:
    """Skip (outside CI) or fail (CI=true) when Chromium is missing."""
    if not MISSING:
        return
    if os.environ.get("CI", "").lower() in {"true", "1"}:
        pytest.fail(MISSING, pytrace=False)
    pytest.skip(MISSING)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Report every test skipped for want of Chromium at this file, so that pytest's summary
    gives the reason once rather than once per test."""
    report = yield
    if (
        MISSING
        and report.skipped
        and isinstance(report.longrepr, tuple)
        and report.longrepr[2].endswith(f"Skipped: {MISSING}")
    ):
        report.longrepr = (__file__, 1, f"Skipped: {MISSING}")
    return report


def _extra_notebooks(root: Path) -> dict[str, Path]:
    """Notebooks copied into the workspace besides the lessons.

    - ``gallery/explorers.ipynb``: the explorer gallery of the repository, or while there is
      none a notebook with one cell per explorer of ``intermestic.explorers.EXPLORERS``.
    """
    gallery = gallery_notebook()
    if gallery is None:
        gallery = root / "explorers.ipynb"
        notebook = nbformat.v4.new_notebook(
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
            cells=[
                nbformat.v4.new_code_cell(f"from intermestic.explorers import {name}_explorer"
                                          f"\n\n{name}_explorer()")
                for name in EXPLORERS
            ],
        )  # fmt: skip
        nbformat.write(notebook, gallery)
    return {"gallery/explorers.ipynb": gallery}


@pytest.fixture(scope="session")
def server(prerequisites: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab started with ``intermestic start`` in a temporary workspace."""
    root = tmp_path_factory.mktemp("lab")
    with lab_server(root, _extra_notebooks(root)) as running:
        yield running


@pytest.fixture(scope="session")
def browser_context(prerequisites: None) -> Iterator[BrowserContext]:
    """One headless Chromium with a fresh profile for the session."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = new_context(browser)
        try:
            yield context
        finally:
            context.close()
            browser.close()


@pytest.fixture(scope="session")
def executed(
    server: LabServer, browser_context: BrowserContext
) -> Iterator[Callable[[str], OpenNotebook]]:
    """``executed(relative)``: the notebook at `relative` (a path in the workspace), opened in
    its own tab and run top to bottom once per session, with a screenshot in tests/artifacts/."""
    opened: dict[str, OpenNotebook] = {}
    # A notebook that fails to run fails every test of it at once, without running it again.
    failed: dict[str, Exception] = {}
    ARTIFACTS.mkdir(exist_ok=True)

    def get(relative: str) -> OpenNotebook:
        if relative in failed:
            raise failed[relative]
        if relative not in opened:
            try:
                notebook = run_notebook(browser_context, server, relative)
            except Exception as error:
                failed[relative] = error
                raise
            name = relative.removesuffix(".ipynb").replace("/", "--")
            screenshot(notebook.page, ARTIFACTS / f"{name}.png")
            opened[relative] = notebook
        return opened[relative]

    yield get
    for notebook in opened.values():
        notebook.page.close()

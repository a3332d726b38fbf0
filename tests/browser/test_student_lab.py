"""The JupyterLab that ``intermestic start`` opens shows a student only what a student uses:
nbgrader's Validate button, none of nbgrader's instructor or exchange tools, and no warning
about a missing ``nbgrader_config.py``."""

from __future__ import annotations

import urllib.error
import urllib.request

import nbformat
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.lab import ARTIFACTS, LESSONS, PANEL, LabServer, open_notebook, screenshot

pytestmark = pytest.mark.browser

# What nbgrader calls its instructor and exchange tools in menus, panels and the palette.
HIDDEN = ("Nbgrader", "Create Assignment", "Formgrader", "Assignment List", "Course List")
# Their server routes, which must not exist: formgrader's, course_list's (formgraders) and
# assignment_list's (assignments, courses).
HIDDEN_ROUTES = ("formgrader", "formgraders", "assignments", "courses")
CONFIG_WARNING = "nbgrader_config.py"


def _menu_items(page: Page) -> dict[str, list[str]]:
    """The item labels of each menu of the menu bar, by menu."""
    items = {}
    for menu in page.locator(".lm-MenuBar-itemLabel").all_text_contents():
        page.click(f".lm-MenuBar-itemLabel:text-is('{menu}')")
        labels = page.locator(".lm-Menu-content").first.locator(".lm-Menu-itemLabel")
        items[menu] = labels.all_text_contents()
        page.keyboard.press("Escape")
    return items


def _sidebar_titles(page: Page) -> list[str]:
    """The titles of the tabs of the left and right side bars."""
    return page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all(
        "(tabs) => tabs.map((tab) => tab.title || tab.getAttribute('title') || tab.textContent)"
    )


def _palette_commands(page: Page) -> list[str]:
    """Every command the command palette offers."""
    page.click(".lm-MenuBar-itemLabel:text-is('View')")
    page.click(".lm-Menu-itemLabel:text-is('Activate Command Palette')")
    palette = page.locator(".lm-CommandPalette")
    expect(palette.locator(".lm-CommandPalette-item").first).to_be_attached(timeout=10_000)
    labels = palette.locator(".lm-CommandPalette-itemLabel").all_text_contents()
    page.keyboard.press("Escape")
    return labels


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_students_see_validate_and_none_of_nbgraders_instructor_tools(
    server: LabServer, browser_context: BrowserContext
) -> None:
    """In a lesson: the Validate button is there and works without warning about a missing
    nbgrader_config.py; no menu, menu item, side-bar panel or command of Create Assignment,
    Formgrader, Assignment List or Course List exists, and neither do their server routes."""
    lesson = sorted(LESSONS.glob("*.ipynb"))[0]
    relative = f"student/{lesson.name}"
    (server.workspace / "student").mkdir()
    nbformat.write(nbformat.read(lesson, as_version=4), server.workspace / relative)

    page = open_notebook(browser_context, server, relative)
    try:
        validate = page.locator(f"{PANEL} .validate-button")
        expect(validate).to_be_visible()
        shown = {
            "menu bar": page.locator(".lm-MenuBar-itemLabel").all_text_contents(),
            **{f"{menu} menu": items for menu, items in _menu_items(page).items()},
            "side bars": _sidebar_titles(page),
            "command palette": _palette_commands(page),
        }
        found = [
            f"{where}: {label!r}"
            for where, labels in shown.items()
            for label in labels
            if any(hidden.lower() in label.lower() for hidden in HIDDEN)
        ]
        assert not found, "\n".join(found)
        assert "Validate" in (validate.text_content() or "")
        ARTIFACTS.mkdir(exist_ok=True)
        screenshot(page, ARTIFACTS / "student-lab.png")

        validate.click()
        dialog = page.locator(".jp-Dialog")
        expect(dialog).to_be_visible(timeout=60_000)
        expect(dialog.locator(".validation-success, .validation-failed").first).to_be_attached(
            timeout=60_000
        )
        dialog.get_by_role("button").last.click()
    finally:
        page.close()

    log = server.log()
    assert CONFIG_WARNING not in log, log[-3000:]
    for route in HIDDEN_ROUTES:
        assert _status(f"{server.url}/{route}?token={server.token}") == 404, route

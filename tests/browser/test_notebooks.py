"""Every lesson (and the explorer gallery) after Run All, as a student sees it in JupyterLab.

Each notebook runs once per session (the ``executed`` fixture); these tests look at the result:
errors, widgets, explorers and accessibility. The last tests then walk a learner's path through
each lesson on the same page (tests/browser/learner_path.py): self-checks, and Validate.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pytest
from playwright.sync_api import Locator

from intermestic.explorers import EXPLORERS
from tests.browser import learner_path
from tests.browser.lab import (
    CONTROLS,
    EXPLORER,
    LESSONS,
    PANEL,
    TOP_LEVEL_WIDGETS,
    axe_violations,
    change_first_control,
    control_values,
    explorer_names,
    images_without_alt,
    summary_text,
    unexpected_outputs,
    unnamed_controls,
    wait_for_new_summary,
    widget_outputs,
)

pytestmark = pytest.mark.browser

GALLERY = "gallery/explorers.ipynb"
NOTEBOOKS = [*sorted(p.name for p in LESSONS.glob("*.ipynb")), GALLERY]


def _source(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


@pytest.mark.parametrize("relative", NOTEBOOKS)
def test_run_all_runs_every_cell_with_only_the_expected_errors(executed, relative: str) -> None:
    """Every code cell ran; only cells tagged raises-exception (answer stubs and their tests)
    show an error; nothing is written to stderr; every widget is displayed."""
    notebook = executed(relative)
    cells = notebook.saved["cells"]
    problems = [
        f"cell {index} did not run"
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code"
        and _source(cell).strip()
        and cell.get("execution_count") is None
    ]
    problems += unexpected_outputs(cells)
    assert not problems, "\n".join(problems)
    page = notebook.page
    assert "Error displaying widget" not in (page.locator(PANEL).text_content() or "")
    assert page.locator(TOP_LEVEL_WIDGETS).count() == widget_outputs(notebook.saved)


def _python_value(control: widgets.Widget, shown: Any) -> Any:
    """The Python value of `control` when the browser shows `shown` (see `control_values`)."""
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return tuple(values[i] for i in shown) if isinstance(shown, list) else values[shown]
    return type(control.value)(shown)


def _state(name: str, explorer: Locator) -> dict[str, Any]:
    """The state the explorer shows, as the keyword arguments of its summary function."""
    controls = EXPLORERS[name][0]().controls
    shown = control_values(explorer)
    assert len(shown) == len(controls), f"{name}: {len(shown)} controls shown, {len(controls)}"
    return {
        key: _python_value(control, value)
        for (key, control), value in zip(controls.items(), shown, strict=True)
    }


@pytest.mark.parametrize("relative", NOTEBOOKS)
def test_explorers_show_the_right_numbers_after_a_change(executed, relative: str) -> None:
    """Each explorer's summary equals its Python text fallback before and after its first
    control is changed, as a learner would change it."""
    page = executed(relative).page
    for index, name in enumerate(explorer_names(page)):
        explorer = page.locator(EXPLORER).nth(index)
        summary = EXPLORERS[name][1]
        before = _state(name, explorer)
        shown = summary_text(explorer)
        assert shown == summary(**before), f"{name} before the change"
        how = change_first_control(explorer)
        explorer.locator(".intermestic-summary .widget-html-content").filter(
            has_not_text=shown.strip()[:80]
        ).wait_for(timeout=10_000)
        wait_for_new_summary(page, explorer, shown)
        after = _state(name, explorer)
        assert after != before, f"{name}: {how} changed nothing"
        assert summary_text(explorer) == summary(**after), f"{name} after {how}"
        assert explorer.locator(CONTROLS).count() > 0


def test_gallery_shows_every_explorer(executed) -> None:
    """The gallery renders each explorer of intermestic.explorers exactly once."""
    names = explorer_names(executed(GALLERY).page)
    assert sorted(names) == sorted(EXPLORERS)


@pytest.mark.parametrize("relative", NOTEBOOKS)
def test_no_serious_accessibility_violations(executed, relative: str) -> None:
    """axe-core finds no serious or critical violation in the cells and their outputs."""
    violations = axe_violations(executed(relative).page)
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
        for v in violations
    ]
    assert not violations, "\n".join(report)


@pytest.mark.parametrize("relative", NOTEBOOKS)
def test_images_have_alt_text(executed, relative: str) -> None:
    """Every image in an output, inside widgets too, has a text alternative."""
    assert images_without_alt(executed(relative).page) == []


@pytest.mark.parametrize("relative", NOTEBOOKS)
def test_widget_controls_have_accessible_names(executed, relative: str) -> None:
    """Every widget control (input, menu, button, slider handle) has an accessible name."""
    assert unnamed_controls(executed(relative).page) == []


# --- a learner's path: these change the page, so they come after every test that looks at it ---


@pytest.mark.parametrize("lesson", learner_path.SELF_CHECKED)
def test_self_checks_say_wrong_then_right(executed, lesson: str) -> None:
    learner_path.answer_self_checks(executed(f"{lesson}.ipynb"), lesson)


@pytest.mark.parametrize("lesson", learner_path.VALIDATED)
def test_validate_passes_with_the_solutions(executed, lesson: str) -> None:
    learner_path.validate_with_solutions(executed(f"{lesson}.ipynb"), lesson)

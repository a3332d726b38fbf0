"""The Spanish edition as a learner meets it: ``intermestic start --lang es`` (here through
``INTERMESTIC_LANG=es``, the default of --lang) copies the Spanish lessons, and lesson 02 runs
top to bottom in JupyterLab with its explorer, self-checks and charts in Spanish, axe clean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext

from intermestic import i18n
from intermestic.explorers import EXPLORERS
from tests.browser.lab import (
    ARTIFACTS,
    EXPLORER,
    PANEL,
    LabServer,
    OpenNotebook,
    axe_violations,
    change_first_control,
    explorer_names,
    images_without_alt,
    lab_server,
    run_notebook,
    screenshot,
    summary_text,
    unexpected_outputs,
    unnamed_controls,
    wait_for_new_summary,
)
from tests.browser.test_notebooks import _state

pytestmark = pytest.mark.browser
LESSON = f"{i18n.edition_name('02-economy-built-together', 'es')}.ipynb"


@pytest.fixture(scope="module")
def spanish_server(
    prerequisites: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LabServer]:
    """JupyterLab started by ``intermestic start`` with the course language set to Spanish."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(i18n.ENVIRONMENT_VARIABLE, "es")
        with lab_server(tmp_path_factory.mktemp("lab-es")) as server:
            yield server


@pytest.fixture(scope="module")
def lesson(spanish_server: LabServer, browser_context: BrowserContext) -> Iterator[OpenNotebook]:
    """The Spanish lesson 02, run top to bottom once."""
    notebook = run_notebook(browser_context, spanish_server, LESSON)
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(notebook.page, ARTIFACTS / "es--02-economy-built-together-es.png")
    yield notebook
    notebook.page.close()


def test_start_copies_the_spanish_lessons_and_says_so_in_spanish(spanish_server):
    lessons = sorted(p.name for p in spanish_server.workspace.glob("*.ipynb"))
    assert LESSON in lessons and all(name.endswith("-es.ipynb") for name in lessons)
    assert i18n.folder_language(spanish_server.workspace) == "es"
    assert "Se copiaron" in spanish_server.log()


def test_the_spanish_lesson_runs_with_only_the_expected_errors(lesson):
    problems = unexpected_outputs(lesson.saved["cells"])
    assert not problems, "\n".join(problems)


def test_the_explorer_speaks_spanish_before_and_after_a_change(lesson):
    page = lesson.page
    (name,) = explorer_names(page)
    explorer = page.locator(EXPLORER).first
    summary = EXPLORERS[name][1]
    assert "Comercio de bienes México-Estados Unidos por año" in explorer.inner_text()
    before = _state(name, explorer)
    shown = summary_text(explorer)
    with i18n.use("es"):
        assert shown == summary(**before)
    assert shown.startswith("Comercio de bienes de EE. UU. con México")
    change_first_control(explorer)
    wait_for_new_summary(page, explorer, shown)
    after = _state(name, explorer)
    with i18n.use("es"):
        assert summary_text(explorer) == summary(**after)


def test_self_checks_and_charts_are_in_spanish(lesson):
    panel = lesson.page.locator(PANEL)
    assert panel.get_by_role("button", name="Comprobar").count() == 4
    alts = lesson.page.eval_on_selector_all(f"{PANEL} img[alt]", "els => els.map(e => e.alt)")
    assert any(alt.startswith("Gráfica de líneas") for alt in alts), alts
    assert not [alt for alt in alts if alt.startswith("Line chart")], alts


def test_the_spanish_lesson_is_accessible(lesson):
    violations = axe_violations(lesson.page)
    report = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations]
    assert not violations, "\n".join(report)
    assert images_without_alt(lesson.page) == []
    assert unnamed_controls(lesson.page) == []

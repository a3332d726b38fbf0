"""Drive JupyterLab the way a student does: `intermestic start`, Chromium, Run All, widgets.

Shared by the browser tests (``tests/browser``) and the latency benchmark
(``bench/bench_latency.py``). Needs Debian's Chromium (``/usr/bin/chromium``) and the Python
packages ``playwright`` and ``axe-playwright-python`` (for axe-core); Playwright's own browser
downloads are never used.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from axe_playwright_python.base import AXE_FILE_PATH
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright

from intermestic.launch import is_root, running_in_container

REPO_ROOT = Path(__file__).resolve().parents[2]
LESSONS = REPO_ROOT / "lessons"
# Screenshots of what the browser tests saw.
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
# axe-core as the Python package axe-playwright-python ships it (its version pins axe-core's).
AXE_SCRIPT = AXE_FILE_PATH
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
TOKEN = "intermestic-browser-test"
# Run All on a lesson (data loading, plots, widgets) stays well inside this.
RUN_ALL_TIMEOUT_MS = 120_000
# JupyterLab user settings for the test server: no "official Jupyter news?" toast covering
# the notebook, no update check, and every cell rendered (no windowing), so that axe and the
# screenshots see the whole notebook, not only the part in view.
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


@dataclass(frozen=True)
class LabServer:
    """A running ``intermestic start`` server: where it is and what it serves."""

    url: str
    token: str
    workspace: Path
    log_path: Path
    process: subprocess.Popen

    def notebook_url(self, relative: str) -> str:
        """The address that opens the notebook at `relative` (a path inside the workspace)."""
        return f"{self.url}/lab/tree/{quote(relative)}?token={self.token}"

    def log(self) -> str:
        """What the server has printed so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def write_user_settings(folder: Path) -> None:
    """Write `USER_SETTINGS` as JupyterLab user-settings files under `folder`."""
    for name, settings in USER_SETTINGS.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(settings, indent=2), encoding="utf-8")


@contextmanager
def lab_server(root: Path, extra_notebooks: dict[str, Path] | None = None) -> Iterator[LabServer]:
    """Start ``intermestic start`` as a student would, in a new workspace under `root`.

    `extra_notebooks` maps a path inside the workspace to a notebook copied there first (the
    lessons themselves are copied by ``intermestic start``). The server runs in its own process
    group on a free loopback port with a token, and is stopped with that group when the block
    ends. Jupyter's per-user folders come from the environment (the repository's conftest.py
    points them at temporary folders); JupyterLab's user settings and workspaces go under `root`.
    """
    workspace = root / "intermestic-course"
    workspace.mkdir(parents=True)
    for relative, source in (extra_notebooks or {}).items():
        target = workspace / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    settings = root / "lab-user-settings"
    write_user_settings(settings)
    port = free_port()
    log_path = root / "server.log"
    command = [
        sys.executable, "-m", "intermestic", "start", "--no-browser", "--port", str(port),
        "--workspace", str(workspace), "--",
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
        # As root outside a container `intermestic start` wants --allow-root, as it tells the
        # learner; in a container (as in CI) it passes that on its own.
        *(["--allow-root"] if is_root() and not running_in_container() else []),
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={root / 'lab-workspaces'}",
    ]  # fmt: skip
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LabServer(f"http://127.0.0.1:{port}", TOKEN, workspace, log_path, process)
    try:
        deadline = time.monotonic() + 90
        while _status(f"{server.url}/api/status?token={TOKEN}") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"JupyterLab did not start:\n{server.log()[-5000:]}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def gallery_notebook() -> Path | None:
    """The explorer gallery (one cell per explorer), once it exists in the repository."""
    path = REPO_ROOT / "tests" / "notebooks" / "explorers.ipynb"
    return path if path.exists() else None


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with nothing that talks to the network on its own."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def new_context(browser: Browser) -> BrowserContext:
    """A fresh browser profile (no cookies, storage or cache) with the test viewport."""
    return browser.new_context(viewport=VIEWPORT)


# --- a notebook in the page -------------------------------------------------------------------

# The open notebook (JupyterLab hides the panels of background tabs).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# True once every code cell with source shows an execution count ("[12]:", not "[ ]:" or
# "[*]:").
# A code cell counts as run when its prompt shows an execution count; only cells whose editor
# is shown and empty are skipped (a cell not rendered yet must not pass for a run one).
_ALL_EXECUTED = """(panel) => {
    const cells = [...document.querySelectorAll(panel + ' .jp-Notebook .jp-CodeCell')]
        .filter((cell) => {
            const editor = cell.querySelector('.cm-content');
            return !editor || editor.textContent.trim();
        });
    return cells.length > 0 && cells.every((cell) =>
        /^\\[\\d+\\]:$/.test(cell.querySelector('.jp-InputPrompt')?.textContent.trim() ?? ''));
}"""
_KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
    .some((item) => /\\| Idle$/.test(item.textContent.trim()))"""
# Widget views shown directly in a cell's output area (not nested inside another widget).
TOP_LEVEL_WIDGETS = (
    f"{PANEL} .jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output > .jupyter-widgets"
)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@dataclass
class OpenNotebook:
    """A notebook open in its own browser tab, run top to bottom, with its saved contents."""

    relative: str
    page: Page
    saved: dict[str, Any]
    run_seconds: float

    def cell(self, index: int) -> Locator:
        """The cell at `index` in the notebook (every cell is in the DOM in JupyterLab 4)."""
        return self.page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(index)


def fail_on_dialog(page: Page) -> None:
    """Raise if JupyterLab shows a modal dialog (kernel choice, errors) that blocks the page."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count():
        raise AssertionError(f"JupyterLab shows a dialog: {dialog.first.inner_text()!r}")


def open_notebook(context: BrowserContext, server: LabServer, relative: str) -> Page:
    """Open `relative` in a new tab, in a JupyterLab workspace of its own, once its kernel is idle.

    A workspace per tab keeps one tab's layout from reopening another tab's notebooks.
    """
    page = context.new_page()
    workspace = "test-" + relative.replace("/", "-").removesuffix(".ipynb")
    page.goto(
        f"{server.url}/lab/workspaces/{quote(workspace)}/tree/{quote(relative)}"
        f"?token={server.token}"
    )
    page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=60_000)
    try:
        page.wait_for_function(_KERNEL_IDLE, timeout=60_000, polling=100)
    except Exception:
        fail_on_dialog(page)
        raise
    return page


def save(page: Page) -> None:
    """Save the open notebook (toolbar button) and wait until its tab is no longer dirty.

    The lessons' ``save_my_work()`` cells also save; whichever save finishes last leaves the
    tab clean, and the file on disk then holds what the page shows.
    """
    page.locator(f"{PANEL} .jp-NotebookPanel-toolbar [data-jp-item-name='save'] button").click()
    try:
        page.wait_for_selector(
            "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current:not(.jp-mod-dirty)",
            timeout=30_000,
        )
    except Exception:
        fail_on_dialog(page)
        raise


def run_all(page: Page) -> None:
    """Run ▸ Run All Cells, then wait until every code cell has run and the kernel is idle."""
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    try:
        page.wait_for_function(_ALL_EXECUTED, arg=PANEL, timeout=RUN_ALL_TIMEOUT_MS, polling=100)
        page.wait_for_function(_KERNEL_IDLE, timeout=RUN_ALL_TIMEOUT_MS, polling=100)
    except Exception:
        fail_on_dialog(page)
        raise


def wait_for_widgets(page: Page, expected: int) -> None:
    """Wait until `expected` widget views are shown directly in output areas."""
    page.wait_for_function(
        "([selector, expected]) => document.querySelectorAll(selector).length >= expected",
        arg=[TOP_LEVEL_WIDGETS, expected],
        timeout=30_000,
        polling=100,
    )


def read_notebook(path: Path) -> dict[str, Any]:
    """The notebook at `path` as JSON, read again while the server is still writing it."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def widget_outputs(notebook: dict[str, Any]) -> int:
    """How many widget views the outputs of a saved notebook display."""
    return sum(
        WIDGET_MIME in output.get("data", {})
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
    )


def run_notebook(context: BrowserContext, server: LabServer, relative: str) -> OpenNotebook:
    """Open `relative`, Run All, save it, and wait until every widget output is shown."""
    started = time.monotonic()
    page = open_notebook(context, server, relative)
    run_all(page)
    # save_my_work() cells save from the kernel; let them finish so that the test's own save,
    # with every output, is the last one written.
    page.wait_for_function(
        # The settled status lines of both editions (English, then Spanish).
        """(panel) => [...document.querySelectorAll(panel + ' .intermestic-save-status')]
            .every((status) => new RegExp('Saved at|Could not confirm|requested|'
                + 'Guardado a las|No se pudo confirmar|Se pidió guardar')
                .test(status.textContent))""",
        arg=PANEL,
        timeout=60_000,
        polling=100,
    )
    save(page)
    saved = read_notebook(server.workspace / relative)
    wait_for_widgets(page, widget_outputs(saved))
    return OpenNotebook(relative, page, saved, time.monotonic() - started)


def screenshot(page: Page, path: Path) -> None:
    """A screenshot of the whole notebook: the viewport is stretched to the notebook's height."""
    height = page.evaluate(
        """(panel) => {
            const outer = document.querySelector(panel + ' .jp-WindowedPanel-outer');
            outer.scrollTop = 0;
            return outer.scrollHeight;
        }""",
        PANEL,
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height + 200, 30_000)})
    try:
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(VIEWPORT)


# --- explorers ----------------------------------------------------------------------------------

EXPLORER = f"{PANEL} .intermestic-explorer"
# An explorer's children that are controls, in the order of its ``controls`` mapping (the other
# children are HTML: heading, notice, figure, summary).
CONTROLS = ":scope > .jupyter-widgets:not(.widget-html)"


def explorer_names(page: Page) -> list[str]:
    """The name of every explorer in the open notebook, in page order."""
    return page.eval_on_selector_all(
        EXPLORER,
        """(roots) => roots.map((root) => [...root.classList]
            .find((c) => c.startsWith('intermestic-explorer-'))
            .slice('intermestic-explorer-'.length))""",
    )


EXPECTED_ERRORS_TAG = "raises-exception"


def unexpected_outputs(cells: list[dict[str, Any]]) -> list[str]:
    """What the saved code `cells` show that they should not: an error in a cell not tagged
    raises-exception (answer stubs and their tests are), or anything written to stderr."""
    problems = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        expected = EXPECTED_ERRORS_TAG in cell["metadata"].get("tags", [])
        for output in cell.get("outputs", []):
            if output["output_type"] == "error" and not expected:
                problems.append(f"cell {index}: {output['ename']}: {output['evalue']}")
            if output["output_type"] == "stream" and output["name"] == "stderr":
                problems.append(f"cell {index} writes to stderr: {output['text'][:300]!r}")
    return problems


def wait_for_new_summary(page: Page, explorer: Locator, shown: str) -> None:
    """Wait (10 s at most) until `explorer`'s text summary is no longer `shown`."""
    page.wait_for_function(
        "([root, old]) => root.querySelector('.intermestic-summary .widget-html-content')"
        ".textContent !== old",
        arg=[explorer.element_handle(), shown],
        timeout=10_000,
    )


def summary_text(explorer: Locator) -> str:
    """The text fallback an explorer shows for its current state."""
    return explorer.locator(".intermestic-summary .widget-html-content").text_content() or ""


def control_values(explorer: Locator) -> list[Any]:
    """What each control of `explorer` shows: the position of a menu's selected option (a list
    of positions for a multiple choice), a checkbox's state or a number or text box's text.
    (Explorers use no sliders: ipywidgets' slider handle has no accessible name.)"""
    return explorer.locator(CONTROLS).evaluate_all(
        """(controls) => controls.map((control) => {
            const select = control.querySelector('select');
            if (select) {
                const chosen = [...select.selectedOptions].map((o) => o.index);
                return select.multiple ? chosen : select.selectedIndex;
            }
            const box = control.querySelector('input[type=checkbox]');
            if (box) return box.checked;
            const text = control.querySelector('input, textarea');
            if (text) return text.value;
            throw new Error('unknown control: ' + control.className);
        })""",
    )


def change_first_control(explorer: Locator) -> str:
    """Change the first control of `explorer` by one step, as a learner would; say how.

    A menu selects its next option (the previous one at the end of the list).
    """
    first = explorer.locator(CONTROLS).first
    select = first.locator("select")
    if select.count():
        options = select.locator("option").all_text_contents()
        index = select.evaluate("(s) => s.selectedIndex")
        target = index + 1 if index + 1 < len(options) else index - 1
        select.select_option(index=target)
        return f"menu option {options[target]!r}"
    raise AssertionError(f"no way to change this control: {first.get_attribute('class')}")


# --- accessibility ------------------------------------------------------------------------------

# axe-core runs on the notebook's cells: rendered Markdown, code, and every output (widgets,
# tables, figures). Excluded are JupyterLab's own parts inside a cell, which the course does not
# control: the CodeMirror editor (its contenteditable has no accessible name), the "[n]:"
# prompts, the collapsers and the cell toolbar. The notebook container itself
# (.jp-WindowedPanel-viewport, whose ARIA list holds the cells) is JupyterLab chrome and outside
# the included cells.
AXE_CONTEXT = {
    "include": [[f"{PANEL} .jp-Notebook .jp-Cell"]],
    "exclude": [
        [".jp-InputArea-editor"],
        [".jp-InputPrompt"],
        [".jp-OutputPrompt"],
        [".jp-Collapser"],
        [".jp-cell-toolbar"],
    ],
}
SERIOUS = ("serious", "critical")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations in the open notebook's content."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        """async (context) => (await axe.run(context, {resultTypes: ['violations']}))
            .violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary)}))""",
        AXE_CONTEXT,
    )
    return [v for v in violations if v["impact"] in SERIOUS]


def images_without_alt(page: Page) -> list[str]:
    """The images in the notebook's outputs (widgets included) that have no alt text."""
    return page.eval_on_selector_all(
        f"{PANEL} .jp-OutputArea img",
        "(images) => images.filter((i) => !(i.getAttribute('alt') || '').trim())"
        ".map((i) => i.outerHTML.slice(0, 120))",
    )


def unnamed_controls(page: Page) -> list[str]:
    """The widget controls in the notebook's outputs that have no accessible name."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """(panel) => {
            const controls = document.querySelectorAll(panel + ' .jp-OutputArea .jupyter-widgets '
                + ':is(input:not([type=hidden]), select, textarea, button, [role=slider],'
                + ' [role=checkbox], [role=radio], [role=button], [role=combobox],'
                + ' [role=listbox], [role=spinbutton], [role=textbox])');
            axe.setup(document);
            try {
                return [...controls]
                    .filter((c) => !axe.commons.text.accessibleText(c).trim())
                    .map((c) => c.outerHTML.slice(0, 160));
            } finally {
                axe.teardown();
            }
        }""",
        PANEL,
    )

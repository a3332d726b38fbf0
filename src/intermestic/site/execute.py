"""Execute a student lesson for the website: locked cells only, widget state kept.

Answer cells and their tests (the cells the release tags as expected to fail until answered)
are not run, and neither are the cells that save or check the learner's own notebook file
(``save_my_work()``, ``check_my_work()``), which mean nothing on a static page. Every other cell
must run without an error. The tables the lesson loads (through `intermestic.data.load`, also
inside explorers and chart functions) are recorded for the page's "Data used" list.
"""

from __future__ import annotations

import ast
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from intermestic.errors import CourseError
from intermestic.notebooks import expects_error_in_release

# Calls that act on the learner's notebook file in JupyterLab.
FILE_CALLS = ("save_my_work", "check_my_work")
CELL_TIMEOUT = 300

_RECORD_TABLES = """\
import functools as _site_functools
import intermestic.data as _site_data
_site_tables = []
_site_load = _site_data.load


@_site_functools.wraps(_site_load)
def _site_recording_load(name, *args, **kwargs):
    if name not in _site_tables:
        _site_tables.append(name)
    return _site_load(name, *args, **kwargs)


_site_data.load = _site_recording_load
"""
_REPORT_TABLES = "import json as _site_json\nprint(_site_json.dumps(_site_tables))"


@dataclass
class ExecutedLesson:
    """A lesson executed for the site: the notebook with outputs, and what it loaded."""

    notebook: NotebookNode
    tables: list[str]
    skipped: list[int]


def calls_any(source: str, names: tuple[str, ...]) -> bool:
    """Whether code `source` calls a function with one of `names` (as ``f()`` or ``m.f()``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name in names:
                return True
    return False


def is_skipped(cell: NotebookNode) -> bool:
    """Whether the site leaves a cell unexecuted (answer cells, tests, file actions)."""
    return cell.cell_type == "code" and (
        expects_error_in_release(cell) or calls_any(cell.source, FILE_CALLS)
    )


def execute_lesson(path: Path, timeout: int = CELL_TIMEOUT) -> ExecutedLesson:
    """Run the locked cells of the student lesson at `path` in a fresh kernel."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from intermestic.kernels import private_kernel_manager
    from intermestic.notebooks import read_notebook

    notebook = read_notebook(path)
    sources = [cell.source for cell in notebook.cells]
    skipped = [i for i, cell in enumerate(notebook.cells) if is_skipped(cell)]
    for index in skipped:
        notebook.cells[index].source = ""
    notebook.cells.insert(0, nbformat.v4.new_code_cell(_RECORD_TABLES))
    notebook.cells.append(nbformat.v4.new_code_cell(_REPORT_TABLES))
    with tempfile.TemporaryDirectory(prefix="intermestic-site-run-") as folder:
        manager = private_kernel_manager(Path(folder))
        client = NotebookClient(
            notebook,
            km=manager,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=False,
            store_widget_state=True,
            resources={"metadata": {"path": folder}},
        )
        try:
            client.execute()
        except CellExecutionError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else "an error"
            raise CourseError(
                f"{path.name}: a locked cell failed while building the site ({reason})"
            ) from None
        except (CellTimeoutError, DeadKernelError) as error:
            raise CourseError(
                f"{path.name}: the lesson could not be run for the site ({error})"
            ) from None
        finally:
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
    report = notebook.cells.pop()
    notebook.cells.pop(0)
    tables = json.loads("".join(o.get("text", "") for o in report.outputs).strip() or "[]")
    for cell, source in zip(notebook.cells, sources, strict=True):
        cell.source = source
    for index in skipped:
        notebook.cells[index].outputs = []
        notebook.cells[index].execution_count = None
    return ExecutedLesson(notebook, tables, skipped)

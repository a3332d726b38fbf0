"""Reading, normalising and writing course notebooks so that a rebuild is byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from intermestic.errors import CourseError

NBFORMAT_MINOR = 5
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# Tag that tells nbval a cell is expected to raise: answer stubs and the tests that check them.
EXPECTED_ERROR_TAG = "raises-exception"
# Cell metadata keys kept in a released notebook; everything else (collapsed, scrolled,
# execution timings, editor state) is dropped.
KEPT_CELL_METADATA = ("deletable", "editable", "nbgrader", "tags")


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook, turning a missing file or invalid JSON into a one-line CourseError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise CourseError(f"{path}: not UTF-8 text ({exc.reason})") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise CourseError(
            f"{path}: not a valid notebook (invalid JSON at line {exc.lineno}: {exc.msg})"
        ) from None
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except nbformat.ValidationError as exc:
        raise CourseError(f"{path}: not a valid notebook ({exc.message})") from None
    return notebook


def cell_id(cell: NotebookNode, index: int) -> str:
    """A deterministic id: the nbgrader grade_id where there is one, else the cell's position."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    raw = grade_id if grade_id else f"cell-{index:03d}"
    return raw.replace("_", "-")


def expects_error_in_release(cell: NotebookNode) -> bool:
    """Whether a released cell is meant to fail until the student answers.

    Autograded answer cells become ``raise NotImplementedError()`` stubs, and the
    test cells that check them then fail too.
    """
    grading = cell.get("metadata", {}).get("nbgrader", {})
    if cell.cell_type != "code":
        return False
    is_answer_stub = grading.get("solution", False) and not grading.get("grade", False)
    is_test = grading.get("grade", False) and not grading.get("solution", False)
    return bool(is_answer_stub or is_test)


def normalise(notebook: NotebookNode, *, release: bool) -> NotebookNode:
    """Return a copy with stable ids and metadata and no outputs.

    With ``release=True``, answer stubs and their tests are tagged as expected to raise.
    """
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    notebook.nbformat, notebook.nbformat_minor = 4, NBFORMAT_MINOR
    notebook.metadata = nbformat.from_dict(
        {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    for index, cell in enumerate(notebook.cells):
        cell.id = cell_id(cell, index)
        kept = {key: cell.metadata[key] for key in KEPT_CELL_METADATA if key in cell.metadata}
        if release and expects_error_in_release(cell):
            tags = [tag for tag in kept.get("tags", []) if tag != EXPECTED_ERROR_TAG]
            kept["tags"] = [*tags, EXPECTED_ERROR_TAG]
        cell.metadata = nbformat.from_dict(kept)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if "attachments" in cell and not cell.attachments:
            del cell["attachments"]
    nbformat.validate(notebook)
    return notebook


def dumps(notebook: NotebookNode) -> str:
    """Serialise a notebook exactly as nbformat writes it, with a final newline."""
    return nbformat.writes(notebook, version=4) + "\n"

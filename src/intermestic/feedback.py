"""nbgrader preprocessors that keep hidden tests out of the feedback students receive."""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

HIDDEN_DETAIL_NOTE = "(a test failed; its details are hidden)"


class StripTestTracebacks(NbGraderPreprocessor):
    """Reduce the error output of every autograder test cell to its exception name.

    nbgrader's ClearHiddenTests removes hidden test source, but a failing hidden
    ``assert`` still appears in the traceback (jupyter/nbgrader#917, #1363).
    Visible-test messages are written by the course as the assertion message,
    so the exception value is kept only for the visible part of a test cell.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        """Replace tracebacks in test cells; leave every other cell alone."""
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and grading.get("grade") and not grading.get("solution"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["evalue"] = ""
                    output["traceback"] = [f"{output.get('ename', 'Error')} {HIDDEN_DETAIL_NOTE}"]
        return cell, resources

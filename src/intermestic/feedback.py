"""nbgrader preprocessors that keep hidden tests out of the feedback students receive."""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from intermestic import i18n
from intermestic.i18n import N_, _

HIDDEN_DETAIL_NOTE = N_("(a test failed; its details are hidden)")


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
        """Replace tracebacks in test cells; leave every other cell alone. The note is in the
        language of the assignment's edition (``NN-topic-es`` is Spanish)."""
        grading = cell.metadata.get("nbgrader", {})
        assignment = str(resources.get("nbgrader", {}).get("assignment", ""))
        if cell.cell_type == "code" and grading.get("grade") and not grading.get("solution"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["evalue"] = ""
                    with i18n.use(i18n.split_edition(assignment)[1]):
                        note = _(HIDDEN_DETAIL_NOTE)
                    output["traceback"] = [f"{output.get('ename', 'Error')} {note}"]
        return cell, resources

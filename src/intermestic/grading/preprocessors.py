"""nbgrader preprocessors that ``intermestic grade autograde`` adds to nbgrader's own."""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor


class DropEmptyGradingMetadata(NbGraderPreprocessor):
    """Make a cell whose nbgrader metadata is empty an ordinary cell.

    nbgrader's DeduplicateIds keeps the last copy of a duplicated grade id and empties the
    metadata of the others, which its own CheckCellMetadata then rejects as an outdated schema
    (nbgrader 0.9.6), failing the submission.
    """

    def preprocess_cell(
        self, cell: NotebookNode, resources: dict[str, Any], index: int
    ) -> tuple[NotebookNode, dict[str, Any]]:
        """Remove an empty ``nbgrader`` metadata entry; leave every other cell alone."""
        if cell.get("metadata", {}).get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


# nbgrader's autograde sanitizing steps (nbgrader 0.9.6's list), with the fix above right after
# DeduplicateIds.
SANITIZE = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "intermestic.grading.preprocessors.DropEmptyGradingMetadata",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

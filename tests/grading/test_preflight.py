"""Each preflight step alone, and the nbgrader step that makes DeduplicateIds' leftovers
ordinary cells, on the real release of lesson 00 (no nbgrader run)."""

from __future__ import annotations

import copy

import nbformat
import pytest
from nbformat import NotebookNode

from intermestic.grading import preflight
from intermestic.grading.preflight import Quarantine, repair_notebook
from intermestic.grading.preprocessors import SANITIZE, DropEmptyGradingMetadata
from tests.course import lesson_notebook, read
from tests.grading.fixtures import ASSIGNMENT

NAME = f"{ASSIGNMENT}.ipynb"


@pytest.fixture(scope="module")
def release() -> NotebookNode:
    return read(lesson_notebook(ASSIGNMENT))


def _ids(nb: NotebookNode) -> list[str | None]:
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def test_match_names_renames_a_lone_notebook(tmp_path):
    (tmp_path / "Copy of lesson (1).ipynb").write_text("{}")
    renamed = [f"renamed Copy of lesson (1).ipynb to {NAME}"]
    assert preflight.match_names(tmp_path, [NAME]) == renamed
    assert [p.name for p in tmp_path.iterdir()] == [NAME]
    assert preflight.match_names(tmp_path, [NAME]) == []


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ([], f"{NAME} missing (found no other notebook)"),
        (["a.ipynb", "b.ipynb"], f"{NAME} missing (found a.ipynb, b.ipynb)"),
    ],
)
def test_match_names_quarantines_what_it_cannot_tell(tmp_path, files, reason):
    for name in files:
        (tmp_path / name).write_text("{}")
    with pytest.raises(Quarantine) as caught:
        preflight.match_names(tmp_path, [NAME])
    assert str(caught.value) == reason


def test_strip_null_bytes():
    assert preflight.strip_null_bytes(b'{"a": 1}') == (b'{"a": 1}', [])
    stripped = (b'{"a": 1}', ["removed null bytes from the file"])
    assert preflight.strip_null_bytes(b'{"a":\x00 1}') == stripped


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "invalid JSON (line 1"),
        (b"[1, 2]", "not a notebook (no list of cells)"),
        (b"\xff\xfe", "not UTF-8 text"),
        (b'{"cells": [], "nbformat": 99}', "not a notebook ("),
    ],
)
def test_parse_quarantines_unreadable_files(raw, reason):
    with pytest.raises(Quarantine) as caught:
        preflight.parse(raw)
    assert str(caught.value).startswith(reason)


def test_strip_null_characters(release):
    nb = copy.deepcopy(release)
    nb.cells[3].source += "\x00"
    notes = preflight.strip_null_characters(nb, release)
    assert notes == ["removed null characters from 1 cell(s)"]
    assert "\x00" not in nb.cells[3].source
    assert preflight.strip_null_characters(nb, release) == []


def test_restore_deleted_grade_cells_in_release_order(release):
    nb = copy.deepcopy(release)
    order = _ids(nb)
    del nb.cells[order.index("q1_test")]
    del nb.cells[order.index("q3_answer") - 1]  # a written answer after a locked prompt
    notes = preflight.restore_deleted_grade_cells(nb, release)
    assert notes == [
        "restored missing cell q1_test from the release",
        "restored missing cell q3_answer from the release",
    ]
    assert _ids(nb) == order


def test_a_test_stripped_of_its_metadata_is_restored_beside_it_with_a_new_cell_id(release):
    nb = copy.deepcopy(release)
    stripped = _ids(nb).index("q1_test")
    del nb.cells[stripped].metadata["nbgrader"]
    assert preflight.restore_deleted_grade_cells(nb, release) == [
        "restored missing cell q1_test from the release"
    ]
    ids = [c.get("id") for c in nb.cells]
    assert len(ids) == len(set(ids)) == len(release.cells) + 1
    assert _ids(nb).count("q1_test") == 1


def test_locked_cells_and_answers_are_left_to_nbgrader(release):
    nb = copy.deepcopy(release)
    nb.cells[_ids(nb).index("q1_test")].source = "pass"  # OverwriteCells puts it back
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    assert preflight.restore_deleted_grade_cells(nb, release) == []
    assert repair_notebook(nbformat.writes(nb).encode(), release)[1] == []


def test_validate_quarantines_a_notebook_the_schema_rejects(release):
    nb = copy.deepcopy(release)
    nb.cells[0]["cell_type"] = "picture"
    with pytest.raises(Quarantine, match="not a valid notebook"):
        preflight.validate(nb, release)


def test_an_untouched_submission_needs_no_repair(release):
    assert repair_notebook(nbformat.writes(release).encode(), release)[1] == []


def test_drop_empty_grading_metadata():
    step = DropEmptyGradingMetadata()
    emptied = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {}})
    graded = nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade": True}})
    assert "nbgrader" not in step.preprocess_cell(emptied, {}, 0)[0].metadata
    assert step.preprocess_cell(graded, {}, 1)[0].metadata == {"nbgrader": {"grade": True}}


def test_the_fix_runs_right_after_nbgrader_deduplicates():
    from nbgrader.converters.autograde import Autograde

    defaults = Autograde().sanitize_preprocessors  # nbgrader's own list, in its order
    nbgrader_steps = [f"nbgrader.preprocessors.{step.__name__}" for step in defaults]
    ours = [step for step in SANITIZE if not step.startswith("intermestic.")]
    assert ours == nbgrader_steps
    assert SANITIZE.index("intermestic.grading.preprocessors.DropEmptyGradingMetadata") == (
        SANITIZE.index("nbgrader.preprocessors.DeduplicateIds") + 1
    )

"""What students see in feedback: test tracebacks stripped, hidden tests found and caught."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from intermestic.feedback import HIDDEN_DETAIL_NOTE, StripTestTracebacks
from intermestic.grading.course import Course
from intermestic.grading.feedback import HIDDEN_BEGIN, HIDDEN_END, _leaks, hidden_lines

TEST = {"grade": True, "solution": False, "locked": True, "grade_id": "q1_test", "points": 1}
ANSWER = {"grade": False, "solution": True, "locked": False, "grade_id": "q1_answer"}


def _error(value: str) -> nbformat.NotebookNode:
    return new_output(
        "error",
        ename="AssertionError",
        evalue=value,
        traceback=["Traceback", f"assert q1 == {value}"],
    )


def _strip(cell: nbformat.NotebookNode) -> nbformat.NotebookNode:
    return StripTestTracebacks().preprocess_cell(cell, {}, 0)[0]


def test_a_failing_test_shows_only_its_exception_name():
    cell = _strip(
        new_code_cell("assert q1 == 42", metadata={"nbgrader": TEST}, outputs=[_error("42")])
    )
    (output,) = cell.outputs
    assert output.evalue == "" and output.traceback == [f"AssertionError {HIDDEN_DETAIL_NOTE}"]


def test_other_outputs_and_answer_cells_are_kept():
    printed = new_output("stream", name="stdout", text="q1 is 7\n")
    test = _strip(new_code_cell("print(q1)", metadata={"nbgrader": TEST}, outputs=[printed]))
    assert test.outputs == [printed]
    answer = _strip(new_code_cell("q1 = 1/0", metadata={"nbgrader": ANSWER}, outputs=[_error("x")]))
    assert answer.outputs[0].evalue == "x"  # the student's own error, with its traceback
    plain = _strip(new_code_cell("1/0", outputs=[_error("y")]))
    assert plain.outputs[0].traceback == ["Traceback", "assert q1 == y"]


def test_hidden_lines_are_every_line_between_the_markers(tmp_path):
    source = "\n".join(
        ["assert q1 > 0", HIDDEN_BEGIN, "assert q1 == 42", "", "assert q2 < 3", HIDDEN_END, "pass"]
    )
    folder = tmp_path / "source" / "a1"
    folder.mkdir(parents=True)
    nb = new_notebook(cells=[new_code_cell(source, metadata={"nbgrader": TEST})])
    nbformat.write(nb, folder / "a1.ipynb")
    assert hidden_lines(Course(tmp_path), "a1") == ["assert q1 == 42", "assert q2 < 3"]


def test_a_page_showing_a_hidden_line_is_caught(tmp_path):
    page = tmp_path / "a1.html"
    hidden = ["assert name == 'Ana & Ben'"]
    page.write_text("<pre>assert q1 &gt; 0</pre>")
    assert not _leaks(page, hidden)
    page.write_text("<pre>assert name == &#x27;Ana &amp; Ben&#x27;</pre>")
    assert _leaks(page, hidden)  # escaped as HTML
    page.write_text("### BEGIN HIDDEN TESTS")
    assert _leaks(page, [])

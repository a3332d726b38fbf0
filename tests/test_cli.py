"""The command line: one-line errors with exit status 2, and the start command's workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intermestic.errors import CourseError
from intermestic.launch import jupyterlab_command, prepare_workspace
from tests.course import LESSONS, intermestic


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_command_is_a_one_line_error():
    assert_one_line_error(intermestic("frobnicate"), "invalid choice", "frobnicate")


def test_missing_command_is_a_one_line_error():
    assert_one_line_error(intermestic(), "required")


def test_unknown_option_is_a_one_line_error():
    assert_one_line_error(intermestic("build", "--colour"), "--colour")


def test_build_with_missing_course_is_a_one_line_error(tmp_path):
    missing = tmp_path / "nowhere"
    result = intermestic("build", "--autograder", str(missing), "--lessons", str(tmp_path / "out"))
    assert_one_line_error(result, str(missing))


def _course_with_notebook_text(root: Path, text: str) -> Path:
    notebook = root / "autograder" / "source" / "01-broken" / "01-broken.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text(text, encoding="utf-8")
    (root / "autograder" / "nbgrader_config.py").write_text("c = get_config()\n")
    return notebook


def test_build_with_invalid_json_names_the_file(tmp_path):
    notebook = _course_with_notebook_text(tmp_path, '{"cells": [,]}')
    result = intermestic(
        "build", "--autograder", str(tmp_path / "autograder"), "--lessons", str(tmp_path / "out")
    )
    assert_one_line_error(result, str(notebook), "invalid JSON")
    assert not (tmp_path / "out").exists()


def test_build_with_a_json_file_that_is_no_notebook_names_the_file(tmp_path):
    notebook = _course_with_notebook_text(tmp_path, json.dumps({"cells": "none"}))
    result = intermestic(
        "build", "--autograder", str(tmp_path / "autograder"), "--lessons", str(tmp_path / "out")
    )
    assert_one_line_error(result, str(notebook), "not a valid notebook")


def test_build_with_an_assignment_folder_without_its_notebook(tmp_path):
    (tmp_path / "autograder" / "source" / "02-empty").mkdir(parents=True)
    result = intermestic(
        "build", "--autograder", str(tmp_path / "autograder"), "--lessons", str(tmp_path / "out")
    )
    assert_one_line_error(result, "02-empty.ipynb")


def test_start_copies_every_lesson_into_a_new_workspace(tmp_path):
    report = prepare_workspace(LESSONS, tmp_path / "course")
    lessons = sorted(p.name for p in LESSONS.glob("*.ipynb"))
    assert report.copied == lessons
    assert report.kept == []
    for name in lessons:
        assert (tmp_path / "course" / name).read_bytes() == (LESSONS / name).read_bytes()


def test_start_never_overwrites_a_learners_work(tmp_path):
    workspace = tmp_path / "course"
    workspace.mkdir()
    first = sorted(LESSONS.glob("*.ipynb"))[0].name
    (workspace / first).write_text("my answers", encoding="utf-8")
    report = prepare_workspace(LESSONS, workspace)
    assert first in report.kept and first not in report.copied
    assert (workspace / first).read_text(encoding="utf-8") == "my answers"


def test_start_refuses_a_workspace_that_is_a_file(tmp_path):
    (tmp_path / "course").write_text("not a folder")
    with pytest.raises(CourseError, match="not a folder"):
        prepare_workspace(LESSONS, tmp_path / "course")


def test_start_with_a_file_as_workspace_is_a_one_line_error(tmp_path):
    (tmp_path / "course").write_text("not a folder")
    result = intermestic("start", "--no-browser", "--workspace", str(tmp_path / "course"))
    assert_one_line_error(result, "not a folder")


def test_jupyterlab_opens_the_first_lesson_offline(tmp_path):
    command = jupyterlab_command(
        tmp_path, "00-start-here.ipynb", port=8123, open_browser=False, extra=["--foo=1"]
    )
    assert "--LabApp.default_url=/lab/tree/00-start-here.ipynb" in command
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in command
    assert "--ServerApp.port=8123" in command and "--no-browser" in command
    assert "--LabApp.news_url=None" in command
    assert command[-1] == "--foo=1"

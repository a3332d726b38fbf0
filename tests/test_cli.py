"""The command line: one-line errors with exit status 2, and the start command's workspace."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path

import pytest

from intermestic import cli, launch
from intermestic.errors import CourseError
from intermestic.launch import (
    ALLOW_ROOT,
    HIDDEN_LAB_PLUGINS,
    HIDDEN_SERVER_EXTENSIONS,
    jupyterlab_command,
    jupyterlab_environment,
    prepare_workspace,
    root_arguments,
    running_in_container,
    write_student_config,
)
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_build_with_invalid_json_names_the_file(tmp_path):
    notebook = _course_with_notebook_text(tmp_path, '{"cells": [,]}')
    result = intermestic(
        "build", "--autograder", str(tmp_path / "autograder"), "--lessons", str(tmp_path / "out")
    )
    assert_one_line_error(result, str(notebook), "invalid JSON")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_build_with_a_json_file_that_is_no_notebook_names_the_file(tmp_path):
    notebook = _course_with_notebook_text(tmp_path, json.dumps({"cells": "none"}))
    result = intermestic(
        "build", "--autograder", str(tmp_path / "autograder"), "--lessons", str(tmp_path / "out")
    )
    assert_one_line_error(result, str(notebook), "not a valid notebook")


@pytest.mark.slow
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
    result = intermestic(
        "start", "--no-browser", "--workspace", str(tmp_path / "course"), "--", "--allow-root"
    )
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


def test_jupyterlab_starts_without_nbgraders_instructor_services(tmp_path):
    command = jupyterlab_command(tmp_path, "00.ipynb", port=None, open_browser=True, extra=[])
    disabled = {
        argument.removeprefix("--ServerApp.jpserver_extensions=").removesuffix("=False")
        for argument in command
        if argument.startswith("--ServerApp.jpserver_extensions=")
    }
    assert disabled == set(HIDDEN_SERVER_EXTENSIONS)
    assert "nbgrader.server_extensions.validate_assignment" not in disabled


def test_student_config_hides_nbgraders_instructor_plugins_but_not_validate(tmp_path):
    config = write_student_config(tmp_path / "config")
    page = json.loads((config / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    hidden = {
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:course-list",
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:assignment-list",
        "@jupyter/nbgrader:menu",
    }
    assert set(HIDDEN_LAB_PLUGINS) == hidden
    assert page["disabledExtensions"] == dict.fromkeys(hidden, True)
    assert page["lockedExtensions"] == dict.fromkeys(hidden, True)
    # nbgrader warns on every Validate when no nbgrader_config.py is on the config path.
    assert (config / "nbgrader_config.py").is_file()


def test_student_config_comes_first_on_the_jupyter_config_path(tmp_path):
    assert jupyterlab_environment(tmp_path, {"HOME": "/home/ana"}) == {
        "HOME": "/home/ana",
        "JUPYTER_CONFIG_PATH": str(tmp_path),
    }
    env = jupyterlab_environment(tmp_path, {"JUPYTER_CONFIG_PATH": "/etc/site-jupyter"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(tmp_path), "/etc/site-jupyter"]


@pytest.mark.parametrize(
    ("is_root", "in_container", "extra", "added"),
    [
        (False, False, [], []),
        (False, True, [], []),
        (True, True, [], [ALLOW_ROOT]),
        (True, True, ["--ServerApp.allow_root=False"], []),
        (True, False, ["--allow-root"], []),
        (True, False, ["--port=9000", "--ServerApp.allow_root=True"], []),
    ],
)
def test_root_is_allowed_in_a_container_or_when_asked(is_root, in_container, extra, added):
    assert root_arguments(extra, is_root=is_root, in_container=in_container) == added


def test_root_outside_a_container_is_told_to_pass_allow_root():
    with pytest.raises(CourseError, match=r"intermestic start -- --allow-root"):
        root_arguments(["--port=9000"], is_root=True, in_container=False)


@pytest.mark.parametrize(
    ("files", "environ", "expected"),
    [
        ({}, {}, False),
        ({"proc/1/cgroup": "0::/\n"}, {}, False),
        ({"proc/1/cgroup": "0::/init.scope\n1:name=systemd:/user.slice\n"}, {}, False),
        ({".dockerenv": ""}, {}, True),
        ({"run/.containerenv": ""}, {}, True),
        ({"proc/1/cgroup": "12:pids:/docker/0123abcd\n"}, {}, True),
        ({"proc/1/cgroup": "0::/kubepods/besteffort/pod1/abc\n"}, {}, True),
        ({}, {"container": "podman"}, True),
        ({}, {"KUBERNETES_SERVICE_HOST": "10.0.0.1"}, True),
    ],
)
def test_containers_are_recognised(tmp_path, files, environ, expected):
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    assert running_in_container(tmp_path, environ) is expected


def _start(monkeypatch, tmp_path, *, in_container: bool, extra: tuple[str, ...] = ()):
    """Run ``intermestic start`` in this process as root; return its exit status and the
    command and environment JupyterLab would have been started with (None when it was not)."""
    monkeypatch.setattr(launch, "is_root", lambda: True)
    monkeypatch.setattr(launch, "running_in_container", lambda: in_container)
    started = {}

    def run(command, env):
        config = Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
        started["page_config"] = (config / "labconfig" / "page_config.json").exists()
        started["command"] = command
        return 0

    monkeypatch.setattr(launch, "run_jupyterlab", run)
    workspace = tmp_path / "course"
    status = cli.main(["start", "--no-browser", "--workspace", str(workspace), *extra])
    return status, started


def test_start_as_root_in_a_container_says_it_allows_root(monkeypatch, tmp_path, capsys):
    status, started = _start(monkeypatch, tmp_path, in_container=True)
    out = capsys.readouterr().out
    assert status == 0
    assert ALLOW_ROOT in started["command"]
    assert started["page_config"], "the student configuration was gone before JupyterLab ran"
    notes = [line for line in out.splitlines() if not line.startswith("Copied ")]
    assert notes == ["Running as root in a container: JupyterLab is started with --allow-root."]


def test_start_as_root_elsewhere_is_a_one_line_error_before_anything_happens(
    monkeypatch, tmp_path, capsys
):
    status, started = _start(monkeypatch, tmp_path, in_container=False)
    err = capsys.readouterr().err
    assert status == 2 and started == {}
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "'intermestic start -- --allow-root'" in err
    assert not (tmp_path / "course").exists()


def test_start_as_root_with_allow_root_starts_quietly(monkeypatch, tmp_path, capsys):
    status, started = _start(
        monkeypatch, tmp_path, in_container=False, extra=("--", "--allow-root")
    )
    assert status == 0 and started["command"][-1] == "--allow-root"
    assert ALLOW_ROOT not in started["command"]
    assert "Running as root" not in capsys.readouterr().out


# Stands in for JupyterLab: writes "stopped" into the file named by its argument, then exits
# with status 5 after a while, or 3 on a termination or hang-up signal.
SLOW_CHILD = """
import pathlib, signal, sys, time
def stop(status):
    pathlib.Path(sys.argv[1]).write_text("stopped")
    sys.exit(status)
signal.signal(signal.SIGTERM, lambda *_: stop(3))
signal.signal(signal.SIGHUP, lambda *_: stop(3))
time.sleep(3)
stop(5)
"""


@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 0), (signal.SIGTERM, 3), (signal.SIGHUP, 3)]
)
def test_start_waits_for_jupyterlab_and_passes_signals_on(tmp_path, signum, status):
    """Ctrl+C (which the terminal sends to JupyterLab as well) never kills JupyterLab from
    here: start waits for it to stop and then exits with 0; a termination or hang-up signal is
    passed on to it, and its exit status is start's."""
    received = []

    def here(signum, _frame):  # what this process would do without start's own handlers
        received.append(signum)

    previous = {s: signal.signal(s, here) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        threading.Timer(0.5, os.kill, (os.getpid(), signum)).start()
        stopped = tmp_path / "stopped"
        command = [sys.executable, "-c", SLOW_CHILD, str(stopped)]
        assert launch.run_jupyterlab(command, dict(os.environ)) == status
        assert stopped.exists(), "start returned before JupyterLab stopped"
        assert received == [], "the signal stopped here instead of reaching JupyterLab"
        assert all(signal.getsignal(s) is here for s in previous), "handlers not restored"
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)

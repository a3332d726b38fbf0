"""Save my work: notebook detection, assignment names, the download link and each front end."""

from __future__ import annotations

import html
import os
import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import intermestic
from intermestic import save
from intermestic.save import (
    SAVE_COMMAND,
    SaveStatus,
    assignment_name,
    download_html,
    instructions,
    notebook_path,
)

LESSONS = {"00-start-here", "01-the-reset"}


def test_lesson_notebooks_are_known_assignments():
    assert assignment_name(Path("lessons/00-start-here.ipynb")) == "00-start-here"


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("00-start-here.ipynb", "00-start-here"),
        ("00-start-here-Copy1.ipynb", "00-start-here"),
        ("00-start-here (2).ipynb", "00-start-here"),
        ("sub/01-the-reset-Copy1 (1).ipynb", "01-the-reset"),
        ("my notes-Copy1.ipynb", "my notes-Copy1"),  # not a lesson: keeps its own name
    ],
)
def test_assignment_name_strips_copy_suffixes_of_lessons(file, expected):
    assert assignment_name(Path(file), LESSONS) == expected


def test_notebook_path_from_vscode_then_jupyter_server(monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "lessons/00-start-here.ipynb")
    assert notebook_path({}) == Path("lessons/00-start-here.ipynb")
    vscode = {"__vsc_ipynb_file__": "/home/me/00-start-here.ipynb"}
    assert notebook_path(vscode) == Path("/home/me/00-start-here.ipynb")
    monkeypatch.setenv("JPY_SESSION_NAME", "console-1")  # a console, not a notebook
    assert notebook_path({}) is None
    monkeypatch.delenv("JPY_SESSION_NAME")
    assert notebook_path({}) is None


def test_download_link_is_relative_to_the_notebook_and_names_the_file_for_hand_in():
    text = download_html(Path("lessons/00-start-here.ipynb"), "00-start-here")
    assert re.search(r'href="([^"]+)"', text).group(1) == "00-start-here.ipynb"
    assert 'download="00-start-here.ipynb"' in text
    assert "do not rename" in text and "First rename" not in text


def test_a_renamed_copy_is_asked_to_take_the_lesson_name_back():
    # Jupyter Server's Content-Disposition header names a download after the file on disk.
    text = download_html(Path("lessons/00-start-here (1).ipynb"), "00-start-here")
    assert 'href="00-start-here%20%281%29.ipynb"' in text  # the file beside the notebook
    assert "First rename this notebook to <code>00-start-here.ipynb</code>" in text


def test_download_link_escapes_odd_names():
    text = download_html(Path('a"b<c>.ipynb'), 'a"b')
    assert '"a"b' not in text and html.escape('a"b', quote=True) in text


def test_instructions_for_jupyter_and_vscode():
    lab = instructions(Path("00-start-here.ipynb"), "00-start-here")
    assert "File > Download" in lab and "00-start-here.ipynb" in lab and "Binder" in lab
    code = instructions(Path("/home/me/00-start-here.ipynb"), "00-start-here", vscode=True)
    assert "/home/me/00-start-here.ipynb" in code and "Ctrl+S" in code
    assert "named" not in instructions(None, None)


class FakeFrontEnd:
    """Stands in for ipylab's JupyterFrontEnd: records commands, runs on_ready on demand."""

    def __init__(self):
        self.executed = []
        self.ready_callbacks = []
        self.commands = SimpleNamespace(execute=self.executed.append)

    def on_ready(self, callback):
        self.ready_callbacks.append(callback)


def _wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_save_status_says_saved_once_the_file_has_changed(tmp_path):
    notebook = tmp_path / "00-start-here.ipynb"
    notebook.write_text("{}")
    app = FakeFrontEnd()
    app.commands.execute = lambda command: (
        app.executed.append(command),
        notebook.write_text("{ }"),
    )
    os.utime(notebook, ns=(0, 0))
    status = SaveStatus(notebook)
    status.attach(app)
    assert app.executed == [] and "Saving" in status.value
    app.ready_callbacks[0]()
    assert app.executed == [SAVE_COMMAND]
    _wait_for(lambda: status.saved_at is not None)
    assert "Saved at" in status.value and status.saved_at


def test_save_status_does_not_claim_a_save_that_did_not_happen(tmp_path):
    notebook = tmp_path / "00-start-here.ipynb"
    notebook.write_text("{}")
    app = FakeFrontEnd()
    status = SaveStatus(notebook, timeout=0.3)
    status.attach(app)
    app.ready_callbacks[0]()
    _wait_for(lambda: "Could not confirm" in status.value)
    assert "Could not confirm" in status.value and status.saved_at is None


def test_save_status_without_a_known_file_only_says_the_save_was_requested():
    app = FakeFrontEnd()
    status = SaveStatus()
    status.attach(app)
    app.ready_callbacks[0]()
    assert app.executed == [SAVE_COMMAND]
    assert "Save requested" in status.value and status.saved_at is None


def test_outside_a_kernel_it_prints_instructions(monkeypatch, capsys):
    monkeypatch.setattr(save, "get_ipython", lambda: None)
    monkeypatch.setenv("JPY_SESSION_NAME", "00-start-here.ipynb")
    intermestic.save_my_work()
    assert "00-start-here.ipynb" in capsys.readouterr().out


def test_in_vscode_it_prints_where_the_file_is(monkeypatch, capsys):
    shell = SimpleNamespace(
        user_ns={"__vsc_ipynb_file__": "/w/00-start-here.ipynb"}, kernel=object()
    )
    monkeypatch.setattr(save, "get_ipython", lambda: shell)
    save.save_my_work()
    assert "/w/00-start-here.ipynb" in capsys.readouterr().out


def test_in_jupyterlab_it_saves_and_shows_the_link(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    shell = SimpleNamespace(user_ns={}, kernel=object())
    app = FakeFrontEnd()
    shown = []
    monkeypatch.setattr(save, "get_ipython", lambda: shell)
    monkeypatch.setattr(save, "_frontend", lambda: app)
    monkeypatch.setattr(save, "display", lambda obj, **kw: shown.append(obj))
    monkeypatch.setenv("JPY_SESSION_NAME", "course/00-start-here-Copy1.ipynb")
    save.save_my_work()
    status, bundle = shown
    assert isinstance(status, SaveStatus)
    app.ready_callbacks[0]()
    assert app.executed == [SAVE_COMMAND]
    assert 'href="00-start-here-Copy1.ipynb" download="00-start-here.ipynb"' in bundle["text/html"]
    assert "First rename" in bundle["text/html"]
    assert "00-start-here.ipynb" in bundle["text/plain"]


def test_without_ipylab_or_a_known_notebook_it_shows_instructions(monkeypatch):
    shell = SimpleNamespace(user_ns={}, kernel=object())
    shown = []
    monkeypatch.setattr(save, "get_ipython", lambda: shell)
    monkeypatch.setattr(save, "_frontend", lambda: None)
    monkeypatch.setattr(save, "display", lambda obj, **kw: shown.append(obj))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    save.save_my_work()
    (bundle,) = shown
    assert "File &gt; Download" in bundle["text/html"] and "href" not in bundle["text/html"]


def test_the_real_front_end_handle_is_ipylab():
    handle = save._frontend()
    assert type(handle).__module__.startswith("ipylab") and hasattr(handle, "commands")


def test_after_renaming_the_copy_the_link_follows_the_new_name(monkeypatch, tmp_path):
    shell = SimpleNamespace(user_ns={}, kernel=object())
    shown = []
    monkeypatch.setattr(save, "get_ipython", lambda: shell)
    monkeypatch.setattr(save, "_frontend", lambda: None)
    monkeypatch.setattr(save, "display", lambda obj, **kw: shown.append(obj))
    monkeypatch.chdir(tmp_path)  # a kernel runs in its notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", "course/00-start-here-Copy1.ipynb")  # set at start
    (tmp_path / "00-start-here.ipynb").write_text("{}", encoding="utf-8")
    save.save_my_work()
    (bundle,) = shown
    assert 'href="00-start-here.ipynb"' in bundle["text/html"]
    assert "First rename" not in bundle["text/html"]

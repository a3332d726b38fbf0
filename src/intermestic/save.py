"""Save my work: save the open notebook and offer a download named for handing in.

At the top and bottom of every lesson::

    import intermestic; intermestic.save_my_work()

In JupyterLab and Notebook 7 this asks the front end to save the notebook (ipylab's
``docmanager:save`` command, run once the cell has finished so the save includes its output)
and shows a status line and a plain download link to the notebook file. A learning platform
stores the download as ``<student>_..._<assignment>.ipynb``, the name ``intermestic grade
collect`` (nbgrader's zip_collect) expects, so the file must keep the lesson's name
(e.g. ``00-start-here.ipynb``). Jupyter Server sends a file under its name on disk, so when the
notebook was renamed by Jupyter ("-Copy1") or a browser (" (1)"), the link asks the learner to
rename it back first. Elsewhere (VS Code, a plain Python shell, a server that does not tell the
kernel its notebook) it prints what to do instead; it never fails.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import ipywidgets as widgets
from IPython import get_ipython
from IPython.display import display

from intermestic.i18n import LANGUAGES, _
from intermestic.paths import lessons_dir

__all__ = [
    "SaveStatus",
    "assignment_name",
    "download_html",
    "instructions",
    "notebook_path",
    "save_my_work",
]

SAVE_COMMAND = "docmanager:save"
# Suffixes added to a notebook's name by Jupyter's "Duplicate" ("-Copy1") and by browsers that
# download a file twice (" (1)"); stripped when what remains is a lesson of the course.
_COPY_SUFFIX = re.compile(r"(-Copy\d*| \(\d+\))+$")


def _keys() -> str:
    return _("Ctrl+S, or Cmd+S on a Mac")


class FrontEnd(Protocol):
    """What `SaveStatus` needs from ipylab's JupyterFrontEnd."""

    commands: Any

    def on_ready(self, callback: Any) -> None: ...


def notebook_path(namespace: dict[str, Any] | None = None) -> Path | None:
    """The path of the running notebook, as the front end told the kernel, or None.

    VS Code sets ``__vsc_ipynb_file__`` in the user namespace; Jupyter Server (JupyterLab,
    Notebook 7) sets ``JPY_SESSION_NAME`` in the kernel's environment.
    """
    namespace = namespace if namespace is not None else _user_namespace()
    found = namespace.get("__vsc_ipynb_file__") or os.environ.get("JPY_SESSION_NAME")
    if not found or not str(found).endswith(".ipynb"):
        return None
    return Path(found)


def _user_namespace() -> dict[str, Any]:
    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def _lessons() -> set[str]:
    return {path.stem for lang in LANGUAGES for path in lessons_dir(lang).glob("*.ipynb")}


def assignment_name(path: Path, lessons: set[str] | None = None) -> str:
    """The assignment a notebook file belongs to: its name without copy suffixes.

    ``00-start-here-Copy1.ipynb`` and ``00-start-here (2).ipynb`` both give ``00-start-here``
    when that is a lesson of the course; any other notebook keeps its own name.
    """
    lessons = _lessons() if lessons is None else lessons
    stripped = _COPY_SUFFIX.sub("", path.stem)
    return stripped if stripped in lessons else path.stem


def download_html(path: Path, assignment: str) -> str:
    """HTML offering the notebook at `path` for download, to hand in as ``<assignment>.ipynb``.

    The link is relative to the notebook's folder, which JupyterLab resolves to the server's
    file URL; the ``download`` attribute makes it a plain download rather than opening a tab.
    """
    name = html.escape(f"{assignment}.ipynb", quote=True)
    href = html.escape(quote(path.name), quote=True)
    rename = (
        ""
        if path.name == f"{assignment}.ipynb"
        else _(
            "<strong>First rename this notebook to <code>{name}</code></strong> "
            "(File \u25b8 Rename Notebook): it is now called "
            "<code>{current}</code>, and the download keeps that name.<br>"
        ).format(name=name, current=html.escape(path.name))
    )
    download = _("\u2b07 Download your notebook ({name})").format(name=name)
    keep = _(
        "Keep this file, and hand it in as it is named: <code>{name}</code>. "
        "Your course website adds your name to it; please do not rename it."
    ).format(name=name)
    return (
        '<p class="intermestic-save">'
        f"{rename}"
        f'<a href="{href}" download="{name}">{download}</a><br>'
        f"{keep}</p>"
    )


def instructions(path: Path | None, assignment: str | None, *, vscode: bool = False) -> str:
    """What to do to save and hand in, as plain text, for front ends without the link."""
    named = _(", named {file},").format(file=f"{assignment}.ipynb") if assignment else ""
    if vscode and path is not None:
        return _(
            "To save your work, press {keys}. Your notebook is the file {path} on this "
            "computer: hand in that file{named} without renaming it."
        ).format(keys=_keys(), path=path, named=named)
    return _(
        "To save your work, use File > Save Notebook ({keys}). To keep a copy, use "
        "File > Download, and hand in the downloaded file{named} without renaming it. "
        "On Binder, download before you leave: the session and its files are deleted after "
        "about 10 minutes without activity."
    ).format(keys=_keys(), named=named)


class SaveStatus(widgets.HTML):
    """A status line that asks the front end to save the notebook and reports when it did.

    The front end's save command gives no answer, so the status says "Saved" only once the
    notebook file on disk has changed (`notebook`, a path relative to the kernel's folder).
    """

    def __init__(self, notebook: Path | None = None, *, timeout: float = 15.0) -> None:
        saving = _(
            "Saving\u2026 If this line does not change to \u201cSaved\u201d, save with "
            "File \u25b8 Save Notebook ({keys})."
        ).format(keys=_keys())
        super().__init__(value=f'<span role="status">{html.escape(saving)}</span>')
        self.add_class("intermestic-save-status")
        self.saved_at: str | None = None
        self._notebook = notebook
        self._timeout = timeout

    def attach(self, app: FrontEnd) -> None:
        """Save through `app` as soon as the front end is ready (after the cell has run)."""
        app.on_ready(lambda: self._save(app))

    def _save(self, app: FrontEnd) -> None:
        before = _modified(self._notebook)
        app.commands.execute(SAVE_COMMAND)
        if self._notebook is None:
            self._show(_("Save requested at {time}.").format(time=time.strftime("%H:%M:%S")))
            return
        threading.Thread(target=self._confirm, args=(before,), daemon=True).start()

    def _confirm(self, before: float | None) -> None:
        """Wait for the notebook file to change, then say it was saved (or that it was not)."""
        deadline = time.monotonic() + self._timeout
        while time.monotonic() < deadline:
            if _modified(self._notebook) != before:
                self.saved_at = time.strftime("%H:%M:%S")
                self._show(_("\u2714 Saved at {time}.").format(time=self.saved_at))
                return
            time.sleep(0.1)
        self._show(
            _("Could not confirm the save: use File \u25b8 Save Notebook ({keys}).").format(
                keys=_keys()
            )
        )

    def _show(self, text: str) -> None:
        self.value = f'<span role="status">{html.escape(text)}</span>'


def _modified(path: Path | None) -> float | None:
    """The file's modification time, or None when there is no such file."""
    try:
        return path.stat().st_mtime_ns if path is not None else None
    except OSError:
        return None


def _after_rename(path: Path, assignment: str) -> Path:
    """`path`, or the lesson-named file beside it once the learner has renamed the notebook.

    The kernel learns its notebook's name when it starts; a kernel runs in its notebook's folder.
    """
    renamed = Path(f"{assignment}.ipynb")
    if not Path(path.name).exists() and renamed.exists():
        return path.with_name(renamed.name)
    return path


def _frontend() -> FrontEnd | None:
    """ipylab's handle on JupyterLab / Notebook 7, or None when ipylab is not installed."""
    with warnings.catch_warnings():
        # ipylab 1.1 declares a trait in a way traitlets deprecates; nothing for learners to see.
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            from ipylab import JupyterFrontEnd
        except ImportError:
            return None
        return JupyterFrontEnd()


def save_my_work(assignment: str | None = None) -> None:
    """Save this notebook and offer a download of it named ``<assignment>.ipynb``.

    `assignment` defaults to the notebook's own name without copy suffixes.
    """
    shell = get_ipython()
    namespace = shell.user_ns if shell is not None else {}
    path = notebook_path(namespace)
    if assignment is None and path is not None:
        assignment = assignment_name(path)
    if path is not None and assignment:
        path = _after_rename(path, assignment)
    if shell is None or not hasattr(shell, "kernel"):
        print(instructions(path, assignment))
        return
    if "__vsc_ipynb_file__" in namespace:
        print(instructions(path, assignment, vscode=True))
        return
    app = _frontend()
    if app is not None:
        status = SaveStatus(Path(path.name) if path is not None else None)
        status.attach(app)
        display(status)
    text = instructions(path, assignment)
    link = download_html(path, assignment) if path is not None and assignment else ""
    display({"text/html": link or f"<p>{html.escape(text)}</p>", "text/plain": text}, raw=True)

"""Copy the lessons into a learner's workspace and open JupyterLab there."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from intermestic.errors import CourseError

DEFAULT_WORKSPACE = Path("intermestic-course")


@dataclass(frozen=True)
class WorkspaceReport:
    """What preparing a workspace did: files copied and learner files left untouched."""

    workspace: Path
    copied: list[str]
    kept: list[str]


def prepare_workspace(lessons: Path, workspace: Path) -> WorkspaceReport:
    """Copy every lesson into ``workspace``; a file already there is never overwritten."""
    notebooks = sorted(lessons.glob("*.ipynb"))
    if not notebooks:
        raise CourseError(f"{lessons}: no lessons found")
    if workspace.exists() and not workspace.is_dir():
        raise CourseError(f"{workspace}: exists and is not a folder")
    workspace.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for notebook in notebooks:
        target = workspace / notebook.name
        if target.exists():
            kept.append(notebook.name)
        else:
            shutil.copy2(notebook, target)
            copied.append(notebook.name)
    return WorkspaceReport(workspace=workspace, copied=copied, kept=kept)


def jupyterlab_command(
    workspace: Path, first_lesson: str, *, port: int | None, open_browser: bool, extra: list[str]
) -> list[str]:
    """The JupyterLab command line that serves ``workspace`` with ``first_lesson`` open."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={workspace.resolve()}",
        f"--LabApp.default_url=/lab/tree/{first_lesson}",
        # Offline first: no news feed and no update check from the network.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if not open_browser:
        command.append("--no-browser")
    return [*command, *extra]


def start(
    lessons: Path,
    workspace: Path,
    *,
    port: int | None,
    open_browser: bool,
    extra: list[str],
) -> int:
    """Prepare the workspace, report what happened, run JupyterLab until it exits."""
    report = prepare_workspace(lessons, workspace)
    where = report.workspace.resolve()
    if report.copied:
        print(f"Copied {len(report.copied)} lesson(s) into {where}.")
    if report.kept:
        print(f"Kept your existing work in {where}: {', '.join(report.kept)}.")
    first_lesson = sorted(lessons.glob("*.ipynb"))[0].name
    command = jupyterlab_command(
        workspace, first_lesson, port=port, open_browser=open_browser, extra=extra
    )
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0

"""Copy the lessons into a learner's workspace and open JupyterLab there, showing a student
only what a student uses."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from intermestic.errors import CourseError

DEFAULT_WORKSPACE = Path("intermestic-course")

# nbgrader's instructor and exchange tools, which students never use: the "Create Assignment"
# sidebar, Formgrader, the Assignment List and Course List panels, and the Nbgrader menu that
# opens them. Its Validate button (lab plugin "validate-assignment", server extension
# "validate_assignment") stays. binder/postBuild hides the same ones on Binder
# (tests/test_binder.py checks that).
HIDDEN_LAB_PLUGINS = tuple(
    f"@jupyter/nbgrader:{name}"
    for name in ("formgrader", "course-list", "create-assignment", "assignment-list", "menu")
)
HIDDEN_SERVER_EXTENSIONS = tuple(
    f"nbgrader.server_extensions.{name}"
    for name in ("formgrader", "course_list", "assignment_list")
)
# nbgrader warns "No nbgrader_config.py file found" when Validate runs without one on the
# Jupyter config path; students need no nbgrader settings, so the file says only that.
STUDENT_NBGRADER_CONFIG = (
    "# nbgrader settings for a student's JupyterLab: Validate needs none. This file exists so\n"
    "# that nbgrader does not warn that it found no nbgrader_config.py.\n"
)
# Where a container runtime leaves a mark (Docker, Podman) and the names of container
# cgroups in /proc/1/cgroup (Docker, containerd, Kubernetes, Podman, LXC).
CONTAINER_FILES = (".dockerenv", "run/.containerenv")
CONTAINER_CGROUPS = ("docker", "containerd", "kubepods", "libpod", "lxc")
ALLOW_ROOT = "--ServerApp.allow_root=True"
# Signals that `start` passes on to JupyterLab (Windows has neither).
FORWARDED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


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


def running_in_container(root: Path = Path("/"), environ: Mapping[str, str] = os.environ) -> bool:
    """Whether this process runs in a container (Docker, Podman, Kubernetes, LXC, nspawn)."""
    if any((root / marker).exists() for marker in CONTAINER_FILES):
        return True
    if environ.get("container") or environ.get("KUBERNETES_SERVICE_HOST"):
        return True
    try:
        cgroups = (root / "proc" / "1" / "cgroup").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(name in cgroups for name in CONTAINER_CGROUPS)


def is_root() -> bool:
    """Whether this process runs as root (never on Windows, which has no root)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _allows_root(extra: list[str]) -> bool:
    """Whether the JupyterLab arguments already say whether root may run it."""
    return any(
        argument == "--allow-root" or argument.startswith("--ServerApp.allow_root")
        for argument in extra
    )


def root_arguments(extra: list[str], *, is_root: bool, in_container: bool) -> list[str]:
    """The arguments that let JupyterLab run as root: none for an ordinary user or when the
    learner chose already, ``--ServerApp.allow_root=True`` in a container (where root is the
    usual user); outside a container, root is refused with the way round it."""
    if not is_root or _allows_root(extra):
        return []
    if in_container:
        return [ALLOW_ROOT]
    raise CourseError(
        "JupyterLab does not run as root: start it as an ordinary user, "
        "or run 'intermestic start -- --allow-root'"
    )


def write_student_config(folder: Path) -> Path:
    """Write into `folder` the Jupyter configuration of a student's JupyterLab and return it:
    nbgrader's instructor and exchange plugins disabled and locked (``labconfig``), and an
    nbgrader configuration with no settings. Put `folder` on ``JUPYTER_CONFIG_PATH``."""
    labconfig = folder / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    hidden = dict.fromkeys(HIDDEN_LAB_PLUGINS, True)
    page_config = {"disabledExtensions": hidden, "lockedExtensions": hidden}
    (labconfig / "page_config.json").write_text(json.dumps(page_config, indent=2), "utf-8")
    (folder / "nbgrader_config.py").write_text(STUDENT_NBGRADER_CONFIG, encoding="utf-8")
    return folder


def jupyterlab_environment(config: Path, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """`environ` with the student configuration `config` first on ``JUPYTER_CONFIG_PATH``
    (after the learner's own Jupyter folder, which Jupyter always reads first)."""
    env = dict(environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        part for part in (str(config), environ.get("JUPYTER_CONFIG_PATH", "")) if part
    )
    return env


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
        # nbgrader's instructor and exchange services are not started.
        *(f"--ServerApp.jpserver_extensions={name}=False" for name in HIDDEN_SERVER_EXTENSIONS),
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
    """Prepare the workspace, report what happened, run JupyterLab until it exits.

    As root in a container, JupyterLab is told to allow root (and the learner is told so);
    as root elsewhere, nothing starts unless the learner passed ``--allow-root``.
    """
    as_root = root_arguments(extra, is_root=is_root(), in_container=running_in_container())
    report = prepare_workspace(lessons, workspace)
    where = report.workspace.resolve()
    if report.copied:
        print(f"Copied {len(report.copied)} lesson(s) into {where}.")
    if report.kept:
        print(f"Kept your existing work in {where}: {', '.join(report.kept)}.")
    if as_root:
        print("Running as root in a container: JupyterLab is started with --allow-root.")
    first_lesson = sorted(lessons.glob("*.ipynb"))[0].name
    command = jupyterlab_command(
        workspace, first_lesson, port=port, open_browser=open_browser, extra=[*as_root, *extra]
    )
    with tempfile.TemporaryDirectory(prefix="intermestic-jupyter-") as config:
        return run_jupyterlab(command, jupyterlab_environment(write_student_config(Path(config))))


def run_jupyterlab(command: list[str], env: Mapping[str, str]) -> int:
    """Run JupyterLab until it exits and return its exit status (0 when stopped with Ctrl+C).

    Ctrl+C reaches JupyterLab too, which asks to confirm and then stops its kernels and itself;
    this process waits for that instead of killing it (which would leave the kernels running).
    A termination or hang-up signal (a closed terminal) is passed on to JupyterLab, which then
    shuts down the same way, so that `start` still cleans up after it.
    """
    process = subprocess.Popen(command, env=env)

    def forward(signum: int, _frame: object) -> None:
        process.send_signal(signum)

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED_SIGNALS}
    interrupted = False
    try:
        while True:
            try:
                status = process.wait()
            except KeyboardInterrupt:
                interrupted = True
            else:
                return 0 if interrupted else status
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

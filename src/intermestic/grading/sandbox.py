"""The sandbox each student's kernel runs in: a kernelspec whose launcher wraps ipykernel in
bubblewrap (no network, read-only system, only the student's own folder writable, course and
solutions invisible), rlimits (memory, processes, file size) and an unprivileged uid.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from intermestic import paths
from intermestic.errors import CourseError

KERNEL_NAME = "intermestic-sandbox"
# Each worker's kernel runs as its own uid, which no account uses: root ignores RLIMIT_NPROC,
# and a per-worker uid keeps one student's process limit from starving another's kernel.
UID_BASE = 2_000_000_000
TOOLS = ("bwrap", "setpriv", "prlimit")
INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: 'apt-get install bubblewrap'; Fedora: "
    "'dnf install bubblewrap') or grade without a sandbox with --no-sandbox"
)
# Files that only the checkout of the package needs to import it; everything else in the
# repository (autograder/ solutions, .git history, built sdists) stays hidden.
CHECKOUT_VISIBLE = ("src", "data", "lessons")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed kernel and everything it starts."""

    memory_bytes: int = 2 * 1024**3
    processes: int = 256
    file_bytes: int = 256 * 1024**2


def require_sandbox() -> None:
    """Raise a CourseError saying how to install bubblewrap when it cannot sandbox here."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise CourseError(f"the grading sandbox needs {', '.join(missing)}: {INSTALL_HINT}")
    probe = subprocess.run(
        ["bwrap", "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--", "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no detail"])[-1]
        raise CourseError(
            f"bubblewrap cannot create a sandbox on this machine ({reason}); "
            f"enable user namespaces or grade with --no-sandbox"
        )


def _hidden(course: Path) -> list[Path]:
    """Folders replaced by an empty tmpfs inside the sandbox (besides ``/tmp``)."""
    hidden = [Path.home(), Path("/root"), course]
    repo = paths.repository_root()
    if repo is not None:
        hidden.append(repo)
    return list(dict.fromkeys(p.resolve() for p in hidden if p.is_dir()))


def _shown_again() -> list[Path]:
    """Folders the kernel needs even if they lie inside a hidden one (read-only)."""
    shown = [Path(sys.prefix), Path(sys.base_prefix)]
    repo = paths.repository_root()
    if repo is not None:
        shown += [repo / name for name in CHECKOUT_VISIBLE]
    return list(dict.fromkeys(p.resolve() for p in shown if p.is_dir()))


def _ancestors(path: Path) -> list[Path]:
    """``path``'s parents from the top down, excluding ``/``."""
    return [p for p in reversed(path.parents) if p != Path("/")]


def _mkdirs(path: Path) -> list[str]:
    """bwrap options that create ``path``'s parents traversable by the kernel's uid."""
    options = []
    for parent in _ancestors(path):
        options += ["--perms", "0755", "--dir", str(parent)]
    return options


def bwrap_options(course: Path, ipc_dir: Path) -> list[str]:
    """bubblewrap's options, except the student's folder, which the launcher adds."""
    options = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    options += ["--perms", "1777", "--tmpfs", "/tmp"]
    for hidden in _hidden(course):
        options += [*_mkdirs(hidden), "--perms", "0755", "--tmpfs", str(hidden)]
    for shown in _shown_again():
        options += [*_mkdirs(shown), "--ro-bind", str(shown), str(shown)]
    options += [*_mkdirs(ipc_dir), "--bind", str(ipc_dir), str(ipc_dir)]
    options += [
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-pid",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ]
    environment = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "IPYTHONDIR": "/tmp/.ipython",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Workers already use every core; one thread per kernel also keeps the process
        # limit (which counts threads) for the student's own code.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    for name, value in environment.items():
        options += ["--setenv", name, value]
    return options


def _launcher(course: Path, ipc_dir: Path, uid: int, limits: Limits) -> str:
    """The shell script the kernelspec runs (outside the sandbox) with the connection file."""
    q = shlex.quote
    graded = course / "autograded"
    bwrap = " ".join(q(o) for o in bwrap_options(course, ipc_dir))
    kernel = " ".join(
        q(a) for a in [sys.executable, "-m", "ipykernel_launcher", "--transport=ipc", "-f"]
    )
    return f"""#!/bin/sh
# Generated by 'intermestic grade autograde': starts one student's kernel in the sandbox.
set -eu
connection="$1"
work="$(pwd -P)"
case "$work" in
  {q(str(graded))}/*/*) ;;
  *) echo "sandbox: refusing to run a kernel in $work" >&2; exit 1 ;;
esac
student="$(dirname "$work")"
chown -R {uid}:{uid} -- "$work"
chown {uid}:{uid} -- "$connection"
exec prlimit --as={limits.memory_bytes} --nproc={limits.processes} \\
  --fsize={limits.file_bytes} --core=0 -- \\
  bwrap {bwrap} \\
  --perms 0755 --dir {q(str(graded))} --perms 0755 --dir "$student" \\
  --bind "$work" "$work" --chdir "$work" -- \\
  setpriv --reuid={uid} --regid={uid} --clear-groups --inh-caps=-all --bounding-set=-all \\
  --no-new-privs -- {kernel} "$connection"
"""


@dataclass(frozen=True)
class KernelSetup:
    """What makes nbgrader start a worker's kernels in the sandbox."""

    environment: dict[str, str]
    options: dict[str, str]


def install_kernel(run_dir: Path, worker: int, course: Path, limits: Limits) -> KernelSetup:
    """Write worker ``worker``'s sandboxed kernelspec under ``run_dir``."""
    uid = UID_BASE + worker
    base = run_dir / f"w{worker}"
    ipc_dir = base / "ipc"
    spec_dir = base / "share" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    ipc_dir.mkdir()
    os.chown(ipc_dir, uid, uid)
    ipc_dir.chmod(0o700)
    launcher = base / "kernel.sh"
    launcher.write_text(_launcher(course, ipc_dir, uid, limits), encoding="utf-8")
    launcher.chmod(0o755)
    spec = {
        "argv": [str(launcher), "{connection_file}"],
        "display_name": "Python 3 (intermestic sandbox)",
        "language": "python",
        # A SIGINT to the process group would hit bwrap, not the kernel.
        "interrupt_mode": "message",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return KernelSetup(
        environment={"JUPYTER_PATH": str(base / "share")},
        options={
            "Execute__kernel_name": KERNEL_NAME,
            "KernelManager__transport": "ipc",
            "KernelManager__ip": str(ipc_dir / "kernel"),
            # One kernel at a time per worker; the file must be inside the bound folder.
            "KernelManager__connection_file": str(ipc_dir / "kernel.json"),
        },
    )

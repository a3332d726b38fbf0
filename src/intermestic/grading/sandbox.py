"""The sandbox each student's kernel runs in: a kernelspec whose launcher starts ipykernel in
bubblewrap (no network; only the interpreter, its packages and the system folders visible, read
only; the student's own folder the only writable one) under resource limits.

Two modes, chosen by who grades:

- ``root``: the kernel also runs as a uid of its own per worker, which no account uses
  (``setpriv``), so the process limit counts only that worker's kernel and no file of any
  account is the kernel's own.
- ``user`` (an ordinary user): the kernel runs in bubblewrap's own user namespace with no
  capabilities; the process limit is set inside that namespace, where it counts only the
  sandbox's own processes (Linux 5.14 or later).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from intermestic import paths
from intermestic.errors import CourseError
from intermestic.grading import defaults

KERNEL_NAME = "intermestic-sandbox"
ROOT, USER = "root", "user"
# In root mode each worker's kernel runs as UID_BASE + worker, a uid no account uses.
UID_BASE = 2_000_000_000
# System folders every kernel sees read-only (symbolic links, e.g. /bin -> usr/bin, are kept).
SYSTEM_DIRS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# Parts of a checkout that the package needs at run time; everything else in the repository
# (autograder/ solutions, .git history, built sdists) stays out of the sandbox.
CHECKOUT_VISIBLE = ("src", "data", "lessons")
# Before 5.14 RLIMIT_NPROC counted every process of the user, not those of one namespace.
USER_MODE_KERNEL = (5, 14)
GUIDE = "'The sandbox and its limits' in autograder/README.md"
APPARMOR_SYSCTL = "/proc/sys/kernel/apparmor_restrict_unprivileged_userns"
USERNS_CLONE_SYSCTL = "/proc/sys/kernel/unprivileged_userns_clone"
MAX_USERNS_SYSCTL = "/proc/sys/user/max_user_namespaces"
KERNEL_ENVIRONMENT = {
    "HOME": "/tmp",
    "TMPDIR": "/tmp",
    "LANG": "C.UTF-8",
    "IPYTHONDIR": "/tmp/.ipython",
    "MPLCONFIGDIR": "/tmp/.matplotlib",
    "PYTHONDONTWRITEBYTECODE": "1",
    # Workers already use every core; one thread per kernel also leaves the process limit
    # (which counts threads) to the student's own code.
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


class Var(str):
    """A value the launcher script only knows when it runs: the name of a shell variable."""


WORK, STUDENT, CONNECTION = Var("work"), Var("student"), Var("connection")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one sandboxed kernel and everything it starts."""

    memory_bytes: int = defaults.size_in_bytes(defaults.MEMORY)
    processes: int = defaults.PROCESSES
    file_bytes: int = defaults.size_in_bytes(defaults.FILE_SIZE)

    def prlimit(self) -> list[str]:
        """util-linux ``prlimit`` options that set these limits (and no core dumps)."""
        return [
            "prlimit",
            f"--as={self.memory_bytes}",
            f"--nproc={self.processes}",
            f"--fsize={self.file_bytes}",
            "--core=0",
            "--",
        ]


@dataclass(frozen=True)
class Sandbox:
    """How kernels are confined on this machine in this run."""

    mode: str
    limits: Limits = field(default_factory=Limits)
    # Read-only folders besides SYSTEM_DIRS: the interpreter, its packages, the package data.
    visible: tuple[Path, ...] = ()
    python: str = sys.executable
    # The folder holding the grader's own `intermestic`: kernels import it from there, so hidden
    # tests read the same data package as the grader (whatever PYTHONPATH the grader had).
    package_root: str = str(paths.PACKAGE_DIR.parent)
    # bubblewrap can stop the kernel from making user namespaces of its own (0.8 or later).
    lock_userns: bool = False


def current_mode() -> str:
    """``root`` when grading as root, else ``user``."""
    return ROOT if os.geteuid() == 0 else USER


def render(argv: Iterable[str]) -> str:
    """``argv`` as one shell command line; each Var becomes its quoted shell variable."""
    return " ".join(f'"${{{a}}}"' if isinstance(a, Var) else shlex.quote(a) for a in argv)


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def visible_paths(candidates: Iterable[str | Path], hidden: Iterable[Path]) -> tuple[Path, ...]:
    """The folders of ``candidates`` (interpreter prefixes, ``sys.path``) to show read-only:
    existing folders outside SYSTEM_DIRS, none of them ``/`` or a folder holding a ``hidden`` one
    (the course, the home folder, the repository checkout), none inside another."""
    secret = [Path(os.path.realpath(h)) for h in hidden]
    system = [Path(os.path.realpath(d)) for d in SYSTEM_DIRS if os.path.isdir(d)]
    chosen: list[Path] = []
    for candidate in candidates:
        if not candidate or not os.path.isdir(candidate):
            continue
        path = Path(os.path.abspath(candidate))
        real = Path(os.path.realpath(path))
        if real == Path("/") or any(_within(s, real) for s in secret):
            continue
        if any(_within(real, s) for s in system) or path in chosen:
            continue
        chosen.append(path)
    return tuple(p for p in chosen if not any(o != p and _within(p, o) for o in chosen))


def _ancestors(path: str) -> list[str]:
    """``path``'s parents from the top down, without ``/`` and ``/tmp`` (made already)."""
    return [str(p) for p in reversed(Path(path).parents) if p not in (Path("/"), Path("/tmp"))]


def _dirs(paths_: Iterable[str]) -> list[str]:
    """bwrap options that create every parent of ``paths_`` traversable (0755) by the kernel."""
    options: list[str] = []
    made: set[str] = set()
    for path in paths_:
        for parent in _ancestors(path):
            if parent not in made:
                options += ["--perms", "0755", "--dir", parent]
                made.add(parent)
    return options


def _system_dirs() -> list[str]:
    options: list[str] = []
    for folder in SYSTEM_DIRS:
        if os.path.islink(folder):
            options += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            options += ["--ro-bind", folder, folder]
    return options


def bwrap_argv(
    sandbox: Sandbox, *, writable: Sequence[str], workdir: str, make: Sequence[str] = ()
) -> list[str]:
    """bubblewrap's command line up to its ``--``: a new root holding only the system folders
    and ``sandbox.visible`` (read-only), the folders ``make`` (created empty and traversable),
    the ``writable`` folders bound read-write, and the namespaces of ``sandbox.mode``; the
    program starts in ``workdir``."""
    argv = ["bwrap", "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp"]
    argv += _system_dirs()
    shown = [str(p) for p in sandbox.visible]
    known = [p for p in (*shown, *make, *writable) if not isinstance(p, Var)]
    argv += _dirs(known)
    for folder in make:
        argv += ["--perms", "0755", "--dir", folder]
    for folder in shown:
        argv += ["--ro-bind", folder, folder]
    for folder in writable:
        argv += ["--bind", folder, folder]
    argv += ["--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid"]
    argv += ["--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if sandbox.mode == USER:
        argv += ["--unshare-user", "--uid", str(os.getuid()), "--gid", str(os.getgid())]
        argv += ["--disable-userns"] if sandbox.lock_userns else []
        argv += ["--cap-drop", "ALL"]
    argv += ["--clearenv"]
    environment = {
        "PATH": f"{Path(sandbox.python).parent}:/usr/local/bin:/usr/bin:/bin",
        "PYTHONPATH": sandbox.package_root,
    }
    for name, value in {**environment, **KERNEL_ENVIRONMENT}.items():
        argv += ["--setenv", name, value]
    return [*argv, "--chdir", workdir, "--"]


def confine(sandbox: Sandbox, program: Sequence[str], uid: int | None = None) -> list[str]:
    """``program`` under the resource limits and, in root mode, as ``uid`` with no
    capabilities and no supplementary groups."""
    drop: list[str] = []
    if sandbox.mode == ROOT:
        if uid is None:
            raise ValueError("root mode runs each kernel as its own uid")
        drop = [
            "setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
            "--",
        ]
    return [*drop, *sandbox.limits.prlimit(), *program]


def launcher(sandbox: Sandbox, course: Path, ipc_dir: Path, uid: int | None) -> str:
    """The shell script the kernelspec runs, outside the sandbox, with the connection file;
    nbgrader starts it in ``autograded/<student>/<assignment>/``."""
    graded = course / "autograded"
    kernel = [sandbox.python, "-m", "ipykernel_launcher", "--transport=ipc", "-f", CONNECTION]
    bwrap = bwrap_argv(
        sandbox, writable=[str(ipc_dir), WORK], workdir=WORK, make=[str(graded), STUDENT]
    )
    command = [*bwrap, *confine(sandbox, kernel, uid)]
    give = ""
    if sandbox.mode == ROOT:
        give = f'chown -R {uid}:{uid} -- "$work"\nchown {uid}:{uid} -- "$connection"\n'
    return f"""#!/bin/sh
# Generated by 'intermestic grade autograde' ({sandbox.mode} mode): starts one student's kernel
# in the sandbox.
set -eu
connection="$1"
work="$(pwd -P)"
case "$work" in
  {shlex.quote(str(graded))}/*/*) ;;
  *) echo "sandbox: refusing to run a kernel in $work" >&2; exit 1 ;;
esac
student="$(dirname "$work")"
{give}exec {render(command)}
"""


@dataclass(frozen=True)
class KernelSetup:
    """What makes nbgrader start a worker's kernels in the sandbox."""

    environment: dict[str, str]
    options: dict[str, str]


def worker_uid(sandbox: Sandbox, worker: int) -> int | None:
    """The uid worker ``worker``'s kernels run as in root mode (None: the grader's own)."""
    return UID_BASE + worker if sandbox.mode == ROOT else None


def install_kernel(sandbox: Sandbox, run_dir: Path, worker: int, course: Path) -> KernelSetup:
    """Write worker ``worker``'s sandboxed kernelspec under ``run_dir``."""
    uid = worker_uid(sandbox, worker)
    base = run_dir / f"w{worker}"
    ipc_dir = base / "ipc"
    spec_dir = base / "share" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    ipc_dir.mkdir()
    if uid is not None:
        os.chown(ipc_dir, uid, uid)
    ipc_dir.chmod(0o700)
    script = base / "kernel.sh"
    script.write_text(launcher(sandbox, course, ipc_dir, uid), encoding="utf-8")
    script.chmod(0o755)
    spec = {
        "argv": [str(script), "{connection_file}"],
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


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _kernel_version(release: str) -> tuple[int, int]:
    """(major, minor) of a kernel release such as ``6.1.0-18-amd64``."""
    major, minor, *_ = [
        *(int(p) for p in release.split("-")[0].split(".")[:2] if p.isdigit()),
        0,
        0,
    ]
    return major, minor


def missing_tools(mode: str) -> str | None:
    """One sentence naming a tool the sandbox needs that is not installed, or None."""
    if shutil.which("bwrap") is None:
        return (
            "the grading sandbox needs bubblewrap, which is not installed: install it "
            "('sudo apt-get install bubblewrap' on Debian/Ubuntu, 'sudo dnf install bubblewrap' "
            "on Fedora) or grade without a sandbox with --no-sandbox"
        )
    needed = ["prlimit", "setpriv"] if mode == ROOT else ["prlimit"]
    absent = [tool for tool in needed if shutil.which(tool) is None]
    if absent:
        return (
            f"the grading sandbox needs {' and '.join(absent)} from util-linux, which "
            f"{'is' if len(absent) == 1 else 'are'} not installed: install util-linux "
            "('sudo apt-get install util-linux') or grade without a sandbox with --no-sandbox"
        )
    return None


def diagnose(mode: str, error: str, settings: dict[str, str | None]) -> str:
    """One sentence saying why the sandbox did not start and how to fix it, from the probe's
    ``error`` output and the user-namespace ``settings`` (sysctl file: value)."""
    detail = (error.strip().splitlines() or ["no message"])[-1]
    if not detail.startswith("bwrap:"):
        return (
            f"the sandboxed kernel could not start Python ({detail}): the interpreter and its "
            f"packages must be readable by the kernel (see {GUIDE}), or grade without a "
            "sandbox with --no-sandbox"
        )
    if mode == USER:
        if settings.get(APPARMOR_SYSCTL) == "1":
            return (
                "Ubuntu's AppArmor setting kernel.apparmor_restrict_unprivileged_userns=1 stops "
                "bubblewrap from making the grading sandbox as an ordinary user: allow bwrap "
                f"with the AppArmor profile given in {GUIDE}, or run 'sudo sysctl "
                "kernel.apparmor_restrict_unprivileged_userns=0', or grade as root"
            )
        if settings.get(USERNS_CLONE_SYSCTL) == "0":
            return (
                "unprivileged user namespaces are turned off "
                "(kernel.unprivileged_userns_clone=0) and the grading sandbox needs them as an "
                "ordinary user: run 'sudo sysctl kernel.unprivileged_userns_clone=1', or grade "
                "as root"
            )
        if settings.get(MAX_USERNS_SYSCTL) == "0":
            return (
                "user namespaces are turned off (user.max_user_namespaces=0) and the grading "
                "sandbox needs them as an ordinary user: run 'sudo sysctl "
                "user.max_user_namespaces=15000', or grade as root"
            )
    return (
        f"bubblewrap could not start the grading sandbox ({detail}): see {GUIDE}, "
        "or grade without a sandbox with --no-sandbox"
    )


def kernel_too_old(mode: str, release: str) -> str | None:
    """One sentence if an ordinary user's sandbox cannot limit processes on this kernel."""
    if mode == USER and _kernel_version(release) < USER_MODE_KERNEL:
        wanted = ".".join(map(str, USER_MODE_KERNEL))
        return (
            f"an ordinary user's grading sandbox needs Linux {wanted} or later to limit the "
            f"processes of each kernel (this machine runs {release}): grade as root, upgrade "
            "the kernel, or grade without a sandbox with --no-sandbox"
        )
    return None


def _supports_userns_lock() -> bool:
    result = subprocess.run(["bwrap", "--help"], capture_output=True, text=True, check=False)
    return "--disable-userns" in result.stdout + result.stderr


def _home() -> list[Path]:
    home = os.path.expanduser("~")
    return [Path(home)] if home != "~" else []


def prepare(course: Path, limits: Limits) -> Sandbox:
    """The sandbox for grading ``course`` here, after starting it once exactly as the kernels
    will be started; a CourseError of one sentence saying what is missing if it cannot."""
    mode = current_mode()
    problem = missing_tools(mode) or kernel_too_old(mode, os.uname().release)
    if problem:
        raise CourseError(problem)
    repo = paths.repository_root()
    hidden = [course, *_home(), *([repo] if repo else [])]
    here = os.getcwd()
    candidates: list[str | Path] = [sys.prefix, sys.base_prefix]
    candidates += [entry for entry in sys.path if entry and entry != here]
    candidates += [paths.PACKAGE_DIR.parent, paths.data_dir(), paths.lessons_dir()]
    if repo is not None:
        candidates += [repo / name for name in CHECKOUT_VISIBLE]
    sandbox = Sandbox(
        mode=mode,
        limits=limits,
        visible=visible_paths(candidates, hidden),
        lock_userns=mode == USER and _supports_userns_lock(),
    )
    probe(sandbox)
    return sandbox


def probe(sandbox: Sandbox) -> None:
    """Start the sandbox once, as a kernel would be, to import ipykernel and intermestic;
    CourseError if it cannot, or if the kernel's intermestic is not the grader's own."""
    with tempfile.TemporaryDirectory(prefix="intermestic-probe-") as tmp:
        Path(tmp).chmod(0o755)
        work = Path(tmp) / "work"
        work.mkdir()
        uid = worker_uid(sandbox, 0)
        if uid is not None:
            os.chown(work, uid, uid)
        command = bwrap_argv(sandbox, writable=[str(work)], workdir=str(work))
        imports = "import ipykernel, intermestic; print(intermestic.__file__)"
        program = [sandbox.python, "-c", imports]
        result = subprocess.run(
            [*command, *confine(sandbox, program, uid)],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        settings = {p: _read(p) for p in (APPARMOR_SYSCTL, USERNS_CLONE_SYSCTL, MAX_USERNS_SYSCTL)}
        raise CourseError(diagnose(sandbox.mode, result.stderr, settings))
    seen = os.path.realpath(result.stdout.strip())
    own = os.path.realpath(paths.PACKAGE_DIR / "__init__.py")
    if seen != own:
        raise CourseError(
            f"The sandboxed kernels would import intermestic from {seen}, not from {own} as this "
            f"command does, so hidden tests would read other data; install the course in one "
            f"place (see {GUIDE})."
        )

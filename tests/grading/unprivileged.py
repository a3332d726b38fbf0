"""Running ``intermestic`` as an ordinary user from a test that runs as root.

The user is a uid that no account and no process uses. It cannot read root's interpreter (under
/root here) nor, in CI, the temporary copy of the checkout, so this builds what it needs in a
world-readable folder: a virtual environment of the system's ``/usr/bin/python3`` (the same
Python minor version) whose site-packages add, through a ``.pth`` file, this test run's
site-packages and checkout, both bind-mounted into that folder in a private mount namespace
that each command gets.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

import intermestic

FIRST_UID = 54_321
SYSTEM_PYTHON = Path("/usr/bin/python3")
TOOLS = ("unshare", "mount", "setpriv")


def cannot_run(reason: str) -> None:
    """Skip with ``reason``; fail instead under CI=true, where every test must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"cannot run as an unprivileged user: {reason}")
    pytest.skip(f"cannot run as an unprivileged user: {reason}")


def unused_uid() -> int:
    """A uid of no account (and so of no process or file of one)."""
    uid = FIRST_UID
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
        uid += 1


def _same_python() -> str | None:
    """Why the system Python cannot run this test's packages, or None."""
    if not SYSTEM_PYTHON.is_file():
        return f"{SYSTEM_PYTHON} does not exist"
    result = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.stdout.strip() != str(sys.version_info[:2]):
        return f"{SYSTEM_PYTHON} is not Python {sys.version_info[0]}.{sys.version_info[1]}"
    return None


class UnprivilegedUser:
    """Runs ``python -m intermestic ...`` as an unused uid in ``self.home``."""

    def __init__(self) -> None:
        if os.geteuid() != 0:
            cannot_run("the test must start as root to switch to an unused uid")
        missing = [tool for tool in TOOLS if shutil.which(tool) is None]
        if missing:
            cannot_run(f"{', '.join(missing)} not installed (util-linux)")
        problem = _same_python()
        if problem:
            cannot_run(problem)
        self.uid = unused_uid()
        self.base = Path(tempfile.mkdtemp(prefix="intermestic-user-"))
        self.base.chmod(0o755)
        self.venv = self.base / "venv"
        # What the user sees of this run, through bind mounts: (this run's folder, theirs).
        self.binds = [
            (Path(sysconfig.get_paths()["purelib"]), self.venv / "parent-site"),
            # nbconvert's templates, used by nbgrader's feedback
            (Path(sys.prefix) / "share" / "jupyter", self.venv / "share" / "jupyter"),
            # The checkout stays outside the environment: the sandbox shows the environment
            # whole but of the checkout only src/, data/ and lessons/.
            (Path(intermestic.__file__).resolve().parents[2], self.base / "checkout"),
        ]
        self._make_venv()
        self.home = self.base / "home"
        self.home.mkdir(mode=0o700)
        os.chown(self.home, self.uid, self.uid)
        self.inputs = self.base / "inputs"

    def _make_venv(self) -> None:
        subprocess.run(
            [str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(self.venv)], check=True
        )
        for _, mount_point in self.binds:
            mount_point.mkdir(parents=True)
        own_site = next((self.venv / "lib").glob("python3*/site-packages"))
        (own_site / "intermestic-test.pth").write_text(
            f"import site; site.addsitedir({str(self.venv / 'parent-site')!r})\n"
            f"import sys; sys.path.insert(0, {str(self.base / 'checkout' / 'src')!r})\n",
            encoding="utf-8",
        )
        # nbgrader runs alembic through PATH.
        alembic = self.venv / "bin" / "alembic"
        alembic.write_text(
            f"#!{self.venv / 'bin' / 'python'}\nimport sys\nfrom alembic.config import main\n"
            "sys.exit(main())\n",
            encoding="utf-8",
        )
        alembic.chmod(0o755)

    def share(self) -> Path:
        """A folder for inputs the user reads (world-readable once ``seal`` is called)."""
        self.inputs.mkdir(exist_ok=True)
        return self.inputs

    def seal(self) -> None:
        """Make everything under ``share()`` readable by the user."""
        for path in [self.inputs, *self.inputs.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)

    def __call__(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        """Run ``python -m intermestic ARGS`` as the user; capture its output."""
        return self.python("-m", "intermestic", *args, timeout=timeout)

    def python(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        """Run ``python ARGS`` as the user; capture its output."""
        mounts = [str(p) for pair in self.binds for p in pair]
        binds = 'while [ "$1" != -- ]; do mount --bind "$1" "$2"; shift 2; done; shift; exec "$@"'
        environment = {
            "HOME": str(self.home),
            "PATH": f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "JUPYTER_CONFIG_DIR": str(self.home / ".jupyter"),
            "JUPYTER_DATA_DIR": str(self.home / ".local" / "share" / "jupyter"),
        }
        command = [
            "unshare", "--mount", "--propagation", "private", "--",
            "sh", "-ec", binds, "sh", *mounts, "--",
            "setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
            "--inh-caps=-all", "--",
            "env", "-i", *(f"{k}={v}" for k, v in environment.items()),
            str(self.venv / "bin" / "python"), *args,
        ]  # fmt: skip
        return subprocess.run(
            command,
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def close(self) -> None:
        """Remove everything made for the user."""
        shutil.rmtree(self.base, ignore_errors=True)

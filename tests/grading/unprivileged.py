"""Running ``intermestic`` as an ordinary user from a test that runs as root.

The user is a uid that no account uses, running this test run's own interpreter, virtual
environment and checkout. Those may lie under folders only root may enter (root's home holds
the interpreter here; CI tests a copy of the checkout in a private temporary folder), so each
command runs in a private mount namespace where every such folder is covered by an empty,
enterable tmpfs into which the needed folders are bind-mounted back at their own paths. Nothing
on the machine changes; the user reads what it needs with ordinary permissions, as an
instructor reads their own installation.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import intermestic

FIRST_UID = 54_321
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


def closed_folders(path: Path) -> list[Path]:
    """The folders above ``path`` that other users may not enter, from the top down."""
    return [
        parent
        for parent in reversed(path.parents)
        if parent != Path("/") and not os.stat(parent).st_mode & stat.S_IXOTH
    ]


class UnprivilegedUser:
    """Runs ``python -m intermestic ...`` as an unused uid with ``self.home`` as its home."""

    def __init__(self) -> None:
        if os.geteuid() != 0:
            cannot_run("the test must start as root to switch to an unused uid")
        missing = [tool for tool in TOOLS if shutil.which(tool) is None]
        if missing:
            cannot_run(f"{', '.join(missing)} not installed (util-linux)")
        probe = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "--", "true"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode != 0:
            cannot_run(f"no private mount namespace here ({probe.stderr.strip()})")
        self.uid = unused_uid()
        self.base = Path(tempfile.mkdtemp(prefix="intermestic-user-"))
        self.base.chmod(0o755)
        if closed_folders(self.base):
            cannot_run(f"{self.base} lies in a folder other users cannot enter")
        self.home = self.base / "home"
        self.home.mkdir(mode=0o700)
        os.chown(self.home, self.uid, self.uid)
        self.inputs = self.base / "inputs"
        checkout = Path(intermestic.__file__).resolve().parents[2]
        needed = {Path(os.path.realpath(p)) for p in (sys.base_prefix, sys.prefix, checkout)}
        self.needed = sorted(p for p in needed if closed_folders(p))
        self.covered = sorted({c for p in self.needed for c in closed_folders(p)})
        self.covered = [c for c in self.covered if not any(o in c.parents for o in self.covered)]

    def _mounts(self) -> str:
        """Shell commands (run as root in the new mount namespace) that let the user reach
        every needed folder at its own path."""
        q = shlex.quote
        lines = ["set -e"]
        staged = [self.base / "stage" / str(i) for i in range(len(self.needed))]
        for source, stage in zip(self.needed, staged, strict=True):
            lines.append(
                f"mkdir -p {q(str(stage))} && mount --bind {q(str(source))} {q(str(stage))}"
            )
        for folder in self.covered:
            lines.append(f"mount -t tmpfs -o mode=0755 tmpfs {q(str(folder))}")
        for source, stage in zip(self.needed, staged, strict=True):
            lines.append(
                f"mkdir -p {q(str(source))} && mount --bind {q(str(stage))} {q(str(source))}"
            )
        return "\n".join(lines)

    def share(self) -> Path:
        """A folder for inputs the user reads (readable once ``seal`` is called)."""
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
        """Run this test run's ``python ARGS`` as the user; capture its output."""
        environment = {
            "HOME": str(self.home),
            "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "JUPYTER_CONFIG_DIR": str(self.home / ".jupyter"),
            "JUPYTER_DATA_DIR": str(self.home / ".local" / "share" / "jupyter"),
        }
        if os.environ.get("PYTHONPATH"):  # CI imports the package from its copy this way
            environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
        user = [
            "setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
            "--inh-caps=-all", "--",
            "env", "-i", *(f"{k}={v}" for k, v in environment.items()),
            sys.executable, *args,
        ]  # fmt: skip
        script = f"{self._mounts()}\nexec {shlex.join(user)}"
        return subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script],
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def close(self) -> None:
        """Remove everything made for the user."""
        shutil.rmtree(self.base, ignore_errors=True)

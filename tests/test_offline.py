"""Every notebook runs with the network cut off (a new, empty network namespace)."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from tests.course import REPO_ROOT, run

pytestmark = pytest.mark.slow

# Inside a fresh network namespace only the loopback interface exists, and it starts down;
# Jupyter kernels talk to their client over loopback TCP, so it is brought up first.
NO_NETWORK = [
    "unshare",
    "--map-root-user",
    "--net",
    "sh",
    "-c",
    'ip link set lo up && exec "$@"',
    "sh",
]


def _offline_unavailable() -> str | None:
    """Why notebooks cannot be run offline here, or None when they can."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        return "unshare (util-linux) or ip (iproute2) is not installed"
    probe = run([*NO_NETWORK, "true"])
    if probe.returncode != 0:
        return f"cannot create a network namespace: {probe.stderr.strip()}"
    return None


def test_notebooks_run_with_the_network_cut_off():
    reason = _offline_unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the offline test: {reason}")
        pytest.skip(reason)
    interfaces = run(
        [
            *NO_NETWORK,
            sys.executable,
            "-c",
            "import socket; print([n for _, n in socket.if_nameindex()])",
        ]
    )
    assert interfaces.stdout.strip() == "['lo']", interfaces.stdout + interfaces.stderr
    result = run(
        [
            *NO_NETWORK,
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "autograder/source",
            "lessons",
        ],
        cwd=REPO_ROOT,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout

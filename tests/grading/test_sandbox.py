"""The sandbox's command lines for root and for an ordinary user, what it shows, and its
one-sentence refusals, without starting a sandbox."""

from __future__ import annotations

import os
import subprocess

import pytest

from intermestic import paths
from intermestic.errors import CourseError
from intermestic.grading import sandbox
from intermestic.grading.defaults import size_in_bytes
from intermestic.grading.sandbox import (
    APPARMOR_SYSCTL,
    CONNECTION,
    MAX_USERNS_SYSCTL,
    ROOT,
    USER,
    USERNS_CLONE_SYSCTL,
    WORK,
    Limits,
    Sandbox,
)

LIMITS = Limits(memory_bytes=1024**3, processes=64, file_bytes=1024**2)


def _after(argv: list[str], marker: str = "--") -> list[str]:
    return argv[argv.index(marker) + 1 :]


def _options(argv: list[str]) -> list[str]:
    return argv[: argv.index("--")]


def test_root_runs_the_kernel_as_its_worker_uid_with_no_capabilities():
    box = Sandbox(ROOT, LIMITS)
    argv = sandbox.confine(box, ["python"], uid=2_000_000_001)
    assert argv[:5] == [
        "setpriv", "--reuid=2000000001", "--regid=2000000001", "--clear-groups", "--inh-caps=-all"
    ]  # fmt: skip
    assert "--bounding-set=-all" in argv and "--no-new-privs" in argv
    assert argv[-1] == "python"


def test_root_mode_needs_a_uid():
    with pytest.raises(ValueError, match="its own uid"):
        sandbox.confine(Sandbox(ROOT, LIMITS), ["python"])


def test_a_user_runs_the_kernel_in_its_own_user_namespace_without_capabilities():
    box = Sandbox(USER, LIMITS, lock_userns=True)
    options = _options(sandbox.bwrap_argv(box, writable=["/run/ipc"], workdir="/w"))
    at = options.index("--unshare-user")
    ids = ["--uid", str(os.getuid()), "--gid", str(os.getgid())]
    assert options[at : at + 5] == ["--unshare-user", *ids]
    assert "--disable-userns" in options
    assert options[options.index("--cap-drop") + 1] == "ALL"
    assert "setpriv" not in sandbox.confine(box, ["python"])


def test_an_older_bubblewrap_runs_without_the_user_namespace_lock():
    box = Sandbox(USER, LIMITS, lock_userns=False)
    assert "--disable-userns" not in sandbox.bwrap_argv(box, writable=[], workdir="/w")


def test_root_mode_makes_no_user_namespace():
    options = sandbox.bwrap_argv(Sandbox(ROOT, LIMITS), writable=[], workdir="/w")
    assert "--unshare-user" not in options and "--cap-drop" not in options


@pytest.mark.parametrize("mode", [ROOT, USER])
def test_limits_are_set_inside_the_sandbox_just_before_the_kernel(mode):
    argv = sandbox.confine(Sandbox(mode, LIMITS), ["python", "-m", "k"], uid=7)
    limits = argv[argv.index("prlimit") :]
    assert limits == [
        "prlimit", f"--as={1024**3}", "--nproc=64", f"--fsize={1024**2}", "--core=0", "--",
        "python", "-m", "k",
    ]  # fmt: skip


@pytest.mark.parametrize("mode", [ROOT, USER])
def test_every_namespace_is_new_and_the_environment_cleared(mode):
    options = sandbox.bwrap_argv(Sandbox(mode, LIMITS), writable=[], workdir="/w")
    for flag in ("--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid"):
        assert flag in options
    assert "--die-with-parent" in options and "--new-session" in options
    assert "--clearenv" in options
    names = [options[i + 1] for i, o in enumerate(options) if o == "--setenv"]
    assert "NBGRADER_EXECUTION" not in names and "JPY_PARENT_PID" not in names
    assert options[-3:] == ["--chdir", "/w", "--"]


def test_only_system_folders_and_the_visible_ones_are_mounted(tmp_path):
    shown = tmp_path / "env"
    box = Sandbox(USER, LIMITS, visible=(shown,))
    options = sandbox.bwrap_argv(box, writable=[str(tmp_path / "ipc")], workdir="/w")
    read_only = [options[i + 1] for i, o in enumerate(options) if o == "--ro-bind"]
    writable = [options[i + 1] for i, o in enumerate(options) if o == "--bind"]
    assert "/" not in read_only
    assert str(shown) in read_only and "/usr" in read_only
    assert set(read_only) - {str(shown)} <= set(sandbox.SYSTEM_DIRS)
    assert writable == [str(tmp_path / "ipc")]
    made = [options[i + 1] for i, o in enumerate(options) if o == "--dir"]
    assert str(tmp_path) in made and "/tmp" not in made  # parents made, /tmp left 1777
    assert options[options.index("--tmpfs") - 1] == "1777"


def test_the_launcher_binds_the_students_folder_and_gives_it_to_the_worker_uid(tmp_path):
    course, ipc = tmp_path / "course", tmp_path / "run" / "ipc"
    script = sandbox.launcher(Sandbox(ROOT, LIMITS), course, ipc, 2_000_000_003)
    assert f"  {course}/autograded/*/*) ;;" in script
    assert 'chown -R 2000000003:2000000003 -- "$work"' in script
    assert '--bind "${work}" "${work}"' in script and '--dir "${student}"' in script
    assert script.rstrip().endswith('--transport=ipc -f "${connection}"')


def test_the_user_launcher_changes_no_owner(tmp_path):
    script = sandbox.launcher(Sandbox(USER, LIMITS), tmp_path / "c", tmp_path / "ipc", None)
    assert "chown" not in script and "setpriv" not in script and "--unshare-user" in script


def test_render_quotes_values_and_expands_variables():
    assert (
        sandbox.render(["a b", WORK, CONNECTION, "$x"])
        == "'a b' \"${work}\" \"${connection}\" '$x'"
    )


def test_visible_paths_never_reveal_the_course_home_or_checkout(tmp_path):
    home, course, repo = tmp_path / "home", tmp_path / "home" / "course", tmp_path / "repo"
    for folder in (course, repo / "src", repo / ".venv" / "lib", home / ".local" / "lib"):
        folder.mkdir(parents=True)
    candidates = [
        repo / ".venv", repo / ".venv" / "lib", repo / "src", repo, home, course, tmp_path,
        home / ".local" / "lib", "/", "/usr/lib", "", tmp_path / "missing",
    ]  # fmt: skip
    shown = sandbox.visible_paths(candidates, hidden=[course, home, repo])
    assert shown == (repo / ".venv", repo / "src", home / ".local" / "lib")


def test_the_kernel_sees_its_worker_uid_only_as_root():
    assert sandbox.worker_uid(Sandbox(ROOT), 2) == sandbox.UID_BASE + 2
    assert sandbox.worker_uid(Sandbox(USER), 2) is None


def test_install_kernel_writes_a_message_interrupted_kernelspec(tmp_path):
    box = Sandbox(USER, LIMITS)
    setup = sandbox.install_kernel(box, tmp_path, 1, tmp_path / "course")
    spec = tmp_path / "w1" / "share" / "kernels" / sandbox.KERNEL_NAME / "kernel.json"
    assert '"interrupt_mode": "message"' in spec.read_text()
    assert setup.environment == {"JUPYTER_PATH": str(tmp_path / "w1" / "share")}
    assert setup.options["KernelManager__transport"] == "ipc"
    assert setup.options["KernelManager__connection_file"].startswith(str(tmp_path / "w1" / "ipc"))
    assert os.access(tmp_path / "w1" / "kernel.sh", os.X_OK)


@pytest.mark.parametrize(
    ("mode", "settings", "words"),
    [
        (USER, {APPARMOR_SYSCTL: "1"}, "kernel.apparmor_restrict_unprivileged_userns=0"),
        (USER, {USERNS_CLONE_SYSCTL: "0"}, "kernel.unprivileged_userns_clone=1"),
        (USER, {MAX_USERNS_SYSCTL: "0"}, "user.max_user_namespaces=15000"),
        (USER, {}, "bubblewrap could not start the grading sandbox (bwrap: No permissions)"),
        (ROOT, {APPARMOR_SYSCTL: "1"}, "bubblewrap could not start the grading sandbox"),
    ],
)
def test_a_refused_sandbox_says_in_one_sentence_what_to_change(mode, settings, words):
    message = sandbox.diagnose(mode, "bwrap: setting up\nbwrap: No permissions\n", settings)
    assert words in message
    assert "\n" not in message and message.count(". ") == 0


def test_a_kernel_that_cannot_start_python_is_told_apart_from_bubblewrap():
    message = sandbox.diagnose(USER, "ModuleNotFoundError: No module named 'ipykernel'", {})
    assert message.startswith("the sandboxed kernel could not start Python (ModuleNotFoundError")


@pytest.mark.parametrize(
    ("mode", "release", "refused"),
    [(USER, "5.10.0-28-amd64", True), (USER, "6.1.0-18-amd64", False), (ROOT, "4.19.0", False)],
)
def test_an_ordinary_user_needs_linux_5_14(mode, release, refused):
    message = sandbox.kernel_too_old(mode, release)
    assert (message is not None) == refused
    if message:
        assert "Linux 5.14 or later" in message and release in message


def test_missing_tools_name_the_package(monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda tool: None)
    assert "'sudo apt-get install bubblewrap'" in (sandbox.missing_tools(USER) or "")
    monkeypatch.setattr(sandbox.shutil, "which", lambda tool: tool if tool == "bwrap" else None)
    assert "prlimit and setpriv from util-linux" in (sandbox.missing_tools(ROOT) or "")
    assert "needs prlimit from util-linux" in (sandbox.missing_tools(USER) or "")


def test_the_mode_follows_who_grades(monkeypatch):
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 0)
    assert sandbox.current_mode() == ROOT
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 1000)
    assert sandbox.current_mode() == USER


@pytest.mark.parametrize(
    ("text", "size"),
    [("2G", 2 * 1024**3), ("512M", 512 * 1024**2), ("1.5GiB", int(1.5 * 1024**3)), ("1000", 1000)],
)
def test_sizes(text, size):
    assert size_in_bytes(text) == size


@pytest.mark.parametrize("text", ["", "G", "lots", "-1G", "0"])
def test_not_sizes(text):
    with pytest.raises(ValueError, match="not a size"):
        size_in_bytes(text)


def _probe_printing(monkeypatch: pytest.MonkeyPatch, printed: str) -> None:
    """Make the probe's sandboxed Python exit 0 having printed `printed`, without a sandbox."""

    def finished(argv: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        assert argv[0] == "bwrap" and "import ipykernel, intermestic" in argv[-1]
        return subprocess.CompletedProcess(argv, 0, stdout=printed + "\n", stderr="")

    monkeypatch.setattr(sandbox.subprocess, "run", finished)


def test_the_probe_accepts_kernels_that_import_the_graders_intermestic(monkeypatch):
    _probe_printing(monkeypatch, str(paths.PACKAGE_DIR / "__init__.py"))
    sandbox.probe(Sandbox(USER, LIMITS))


def test_the_probe_refuses_kernels_that_import_another_intermestic(monkeypatch, tmp_path):
    elsewhere = tmp_path / "site-packages" / "intermestic" / "__init__.py"
    _probe_printing(monkeypatch, str(elsewhere))
    with pytest.raises(CourseError) as refused:
        sandbox.probe(Sandbox(USER, LIMITS))
    message = str(refused.value)
    assert f"would import intermestic from {elsewhere}" in message
    assert "\n" not in message and "install the course in one place" in message

"""Run code in a fresh Jupyter kernel, one piece at a time, with time limits.

Used to execute a learner's notebook for ``intermestic check`` and an instructor notebook for
the graded-answer banks. A piece of code that runs past its time limit is interrupted (as
Jupyter's Interrupt does) and reported as timed out; the kernel then carries on.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from jupyter_client.manager import KernelManager

from intermestic.errors import CourseError

STARTUP_TIMEOUT = 60.0
# How long an interrupted kernel may take to answer again before it counts as hung: as long as
# the interrupted code had to run, within these bounds.
INTERRUPT_GRACE = (10.0, 30.0)

Status = Literal["ok", "error", "timeout"]


@dataclass(frozen=True)
class Run:
    """How one piece of code ran, its error if any, and what it printed."""

    status: Status
    ename: str = ""
    evalue: str = ""
    stdout: str = ""
    outputs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the code ran to the end without an error."""
        return self.status == "ok"


def private_kernel_manager(folder: Path) -> KernelManager:
    """A manager for a python3 kernel whose connection file and (on POSIX) IPC sockets live in
    `folder`: nothing is written next to the notebooks, and no network port is opened."""
    options: dict[str, Any] = {"connection_file": str(folder / "kernel.json")}
    if os.name == "posix":
        options.update(transport="ipc", ip=str(folder / "kernel"))
    return KernelManager(kernel_name="python3", **options)


class KernelHungError(CourseError):
    """The kernel stopped answering, even after an interrupt."""


class Kernel:
    """A fresh IPython kernel started in `cwd`; close it when done (or use it as a context)."""

    def __init__(self, cwd: Path, *, env: dict[str, str] | None = None) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="intermestic-kernel-")
        self._manager = private_kernel_manager(Path(self._folder.name))
        try:
            self._manager.start_kernel(
                cwd=str(cwd), env=env if env is not None else dict(os.environ)
            )
            self._client = self._manager.client()
            self._client.start_channels()
            self._client.wait_for_ready(timeout=STARTUP_TIMEOUT)
        except RuntimeError as error:
            self._manager.shutdown_kernel(now=True)
            self._folder.cleanup()
            raise CourseError(f"the Python kernel did not start ({error})") from None

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the kernel."""
        self._client.stop_channels()
        if self._manager.has_kernel:
            self._manager.shutdown_kernel(now=True)
        self._folder.cleanup()

    def run(self, code: str, timeout: float) -> Run:
        """Execute `code`, waiting at most `timeout` seconds; keep its errors and outputs."""
        outputs: list[dict[str, Any]] = []
        errors: list[tuple[str, str]] = []
        printed: list[str] = []

        def keep(message: dict[str, Any]) -> None:
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "error":
                errors.append((content["ename"], content["evalue"]))
            elif kind == "stream" and content.get("name") == "stdout":
                printed.append(content["text"])
            elif kind in ("display_data", "execute_result"):
                outputs.append({"output_type": kind, "data": content.get("data", {})})

        try:
            reply = self._client.execute_interactive(
                code, timeout=timeout, output_hook=keep, store_history=False, allow_stdin=False
            )
        except TimeoutError:
            self._interrupt(timeout)
            return Run("timeout", stdout="".join(printed), outputs=outputs)
        if reply["content"]["status"] == "ok":
            return Run("ok", stdout="".join(printed), outputs=outputs)
        ename, evalue = errors[-1] if errors else (reply["content"].get("ename", "Error"), "")
        return Run("error", ename, evalue, "".join(printed), outputs)

    def _interrupt(self, timeout: float) -> None:
        """Interrupt code that had `timeout` seconds to run and wait until the kernel answers."""
        shortest, longest = INTERRUPT_GRACE
        grace = min(max(timeout, shortest), longest)
        self._manager.interrupt_kernel()
        try:
            while True:
                message = self._client.get_shell_msg(timeout=grace)
                if message["header"]["msg_type"] == "execute_reply":
                    break
        except queue.Empty:
            raise KernelHungError(
                "the kernel stopped answering and could not be interrupted"
            ) from None

    def json_value(self, expression: str, timeout: float = 120) -> Any:
        """The value of `expression`, which must evaluate to JSON text, parsed.

        The expression is evaluated as a user expression, so it prints nothing into the
        notebook's outputs and no learner's rebinding of ``print`` or ``sys.stdout`` affects it.
        """
        msg_id = self._client.execute(
            "", silent=True, store_history=False, user_expressions={"value": expression}
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self._client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                self._interrupt(timeout)
                raise RuntimeError(f"{expression}: timed out") from None
            if message["parent_header"].get("msg_id") == msg_id:
                break
        result = message["content"]["user_expressions"]["value"]
        if result["status"] != "ok":
            raise RuntimeError(f"{expression}: {result['ename']}: {result['evalue']}")
        return json.loads(ast.literal_eval(result["data"]["text/plain"]))

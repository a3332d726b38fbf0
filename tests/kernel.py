"""A Jupyter kernel that test code drives cell by cell."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client.manager import start_new_kernel


@dataclass(frozen=True)
class Outcome:
    """How one piece of code ran: ok, or the error it raised."""

    ok: bool
    error: str = ""


class Kernel:
    """A fresh IPython kernel started in `cwd`; close it when done (or use it as a context)."""

    def __init__(self, cwd: Path) -> None:
        self._manager, self._client = start_new_kernel(kernel_name="python3", cwd=str(cwd))

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the kernel."""
        self._client.stop_channels()
        self._manager.shutdown_kernel(now=True)

    def run(self, code: str, timeout: float = 120) -> Outcome:
        """Execute `code`; its outputs are discarded."""
        errors: list[str] = []

        def keep_errors(message: dict[str, Any]) -> None:
            if message["header"]["msg_type"] == "error":
                errors.append(f"{message['content']['ename']}: {message['content']['evalue']}")

        reply = self._client.execute_interactive(
            code, timeout=timeout, output_hook=keep_errors, store_history=False
        )
        if reply["content"]["status"] == "ok":
            return Outcome(True)
        return Outcome(False, "; ".join(errors) or reply["content"].get("ename", "error"))

    def value(self, expression: str) -> Any:
        """The value of a Python literal `expression` evaluates to in the kernel."""
        reply = self._client.execute(
            "", silent=True, store_history=False, user_expressions={"value": f"repr({expression})"}
        )
        while True:
            message = self._client.get_shell_msg(timeout=60)
            if message["parent_header"].get("msg_id") == reply:
                break
        result = message["content"]["user_expressions"]["value"]
        if result["status"] != "ok":
            raise RuntimeError(f"{expression}: {result['ename']}: {result['evalue']}")
        return ast.literal_eval(ast.literal_eval(result["data"]["text/plain"]))

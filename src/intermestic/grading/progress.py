"""A progress line with an ETA for long grading runs (one line per student when not a tty)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from intermestic.grading.outcomes import FAILED, Outcome


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{seconds:02d}s"


def describe(outcome: Outcome) -> str:
    """A student's result in a few words."""
    if outcome.status == FAILED:
        return f"{outcome.student}: failed ({outcome.reason})"
    score = f"{outcome.score:g}/{outcome.max_score:g}" if outcome.score is not None else "?"
    manual = ", needs manual grading" if outcome.needs_manual_grade else ""
    return f"{outcome.student}: {score}{manual}"


class Progress:
    """Prints ``[done/total] percent eta`` after each student."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.live = stream.isatty()

    def __call__(self, outcome: Outcome, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` students are graded, ``outcome`` the latest."""
        elapsed = time.monotonic() - self.started
        eta = elapsed / done * (total - done)
        line = (
            f"[{done:>{len(str(total))}}/{total}] {100 * done // total:3d}%  "
            f"elapsed {_duration(elapsed)}  eta {_duration(eta)}  {describe(outcome)}"
        )
        if self.live:
            self.stream.write("\r\033[K" + line[:200] + ("\n" if done == total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

"""The one place that defines every grading default; the command line, its help and the
instructor guide (checked by a test) read them from here."""

from __future__ import annotations

import os

# Parallel autograde workers: one per core.
JOBS = os.cpu_count() or 1
# Seconds a whole notebook may take before its worker is killed and the student marked failed.
NOTEBOOK_TIMEOUT = 600
# Seconds a worker may take to load nbgrader before it counts as failed to start.
WORKER_START_TIMEOUT = 180
# Limits of each sandboxed kernel and everything it starts.
MEMORY = "2G"  # address space of each process
PROCESSES = 256  # processes and threads
FILE_SIZE = "256M"  # largest file it may write
# The per-cell time limit is the course's own (``c.Execute.timeout`` in nbgrader_config.py).


def size_in_bytes(text: str) -> int:
    """A size such as 2G, 512M, 1.5G or 1500000000, in bytes; ValueError if it is not one."""
    units = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    number = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = number[-1:] if number[-1:] in units else ""
    try:
        value = float(number[: len(number) - len(unit)])
    except ValueError:
        raise ValueError(f"not a size: {text!r} (e.g. 2G, 512M)") from None
    if value <= 0:
        raise ValueError(f"not a size: {text!r} (must be more than 0)")
    return int(value * units[unit])

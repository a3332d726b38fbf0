"""Measure how long each explorer takes to react to a control change (target: median <= 100 ms).

Run from the repository root::

    python bench/bench_explorers.py            # 60 changes per explorer
    python bench/bench_explorers.py --changes 200

Each explorer is built headless (no front end); then its controls are set, in turn, to new valid
values chosen at random (fixed seed), and the time of each assignment is recorded: that is the
whole callback, which recomputes the summary and redraws the figure. Not a test: timings depend
on the machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import ipywidgets as widgets

from intermestic.explorers import EXPLORERS

TARGET_MS = 100.0


def _options(control: widgets.ValueWidget) -> list[object]:
    """The values a control can take (every step of a number box)."""
    if isinstance(control, widgets.BoundedIntText):
        return list(range(control.min, control.max + 1, control.step))
    if isinstance(control, widgets.BoundedFloatText):
        steps = round((control.max - control.min) / control.step)
        return [control.min + i * control.step for i in range(steps + 1)]
    return [option[1] if isinstance(option, tuple) else option for option in control.options]


def _new_value(control: widgets.ValueWidget, rng: random.Random) -> object:
    values = _options(control)
    if isinstance(control, widgets.SelectMultiple):
        return tuple(rng.sample(values, rng.randint(1, len(values))))
    candidates = [value for value in values if value != control.value]
    return rng.choice(candidates)


def bench(name: str, changes: int, rng: random.Random) -> dict[str, float]:
    """Construction time and per-change latencies (ms) of explorer `name`."""
    factory = EXPLORERS[name][0]
    started = time.perf_counter()
    widget = factory()
    built_ms = (time.perf_counter() - started) * 1000
    controls = list(widget.controls.values())
    timings = []
    for index in range(changes):
        control = controls[index % len(controls)]
        value = _new_value(control, rng)
        started = time.perf_counter()
        control.value = value
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "built": built_ms,
        "median": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
        "max": timings[-1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=60, help="control changes per explorer")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"{'explorer':<16}{'first build':>12}{'median':>10}{'p95':>10}{'max':>10}  (ms)")
    slow = []
    for name in EXPLORERS:
        result = bench(name, args.changes, rng)
        print(
            f"{name:<16}{result['built']:>12.0f}{result['median']:>10.1f}"
            f"{result['p95']:>10.1f}{result['max']:>10.1f}"
        )
        if result["median"] > TARGET_MS:
            slow.append(name)
    verdict = f"over the {TARGET_MS:.0f} ms target: {', '.join(slow)}" if slow else "all within"
    print(f"{args.changes} changes per explorer; median {verdict}.")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Per-explorer latency in the browser: a control change → the explorer's output updated.

Starts JupyterLab with ``intermestic start`` (as the browser tests do), opens a notebook with one
cell per explorer of ``intermestic.explorers.EXPLORERS`` in headless Chromium, and changes each
explorer's first control (a menu) `--changes` times, selecting the next option. Latency runs from
the browser's change event to the moment the summary text
and, for explorers with a figure, the figure image have both changed. Prints median and p95 per
explorer; target: median ≤ 100 ms.

    python bench/bench_latency.py [--changes 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intermestic.explorers import EXPLORERS
from tests.browser.lab import (
    EXPLORER,
    change_first_control,
    explorer_names,
    lab_server,
    launch_chromium,
    new_context,
    run_notebook,
)

TARGET_MS = 100.0
# Armed before each change: records the time of the first input event, then resolves when the
# summary and the figure (if any) differ from what they were.
_ARM = """(root) => {
    const summary = root.querySelector('.intermestic-summary .widget-html-content');
    const figure = root.querySelector('.intermestic-figure img');
    const before = [summary.textContent, figure ? figure.src : null];
    window.__latency = new Promise((resolve) => {
        let started = null;
        const start = () => { if (started === null) started = performance.now(); };
        root.addEventListener('change', start, true);
        const observer = new MutationObserver(() => {
            const img = root.querySelector('.intermestic-figure img');
            const done = summary.textContent !== before[0]
                && (before[1] === null || (img && img.src !== before[1]));
            if (done && started !== null) {
                observer.disconnect();
                resolve(performance.now() - started);
            }
        });
        observer.observe(root, {subtree: true, childList: true, characterData: true,
                                attributes: true});
    });
}"""


def measure(page: Page, index: int, changes: int) -> list[float]:
    """Milliseconds from each of `changes` control changes to the updated output."""
    explorer = page.locator(EXPLORER).nth(index)
    timings = []
    for _ in range(changes):
        explorer.evaluate(_ARM)
        change_first_control(explorer)
        timings.append(page.evaluate("() => window.__latency"))
    return timings


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    """Run the benchmark and print one line per explorer; exit 1 if a median misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=20, help="changes per explorer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="intermestic-bench-") as tmp:
        root = Path(tmp)
        for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
            (root / variable).mkdir()
            os.environ[variable] = str(root / variable)
        gallery = root / "explorers.ipynb"
        nbformat.write(
            nbformat.v4.new_notebook(
                metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                cells=[
                    nbformat.v4.new_code_cell(
                        f"from intermestic.explorers import {name}_explorer\n\n{name}_explorer()"
                    )
                    for name in EXPLORERS
                ],
            ),
            gallery,
        )
        with (
            lab_server(root / "lab", {"bench/explorers.ipynb": gallery}) as server,
            sync_playwright() as playwright,
        ):
            browser = launch_chromium(playwright)
            page = run_notebook(new_context(browser), server, "bench/explorers.ipynb").page
            slow = False
            print(f"{'explorer':<18}{'n':>4}{'median ms':>12}{'p95 ms':>10}")
            for index, name in enumerate(explorer_names(page)):
                timings = measure(page, index, args.changes)
                median = statistics.median(timings)
                slow |= median > TARGET_MS
                print(f"{name:<18}{len(timings):>4}{median:>12.1f}{p95(timings):>10.1f}")
            browser.close()
    print(f"target: median <= {TARGET_MS:.0f} ms")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

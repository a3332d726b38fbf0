"""What a drawn chart covers: labels, annotations and legends checked against the data.

`covered(fig)` renders a figure and lists every text label or legend that sits on top of a
data mark (a point of a line, anywhere along a line segment, or a bar) or on another label,
so chart tests can assert that nothing hides the data it describes.
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

SAMPLES_PER_SEGMENT = 25


def _data_lines(ax: Axes) -> list[np.ndarray]:
    """Display coordinates of points along every data line (reference lines excluded)."""
    lines = []
    for line in ax.get_lines():
        xy = line.get_xydata()
        if len(xy) < 3 or str(line.get_label()).startswith("_child"):
            continue  # axvline/axhline reference lines have two points and no label
        shown = ax.transData.transform(np.asarray(xy, dtype=float))
        steps = np.linspace(0, 1, SAMPLES_PER_SEGMENT)[:, None]
        between = [start + steps * (end - start) for start, end in itertools.pairwise(shown)]
        lines.append(np.vstack([shown, *between]))
    return lines


def _bars(ax: Axes) -> list[Bbox]:
    return [
        patch.get_window_extent()
        for container in ax.containers
        for patch in container
        if isinstance(patch, Rectangle)
    ]


def _labels(fig: Figure, ax: Axes) -> list[tuple[str, Bbox]]:
    renderer = fig.canvas.get_renderer()
    found = [(f"text {t.get_text()!r}", t.get_window_extent(renderer)) for t in ax.texts]
    legend = ax.get_legend()
    if legend is not None:
        found.append(("legend", legend.get_window_extent(renderer)))
    return found


def covered(fig: Figure) -> list[str]:
    """Descriptions of every label or legend that covers data or another label in `fig`."""
    FigureCanvasAgg(fig).draw()
    problems = []
    for ax in fig.axes:
        labels = _labels(fig, ax)
        for name, box in labels:
            for points in _data_lines(ax):
                if box.count_contains(points):
                    problems.append(f"{name} covers a line")
            if any(box.overlaps(bar) for bar in _bars(ax)):
                problems.append(f"{name} covers a bar")
        for i, (name, box) in enumerate(labels):
            for other, other_box in labels[i + 1 :]:
                if box.overlaps(other_box):
                    problems.append(f"{name} overlaps {other}")
    return problems

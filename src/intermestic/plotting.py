"""Accessible figures for the course: a colour-blind-safe palette, a source line and alt text.

In a notebook::

    from intermestic.plotting import PALETTE, new_figure, show_figure
    fig, ax = new_figure("U.S. goods exports to Mexico", source="U.S. Census Bureau")
    ax.plot(years, exports, color=PALETTE["blue"])
    show_figure(fig, alt="Line chart: exports rise from 1985 to 2023.")

Figures are plain `matplotlib.figure.Figure` objects (no pyplot state), shown as a PNG image
that carries its alt text, so screen readers and text-only front ends get a description.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable

import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from PIL import Image

__all__ = ["PALETTE", "FastFigure", "figure_png", "img_html", "new_figure", "show_figure"]

# Okabe & Ito, "Color Universal Design" (2008): distinguishable with every common colour-vision
# deficiency. Use them in this order for series; grey is for context (unselected) marks.
PALETTE: dict[str, str] = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}

_DPI = 90


def new_figure(
    title: str, *, source: str, size: tuple[float, float] = (7.0, 3.6)
) -> tuple[Figure, Axes]:
    """A figure with one set of axes, a title and a source line under the plot."""
    fig = Figure(figsize=size, dpi=_DPI, layout=ConstrainedLayoutEngine(h_pad=0.2))
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.text(0.01, 0.005, f"Source: {source}", fontsize=7.5, color="#444444", va="bottom")
    return fig, ax


def figure_png(fig: Figure) -> bytes:
    """The figure rendered as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


class FastFigure:
    """A figure whose static part is drawn once; each frame redraws only its changing artists.

    Mark the artists that change between frames with ``set_animated(True)`` before creating
    the FastFigure; `png` then costs a few milliseconds instead of a full redraw.
    """

    def __init__(self, fig: Figure) -> None:
        self.figure = fig
        self._canvas = FigureCanvasAgg(fig)
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(fig.bbox)

    def png(self, artists: Iterable[Artist]) -> bytes:
        """The static background with `artists` drawn on top, as PNG bytes."""
        self._canvas.restore_region(self._background)
        for artist in artists:
            self.figure.draw_artist(artist)
        size = self._canvas.get_width_height()
        image = Image.frombuffer("RGBA", size, self._canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def img_html(png: bytes, alt: str) -> str:
    """An HTML <img> element showing `png` with `alt` as its text alternative."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
        'style="max-width: 100%; height: auto">'
    )


def show_figure(fig: Figure, alt: str) -> None:
    """Display `fig` as a PNG with alt text, then close it.

    JupyterLab shows the HTML <img> (which carries the alt attribute); front ends without HTML
    show the PNG, whose output metadata also carries the alt text, or the text itself.
    """
    png = figure_png(fig)
    plt.close(fig)
    bundle = {
        "text/html": img_html(png, alt),
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/plain": alt,
    }
    display(bundle, raw=True, metadata={"image/png": {"alt": alt}})

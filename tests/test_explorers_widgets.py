"""Conventions every explorer keeps (CSS classes, labelled controls, summary = text fallback)
and the accessible plotting helpers. Callback speed is measured by bench/bench_explorers.py."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest
from matplotlib.figure import Figure

from intermestic.explorers import EXPLORERS
from intermestic.plotting import PALETTE, FastFigure, img_html, new_figure, show_figure

SLIDERS = (
    widgets.IntSlider,
    widgets.FloatSlider,
    widgets.FloatLogSlider,
    widgets.IntRangeSlider,
    widgets.FloatRangeSlider,
    widgets.SelectionSlider,
    widgets.SelectionRangeSlider,
)


def _next_value(control: widgets.ValueWidget) -> object:
    """A different valid value for the explorer's first control."""
    if isinstance(control, widgets.Dropdown):
        values = (
            [value for _, value in control.options]
            if isinstance(control.options[0], tuple)
            else list(control.options)
        )
        return values[(values.index(control.value) + 1) % len(values)]
    return control.value + 1 if control.value < control.max else control.value - 1


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_explorer_conventions(name):
    factory, summary = EXPLORERS[name]
    widget = factory()
    assert isinstance(widget, widgets.VBox)
    assert {"intermestic-explorer", f"intermestic-explorer-{name}"} <= set(widget._dom_classes)
    assert "intermestic-summary" in widget.summary_view._dom_classes
    for control in widget.controls.values():
        assert control.description and control.tooltip
        # ipywidgets' slider handle has no accessible name (noUiSlider #1019), so no sliders.
        assert not isinstance(control, SLIDERS), f"{name}: {type(control).__name__}"
    first = next(iter(widget.controls.values()))
    assert isinstance(first, widgets.Dropdown)
    first.value = _next_value(first)
    text = summary(**widget.state())
    assert widget.summary() == text
    assert html.escape(text) in widget.summary_view.value
    assert widget._repr_mimebundle_()["text/plain"] == text


def test_palette_is_okabe_ito():
    assert PALETTE["orange"] == "#E69F00" and PALETTE["blue"] == "#0072B2"


def test_new_figure_has_title_and_source_line():
    fig, ax = new_figure("A title", source="An agency")
    assert ax.get_title(loc="left") == "A title"
    assert any(text.get_text() == "Source: An agency" for text in fig.texts)


def test_fast_figure_redraws_only_the_animated_artists():
    fig, ax = new_figure("t", source="s")
    ax.plot([0, 1], [0, 1])
    (mark,) = ax.plot([0.5], [0.5], "o", animated=True)
    canvas = FastFigure(fig)
    first = canvas.png([mark])
    mark.set_data([0.2], [0.8])
    assert canvas.png([mark]) != first
    assert first.startswith(b"\x89PNG")


def test_img_html_escapes_the_alt_text():
    assert 'alt="a &quot;quoted&quot; &lt;b&gt;"' in img_html(b"png", 'a "quoted" <b>')


def test_show_figure_displays_png_with_alt_text(monkeypatch):
    shown = []
    monkeypatch.setattr(
        "intermestic.plotting.display", lambda bundle, **kw: shown.append((bundle, kw))
    )
    fig = Figure()
    fig.add_subplot().plot([1, 2])
    show_figure(fig, alt="A rising line.")
    bundle, options = shown[0]
    assert options["metadata"] == {"image/png": {"alt": "A rising line."}}
    assert (
        'alt="A rising line."' in bundle["text/html"] and bundle["text/plain"] == "A rising line."
    )

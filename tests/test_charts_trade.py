"""Lesson 02's ready-made trade charts: they draw the data package's numbers, describe them in
their alt text, use the palette, and no label covers the data."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from intermestic import marking
from intermestic.charts import trade as charts
from intermestic.data import load
from intermestic.plotting import PALETTE
from tests.chart_layout import covered


@pytest.fixture
def shown(monkeypatch):
    """The alt text of every figure a chart function shows."""
    alts: list[str] = []
    monkeypatch.setattr(charts, "show_figure", lambda fig, alt: alts.append(alt))
    return alts


def _full_years() -> pd.DataFrame:
    trade = load("us_mexico_trade_annual")
    return trade.loc[~trade["partial"]].set_index("year")


def _palette_only(fig) -> bool:
    allowed = {mcolors.to_hex(c) for c in PALETTE.values()}
    ax = fig.axes[0]
    colours = [line.get_color() for line in ax.get_lines()]
    colours += [patch.get_facecolor() for patch in ax.patches]
    return {mcolors.to_hex(c) for c in colours} <= allowed


def test_trade_chart_draws_exports_and_imports_in_billions(shown):
    fig = charts.trade_chart()
    drawn = marking.chart(fig, "trade_chart")
    trade = _full_years()
    assert drawn.has_series(trade["exports"] / 1_000, decimals=3)
    assert drawn.has_series(trade["imports"] / 1_000, decimals=3)
    assert drawn.xlabel and "Billions" in drawn.ylabel
    assert _palette_only(fig)


def test_trade_chart_marks_nafta_as_a_date_and_its_alt_text_says_so(shown):
    fig = charts.trade_chart()
    labels = [text.get_text() for text in fig.axes[0].texts]
    assert "NAFTA in force, 1994" in labels
    assert not any("effect" in label.lower() or "caused" in label.lower() for label in labels)
    (alt,) = shown
    trade = _full_years()
    assert f"rise from {trade.loc[1985, 'exports'] / 1_000:.0f} to" in alt
    assert f"{trade.loc[2023, 'imports'] / 1_000:.0f}" in alt
    assert "does not measure its effect" in alt
    last_surplus = int(trade.index[trade["balance"] >= 0].max())
    assert f"from {last_surplus + 1} on" in alt


def test_trade_chart_labels_cover_no_data(shown):
    assert covered(charts.trade_chart()) == []


def test_export_markets_chart_ranks_the_year_and_highlights_mexico(shown):
    fig = charts.export_markets_chart(1994)
    markets = load("us_export_markets_annual")
    top = markets.loc[markets["year"] == 1994].nlargest(5, "exports")
    expected = pd.Series(top["exports"].to_numpy() / 1_000, index=top["partner"])
    assert marking.chart(fig, "markets").has_series(expected, decimals=3, kind="bar")
    bars = dict(zip(top["partner"], fig.axes[0].patches, strict=True))
    assert mcolors.to_hex(bars["Mexico"].get_facecolor()) == PALETTE["orange"].lower()
    assert _palette_only(fig)
    (alt,) = shown
    assert alt.index(top["partner"].iloc[0]) < alt.index(top["partner"].iloc[1])
    assert f"Mexico {top.set_index('partner').loc['Mexico', 'exports'] / 1_000:.0f}" in alt
    assert covered(fig) == []


def test_export_markets_chart_rejects_a_year_without_data(shown):
    with pytest.raises(ValueError, match="1900"):
        charts.export_markets_chart(1900)


def test_mirror_share_chart_draws_comparable_years_and_the_reference(shown):
    fig = charts.mirror_share_chart()
    mirror = load("mexico_exports_us_share")
    comparable = mirror.loc[mirror["comparable"]].set_index("year")["mirror_share_pct"]
    drawn = marking.chart(fig, "mirror")
    assert drawn.has_series(comparable, decimals=1)
    assert not drawn.has_series(mirror.set_index("year")["mirror_share_pct"], decimals=1)
    (alt,) = shown
    assert f"between {comparable.min():.0f}% and {comparable.max():.0f}%" in alt
    assert "80%" in alt
    assert covered(fig) == []
    assert _palette_only(fig)


def test_the_layout_check_finds_labels_on_data():
    from intermestic.plotting import new_figure

    fig, ax = new_figure("check", source="test")
    ax.plot([0, 1, 2], [0, 1, 2], label="line")
    ax.bar([5], [2])
    ax.annotate("on the line", (1, 1), ha="center", va="center")
    ax.annotate("on the bar", (5, 1), ha="center", va="center")
    problems = covered(fig)
    assert "text 'on the line' covers a line" in problems
    assert "text 'on the bar' covers a bar" in problems

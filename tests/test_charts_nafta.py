"""Lesson 03's ready-made rules-of-origin charts: thresholds from RULES, a vehicle's shares,
alt text from the same numbers, the palette, and no label covering the data."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from intermestic import marking
from intermestic.charts import nafta as charts
from intermestic.explorers import RULES
from intermestic.plotting import PALETTE
from tests.chart_layout import covered

EXAMPLE = pd.DataFrame(
    {
        "part_group": ["engine", "seats", "electronics", "assembly"],
        "cost_usd": [3_000, 1_000, 2_500, 3_500],
        "north_american": [True, True, False, True],
    }
)


@pytest.fixture
def shown(monkeypatch):
    """The alt text of every figure a chart function shows."""
    alts: list[str] = []
    monkeypatch.setattr(charts, "show_figure", lambda fig, alt: alts.append(alt))
    return alts


def _palette_only(fig) -> bool:
    allowed = {mcolors.to_hex(c) for c in PALETTE.values()}
    ax = fig.axes[0]
    colours = [line.get_color() for line in ax.get_lines()]
    colours += [patch.get_facecolor() for patch in ax.patches]
    return {mcolors.to_hex(c) for c in colours} <= allowed


def test_thresholds_come_from_rules():
    table = charts.thresholds()
    assert table.loc["Regional value content"].to_dict() == {
        "NAFTA": RULES.nafta_rvc_pct,
        "USMCA": RULES.usmca_rvc_pct,
    }
    assert table.loc["Labour value content (car)", "USMCA"] == RULES.usmca_lvc_pct["passenger car"]
    assert table.loc["North American steel & aluminium", "USMCA"] == (
        RULES.usmca_steel_aluminium_pct
    )


def test_rules_chart_draws_both_agreements_and_describes_them(shown):
    fig = charts.rules_chart()
    bars = {trace.label: trace.y for trace in marking.chart(fig, "rules").traces}
    table = charts.thresholds()
    assert bars == {"NAFTA": tuple(table["NAFTA"]), "USMCA": tuple(table["USMCA"])}
    (alt,) = shown
    assert f"{RULES.nafta_rvc_pct:g}% under NAFTA" in alt
    assert f"{RULES.usmca_steel_aluminium_pct:g}% under the USMCA" in alt
    assert "no requirement under NAFTA" in alt
    assert sum(text.get_text() == "NAFTA: none" for text in fig.axes[0].texts) == 2
    assert covered(fig) == []
    assert _palette_only(fig)


def test_content_shares_use_the_north_american_flag():
    shares = charts.content_shares(EXAMPLE)
    assert shares["North American"] == pytest.approx(75.0)
    assert shares["non-originating"] == pytest.approx(25.0)


@pytest.mark.parametrize(
    ("costs", "words"),
    [
        (EXAMPLE.drop(columns="north_american"), "north_american"),
        (EXAMPLE.assign(cost_usd=0), "zero"),
    ],
)
def test_content_shares_reject_a_table_they_cannot_use(costs, words):
    with pytest.raises(ValueError, match=words):
        charts.content_shares(costs)


def test_vehicle_chart_stacks_the_shares_against_the_thresholds(shown):
    fig = charts.vehicle_chart(EXAMPLE, name="the test car")
    ax = fig.axes[0]
    widths = [patch.get_width() for patch in ax.patches]
    assert widths == pytest.approx([75.0, 25.0])
    assert ax.patches[1].get_x() == pytest.approx(75.0)
    references = sorted(line.get_xdata()[0] for line in ax.get_lines())
    assert references == [RULES.nafta_rvc_pct, RULES.usmca_rvc_pct]
    (alt,) = shown
    assert "the test car's net cost is 75.0% North American and 25.0% non-originating" in alt
    assert covered(fig) == []
    assert _palette_only(fig)

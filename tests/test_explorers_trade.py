"""Trade explorer: yearly figures from the data, nothing a lesson grades, bad input, the widget."""

from __future__ import annotations

import re

import pytest

from intermestic.data import load
from intermestic.explorers import trade_explorer, trade_summary
from intermestic.explorers.trade import FIRST_YEAR, LAST_YEAR, trade_figure, trade_year


def _census(year: int) -> dict[str, float]:
    trade = load("us_mexico_trade_annual")
    return trade[trade["year"] == year].iloc[0].to_dict()


@pytest.mark.parametrize("year", [FIRST_YEAR, 2018, LAST_YEAR])
def test_trade_year_matches_the_census_table(year):
    expected = _census(year)
    result = trade_year(year)
    assert result.exports == pytest.approx(expected["exports"])
    assert result.imports == pytest.approx(expected["imports"])
    assert result.total == pytest.approx(expected["exports"] + expected["imports"])
    assert result.balance == pytest.approx(expected["exports"] - expected["imports"])


def test_summary_shows_the_year_in_millions_and_names_the_balance():
    expected = _census(2018)
    text = trade_summary(2018)
    for column in ("exports", "imports", "total"):
        assert f"{expected[column]:,.1f}" in text
    assert "U.S. deficit:" in text and f"{abs(expected['balance']):,.1f}" in text
    assert "Current dollars" in text and "goods only" in text


def test_a_surplus_year_says_surplus():
    surplus_years = load("us_mexico_trade_annual").query("balance > 0 and not partial")["year"]
    assert "U.S. surplus" in trade_summary(int(surplus_years.iloc[0]))


def _numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in re.findall(r"-?\d[\d,]*\.?\d*", text)}


@pytest.mark.parametrize("year", [1994, 2017, 2018, 2020, LAST_YEAR])
def test_the_summary_shows_no_figure_a_lesson_grades(year):
    """Per-minute trade, Mexico's export-market rank and the mirror share are the students'
    to compute (lesson 02); the explorer shows none of them, in any rounding."""
    shown = _numbers(trade_summary(year))
    total = _census(year)["total"]
    per_minute = total / 525_600
    candidates = {round(per_minute, d) for d in (0, 1, 2, 3)}
    candidates |= {round(per_minute * 1_000_000, d) for d in (-3, 0)}
    mirror = load("mexico_exports_us_share").set_index("year")
    if year in mirror.index:
        share = mirror.loc[year, "mirror_share_pct"]
        candidates |= {round(share, 1), round(share)}
    assert not (shown & candidates), shown & candidates
    text = trade_summary(year).lower()
    for word in ("per minute", "rank", "largest", "mirror", "share"):
        assert word not in text


@pytest.mark.parametrize("bad", [1984, 2024, 2018.5, "twenty", None, True])
def test_bad_years_give_a_message_not_a_traceback(bad):
    text = trade_summary(bad)
    assert text.startswith("Cannot show this:")
    assert "1985 to 2023" in text


def test_a_year_given_as_text_is_accepted():
    assert trade_summary("2018") == trade_summary(2018)


def test_figure_is_a_png_with_alt_text_naming_the_year_and_its_values():
    png, alt = trade_figure(1994)
    assert png.startswith(b"\x89PNG")
    expected = _census(1994)
    assert "1994" in alt
    assert f"{expected['exports'] / 1_000:.1f}" in alt
    assert f"{expected['imports'] / 1_000:.1f}" in alt


def test_widget_updates_its_summary_when_the_year_changes():
    widget = trade_explorer(year=2018)
    assert widget.state() == {"year": 2018}
    widget.controls["year"].value = 2009
    assert widget.summary() == trade_summary(year=2009)
    exports = f"{_census(2009)['exports']:,.1f}"
    assert exports in widget.summary_view.value
    assert 'alt="' in widget.figure_view.value and "2009" in widget.figure_view.value


def test_widget_with_a_bad_starting_year_says_so():
    widget = trade_explorer(year=1900)
    assert "1900" in widget.notice
    assert widget.state() == {"year": 2018}

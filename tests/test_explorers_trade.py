"""Trade explorer: yearly figures from the data, edge years, bad input, the widget headless."""

from __future__ import annotations

import pytest

from intermestic.data import load
from intermestic.explorers import trade_explorer, trade_summary
from intermestic.explorers.trade import FIRST_YEAR, LAST_YEAR, minutes_in, trade_figure, trade_year


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
    assert result.per_minute == pytest.approx(expected["total"] / minutes_in(year))


def test_2018_is_about_a_million_dollars_a_minute():
    # Published check (content facts §5.7): 2018 goods trade ~ $1.16 million a minute.
    assert round(trade_year(2018).per_minute, 2) == 1.16


def test_mexico_is_second_export_market_in_2018_after_canada():
    # Published: Mexico was the 2nd-largest U.S. export market in 2018, after Canada (State Dept).
    result = trade_year(2018)
    assert (result.export_rank, result.ranked_above) == (2, ("Canada",))


def test_export_rank_is_computed_from_the_partner_table():
    markets = load("us_export_markets_annual")
    year = markets[markets["year"] == 1990]
    expected = int(
        (year["exports"] > year.loc[year["partner"] == "Mexico", "exports"].iloc[0]).sum()
    )
    assert trade_year(1990).export_rank == expected + 1


def test_mirror_share_and_its_gaps():
    shares = load("mexico_exports_us_share").set_index("year")
    assert trade_year(2018).mirror_share_pct == pytest.approx(shares.loc[2018, "mirror_share_pct"])
    assert trade_year(1985).mirror_comparable is False
    assert trade_year(2023).mirror_share_pct is None
    assert "not available" in trade_summary(2023)
    assert "maquiladora" in trade_summary(1990)


def test_leap_years_have_more_minutes():
    assert minutes_in(2020) == 527_040
    assert minutes_in(2018) == 525_600


@pytest.mark.parametrize("bad", [1984, 2024, 2018.5, "twenty", None, True])
def test_bad_years_give_a_message_not_a_traceback(bad):
    text = trade_summary(bad)
    assert text.startswith("Cannot show this:")
    assert "1985 to 2023" in text


def test_a_year_given_as_text_is_accepted():
    assert trade_summary("2018") == trade_summary(2018)


def test_figure_is_a_png_with_alt_text_naming_the_year():
    png, alt = trade_figure(1994)
    assert png.startswith(b"\x89PNG")
    assert "1994" in alt


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

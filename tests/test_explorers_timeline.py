"""Timeline and who's who explorers: filters, empty selections, bad input, widgets."""

from __future__ import annotations

import pytest

from intermestic.data import load
from intermestic.explorers import (
    timeline_explorer,
    timeline_summary,
    whos_who_explorer,
    whos_who_summary,
)
from intermestic.explorers.timeline import timeline_events
from intermestic.explorers.whos_who import OTHER, PORTFOLIOS, portfolio_of, whos_who


def test_every_event_appears_once_with_all_filters_off():
    events = load("timeline")
    assert len(timeline_events()) == len(events)
    assert timeline_summary().startswith(f"{len(events)} events")


@pytest.mark.parametrize("theme", ["trade", "migration", "security", "politics"])
def test_before_and_after_split_each_theme(theme):
    events = load("timeline")
    themed = events[events["theme"] == theme]
    before = timeline_events(theme, "before")
    after = timeline_events(theme, "after")
    assert len(before) + len(after) == len(themed)
    assert not before["after_article"].any() and after["after_article"].all()


def test_dates_are_written_at_their_precision():
    text = timeline_summary("trade", "before")
    assert "1 Jan 1994" in text  # NAFTA enters into force (day precision)
    assert "\n  1986 " in text  # Mexico joins the GATT (year precision)


@pytest.mark.parametrize(
    ("theme", "period"), [("sports", "all"), ("trade", "later"), (None, "all")]
)
def test_timeline_bad_filters_give_a_message(theme, period):
    assert timeline_summary(theme, period).startswith("Cannot show this: unknown")


def test_timeline_widget_follows_its_menus():
    widget = timeline_explorer()
    widget.controls["theme"].value = "security"
    widget.controls["period"].value = "after"
    events = load("timeline")
    expected = events[(events["theme"] == "security") & events["after_article"]]
    assert widget.summary() == timeline_summary("security", "after")
    assert widget.summary_view.value.count("[security]") == len(expected)


def test_every_actor_has_a_portfolio():
    actors = load("actors")
    assert OTHER not in {portfolio_of(role) for role in actors["role_july_2018"]}
    assert sum(len(whos_who(portfolio=p)) for p in PORTFOLIOS[1:]) == len(actors)


def test_portfolios_follow_the_roles():
    assert portfolio_of("Secretary of the Treasury (from 13 Feb 2017)") == "trade and economy"
    assert portfolio_of("Secretary of Homeland Security") == "security, interior and migration"
    assert portfolio_of("Ambassador-designate to the United States") == "foreign affairs"
    assert portfolio_of("Outgoing president (PRI, 2012-2018)") == "presidency"


def test_whos_who_filters_by_country_and_shows_then_and_later():
    actors = load("actors")
    mexicans = actors[actors["country"] == "Mexico"]
    text = whos_who_summary(country="mexico")
    assert text.startswith(f"{len(mexicans)} people (Mexico; all portfolios)")
    first = mexicans.iloc[0]
    assert f"July 2018: {first['role_july_2018']}" in text
    assert f"Later: {first['later_role']}" in text


def test_whos_who_empty_selection_and_bad_input():
    assert "Nobody the article names" in whos_who_summary("United States", "presidency")
    assert whos_who_summary("Canada").startswith("Cannot show this: unknown country")
    assert whos_who_summary(portfolio="sport").startswith("Cannot show this: unknown portfolio")


def test_whos_who_widget_follows_its_menus():
    widget = whos_who_explorer()
    widget.controls["country"].value = "United States"
    widget.controls["portfolio"].value = "foreign affairs"
    assert widget.summary() == whos_who_summary("United States", "foreign affairs")
    assert "Mike Pompeo" in widget.summary_view.value
    bad = whos_who_explorer(country="Canada")
    assert "Canada" in bad.notice and bad.state() == {"country": "all", "portfolio": "all"}

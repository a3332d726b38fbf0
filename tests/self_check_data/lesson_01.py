"""Lesson 01's data-derived self-check answers."""

from collections.abc import Callable

from intermestic.data import load


def _date(words: str):
    timeline = load("timeline")
    return timeline.loc[timeline["title"].str.contains(words, regex=False), "date"].item()


def _politics_events_in_2018() -> int:
    timeline = load("timeline")
    return int(((timeline["date"].dt.year == 2018) & (timeline["theme"] == "politics")).sum())


def _days_from_election_to_visit() -> int:
    return (_date("Pompeo, Kushner") - _date("elected president")).days


def _events_without_trade_figure() -> int:
    timeline = load("timeline")
    events = timeline.assign(year=timeline["date"].dt.year)
    trade = load("us_mexico_trade_annual")
    full_years = trade.loc[~trade["partial"], ["year", "total"]]
    return int(events.merge(full_years, on="year", how="left")["total"].isna().sum())


ANSWERS: dict[str, Callable[[], object]] = {
    "01.3": _politics_events_in_2018,
    "01.4": _days_from_election_to_visit,
    "01.7": _events_without_trade_figure,
}

"""Timeline explorer: events in U.S.-Mexico relations, 1848-2026, by theme and period.

In a notebook::

    from intermestic.explorers import timeline_explorer, timeline_summary
    timeline_explorer(theme="trade", period="after")
    print(timeline_summary(theme="trade", period="after"))

"Before" and "after" refer to the article (July 2018), as flagged in the `timeline` table.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from intermestic.explorers._base import (
    Explorer,
    ExplorerInputError,
    choice,
    initial,
    label_style,
    message,
    table,
)

__all__ = ["PERIODS", "THEMES", "timeline_events", "timeline_explorer", "timeline_summary"]

ALL = "all"
THEMES = (ALL, "trade", "migration", "security", "politics")
PERIODS = {
    ALL: "all dates",
    "before": "up to the article (July 2018)",
    "after": "after the article (from August 2018)",
}
_DATE_FORMATS = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def _filters(theme: object, period: object) -> tuple[str, str]:
    return choice(theme, "theme", THEMES), choice(period, "period", list(PERIODS))


def timeline_events(theme: str = ALL, period: str = ALL) -> pd.DataFrame:
    """The timeline's events of `theme` in `period` ("all", "before" or "after"), oldest first."""
    theme, period = _filters(theme, period)
    events = table("timeline")
    if theme != ALL:
        events = events[events["theme"] == theme]
    if period != ALL:
        events = events[events["after_article"] == (period == "after")]
    return events.sort_values("date", kind="stable")


def _when(event: pd.Series) -> str:
    return event["date"].strftime(_DATE_FORMATS[event["date_precision"]]).lstrip("0")


def timeline_summary(theme: str = ALL, period: str = ALL) -> str:
    """The matching events as a dated list with their sources (the explorer's text fallback)."""
    try:
        theme, period = _filters(theme, period)
    except ExplorerInputError as error:
        return message(error)
    events = timeline_events(theme, period)
    theme_text = "all themes" if theme == ALL else f"theme: {theme}"
    heading = (
        f"{len(events)} event{'s' if len(events) != 1 else ''} ({theme_text}; {PERIODS[period]}):"
    )
    if events.empty:
        return f"{heading}\n  None: choose another theme or period."
    lines = [heading]
    for _, event in events.iterrows():
        lines.append(f"  {_when(event):<12} [{event['theme']}] {event['title']}")
        lines.append(f"  {'':<12} source: {event['source_url']}")
    return "\n".join(lines)


def timeline_explorer(theme: str = ALL, period: str = ALL) -> Explorer:
    """The timeline explorer: theme and period menus over the dated list of events."""

    start, notice = initial(lambda: _filters(theme, period), (ALL, ALL), "every event")
    controls = {
        "theme": widgets.Dropdown(
            options=[(name.capitalize(), name) for name in THEMES],
            value=start[0],
            description="Theme:",
            tooltip="Show only events about trade, migration, security or politics",
            style=label_style(),
        ),
        "period": widgets.Dropdown(
            options=[(text.capitalize(), name) for name, text in PERIODS.items()],
            value=start[1],
            description="Period:",
            tooltip="Before or after E. A. Wayne's article of July 2018",
            style=label_style(),
        ),
    }
    return Explorer(
        "timeline", "Timeline of U.S.-Mexico relations", controls, timeline_summary, notice=notice
    )

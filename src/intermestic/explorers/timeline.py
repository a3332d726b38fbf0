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
from intermestic.i18n import N_, _, strftime

__all__ = ["PERIODS", "THEMES", "timeline_events", "timeline_explorer", "timeline_summary"]

ALL = N_("all")
THEMES = (ALL, N_("trade"), N_("migration"), N_("security"), N_("politics"))
PERIODS = {
    ALL: N_("all dates"),
    "before": N_("up to the article (July 2018)"),
    "after": N_("after the article (from August 2018)"),
}
_DATE_FORMATS = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def _filters(theme: object, period: object) -> tuple[str, str]:
    return choice(theme, _("theme"), THEMES), choice(period, _("period"), list(PERIODS))


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
    return strftime(event["date"], _DATE_FORMATS[event["date_precision"]]).lstrip("0")


def timeline_summary(theme: str = ALL, period: str = ALL) -> str:
    """The matching events as a dated list with their sources (the explorer's text fallback)."""
    try:
        theme, period = _filters(theme, period)
    except ExplorerInputError as error:
        return message(error)
    events = timeline_events(theme, period)
    theme_text = _("all themes") if theme == ALL else _("theme: {theme}").format(theme=_(theme))
    heading = (
        _("{count} events ({themes}; {period}):")
        if len(events) != 1
        else _("{count} event ({themes}; {period}):")
    ).format(count=len(events), themes=theme_text, period=_(PERIODS[period]))
    if events.empty:
        return heading + "\n" + _("  None: choose another theme or period.")
    lines = [heading]
    for _row, event in events.iterrows():
        lines.append(f"  {_when(event):<12} [{_(event['theme'])}] {event['title']}")
        lines.append(f"  {'':<12} " + _("source: {url}").format(url=event["source_url"]))
    return "\n".join(lines)


def timeline_explorer(theme: str = ALL, period: str = ALL) -> Explorer:
    """The timeline explorer: theme and period menus over the dated list of events."""

    start, notice = initial(lambda: _filters(theme, period), (ALL, ALL), _("every event"))
    controls = {
        "theme": widgets.Dropdown(
            options=[(_(name).capitalize(), name) for name in THEMES],
            value=start[0],
            description=_("Theme:"),
            tooltip=_("Show only events about trade, migration, security or politics"),
            style=label_style(),
        ),
        "period": widgets.Dropdown(
            options=[(_(text).capitalize(), name) for name, text in PERIODS.items()],
            value=start[1],
            description=_("Period:"),
            tooltip=_("Before or after E. A. Wayne's article of July 2018"),
            style=label_style(),
        ),
    }
    return Explorer(
        "timeline",
        _("Timeline of U.S.-Mexico relations"),
        controls,
        timeline_summary,
        notice=notice,
    )

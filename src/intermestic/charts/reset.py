"""Charts of lesson 01, the reset moment: the 2018 transition calendar and two channels of ties.

In a notebook::

    from intermestic.charts.reset import channels_chart, transition_chart
    fig = transition_chart()            # the timeline's events around Mexico's 2018 transition
    fig = channels_chart(1995, 2017)    # goods trade and remittances as indexes, first year = 100

Each function draws from the data package, shows the figure with alt text built from the same
numbers, and returns the figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.dates import DateFormatter, MonthLocator, date2num
from matplotlib.figure import Figure

from intermestic.data import load
from intermestic.plotting import PALETTE, new_figure, show_figure

__all__ = ["MARKERS", "Marker", "channels", "channels_chart", "markers", "transition_chart"]

TIMELINE_SOURCE = "intermestic course timeline (compiled from CRS, AP and government sources)"
CHANNELS_SOURCE = (
    "U.S. Census Bureau, Trade in Goods with Mexico; Banco de México, SIE (remittance inflows); "
    "current dollars"
)
_THEME_COLOURS = ("blue", "orange", "bluish green", "reddish purple")


@dataclass(frozen=True)
class Marker:
    """A dated moment of the 2018 transition, found in the timeline by words of its title."""

    label: str
    title_words: str


# The three moments the transition chart marks, in date order.
MARKERS = (
    Marker("election", "elected president"),
    Marker("Pompeo visit", "Pompeo, Kushner"),
    Marker("inauguration", "Obrador inaugurated"),
)


def markers() -> dict[str, pd.Timestamp]:
    """The date of each marker, read from the course timeline."""
    timeline = load("timeline")
    dates = {}
    for marker in MARKERS:
        rows = timeline.loc[timeline["title"].str.contains(marker.title_words, regex=False)]
        if len(rows) != 1:
            raise ValueError(f"the timeline has no single event for the {marker.label}")
        dates[marker.label] = rows["date"].item()
    return dates


def _day(date: pd.Timestamp, long: bool = False) -> str:
    """`date` as "1 Jul 2018" (or "1 July 2018" with `long`)."""
    return f"{date.day} {date:%B %Y}" if long else f"{date.day} {date:%b %Y}"


def _window(start: str, end: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    try:
        first, last = pd.Timestamp(start), pd.Timestamp(end)
    except ValueError:
        raise ValueError(f"{start!r} and {end!r} should be dates such as '2018-07-01'") from None
    if first >= last:
        raise ValueError(f"the start date {start} should come before the end date {end}")
    return first, last


def transition_chart(start: str = "2017-05-01", end: str = "2018-12-31") -> Figure:
    """Dot chart of the timeline's events from `start` to `end`, one row per theme.

    Dashed lines mark the 2018 election, the Pompeo visit and the inauguration; their labels sit
    in a band above the rows of dots, so they never cover an event.
    """
    first, last = _window(start, end)
    timeline = load("timeline")
    window = timeline.loc[timeline["date"].between(first, last)]
    if window.empty:
        raise ValueError(f"the timeline has no events between {start} and {end}")
    themes = sorted(window["theme"].unique())
    fig, ax = new_figure(
        f"U.S.-Mexico events by theme, {first:%B %Y} to {last:%B %Y}",
        source=TIMELINE_SOURCE,
        size=(9, 4.2),
    )
    for row, theme in enumerate(themes):
        events = window.loc[window["theme"] == theme]
        colour = PALETTE[_THEME_COLOURS[row % len(_THEME_COLOURS)]]
        ax.scatter(events["date"], [row] * len(events), s=60, color=colour, zorder=3, label=theme)
    shown = {label: date for label, date in markers().items() if first <= date <= last}
    band = len(themes) - 0.4  # labels sit above the top row of dots
    for level, (label, date) in enumerate(shown.items()):
        ax.axvline(date2num(date), color=PALETTE["grey"], linestyle="--", linewidth=1, zorder=1)
        align = "right" if level % 2 == 0 else "left"  # alternate sides of the line
        height = band + 0.55 * (level // 2)
        pad = pd.Timedelta(days=4) * (-1 if align == "right" else 1)
        ax.text(
            date2num(date + pad),
            height,
            f"{label}, {_day(date)}",
            ha=align,
            va="bottom",
            fontsize=9,
        )
    ax.set_yticks(range(len(themes)), themes)
    ax.set_ylim(-0.7, band + 0.55 * ((len(shown) - 1) // 2) + 0.75)
    ax.set_xlim(date2num(first - pd.Timedelta(days=10)), date2num(last + pd.Timedelta(days=10)))
    ax.xaxis.set_major_locator(MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(DateFormatter("%b %Y"))
    ax.set_xlabel("Date")
    ax.set_ylabel("Theme")
    ax.grid(axis="y", visible=False)
    counts = ", ".join(
        f"{theme} {count}" for theme, count in window["theme"].value_counts().sort_index().items()
    )
    marked = "; ".join(f"the {label} on {_day(date, long=True)}" for label, date in shown.items())
    alt = (
        f"Dot chart of the {len(window)} events in the course timeline from "
        f"{_day(first, long=True)} to {_day(last, long=True)}, one row per theme ({counts})."
    )
    if marked:
        alt += f" Dashed lines mark {marked}."
    show_figure(fig, alt=alt)
    return fig


def channels(first: int = 1995, last: int = 2017) -> pd.DataFrame:
    """Goods trade and remittances by year, from `first` to `last`, with an index of each.

    Columns: ``year``, ``total`` (U.S.-Mexico goods trade) and ``inflows`` (remittances to
    Mexico), both in millions of current U.S. dollars, and ``total_index`` and
    ``inflows_index`` (each value as a percentage of its `first`-year value).
    """
    trade = load("us_mexico_trade_annual")
    remittances = load("remittances_annual")
    full = trade.loc[~trade["partial"], ["year", "total"]].merge(
        remittances.loc[~remittances["partial"], ["year", "inflows"]], on="year"
    )
    years = full["year"]
    if not (years.min() <= first < last <= years.max()):
        raise ValueError(
            f"choose years from {years.min()} to {years.max()}, the full years both tables "
            f"cover, with the first before the last (not {first} to {last})"
        )
    table = full.loc[full["year"].between(first, last)].reset_index(drop=True)
    for column in ("total", "inflows"):
        table[f"{column}_index"] = table[column] / table[column].iloc[0] * 100
    return table


def channels_chart(first: int = 1995, last: int = 2017) -> Figure:
    """Line chart of goods trade and remittances from `first` to `last`, indexed to `first`."""
    table = channels(first, last)
    fig, ax = new_figure(
        f"Two ties between the countries, {first} to {last} (index, {first} = 100)",
        source=CHANNELS_SOURCE,
        size=(8, 4),
    )
    lines = (
        ("inflows_index", "Remittances to Mexico", PALETTE["orange"], "-"),
        ("total_index", "U.S.-Mexico goods trade", PALETTE["blue"], "--"),
    )
    for column, label, colour, style in lines:
        ax.plot(table["year"], table[column], color=colour, linestyle=style, lw=2, label=label)
    ax.axhline(100, color=PALETTE["grey"], linewidth=0.8, zorder=1)
    ax.set_xlabel("Year")
    ax.set_ylabel(f"Index, {first} = 100")
    ax.set_xlim(first - 0.5, last + 0.5)
    ax.set_ylim(0, max(table["total_index"].max(), table["inflows_index"].max()) * 1.08)
    ax.legend(loc="upper left", frameon=False)
    end = table.iloc[-1]
    alt = (
        f"Line chart of two ties between the United States and Mexico from {first} to {last}, "
        f"each as an index with {first} = 100, in current dollars. Remittances to Mexico rose to "
        f"{end['inflows_index']:.0f} by {last} ({end['inflows_index'] / 100:.1f} times their "
        f"{first} value); U.S.-Mexico goods trade rose to {end['total_index']:.0f} "
        f"({end['total_index'] / 100:.1f} times)."
    )
    show_figure(fig, alt=alt)
    return fig

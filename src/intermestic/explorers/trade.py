"""Trade explorer: U.S. goods exports to, imports from and balance with Mexico, 1985-2023.

In a notebook::

    from intermestic.explorers import trade_explorer, trade_summary
    trade_explorer(year=2018)          # year menu, figure and summary
    print(trade_summary(year=2018))    # the same numbers as text

The explorer shows the Census figures for one year and nothing derived from them that a
lesson grades (trade per minute, Mexico's rank among export markets, the mirror share):
students compute those themselves.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import cast

import ipywidgets as widgets
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.text import Text

from intermestic.explorers._base import (
    Explorer,
    ExplorerInputError,
    initial,
    label_style,
    message,
    table,
    whole_number,
)
from intermestic.plotting import PALETTE, FastFigure, new_figure

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "TradeYear",
    "trade_explorer",
    "trade_figure",
    "trade_summary",
    "trade_year",
]

# Complete calendar years in us_mexico_trade_annual (2024 covers January-June only).
FIRST_YEAR = 1985
LAST_YEAR = 2023
BILLION = 1_000  # millions per billion


@dataclass(frozen=True)
class TradeYear:
    """U.S. goods trade with Mexico in one calendar year (money in millions of current US$)."""

    year: int
    exports: float
    imports: float
    total: float
    balance: float


def trade_year(year: int) -> TradeYear:
    """U.S. goods exports to, imports from, total trade and balance with Mexico in `year`."""
    year = whole_number(year, "year", FIRST_YEAR, LAST_YEAR)
    # `year` is the table's primary key, so `.loc[year]` is one row.
    trade = cast(pd.Series, table("us_mexico_trade_annual").set_index("year").loc[year])
    return TradeYear(
        year=year,
        exports=float(trade["exports"]),
        imports=float(trade["imports"]),
        total=float(trade["total"]),
        balance=float(trade["balance"]),
    )


def trade_summary(year: int = 2018) -> str:
    """U.S.-Mexico goods trade in `year` as plain text (the explorer's text fallback)."""
    try:
        t = trade_year(year)
    except ExplorerInputError as error:
        return message(error)
    balance = "deficit" if t.balance < 0 else "surplus"
    lines = [
        f"U.S. goods trade with Mexico in {t.year} (millions of current US$, Census basis):",
        f"  U.S. exports to Mexico:    {t.exports:>12,.1f}",
        f"  U.S. imports from Mexico:  {t.imports:>12,.1f}",
        f"  Total trade:               {t.total:>12,.1f}",
        f"  {'U.S. ' + balance + ':':<27}{abs(t.balance):>12,.1f}",
        "Current dollars (not adjusted for inflation); goods only, services are not included.",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Plot:
    """The trade figure, drawn once, and the artists that mark the chosen year."""

    canvas: FastFigure
    year_line: Line2D
    imports_point: Line2D
    exports_point: Line2D
    year_label: Text


@functools.cache
def _plot() -> _Plot:
    trade = table("us_mexico_trade_annual")
    trade = trade[trade["year"] <= LAST_YEAR]
    fig, ax = new_figure(
        f"U.S. goods trade with Mexico, {FIRST_YEAR}-{LAST_YEAR}",
        source="U.S. Census Bureau, Foreign Trade Division (intermestic data package)",
    )
    ax.plot(trade["year"], trade["imports"] / BILLION, color=PALETTE["vermillion"], label="Imports")
    ax.plot(trade["year"], trade["exports"] / BILLION, color=PALETTE["blue"], label="Exports")
    ax.set_xlabel("Calendar year")
    ax.set_ylabel("Billions of current US$")
    ax.legend(frameon=False, loc="upper left")
    top = ax.get_ylim()[1]
    year_line = ax.axvline(FIRST_YEAR, color=PALETTE["black"], linewidth=0.8, linestyle=":")
    (imports_point,) = ax.plot([], [], "o", color=PALETTE["vermillion"])
    (exports_point,) = ax.plot([], [], "s", color=PALETTE["blue"])
    year_label = ax.text(FIRST_YEAR, top, "", ha="center", va="bottom", fontsize=9)
    marks = (year_line, imports_point, exports_point, year_label)
    for artist in marks:
        artist.set_animated(True)
    return _Plot(FastFigure(fig), *marks)


def trade_figure(year: int = 2018) -> tuple[bytes, str]:
    """PNG of exports and imports, 1985-2023, with `year` highlighted; and its alt text."""
    t = trade_year(year)
    plot = _plot()
    plot.year_line.set_xdata([t.year, t.year])
    plot.imports_point.set_data([t.year], [t.imports / BILLION])
    plot.exports_point.set_data([t.year], [t.exports / BILLION])
    plot.year_label.set_x(t.year)
    plot.year_label.set_text(str(t.year))
    png = plot.canvas.png([plot.year_line, plot.imports_point, plot.exports_point, plot.year_label])
    alt = (
        f"Line chart of U.S. goods exports to and imports from Mexico, {FIRST_YEAR} to "
        f"{LAST_YEAR}, in billions of dollars. Both rise over the period, imports faster. "
        f"Highlighted: {t.year}, when exports were {t.exports / BILLION:.1f} and imports "
        f"{t.imports / BILLION:.1f} billion dollars."
    )
    return png, alt


def trade_explorer(year: int = 2018) -> Explorer:
    """The trade explorer: a year menu, the trade figure and the summary for that year."""
    start, notice = initial(lambda: whole_number(year, "year", FIRST_YEAR, LAST_YEAR), 2018)
    # A menu rather than a slider: ipywidgets' slider handle has no accessible name.
    year_menu = widgets.Dropdown(
        options=list(range(FIRST_YEAR, LAST_YEAR + 1)),
        value=start,
        description="Year:",
        tooltip="Calendar year of the trade figures (1985-2023)",
        style=label_style(),
    )
    return Explorer(
        "trade",
        "U.S.-Mexico goods trade by year",
        {"year": year_menu},
        trade_summary,
        trade_figure,
        notice,
    )

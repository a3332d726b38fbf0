"""Charts of U.S.-Mexico goods trade for lesson 02, drawn from the data package.

In a notebook::

    from intermestic.charts.trade import export_markets_chart, mirror_share_chart, trade_chart
    trade_chart()                 # exports and imports, 1985-2023, with NAFTA's start marked
    export_markets_chart(1994)    # the five largest markets for U.S. exports in one year
    mirror_share_chart()          # the share of Mexico's exports bought by the U.S.

Each function shows its figure with alt text built from the numbers it draws, and returns the
figure. Money is in billions of current U.S. dollars (the tables are in millions).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from intermestic.data import load
from intermestic.plotting import PALETTE, new_figure, show_figure

__all__ = ["NAFTA_YEAR", "export_markets_chart", "mirror_share_chart", "trade_chart"]

NAFTA_YEAR = 1994  # NAFTA entered into force on 1 January 1994
BILLION = 1_000  # millions per billion
CENSUS = "U.S. Census Bureau, Trade in Goods with Mexico"
DIPS = (2009, 2020)  # the two years total trade fell: the financial crisis and the pandemic


def trade_chart() -> Figure:
    """U.S. goods exports to and imports from Mexico in every full year, NAFTA's start marked.

    The dotted line dates NAFTA's entry into force; it is labelled as a date, not as a cause.
    """
    trade = load("us_mexico_trade_annual")
    trade = trade.loc[~trade["partial"]].set_index("year")
    exports, imports = trade["exports"] / BILLION, trade["imports"] / BILLION
    first, last = int(trade.index.min()), int(trade.index.max())
    fig, ax = new_figure(
        f"U.S. goods trade with Mexico, {first}\N{EN DASH}{last}", source=CENSUS, size=(9, 4.2)
    )
    ax.plot(exports.index, exports, color=PALETTE["blue"], linewidth=2, label="U.S. exports")
    ax.plot(
        imports.index,
        imports,
        color=PALETTE["orange"],
        linewidth=2,
        linestyle="--",
        label="U.S. imports",
    )
    ax.set_ylim(0, imports.max() * 1.15)
    ax.axvline(NAFTA_YEAR, color=PALETTE["grey"], linewidth=1, linestyle=":")
    ax.annotate(
        f"NAFTA in force, {NAFTA_YEAR}",
        (NAFTA_YEAR, 0.97),
        xycoords=("data", "axes fraction"),
        xytext=(4, 0),
        textcoords="offset points",
        va="top",
        fontsize=9,
        color=PALETTE["black"],
    )
    for year in DIPS:
        ax.annotate(
            str(year),
            (year, min(exports[year], imports[year])),
            xytext=(0, -10),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8,
        )
    ax.set_xlabel("Year")
    ax.set_ylabel("Billions of current US$")
    ax.legend(loc="upper left", frameon=False, bbox_to_anchor=(0.0, 0.88))
    show_figure(
        fig,
        alt=(
            f"Line chart of U.S. goods exports to and imports from Mexico, {first}-{last}, in "
            f"billions of current dollars. Exports rise from {exports[first]:.0f} to "
            f"{exports[last]:.0f} and imports from {imports[first]:.0f} to {imports[last]:.0f}; "
            f"both fall in {DIPS[0]} and {DIPS[1]}, and imports exceed exports in every year "
            f"from {_first_deficit_year(trade)} on. A dotted line marks {NAFTA_YEAR}, the year "
            "NAFTA took effect: it dates the agreement and does not measure its effect."
        ),
    )
    return fig


def _first_deficit_year(trade: pd.DataFrame) -> int:
    """The first year after which the U.S. balance with Mexico stays negative."""
    surplus_years = trade.index[trade["balance"] >= 0]
    return int(surplus_years.max()) + 1 if len(surplus_years) else int(trade.index.min())


def export_markets_chart(year: int, *, top: int = 5) -> Figure:
    """The `top` largest markets for U.S. goods exports in `year`, Mexico highlighted."""
    markets = load("us_export_markets_annual")
    largest = markets.loc[markets["year"] == year].nlargest(top, "exports")
    if largest.empty:
        raise ValueError(f"no U.S. export markets recorded for {year}")
    fig, ax = new_figure(
        f"The {top} largest markets for U.S. goods exports, {year}",
        source="U.S. Census Bureau, U.S. Trade in Goods by Country",
    )
    colours = [
        PALETTE["orange"] if partner == "Mexico" else PALETTE["blue"]
        for partner in largest["partner"]
    ]
    ax.barh(largest["partner"], largest["exports"] / BILLION, color=colours)
    ax.invert_yaxis()
    ax.set_xlabel("U.S. goods exports, billions of current US$")
    ax.set_ylabel("Partner")
    listed = "; ".join(
        f"{partner} {value / BILLION:.0f} billion dollars"
        for partner, value in zip(largest["partner"], largest["exports"], strict=True)
    )
    show_figure(
        fig,
        alt=f"Horizontal bar chart of the {top} largest markets for U.S. goods exports in "
        f"{year}, largest first, Mexico in orange: {listed}.",
    )
    return fig


def mirror_share_chart(reference_pct: float = 80.0) -> Figure:
    """The mirror share of Mexico's exports bought by the U.S., comparable years only.

    A dashed line marks `reference_pct` (the article's "some 80%").
    """
    mirror = load("mexico_exports_us_share")
    comparable = mirror.loc[mirror["comparable"]]
    first, last = int(comparable["year"].min()), int(comparable["year"].max())
    fig, ax = new_figure(
        "Share of Mexico's exports bought by the U.S. (mirror statistic), "
        f"{first}\N{EN DASH}{last}",
        source="INEGI (Mexico's total exports); U.S. Census Bureau (U.S. imports from Mexico)",
        size=(8, 3.8),
    )
    ax.plot(
        comparable["year"],
        comparable["mirror_share_pct"],
        color=PALETTE["blue"],
        linewidth=2,
        marker="o",
        markersize=3,
        label="mirror share",
    )
    ax.axhline(
        reference_pct,
        color=PALETTE["vermillion"],
        linestyle="--",
        linewidth=1.5,
        label=f'the article\'s "some {reference_pct:g}%"',
    )
    ax.set_xlabel("Year")
    ax.set_ylabel("Percent of Mexico's exports")
    ax.set_ylim(0, 100)
    ax.legend(loc="lower right", frameon=False)
    low, high = comparable["mirror_share_pct"].min(), comparable["mirror_share_pct"].max()
    show_figure(
        fig,
        alt=(
            "Line chart of the mirror share of Mexico's exports bought by the United States, "
            f"{first}-{last}: it stays between {low:.0f}% and {high:.0f}%, with a dashed "
            f"reference line at the article's {reference_pct:g}%."
        ),
    )
    return fig

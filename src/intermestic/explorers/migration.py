"""Migration composition explorer: southwest-border Border Patrol events by citizenship.

In a notebook::

    from intermestic.explorers import migration_explorer, migration_summary
    migration_explorer(fiscal_year=2018)
    print(migration_summary(fiscal_year=2018))

Two different statistics are shown side by side and never joined: CBP's Border Patrol
apprehensions (Title 8, exact counts, to FY2019) and DHS OHSS encounters (Title 8 and Title 42,
rounded to 10, FY2000 on). They disagree even for the same year.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

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
    "NORTHERN_TRIANGLE",
    "SERIES",
    "Composition",
    "migration_composition",
    "migration_explorer",
    "migration_figure",
    "migration_summary",
]

FIRST_YEAR = 2000
LAST_YEAR = 2025
APPREHENSIONS = "usbp_apprehensions"
ENCOUNTERS = "ohss_encounters"
SERIES = {
    APPREHENSIONS: "Border Patrol apprehensions (CBP; Title 8; exact counts; FY2000-FY2019)",
    ENCOUNTERS: (
        "Border Patrol encounters (DHS OHSS; Title 8, plus Title 42 expulsions from March 2020; "
        "rounded to 10; FY2000 on)"
    ),
}
_SHORT_NAMES = {APPREHENSIONS: "apprehensions", ENCOUNTERS: "encounters"}
NORTHERN_TRIANGLE = ("Guatemala", "Honduras", "El Salvador")
MEXICO = "Mexico"


@dataclass(frozen=True)
class Composition:
    """One series' events in one fiscal year, by citizenship group (in published order)."""

    series: str
    fiscal_year: int
    counts: dict[str, int]
    partial: bool

    @property
    def total(self) -> int:
        """All events in the series that year."""
        return sum(self.counts.values())

    def share(self, *groups: str) -> float:
        """The percentage of the year's events made up by the citizenship `groups`."""
        return 100 * sum(self.counts.get(group, 0) for group in groups) / self.total


@functools.cache
def _frame() -> pd.DataFrame:
    return table("usbp_encounters_by_citizenship")


def migration_composition(fiscal_year: int = 2018) -> list[Composition]:
    """Each series' events by citizenship in `fiscal_year` (apprehensions first, if any)."""
    fiscal_year = whole_number(fiscal_year, "fiscal year", FIRST_YEAR, LAST_YEAR)
    frame = _frame()
    year = frame[frame["fiscal_year"] == fiscal_year]
    found = []
    for series in SERIES:
        rows = year[year["series"] == series]
        if len(rows):
            counts = dict(zip(rows["citizenship"], rows["count"].astype(int), strict=True))
            found.append(Composition(series, fiscal_year, counts, bool(rows["partial"].any())))
    return found


def _table_lines(composition: Composition) -> list[str]:
    """The counts by citizenship and Mexico's share.

    Shares of the other groups are left for the learner to compute (lesson 04 grades the
    Central American share), so the text shows their counts only.
    """
    rows = [f"  {group:<24}{count:>11,}" for group, count in composition.counts.items()]
    rows.append(f"  {'Total':<24}{composition.total:>11,}")
    if all(group in composition.counts for group in NORTHERN_TRIANGLE):
        subtotal = sum(composition.counts[group] for group in NORTHERN_TRIANGLE)
        rows.append(f"  Guatemala + Honduras + El Salvador: {subtotal:,}")
    rows.append(f"  Mexico's share of the total: {composition.share(MEXICO):.1f} %")
    return rows


def migration_summary(fiscal_year: int = 2018) -> str:
    """Events by citizenship in `fiscal_year`, series by series, as plain text."""
    try:
        compositions = migration_composition(fiscal_year)
    except ExplorerInputError as error:
        return message(error)
    year = compositions[0].fiscal_year
    lines = [
        f"Southwest border, fiscal year {year} (October {year - 1} - September {year}).",
        "Events, not people: a person caught twice counts twice.",
    ]
    for number, composition in enumerate(compositions, start=1):
        lines += ["", f"Series {number}: {SERIES[composition.series]}", *_table_lines(composition)]
        if composition.partial:
            lines.append(f"  FY{year} is partial: October-November {year - 1} only.")
    if len(compositions) == 2:
        lines += [
            "",
            "Series break: these are two different statistics and disagree even for the same "
            "year. Compare years within one series; never join them into one line.",
        ]
    else:
        lines += [
            "",
            "The apprehensions series ends in FY2019; from FY2020 only encounters are available.",
        ]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Plot:
    canvas: FastFigure
    year_line: Line2D
    year_label: Text


def _shares(series: str, *groups: str) -> pd.Series:
    """Percentage of each complete fiscal year's events in `series` made up by `groups`."""
    frame = _frame()
    rows = frame[(frame["series"] == series) & ~frame["partial"]]
    totals = rows.groupby("fiscal_year")["count"].sum()
    chosen = rows[rows["citizenship"].isin(groups)].groupby("fiscal_year")["count"].sum()
    return 100 * chosen / totals


@functools.cache
def _plot() -> _Plot:
    fig, ax = new_figure(
        "Who is caught at the southwest border: share by citizenship",
        source="CBP (apprehensions, to FY2019); DHS OHSS (encounters); intermestic data package",
        size=(7.0, 3.8),
    )
    lines = [
        (ENCOUNTERS, (MEXICO,), "Mexico, encounters (OHSS)", PALETTE["orange"], "-"),
        (APPREHENSIONS, (MEXICO,), "Mexico, apprehensions (CBP)", PALETTE["vermillion"], "--"),
        (
            ENCOUNTERS,
            NORTHERN_TRIANGLE,
            "Guatemala + Honduras + El Salvador, encounters (OHSS)",
            PALETTE["blue"],
            "-",
        ),
    ]
    for series, groups, label, colour, style in lines:
        shares = _shares(series, *groups)
        ax.plot(shares.index, shares.to_numpy(), style, color=colour, label=label)
    last = int(_shares(APPREHENSIONS, MEXICO).index.max())
    ax.annotate(
        f"apprehensions series\nends FY{last}",
        xy=(last, float(_shares(APPREHENSIONS, MEXICO).loc[last])),
        xytext=(last - 7, 8),
        fontsize=8,
        arrowprops={"arrowstyle": "->", "color": PALETTE["black"], "linewidth": 0.6},
    )
    ax.set_xlim(FIRST_YEAR - 0.5, LAST_YEAR + 0.5)
    ax.set_ylim(0, 105)
    ax.set_xlabel("Fiscal year (FY2025 is partial and not plotted)")
    ax.set_ylabel("Share of the series' total (%)")
    ax.legend(frameon=False, loc="upper right", fontsize=8)
    year_line = ax.axvline(FIRST_YEAR, color=PALETTE["black"], linewidth=0.8, linestyle=":")
    year_label = ax.text(FIRST_YEAR, 1, "", ha="left", va="bottom", fontsize=9)
    for artist in (year_line, year_label):
        artist.set_animated(True)
    return _Plot(FastFigure(fig), year_line, year_label)


def migration_figure(fiscal_year: int = 2018) -> tuple[bytes, str]:
    """PNG of the citizenship shares over FY2000-FY2024, `fiscal_year` marked; and its alt text."""
    compositions = migration_composition(fiscal_year)
    year = compositions[0].fiscal_year
    plot = _plot()
    plot.year_line.set_xdata([year, year])
    plot.year_label.set_x(year + 0.2)
    plot.year_label.set_text(f"FY{year}")
    png = plot.canvas.png([plot.year_line, plot.year_label])
    shares = "; ".join(
        f"Mexico {c.share(MEXICO):.0f} % of {_SHORT_NAMES[c.series]}" for c in compositions
    )
    alt = (
        "Line chart of the share of southwest-border Border Patrol events by citizenship, "
        f"FY{FIRST_YEAR} to FY{LAST_YEAR - 1}. Mexico's share falls from nearly all events in "
        "FY2000 to under half in most years after FY2014, while the share of Guatemala, "
        "Honduras and El Salvador rises. The apprehensions series (dashed) ends in FY2019. "
        f"FY{year} is marked: {shares}."
    )
    return png, alt


def migration_explorer(fiscal_year: int = 2018) -> Explorer:
    """The migration explorer: a fiscal-year menu, the share chart and the counts."""
    start, notice = initial(
        lambda: whole_number(fiscal_year, "fiscal year", FIRST_YEAR, LAST_YEAR), 2018
    )
    # A menu rather than a slider: ipywidgets' slider handle has no accessible name.
    year_menu = widgets.Dropdown(
        options=list(range(FIRST_YEAR, LAST_YEAR + 1)),
        value=start,
        description="Fiscal year:",
        tooltip="Federal fiscal year: FY2019 = October 2018 to September 2019",
        style=label_style(),
    )
    return Explorer(
        "migration",
        "Border Patrol apprehensions and encounters by citizenship",
        {"fiscal_year": year_menu},
        migration_summary,
        migration_figure,
        notice,
    )

"""Charts for lesson 07 (the way ahead): events after the article, and what each table covers.

Each function draws from the data package, shows the chart with alt text built from the same
numbers and returns the figure::

    from intermestic.charts.outlook import table_coverage
    table_coverage()
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from intermestic import data
from intermestic.i18n import N_, _, strftime
from intermestic.plotting import PALETTE, new_figure, show_figure

__all__ = ["coverage", "events_after_the_article", "table_coverage"]

_THEME_COLOURS = {
    "trade": "blue",
    "migration": "orange",
    "security": "vermillion",
    "politics": "bluish green",
}
# How each table marks time, in the order the columns are looked for.
_TIME_COLUMNS = {"year": "calendar", "fiscal_year": "fiscal", "month": "calendar"}
_KIND_COLOURS = {"calendar": "blue", "fiscal": "orange"}
_KIND_LABELS = {"calendar": N_("calendar years"), "fiscal": N_("fiscal years")}


def events_after_the_article() -> Figure:
    """Dots: every timeline event after the article, by theme, with the July 2018 visit marked."""
    timeline = data.load("timeline")
    visit = timeline.loc[timeline["title"].str.startswith("Pompeo"), "date"].item()
    after = timeline[timeline["after_article"]].sort_values("date")
    themes = [theme for theme in _THEME_COLOURS if theme in set(after["theme"])]
    fig, ax = new_figure(
        _("Events after the article, by theme, {first}-{last}").format(
            first=visit.year, last=after["date"].max().year
        ),
        source=_("course timeline (each event's source is in the timeline table)"),
        size=(7.5, 3.2),
    )
    described = []
    for position, theme in enumerate(themes):
        events = after[after["theme"] == theme]
        ax.scatter(events["date"], [position] * len(events), s=36,
                   color=PALETTE[_THEME_COLOURS[theme]], label=_(theme))  # fmt: skip
        first, last = events["date"].min(), events["date"].max()
        described.append(
            (
                _("{theme}: {count} events, {first} to {last}")
                if len(events) != 1
                else _("{theme}: {count} event, {first} to {last}")
            ).format(
                theme=_(theme),
                count=len(events),
                first=strftime(first, "%b %Y"),
                last=strftime(last, "%b %Y"),
            )
        )
    ax.axvline(visit, color=PALETTE["grey"], linestyle=":", linewidth=1.2)
    ax.annotate(_(" visit, 13 Jul 2018"), (visit, len(themes) - 0.5), fontsize=8, va="top")
    ax.set_yticks(range(len(themes)), [_(theme) for theme in themes])
    ax.set_ylim(-0.6, len(themes) - 0.3)
    ax.set_xlabel(_("Date"))
    ax.set_ylabel(_("Theme"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    alt = _(
        "Dot chart of the {count} timeline events after the article, one row per theme, with a "
        "dotted line at the {date} visit. {described}."
    ).format(
        count=len(after),
        date=strftime(visit, _("%d %B %Y")),
        described="; ".join(described),
    )
    show_figure(fig, alt=alt)
    return fig


def coverage() -> pd.DataFrame:
    """First and last year of every course table that has a time column, oldest first.

    Columns: table, first, last, years ("calendar" or "fiscal") and last_partial (whether the
    last year covers only part of the year). Tables without a year, fiscal year or month
    column (ports, people, claims) and the hand-curated timeline (1848-2026) are left out.
    """
    rows = []
    for name in data.tables():
        if name == "timeline":
            continue
        table = data.load(name)
        column = next((c for c in _TIME_COLUMNS if c in table.columns), None)
        if column is None:
            continue
        years = table[column].dt.year if column == "month" else table[column]
        last = int(years.max())
        partial = "partial" in table.columns and bool(table.loc[years == last, "partial"].any())
        rows.append(
            {"table": name, "first": int(years.min()), "last": last,
             "years": _TIME_COLUMNS[column], "last_partial": partial}
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=["table", "first", "last", "years", "last_partial"])
    return frame.sort_values(["first", "table"], kind="stable").reset_index(drop=True)


def _span_text(row: Any) -> str:
    """One table's span as the alt text gives it, e.g. "remittances_annual 1995-2026 (...)"."""
    flags = ((row.years == "fiscal", N_("fiscal years")), (row.last_partial, "last year partial"))
    notes = [_(note) for flag, note in flags if flag]
    return f"{row.table} {row.first}-{row.last}" + (f" ({', '.join(notes)})" if notes else "")


def table_coverage() -> Figure:
    """Horizontal bars: the years each course table covers (fiscal or calendar years)."""
    spans = coverage()
    fig, ax = new_figure(
        _("Years each course table covers"),
        source=_("intermestic data package (data/datapackage.json)"),
        size=(7.5, 4.6),
    )
    for kind, colour in _KIND_COLOURS.items():
        rows = spans[spans["years"] == kind]
        ax.barh(rows.index, rows["last"] - rows["first"] + 1, left=rows["first"], height=0.6,
                color=PALETTE[colour], label=_(_KIND_LABELS[kind]))  # fmt: skip
    partial = spans[spans["last_partial"]]
    ax.barh(partial.index, 1, left=partial["last"], height=0.6, color="white", hatch="////",
            edgecolor=PALETTE["black"], linewidth=0.4, label=_("last year partial"))  # fmt: skip
    ax.set_yticks(spans.index, spans["table"])
    ax.invert_yaxis()
    ax.set_xlabel(_("Year"))
    ax.set_ylabel(_("Table"))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.legend(loc="lower left", fontsize=8)

    alt = _(
        "Horizontal bar chart of the years covered by {count} course tables, each bar running "
        "from the table's first year to its last: {spans}."
    ).format(count=len(spans), spans="; ".join(_span_text(row) for row in spans.itertuples()))
    show_figure(fig, alt=alt)
    return fig

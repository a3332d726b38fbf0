"""Charts for lesson 06 (crime and security): homicide counts, overdose deaths, both countries.

Each function draws from the data package, shows the chart with alt text built from the same
numbers and returns the figure::

    from intermestic.charts.security import overdose_deaths_by_drug
    overdose_deaths_by_drug()
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from intermestic import data
from intermestic.i18n import N_, _
from intermestic.plotting import PALETTE, new_figure, show_figure

__all__ = [
    "HOMICIDE_SYSTEMS",
    "homicide_counts_by_system",
    "indexed_series",
    "overdose_deaths_by_drug",
    "two_countries_indexed",
]

# The three homicide counts of `mexico_homicides`, with the names the charts give them.
HOMICIDE_SYSTEMS = {
    "homicides_inegi": N_("INEGI death records"),
    "victims_sesnsp": N_("SESNSP victims (new method)"),
    "victims_sesnsp_old_method": N_("SESNSP victims (earlier method)"),
}
_SYSTEM_COLOURS = ("blue", "orange", "sky blue")
_DRUG_COLOURS = {"T40.1": "vermillion", "T40.2": "sky blue", "T40.4": "blue", "T43.6": "orange"}
_HOMICIDE_SOURCE = N_(
    "INEGI, Estadísticas de mortalidad; SESNSP victim reports (course data package)"
)
_OVERDOSE_SOURCE = N_("CDC WONDER, Multiple Cause of Death 1999-2020 (course data package)")


def _count(value: float) -> str:
    return f"{value:,.0f}"


def homicide_counts_by_system(first: int = 2014, last: int = 2017) -> Figure:
    """Grouped bars: the year's homicides by counting system, for the years `first`-`last`."""
    table = data.load("mexico_homicides").set_index("year").loc[first:last]
    fig, ax = new_figure(
        _("Homicides in Mexico by counting system, {first}-{last}").format(first=first, last=last),
        source=_(_HOMICIDE_SOURCE),
        size=(7.5, 3.8),
    )
    width = 0.8 / len(HOMICIDE_SYSTEMS)
    described = []
    for offset, ((column, label), colour) in enumerate(
        zip(HOMICIDE_SYSTEMS.items(), _SYSTEM_COLOURS, strict=True)
    ):
        counts = table[column].dropna()
        positions = counts.index.to_numpy(dtype=float) + (offset - 1) * width
        heights = counts.to_numpy(dtype=float)
        ax.bar(positions, heights, width=width, color=PALETTE[colour], label=_(label))
        years = ", ".join(f"{year} {_count(value)}" for year, value in counts.items())
        described.append(f"{_(label)}: {years if years else _('no values')}")
    ax.set_xticks(table.index.to_numpy(dtype=float), [str(year) for year in table.index])
    ax.set_xlabel(_("Year"))
    ax.set_ylabel(_("Homicides (count)"))
    top = float(table[list(HOMICIDE_SYSTEMS)].max().max())
    ax.set_ylim(0, top * 1.4)
    ax.legend(loc="upper left", fontsize=8, ncols=3)
    alt = _(
        "Grouped bar chart of homicides in Mexico per year, {first} to {last}, counted three "
        "ways. {described}. A missing bar means that system has no count for the year."
    ).format(first=first, last=last, described=". ".join(described))
    show_figure(fig, alt=alt)
    return fig


def overdose_deaths_by_drug() -> Figure:
    """Lines: U.S. drug-induced deaths by drug involved, 2013-2020 (the categories overlap)."""
    deaths = data.load("us_overdose_deaths")
    wide = deaths.pivot(index="year", columns="icd10_code", values="deaths")
    names = deaths.drop_duplicates("icd10_code").set_index("icd10_code")["drug"]
    first, last = wide.index.min(), wide.index.max()
    fig, ax = new_figure(
        _("U.S. drug-induced deaths by drug involved, {first}-{last} (categories overlap)").format(
            first=first, last=last
        ),
        source=_(_OVERDOSE_SOURCE),
        size=(7.5, 3.9),
    )
    described = []
    for code in wide.columns:
        series = wide[code]
        colour = PALETTE[_DRUG_COLOURS.get(code, "grey")]
        label = f"{names[code]} ({code})"
        ax.plot(series.index, series.to_numpy(dtype=float), marker="o", markersize=3,
                color=colour, label=label)  # fmt: skip
        described.append(
            _("{drug}: {start} in {first}, {end} in {last}").format(
                drug=names[code],
                start=_count(series[first]),
                first=first,
                end=_count(series[last]),
                last=last,
            )
        )
    ax.set_xlabel(_("Year"))
    ax.set_ylabel(_("Deaths (count)"))
    ax.set_ylim(0, float(wide.max().max()) * 1.1)
    ax.legend(loc="upper left", fontsize=7.5)
    alt = _(
        "Line chart of U.S. drug-induced deaths by the drug involved, {first} to {last}. "
        "{described}. A death that involved several drugs is counted in each of their lines, so "
        "the lines must not be added together."
    ).format(first=first, last=last, described=". ".join(described))
    show_figure(fig, alt=alt)
    return fig


def _indexed(series: pd.Series, base_year: int) -> pd.Series:
    return series.dropna().astype(float) / float(series[base_year]) * 100


def indexed_series(base_year: int = 2015) -> dict[str, pd.Series]:
    """The rates of `two_countries_indexed` from the first U.S. year, each indexed (base = 100)."""
    homicides = data.load("mexico_homicides").set_index("year")
    per_person = homicides[["homicides_inegi", "victims_sesnsp"]].div(
        homicides["population"], axis=0
    )
    deaths = data.load("us_overdose_deaths")
    synthetic = deaths[deaths["icd10_code"] == "T40.4"].set_index("year")
    rate = synthetic["deaths"] / synthetic["population"]
    per_person = per_person.loc[rate.index.min() :]
    return {
        N_("U.S. synthetic-opioid deaths per person"): _indexed(rate, base_year),
        N_("Mexico homicides per person, INEGI"): _indexed(
            per_person["homicides_inegi"], base_year
        ),
        N_("Mexico homicides per person, SESNSP"): _indexed(
            per_person["victims_sesnsp"], base_year
        ),
    }


def two_countries_indexed(base_year: int = 2015) -> Figure:
    """Lines: U.S. synthetic-opioid deaths and Mexico's homicide rates, indexed to `base_year`."""
    lines = indexed_series(base_year)
    fig, ax = new_figure(
        _("Two countries side by side: rates indexed to {year} = 100").format(year=base_year),
        source=_("CDC WONDER (code T40.4); INEGI; SESNSP (course data package)"),
        size=(7.5, 3.9),
    )
    styles = (("blue", "-"), ("orange", "-"), ("reddish purple", "--"))
    described = []
    for (label, series), (colour, style) in zip(lines.items(), styles, strict=True):
        ax.plot(series.index, series.to_numpy(), style, marker="o", markersize=3,
                color=PALETTE[colour], label=_(label))  # fmt: skip
        first, last = series.index.min(), series.index.max()
        described.append(
            _("{drug}: {start} in {first}, {end} in {last}").format(
                drug=_(label),
                start=f"{series[first]:.0f}",
                first=first,
                end=f"{series[last]:.0f}",
                last=last,
            )
        )
    ax.axhline(100, color=PALETTE["grey"], linewidth=0.8)
    ax.set_xlabel(_("Year"))
    ax.set_ylabel(_("Index ({year} = 100)").format(year=base_year))
    ax.set_ylim(0, float(np.nanmax([s.max() for s in lines.values()])) * 1.1)
    ax.legend(loc="upper left", fontsize=8)
    alt = _(
        "Line chart of three rates per person, each divided by its own {year} value and "
        "multiplied by 100. {described}. The two Mexican lines are separate counting systems "
        "and are not joined."
    ).format(year=base_year, described=". ".join(described))
    show_figure(fig, alt=alt)
    return fig

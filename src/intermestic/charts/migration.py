"""Charts for lesson 04 (people on the move): Border Patrol counts and remittances.

In a notebook, each chart is one call::

    from intermestic.charts.migration import border_patrol_chart
    border_patrol_chart()

Each function draws from the data package, shows the figure with alt text built from the same
numbers, and returns the figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from intermestic.data import load
from intermestic.plotting import PALETTE, new_figure, show_figure

__all__ = [
    "TITLE_42_FISCAL_YEARS",
    "apprehensions_fy1960_2019",
    "border_patrol_chart",
    "encounters_complete_years",
    "remittances_by_state_chart",
    "remittances_chart",
    "remittances_real",
    "state_ranking",
]

# Title 42 expulsions were counted as encounters from 20 March 2020 to 11 May 2023 (course
# timeline, from the Migration Policy Institute), i.e. within fiscal years 2020 to 2023.
TITLE_42_FISCAL_YEARS = (2020, 2023)
UNIDENTIFIED_STATE = "XX"  # Banxico's code for remittances whose U.S. state is not identified


def apprehensions_fy1960_2019() -> pd.Series:
    """Southwest-border apprehensions by fiscal year (CBP's published total), FY1960-FY2019."""
    table = load("usbp_southwest_apprehensions")
    totals = table.loc[table["is_total"]].set_index("fiscal_year")["apprehensions"]
    return totals.sort_index().rename("apprehensions")


def encounters_complete_years() -> pd.Series:
    """Southwest-border Border Patrol encounters (DHS OHSS) by complete fiscal year, FY2000 on."""
    table = load("usbp_encounters_by_citizenship")
    rows = table.loc[(table["series"] == "ohss_encounters") & ~table["partial"]]
    return rows.groupby("fiscal_year")["count"].sum().rename("encounters")


def _peak(series: pd.Series) -> tuple[int, int]:
    """The label and value of the largest element of `series` (whole numbers)."""
    position = int(series.to_numpy().argmax())
    return int(series.index.to_numpy()[position]), int(series.to_numpy()[position])


def border_patrol_chart() -> Figure:
    """Two Border Patrol series as separate lines: apprehensions to FY2019, encounters from FY2000.

    The Title 42 years are shaded: encounters then include expulsions, so those years are not
    comparable with the apprehension counts.
    """
    apprehensions = apprehensions_fy1960_2019()
    encounters = encounters_complete_years()
    fig, ax = new_figure(
        "Southwest border: two different counts, never to be joined",
        source="CBP, USBP apprehensions FY1960-FY2019; DHS OHSS, USBP encounters FY2000-FY2024",
        size=(8.0, 4.0),
    )
    first, last = TITLE_42_FISCAL_YEARS
    ax.axvspan(first - 0.5, last + 0.5, color=PALETTE["grey"], alpha=0.25, linewidth=0)
    ax.plot(
        apprehensions.index,
        apprehensions / 1e6,
        color=PALETTE["blue"],
        linewidth=2,
        label="Apprehensions (CBP, Title 8), FY1960-FY2019",
    )
    ax.plot(
        encounters.index,
        encounters / 1e6,
        color=PALETTE["orange"],
        linewidth=2,
        linestyle="--",
        label="Encounters (DHS OHSS, Title 8 + Title 42), FY2000-FY2024",
    )
    ax.text(
        first - 0.8,
        2.45,
        f"Title 42 expulsions\ncounted, FY{first}-FY{last}",
        ha="right",
        va="top",
        fontsize=8,
    )
    ax.set_xlim(apprehensions.index.min() - 1, encounters.index.max() + 1)
    ax.set_ylim(0, 2.5)
    ax.set_xlabel("Fiscal year (October to September)")
    ax.set_ylabel("Events, millions")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    peak_year, peak = _peak(apprehensions)
    top_year, top = _peak(encounters)
    start_year, start = int(apprehensions.index[0]), int(apprehensions.iloc[0])
    end_year, end = int(apprehensions.index[-1]), int(apprehensions.iloc[-1])
    alt = (
        "Line chart of southwest-border Border Patrol events in millions. Apprehensions "
        f"(solid line) run from {start:,} in FY{start_year} to a peak of {peak:,} in "
        f"FY{peak_year} and {end:,} in FY{end_year}. "
        "Encounters (dashed line) almost coincide with apprehensions from FY2000 to FY2019, then "
        f"reach {top:,} in FY{top_year}, within the shaded Title 42 years FY{first}-FY{last}, "
        "when expulsions were counted too."
    )
    show_figure(fig, alt=alt)
    return fig


def remittances_real(base_year: int | None = None) -> pd.DataFrame:
    """Remittances to Mexico by complete year, nominal and in `base_year` dollars (millions).

    Real values use the U.S. CPI-U annual average: nominal x CPI(base year) / CPI(year). Years
    without a CPI value (and partial years) are left out; `base_year` defaults to the last year
    with both.
    """
    remittances = load("remittances_annual")
    cpi = load("us_cpi_annual").set_index("year")["cpi_u"]
    complete = remittances.loc[~remittances["partial"] & remittances["year"].isin(cpi.index)]
    table = complete.set_index("year")[["inflows"]].rename(columns={"inflows": "nominal"})
    base = int(table.index.max()) if base_year is None else base_year
    table["real"] = table["nominal"] * cpi[base] / cpi.reindex(table.index)
    table.attrs["base_year"] = base
    return table


def remittances_chart() -> Figure:
    """Remittances to Mexico by year, in current dollars and in dollars of the last CPI year."""
    table = remittances_real()
    base = table.attrs["base_year"]
    years = table.index.to_numpy(dtype=int)
    nominal = table["nominal"].to_numpy(dtype=float)
    real = table["real"].to_numpy(dtype=float)
    first, last = int(years.min()), int(years.max())
    fig, ax = new_figure(
        f"Remittances received by Mexico, {first}-{last}: nominal and real",
        source="Banco de México, SIE (remittances); U.S. BLS, CPI-U annual averages (prices)",
        size=(8.0, 4.0),
    )
    ax.plot(
        years,
        real / 1_000,
        color=PALETTE["blue"],
        linewidth=2,
        label=f"Real: billions of {base} dollars",
    )
    ax.plot(
        years,
        nominal / 1_000,
        color=PALETTE["orange"],
        linewidth=2,
        linestyle="--",
        label="Nominal: billions of current dollars",
    )
    ax.set_xlabel("Year")
    ax.set_ylabel("Billions of US$")
    ax.set_ylim(0, max(real.max(), nominal.max()) / 1_000 * 1.1)
    ax.legend(loc="upper left", frameon=False)
    cpi = load("us_cpi_annual").set_index("year")["cpi_u"]
    prices = (float(cpi[last]) / float(cpi[first]) - 1) * 100
    early = years <= 2009  # the high before the 2008-2009 U.S. recession
    early_peak = int(years[early][real[early].argmax()])
    later = (years >= early_peak) & (years <= 2015)
    trough = int(years[later][real[later].argmin()])

    def billions(values: np.ndarray, year: int) -> str:
        return f"{float(values[years == year][0]) / 1_000:.1f}"

    alt = (
        f"Line chart of remittances received by Mexico, {first}-{last}, in billions of dollars. "
        f"In current dollars (dashed) they rise from {billions(nominal, first)} in {first} to "
        f"{billions(nominal, last)} in {last}. In dollars of {base} (solid) the {first} amount is "
        f"worth {billions(real, first)}, because U.S. consumer prices rose {prices:.0f}% over the "
        f"period; the two lines meet in {base}. In real terms remittances reach "
        f"{billions(real, early_peak)} in {early_peak}, fall to {billions(real, trough)} in "
        f"{trough}, and climb to {billions(real, last)} in {last}."
    )
    show_figure(fig, alt=alt)
    return fig


def state_ranking(top: int = 10) -> pd.Series:
    """The `top` U.S. states by remittances sent to Mexico in the table's year, millions of US$.

    Indexed by "State name (code)" with Banxico's state names; the unidentified row is left out.
    """
    table = load("remittances_by_us_state")
    identified = table.loc[table["state_code"] != UNIDENTIFIED_STATE]
    ranked = identified.nlargest(top, "inflows")
    labels = ranked["state"] + " (" + ranked["state_code"] + ")"
    return pd.Series(ranked["inflows"].to_numpy(), index=labels.to_numpy(), name="inflows")


def remittances_by_state_chart(top: int = 10) -> Figure:
    """Ranked horizontal bars: the `top` U.S. states by remittances sent to Mexico."""
    table = load("remittances_by_us_state")
    year = int(table["year"].max())
    ranking = state_ranking(top)
    fig, ax = new_figure(
        f"Where remittances to Mexico were sent from: top {top} U.S. states, {year}",
        source="Banco de México, SIE, remittances by U.S. state of origin (state names as given)",
        size=(8.0, 4.2),
    )
    positions = range(len(ranking))
    ax.barh(list(positions), ranking.to_numpy() / 1_000, color=PALETTE["bluish green"])
    ax.set_yticks(list(positions), ranking.index)
    ax.invert_yaxis()
    for position, value in zip(positions, ranking.to_numpy(), strict=True):
        ax.annotate(
            f"{value / 1_000:.1f}",
            (value / 1_000, position),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, ranking.max() / 1_000 * 1.12)
    ax.set_xlabel("Remittances sent to Mexico, billions of US$")
    listed = "; ".join(f"{name} {value / 1_000:.1f}" for name, value in ranking.items())
    alt = (
        f"Horizontal bar chart of the {top} U.S. states that sent the most remittances to "
        f"Mexico in {year}, in billions of dollars, largest first: {listed}."
    )
    show_figure(fig, alt=alt)
    return fig

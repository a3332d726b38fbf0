"""Charts for lesson 05 (the border): ports, people and trucks, and San Ysidro over time.

In a notebook, each chart is one call::

    from intermestic.charts.border import ports_map
    ports_map()

Each function draws from the data package, shows the figure with alt text built from the same
numbers, and returns the figure. The "map" places ports by their coordinates only: no map tiles
or coastlines, so it works offline.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from intermestic.data import load
from intermestic.plotting import PALETTE, new_figure, show_figure

__all__ = [
    "PERSON_MEASURES",
    "RESTRICTIONS_END",
    "RESTRICTIONS_START",
    "people_and_trucks_chart",
    "people_by_port",
    "ports_map",
    "san_ysidro_chart",
    "san_ysidro_people",
    "trucks_by_port",
]

# People entering the U.S. (the data package's definition of persons).
PERSON_MEASURES = (
    "Pedestrians",
    "Personal Vehicle Passengers",
    "Bus Passengers",
    "Train Passengers",
)
# Non-essential travel from Mexico through land ports was restricted from 11:59 p.m. EDT on
# 20 March 2020 (DHS notification, 85 FR 16547, 24 March 2020, renewed monthly) until fully
# vaccinated travellers were let in for non-essential reasons on 8 November 2021 (DHS).
RESTRICTIONS_START = pd.Timestamp("2020-03-21")
RESTRICTIONS_END = pd.Timestamp("2021-11-08")
_BTS = "Bureau of Transportation Statistics, Border Crossing Entry Data (CBP counts)"


def people_by_port() -> pd.DataFrame:
    """2018 inbound people by port, with the port's state and coordinates, busiest first."""
    crossings = load("border_crossings_2018")
    people = crossings.loc[crossings["measure"].isin(PERSON_MEASURES)]
    totals = people.groupby("port_code", as_index=False)["value"].sum()
    ports = load("border_ports")
    table = totals.merge(ports, on="port_code", how="left", validate="one_to_one")
    table = table.rename(columns={"value": "people"})
    return table.sort_values("people", ascending=False, kind="stable").reset_index(drop=True)


def trucks_by_port() -> pd.Series:
    """2018 inbound trucks by port name, busiest first."""
    crossings = load("border_crossings_2018")
    trucks = crossings.loc[crossings["measure"] == "Trucks"]
    return trucks.groupby("port_name")["value"].sum().sort_values(ascending=False, kind="stable")


def ports_map(labelled: int = 5) -> Figure:
    """Ports placed by longitude and latitude, dot area proportional to 2018 inbound people."""
    table = people_by_port()
    fig, ax = new_figure(
        "Ports on the U.S.-Mexico border, sized by people entering the U.S. in 2018",
        source=f"{_BTS}; port coordinates from BTS",
        size=(8.5, 4.0),
    )
    sizes = 10 + 1200 * table["people"] / table["people"].max()
    ax.scatter(
        table["longitude"],
        table["latitude"],
        s=sizes,
        color=PALETTE["sky blue"],
        edgecolors=PALETTE["black"],
        linewidths=0.5,
        alpha=0.8,
    )
    busiest = table.head(labelled)
    # West to east, labels alternate above and below their dots; a label whose port is within a
    # degree of the previous one moves sideways, so that neighbouring ports stay legible.
    west_to_east = busiest.sort_values("longitude")
    previous: float | None = None
    for position, (name, longitude, latitude, people) in enumerate(
        zip(
            west_to_east["port_name"].tolist(),
            west_to_east["longitude"].to_numpy(dtype=float).tolist(),
            west_to_east["latitude"].to_numpy(dtype=float).tolist(),
            west_to_east["people"].to_numpy(dtype=float).tolist(),
            strict=True,
        )
    ):
        above = position % 2 == 0
        near = previous is not None and abs(longitude - previous) < 1.0
        ax.annotate(
            f"{name}\n{people / 1e6:.1f} m",
            (longitude, latitude),
            xytext=(40 if near else 0, 38 if above else -38),
            textcoords="offset points",
            ha="center",
            va="bottom" if above else "top",
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": PALETTE["black"], "linewidth": 0.5},
        )
        previous = longitude
    ax.set_xlim(table["longitude"].min() - 1.5, table["longitude"].max() + 1.5)
    ax.set_ylim(table["latitude"].min() - 2.5, table["latitude"].max() + 3.5)
    ax.set_xlabel("Longitude (degrees; negative = west)")
    ax.set_ylabel("Latitude (degrees north)")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    named = "; ".join(
        f"{name} {people / 1e6:.1f} million"
        for name, people in zip(
            busiest["port_name"].tolist(),
            busiest["people"].to_numpy(dtype=float).tolist(),
            strict=True,
        )
    )
    alt = (
        f"Map-like scatter plot of the {len(table)} U.S. land ports on the Mexican border that "
        "reported in 2018, placed by longitude and latitude from California in the west to the "
        "mouth of the Rio Grande in Texas in the east, with dot area proportional to people "
        f"entering the U.S. in 2018. The {labelled} busiest are labelled: {named}."
    )
    show_figure(fig, alt=alt)
    return fig


def people_and_trucks_chart(top: int = 6) -> Figure:
    """2018 inbound people and inbound trucks by port, side by side, for the busiest ports.

    The ports shown are the `top` busiest for people together with the `top` busiest for trucks.
    """
    people = people_by_port().set_index("port_name")["people"]
    trucks = trucks_by_port()
    ports = list(dict.fromkeys([*people.index[:top], *trucks.index[:top]]))
    people_shown = people.reindex(ports, fill_value=0)
    trucks_shown = trucks.reindex(ports, fill_value=0)
    fig, left = new_figure(
        "People and trucks use different ports: inbound crossings in 2018",
        source=_BTS,
        size=(8.5, 4.2),
    )
    grid = fig.add_gridspec(1, 2)
    left.set_subplotspec(grid[0])
    right = fig.add_subplot(grid[1], sharey=left)
    right.spines[["top", "right"]].set_visible(False)
    right.tick_params(axis="y", labelleft=False)
    positions = np.arange(len(ports))
    left.barh(positions, people_shown / 1e6, color=PALETTE["blue"])
    right.barh(positions, trucks_shown / 1e3, color=PALETTE["orange"])
    left.set_yticks(positions, ports)
    left.invert_yaxis()
    left.set_xlabel("People entering the U.S., millions")
    right.set_xlabel("Trucks entering the U.S., thousands")
    for ax in (left, right):
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.grid(axis="y", visible=False)
    pairs = "; ".join(
        f"{port} {people_shown[port] / 1e6:.1f} million people and "
        f"{trucks_shown[port] / 1e3:.0f} thousand trucks"
        for port in ports
    )
    alt = (
        "Two horizontal bar charts side by side, one bar per port: people entering the U.S. from "
        f"Mexico in 2018 (left, millions) and trucks (right, thousands): {pairs}."
    )
    show_figure(fig, alt=alt)
    return fig


def san_ysidro_people() -> pd.Series:
    """Monthly inbound people at San Ysidro, January 1996 - December 2021.

    Months in which the source reports no traffic of any kind (1996, which the data package
    already stores as missing, and January-February 1997) are missing values: the busiest land
    port never closed for a month.
    """
    table = load("border_crossings_san_ysidro")
    reported = table.groupby("month")["value"].sum(min_count=1)
    people = table.loc[table["measure"].isin(PERSON_MEASURES)]
    monthly = people.groupby("month")["value"].sum(min_count=1).astype("Float64")
    no_traffic = reported.reindex(monthly.index).fillna(0).eq(0)
    return monthly.mask(no_traffic).rename("people")


def san_ysidro_chart() -> Figure:
    """San Ysidro's monthly inbound people with the COVID-19 travel restrictions shaded."""
    monthly = san_ysidro_people()
    fig, ax = new_figure(
        "San Ysidro: people entering the U.S. each month, 1996-2021",
        source=f"{_BTS}; restriction dates from DHS (85 FR 16547; 8 Nov 2021)",
        size=(8.5, 3.8),
    )
    start, end = mdates.date2num(RESTRICTIONS_START), mdates.date2num(RESTRICTIONS_END)
    ax.axvspan(start, end, color=PALETTE["grey"], alpha=0.3, linewidth=0)
    values = monthly.astype("float64") / 1e6
    ax.plot(monthly.index, values, color=PALETTE["blue"], linewidth=1.2)
    ax.text(
        start - 60,
        0.35,
        "non-essential travel\nrestricted",
        ha="right",
        va="bottom",
        fontsize=8,
    )
    ax.set_ylim(0, values.max() * 1.1)
    ax.set_xlabel("Month (1996 is missing in the source)")
    ax.set_ylabel("People per month, millions")
    complete = monthly.dropna()
    before = complete.loc[: RESTRICTIONS_START - pd.Timedelta(days=1)]
    after = complete.loc[RESTRICTIONS_START:]
    low, low_value = pd.Timestamp(after.index[int(after.argmin())]), float(after.min())
    high, high_value = pd.Timestamp(complete.index[int(complete.argmax())]), float(complete.max())
    alt = (
        "Line chart of people entering the U.S. at San Ysidro each month, "
        f"{complete.index[0]:%B %Y} to {complete.index[-1]:%B %Y} (1996 is missing). Before 2020 "
        f"the line stays between {before.min() / 1e6:.1f} and {before.max() / 1e6:.1f} million a "
        f"month, with a peak of {high_value / 1e6:.1f} million in {high:%B %Y}; it collapses "
        f"to {low_value / 1e6:.1f} million in "
        f"{low:%B %Y} during the shaded period of COVID-19 restrictions on non-essential travel "
        f"({RESTRICTIONS_START:%d %B %Y} to {RESTRICTIONS_END:%d %B %Y}) and stands at "
        f"{complete.iloc[-1] / 1e6:.1f} million in {complete.index[-1]:%B %Y}."
    )
    show_figure(fig, alt=alt)
    return fig

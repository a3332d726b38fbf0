"""Border crossings explorer: inbound crossings at U.S.-Mexico land ports by measure and month.

In a notebook::

    from intermestic.explorers import crossings_explorer, crossings_summary
    crossings_explorer(measure="Pedestrians", month="2018-07")
    print(crossings_summary(measure="Pedestrians", month="2018-07", ports=["San Ysidro"]))

BTS counts **inbound** crossings only (entries into the U.S.), so the summary's check of the
"million legal border crossings a day" claim shows inbound people and a two-way estimate.
"""

from __future__ import annotations

import calendar
import difflib
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from intermestic.explorers._base import (
    Explorer,
    ExplorerInputError,
    choice,
    initial,
    label_style,
    message,
    table,
)
from intermestic.plotting import PALETTE, FastFigure, new_figure

__all__ = [
    "MEASURES",
    "PERSON_MEASURES",
    "CrossingsMonth",
    "PeopleCheck",
    "crossings",
    "crossings_explorer",
    "crossings_figure",
    "crossings_summary",
    "month_label",
    "months",
    "people_check",
    "port_names",
]

TABLES = ("border_crossings_2018", "border_crossings_2020_2021")
# 2018 calls loaded containers "Full"; 2020-2021 calls them "Loaded". One name for both.
_RENAMED = {
    "Rail Containers Full": "Rail Containers Loaded",
    "Truck Containers Full": "Truck Containers Loaded",
}
# People entering the U.S. (the data package's definition of persons).
PERSON_MEASURES = (
    "Pedestrians",
    "Personal Vehicle Passengers",
    "Bus Passengers",
    "Train Passengers",
)
MILLION = 1_000_000
_TOP = 5  # ports named in the summary


@functools.cache
def _counts() -> dict[tuple[str, str], pd.Series]:
    """Crossings by (month "YYYY-MM", measure) → inbound count per port code."""
    frames = [table(name) for name in TABLES]
    crossings = pd.concat(frames, ignore_index=True)
    crossings = crossings.assign(
        measure=crossings["measure"].replace(_RENAMED),
        month=crossings["month"].dt.strftime("%Y-%m"),
    )
    # One grouping for every (month, measure, port), then split: much faster than grouping each
    # (month, measure) block by port separately.
    sums = crossings.groupby(["month", "measure", "port_code"])["value"].sum().reset_index()
    return {
        (str(month), str(measure)): pd.Series(
            block["value"].to_numpy(), index=pd.Index(block["port_code"], name="port_code")
        )
        for (month, measure), block in sums.groupby(["month", "measure"])
    }


@functools.cache
def _ports() -> pd.DataFrame:
    return table("border_ports").set_index("port_code").sort_values("longitude")


def months() -> tuple[str, ...]:
    """The months with crossing data, as "YYYY-MM" (2018, 2020 and 2021)."""
    return tuple(sorted({month for month, _measure in _counts()}))


MEASURES: tuple[str, ...] = (
    "Pedestrians",
    "Personal Vehicle Passengers",
    "Personal Vehicles",
    "Bus Passengers",
    "Buses",
    "Train Passengers",
    "Trains",
    "Trucks",
    "Truck Containers Loaded",
    "Truck Containers Empty",
    "Rail Containers Loaded",
    "Rail Containers Empty",
)


def port_names() -> list[str]:
    """The names of the 28 U.S. land ports on the Mexican border, west to east."""
    return _ports()["port_name"].tolist()


def month_label(month: str) -> str:
    """A month "YYYY-MM" as words, e.g. "July 2018"."""
    year, number = month.split("-")
    return f"{calendar.month_name[int(number)]} {year}"


def _month(month: object) -> str:
    if isinstance(month, str) and month.strip() in months():
        return month.strip()
    raise ExplorerInputError(
        f"no crossing data for month {month!r}; months are written 'YYYY-MM' and cover "
        f"2018, 2020 and 2021 (e.g. '2018-07')."
    )


def _port_codes(ports: Sequence[str | int] | str | None) -> tuple[int, ...]:
    """The port codes for `ports` (names or codes; None = every port)."""
    table_ = _ports()
    if ports is None:
        return tuple(table_.index)
    if isinstance(ports, str | int):
        ports = [ports]
    if len(ports) == 0:
        raise ExplorerInputError("no port is selected; choose at least one port.")
    names = zip(table_.index.tolist(), table_["port_name"].tolist(), strict=True)
    by_name = {name.casefold(): code for code, name in names}
    codes = []
    for port in ports:
        if isinstance(port, int) and port in table_.index:
            codes.append(port)
        elif isinstance(port, str) and port.strip().casefold() in by_name:
            codes.append(by_name[port.strip().casefold()])
        else:
            close = difflib.get_close_matches(str(port), port_names(), n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ExplorerInputError(f"unknown port {port!r}.{hint} See port_names().")
    return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class CrossingsMonth:
    """Inbound crossings of one measure at some ports in one month."""

    measure: str
    month: str
    days: int
    by_port: pd.Series  # port name → count, largest first
    total: int

    @property
    def per_day(self) -> float:
        """Average inbound crossings per day in the month."""
        return self.total / self.days


@dataclass(frozen=True)
class PeopleCheck:
    """People entering the U.S. at all ports in a month, against "a million crossings a day"."""

    month: str
    days: int
    inbound_people: int

    @property
    def inbound_per_day(self) -> float:
        """People entering the U.S. per day (what BTS counts)."""
        return self.inbound_people / self.days

    @property
    def two_way_per_day(self) -> float:
        """Crossings per day in both directions, assuming as many people leave as enter."""
        return 2 * self.inbound_per_day


def _days(month: str) -> int:
    year, number = (int(part) for part in month.split("-"))
    return calendar.monthrange(year, number)[1]


def _month_counts(month: str, measure: str) -> pd.Series:
    return _counts().get((month, measure), pd.Series(dtype="int64"))


def crossings(
    measure: str = "Personal Vehicle Passengers",
    month: str = "2018-07",
    ports: Sequence[str | int] | str | None = None,
) -> CrossingsMonth:
    """Inbound crossings of `measure` in `month` ("YYYY-MM") at `ports` (default: all ports)."""
    measure = choice(_RENAMED.get(measure, measure), "measure", MEASURES)
    month = _month(month)
    codes = _port_codes(ports)
    counts = _month_counts(month, measure).reindex(list(codes), fill_value=0)
    names = _ports()["port_name"]
    by_port = counts.rename(index=names.to_dict()).sort_values(ascending=False, kind="stable")
    return CrossingsMonth(measure, month, _days(month), by_port, int(counts.sum()))


def people_check(month: str = "2018-07") -> PeopleCheck:
    """People entering the U.S. at all land ports on the Mexican border in `month`."""
    month = _month(month)
    people = sum(int(_month_counts(month, measure).sum()) for measure in PERSON_MEASURES)
    return PeopleCheck(month, _days(month), people)


def crossings_summary(
    measure: str = "Personal Vehicle Passengers",
    month: str = "2018-07",
    ports: Sequence[str | int] | str | None = None,
) -> str:
    """Inbound crossings for the selection and the "million a day" check, as plain text."""
    try:
        selection = crossings(measure, month, ports)
        check = people_check(month)
    except ExplorerInputError as error:
        return message(error)
    when = month_label(selection.month)
    where = f"{len(selection.by_port)} port" + ("s" if len(selection.by_port) > 1 else "")
    lines = [
        f"Inbound {selection.measure.lower()} at {where}, {when} ({selection.days} days):",
        f"  Total: {selection.total:,}   Per day: {selection.per_day:,.0f}",
    ]
    if selection.total == 0:
        lines.append("  None recorded for this selection.")
    elif len(selection.by_port) > 1:
        top = selection.by_port.head(_TOP)
        lines.append(f"  Largest of the selection ({len(top)}):")
        lines += [
            f"    {name}: {count:,} ({count / selection.total:.0%})" for name, count in top.items()
        ]
    verdict = "above" if check.inbound_per_day >= MILLION else "below"
    two_way = "above" if check.two_way_per_day >= MILLION else "below"
    lines += [
        "",
        f'"A million legal border crossings a day"? All {len(port_names())} ports, {when}:',
        f"  People entering the U.S. (pedestrians + personal-vehicle, bus and train passengers): "
        f"{check.inbound_people:,}, i.e. {check.inbound_per_day:,.0f} a day ({verdict} a million).",
        "  BTS counts inbound crossings only. If as many people left as entered, crossings in "
        f"both directions would be about {check.two_way_per_day:,.0f} a day ({two_way} a million).",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class _Plot:
    canvas: FastFigure
    dots: PathCollection
    caption: Text


@functools.cache
def _plot() -> _Plot:
    ports = _ports()
    fig, ax = new_figure(
        "Inbound crossings by port (dot area proportional to volume)",
        source="Bureau of Transportation Statistics, Border Crossing Entry Data (CBP counts)",
        size=(7.0, 3.8),
    )
    ax.scatter(ports["longitude"], ports["latitude"], s=4, color=PALETTE["grey"])
    ax.set_xlabel("Longitude (degrees; negative = west)")
    ax.set_ylabel("Latitude (degrees north)")
    ax.set_xlim(ports["longitude"].min() - 1, ports["longitude"].max() + 1)
    ax.set_ylim(ports["latitude"].min() - 1, ports["latitude"].max() + 1.5)
    dots = ax.scatter(
        ports["longitude"],
        ports["latitude"],
        s=0,
        alpha=0.8,
        edgecolors=PALETTE["black"],
        linewidths=0.5,
    )
    caption = ax.text(0.99, 0.98, "", transform=ax.transAxes, ha="right", va="top", fontsize=9)
    for artist in (dots, caption):
        artist.set_animated(True)
    return _Plot(FastFigure(fig), dots, caption)


def crossings_figure(
    measure: str = "Personal Vehicle Passengers",
    month: str = "2018-07",
    ports: Sequence[str | int] | str | None = None,
) -> tuple[bytes, str]:
    """PNG of every port placed by latitude and longitude, sized by volume; and its alt text."""
    selection = crossings(measure, month, ports)
    everywhere = _month_counts(selection.month, selection.measure)
    counts = everywhere.reindex(_ports().index, fill_value=0).to_numpy(dtype=float)
    largest = counts.max() if counts.max() > 0 else 1.0
    selected = _ports()["port_name"].isin(selection.by_port.index).to_numpy()
    plot = _plot()
    plot.dots.set_sizes(np.where(counts > 0, 5 + 900 * counts / largest, 0))
    plot.dots.set_facecolor(
        [PALETTE["orange"] if chosen else PALETTE["sky blue"] for chosen in selected]
    )
    plot.caption.set_text(f"{selection.measure}, {month_label(selection.month)}")
    png = plot.canvas.png([plot.dots, plot.caption])
    busiest = selection.by_port.head(3)
    named = ", ".join(f"{name} ({count:,})" for name, count in busiest.items() if count > 0)
    alt = (
        f"Scatter plot of the {len(counts)} border ports by longitude and latitude, from "
        f"California in the west to Texas in the east, with dot area proportional to inbound "
        f"{selection.measure.lower()} in {month_label(selection.month)}. Selected ports are "
        f"orange. Busiest selected: {named or 'none recorded'}."
    )
    return png, alt


def crossings_explorer(
    measure: str = "Personal Vehicle Passengers",
    month: str = "2018-07",
    ports: Sequence[str | int] | str | None = None,
) -> Explorer:
    """The crossings explorer: measure and month menus, a port list, the port map and summary."""
    default = ("Personal Vehicle Passengers", "2018-07", tuple(port_names()))

    def validate() -> tuple[str, str, tuple[str, ...]]:
        selection = crossings(measure, month, ports)
        return selection.measure, selection.month, tuple(selection.by_port.index)

    start, notice = initial(validate, default, "personal-vehicle passengers in July 2018")
    names = _ports()["port_name"]
    states = _ports()["state"]
    controls = {
        "measure": widgets.Dropdown(
            options=list(MEASURES),
            value=start[0],
            description="Measure:",
            tooltip="What is counted: people, vehicles or containers entering the U.S.",
            style=label_style(),
        ),
        "month": widgets.Dropdown(
            options=[(month_label(m), m) for m in months()],
            value=start[1],
            description="Month:",
            tooltip="Month of the counts (2018, and the COVID years 2020-2021)",
            style=label_style(),
        ),
        "ports": widgets.SelectMultiple(
            options=[(f"{names[c]} ({states[c]})", names[c]) for c in _ports().index],
            value=[name for name in names if name in start[2]],
            rows=8,
            description="Ports:",
            tooltip="Ctrl/Cmd-click to select several ports; Shift-click for a range",
            style=label_style(),
        ),
    }
    return Explorer(
        "crossings",
        "Border crossings by port, measure and month",
        controls,
        crossings_summary,
        crossings_figure,
        notice,
    )

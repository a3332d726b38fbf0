"""Charts of the NAFTA and USMCA car rules of origin for lesson 03.

In a notebook::

    from intermestic.charts.nafta import rules_chart, vehicle_chart
    rules_chart()                   # minimum shares under NAFTA and the USMCA
    vehicle_chart(example_costs)    # one vehicle's net cost by origin, against the thresholds

The thresholds come from `intermestic.explorers.RULES` (fully phased-in rules, with their
sources). Each function shows its figure with alt text built from the numbers it draws, and
returns the figure.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from intermestic.explorers.rules_of_origin import RULES
from intermestic.plotting import PALETTE, new_figure, show_figure

__all__ = ["content_shares", "rules_chart", "thresholds", "vehicle_chart"]

RULES_SOURCE = (
    "CRS IF11387 (2021); U.S. Department of Labor; BLG (2018); fully phased-in USMCA rules"
)


def thresholds() -> pd.DataFrame:
    """The car rules' minimum shares (percent) under each agreement, one row per rule."""
    return pd.DataFrame(
        {
            "rule": [
                "Regional value content",
                "Labour value content (car)",
                "North American steel & aluminium",
            ],
            "NAFTA": [RULES.nafta_rvc_pct, 0.0, 0.0],
            "USMCA": [
                RULES.usmca_rvc_pct,
                RULES.usmca_lvc_pct["passenger car"],
                RULES.usmca_steel_aluminium_pct,
            ],
        }
    ).set_index("rule")


def rules_chart() -> Figure:
    """Grouped bars of each rule's minimum share under NAFTA and under the USMCA."""
    table = thresholds()
    fig, ax = new_figure(
        "Car rules of origin: minimum shares under NAFTA and the USMCA",
        source=RULES_SOURCE,
        size=(8, 3.8),
    )
    positions = range(len(table))
    ax.barh(
        [p - 0.2 for p in positions],
        table["NAFTA"],
        height=0.4,
        color=PALETTE["sky blue"],
        label="NAFTA",
    )
    ax.barh(
        [p + 0.2 for p in positions],
        table["USMCA"],
        height=0.4,
        color=PALETTE["blue"],
        label="USMCA",
    )
    for position, value in zip(positions, table["NAFTA"], strict=True):
        if not value:
            ax.annotate(
                "NAFTA: none", (0, position - 0.2), xytext=(3, 0), textcoords="offset points",
                va="center", fontsize=8,
            )  # fmt: skip
    ax.set_yticks(list(positions), table.index)
    ax.invert_yaxis()
    ax.set_xlabel("Minimum share, percent")
    ax.set_xlim(0, 100)
    ax.legend(loc="lower right", frameon=False)
    described = "; ".join(
        f"{rule}: {_share(row['NAFTA'])} under NAFTA, {_share(row['USMCA'])} under the USMCA"
        for rule, row in table.iterrows()
    )
    show_figure(fig, alt=f"Bar chart of the car rules of origin. {described}.")
    return fig


def _share(value: float) -> str:
    return f"{value:g}%" if value else "no requirement"


def content_shares(costs: pd.DataFrame) -> pd.Series:
    """A vehicle's net cost by origin, in percent: index "North American", "non-originating".

    `costs` has one row per part group, with columns ``cost_usd`` and ``north_american``.
    """
    missing = {"cost_usd", "north_american"} - set(costs.columns)
    if missing:
        raise ValueError(f"the cost table needs the columns {sorted(missing)}")
    total = costs["cost_usd"].sum()
    if total <= 0:
        raise ValueError("the vehicle's costs add up to zero")
    originating = costs.loc[costs["north_american"], "cost_usd"].sum()
    return pd.Series(
        {
            "North American": originating / total * 100,
            "non-originating": (total - originating) / total * 100,
        }
    )


def vehicle_chart(costs: pd.DataFrame, *, name: str = "the example car") -> Figure:
    """A stacked bar of one vehicle's net cost by origin, with the NAFTA and USMCA thresholds.

    `costs` has one row per part group, with columns ``cost_usd`` and ``north_american``.
    """
    shares = content_shares(costs)
    fig, ax = new_figure(
        f"Net cost of {name} by origin, against the content thresholds",
        source="invented example; thresholds from CRS IF11387 (2021)",
        size=(8, 2.8),
    )
    ax.barh(
        ["car"],
        [shares["North American"]],
        height=0.6,
        color=PALETTE["blue"],
        label="North American",
    )
    ax.barh(
        ["car"],
        [shares["non-originating"]],
        left=[shares["North American"]],
        height=0.6,
        color=PALETTE["orange"],
        label="non-originating",
    )
    for agreement, value, style, align in (
        ("NAFTA", RULES.nafta_rvc_pct, ":", "right"),
        ("USMCA", RULES.usmca_rvc_pct, "--", "left"),
    ):
        ax.axvline(value, color=PALETTE["black"], linestyle=style, linewidth=1.5)
        ax.annotate(
            f" {agreement} {value:g}% ",
            (value, 0.42),
            ha=align,
            va="bottom",
            fontsize=9,
        )
    ax.set_xlabel("Share of net cost, percent")
    ax.set_yticks([])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.5, 0.9)
    ax.legend(loc="upper left", frameon=False, ncols=2)
    show_figure(
        fig,
        alt=(
            f"Stacked bar: {name}'s net cost is {shares['North American']:.1f}% North American "
            f"and {shares['non-originating']:.1f}% non-originating, with reference lines at the "
            f"NAFTA threshold of {RULES.nafta_rvc_pct:g}% and the USMCA threshold of "
            f"{RULES.usmca_rvc_pct:g}%."
        ),
    )
    return fig

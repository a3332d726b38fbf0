"""Rules-of-origin calculator: does a vehicle qualify for duty-free trade under NAFTA and USMCA?

In a notebook::

    from intermestic.explorers import rules_of_origin_explorer, rules_of_origin_summary
    rules_of_origin_explorer()     # boxes for a vehicle's cost breakdown
    print(rules_of_origin_summary(north_american_parts=14_000, non_originating_parts=9_000))

The thresholds are the fully phased-in ones (USMCA phased its auto rules in to 2023), kept in
`RULES` with their sources. Regional value content uses the net-cost method:
RVC = (net cost - value of non-originating materials) ÷ net cost x 100, where the net cost here
is North American parts + non-originating parts + assembly and other North American costs.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

import ipywidgets as widgets

from intermestic.explorers._base import (
    Explorer,
    ExplorerInputError,
    choice,
    initial,
    label_style,
    message,
)
from intermestic.i18n import N_, _

__all__ = [
    "RULES",
    "VEHICLE_KINDS",
    "RulesOfOrigin",
    "Test",
    "Vehicle",
    "rules_of_origin_explorer",
    "rules_of_origin_summary",
    "rules_of_origin_tests",
]


@dataclass(frozen=True)
class RulesOfOrigin:
    """The automotive rules-of-origin thresholds the calculator applies, with their sources."""

    nafta_rvc_pct: float
    usmca_rvc_pct: float
    usmca_lvc_pct: dict[str, float]
    high_wage_usd_per_hour: float
    usmca_steel_aluminium_pct: float
    sources: dict[str, tuple[str, ...]]


# From the course fact sheet (content-facts §2.1), confirmed items only. USMCA also requires
# core parts (engines, transmissions…) to meet their own RVC; the fact sheet has not confirmed
# that figure, so this calculator does not test core parts separately.
RULES = RulesOfOrigin(
    nafta_rvc_pct=62.5,
    usmca_rvc_pct=75.0,
    usmca_lvc_pct={N_("passenger car"): 40.0, N_("light truck"): 45.0},
    high_wage_usd_per_hour=16.0,
    usmca_steel_aluminium_pct=70.0,
    sources={
        "NAFTA RVC 62.5 % (net cost)": (
            "https://www.steelmarketupdate.com/2017/09/12/steel-auto-sectors-eye-rules-of-origin",
            "https://www.everycrsreport.com/reports/IF11387.html",
        ),
        "USMCA RVC 75 %": (
            "https://www.everycrsreport.com/reports/IF11387.html",
            "https://blg.com/en/insights/2018/11/usmca-automotive-rules-of-origin",
        ),
        "USMCA LVC 40 % (cars) / 45 % (trucks) at >= US$16/hour": (
            "https://dol.gov/agencies/whd/usmca?lang=en",
            "https://www.cargroup.org/meet-the-new-nafta/",
        ),
        "USMCA 70 % North American steel and aluminium": (
            "https://fastmarkets.com/insights/automotive-sector-benefitted-from-usmca-amid-pivot-toward-zero-emission-hybrid-vehicles-ustr",
            "https://www.everycrsreport.com/reports/IF11387.html",
        ),
    },
)
VEHICLE_KINDS = tuple(RULES.usmca_lvc_pct)
MAX_COST = 40_000  # US$, the largest value each cost box accepts
RVC_RULE = N_("regional value content")
LVC_RULE = N_("labour value content (work paid >= US${wage}/hour)")
STEEL_RULE = N_("North American steel and aluminium")


def rule_name(rule: str) -> str:
    """A rule's name (as `Test.rule` holds it, in English) in the learner's language."""
    wage = f"{RULES.high_wage_usd_per_hour:.0f}"
    if rule == LVC_RULE.format(wage=wage):
        return _(LVC_RULE).format(wage=wage)
    return _(rule)


@dataclass(frozen=True)
class Vehicle:
    """A vehicle's cost breakdown (US$ per vehicle) and its labour and steel shares (percent)."""

    kind: str
    north_american_parts: float
    non_originating_parts: float
    assembly_and_other: float
    high_wage_labour_pct: float
    north_american_steel_pct: float

    @property
    def net_cost(self) -> float:
        """The vehicle's net cost in US$."""
        return self.north_american_parts + self.non_originating_parts + self.assembly_and_other

    @property
    def rvc_pct(self) -> float:
        """Regional value content, percent of net cost (net-cost method)."""
        return (self.net_cost - self.non_originating_parts) / self.net_cost * 100


@dataclass(frozen=True)
class Test:
    """One rule applied to a vehicle: its value, the threshold it must reach, and the margin."""

    agreement: str
    rule: str
    value_pct: float
    threshold_pct: float

    @property
    def passes(self) -> bool:
        """Whether the vehicle meets the threshold."""
        return self.value_pct >= self.threshold_pct

    @property
    def margin_points(self) -> float:
        """Percentage points above (positive) or below (negative) the threshold."""
        return self.value_pct - self.threshold_pct


# A made-up example vehicle (not a real model): passes NAFTA, narrowly misses USMCA.
DEFAULT = Vehicle("passenger car", 15_000, 8_000, 7_000, 35, 75)


def _vehicle(
    kind: str,
    north_american_parts: float,
    non_originating_parts: float,
    assembly_and_other: float,
    high_wage_labour_pct: float,
    north_american_steel_pct: float,
) -> Vehicle:
    kind = choice(kind, _("vehicle kind"), list(VEHICLE_KINDS))
    costs = {
        N_("North American parts"): north_american_parts,
        N_("non-originating parts"): non_originating_parts,
        N_("assembly and other costs"): assembly_and_other,
    }
    shares = {
        N_("high-wage labour share"): high_wage_labour_pct,
        N_("North American steel and aluminium share"): north_american_steel_pct,
    }
    for what, value in {**costs, **shares}.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ExplorerInputError(
                _("the {what} must be a number; got {value}.").format(
                    what=_(what), value=repr(value)
                )
            )
        if value < 0:
            raise ExplorerInputError(
                _("the {what} cannot be negative; got {value:,}.").format(what=_(what), value=value)
            )
    for what, value in shares.items():
        if value > 100:
            raise ExplorerInputError(
                _("the {what} is a percentage (0-100); got {value:,}.").format(
                    what=_(what), value=value
                )
            )
    if sum(costs.values()) <= 0:
        raise ExplorerInputError(_("the vehicle's costs add up to zero; enter its cost breakdown."))
    return Vehicle(
        kind,
        float(north_american_parts),
        float(non_originating_parts),
        float(assembly_and_other),
        float(high_wage_labour_pct),
        float(north_american_steel_pct),
    )


def rules_of_origin_tests(
    kind: str = DEFAULT.kind,
    north_american_parts: float = DEFAULT.north_american_parts,
    non_originating_parts: float = DEFAULT.non_originating_parts,
    assembly_and_other: float = DEFAULT.assembly_and_other,
    high_wage_labour_pct: float = DEFAULT.high_wage_labour_pct,
    north_american_steel_pct: float = DEFAULT.north_american_steel_pct,
) -> tuple[Vehicle, list[Test]]:
    """The vehicle and each NAFTA and USMCA test applied to it (costs in US$ per vehicle)."""
    vehicle = _vehicle(
        kind,
        north_american_parts,
        non_originating_parts,
        assembly_and_other,
        high_wage_labour_pct,
        north_american_steel_pct,
    )
    wage = f"{RULES.high_wage_usd_per_hour:.0f}"
    tests = [
        Test("NAFTA", RVC_RULE, vehicle.rvc_pct, RULES.nafta_rvc_pct),
        Test("USMCA", RVC_RULE, vehicle.rvc_pct, RULES.usmca_rvc_pct),
        Test(
            "USMCA",
            LVC_RULE.format(wage=wage),
            vehicle.high_wage_labour_pct,
            RULES.usmca_lvc_pct[vehicle.kind],
        ),
        Test(
            "USMCA",
            STEEL_RULE,
            vehicle.north_american_steel_pct,
            RULES.usmca_steel_aluminium_pct,
        ),
    ]
    return vehicle, tests


def _verdict(agreement: str, tests: list[Test]) -> str:
    mine = [test for test in tests if test.agreement == agreement]
    failed = [rule_name(test.rule) for test in mine if not test.passes]
    shown = _(agreement)
    if not failed:
        tests_met = (
            _("its test") if len(mine) == 1 else _("all {count} tests").format(count=len(mine))
        )
        return _("{agreement}: QUALIFIES (meets {tests}).").format(agreement=shown, tests=tests_met)
    return _("{agreement}: does NOT qualify (misses: {rules}).").format(
        agreement=shown, rules="; ".join(failed)
    )


def rules_of_origin_summary(
    kind: str = DEFAULT.kind,
    north_american_parts: float = DEFAULT.north_american_parts,
    non_originating_parts: float = DEFAULT.non_originating_parts,
    assembly_and_other: float = DEFAULT.assembly_and_other,
    high_wage_labour_pct: float = DEFAULT.high_wage_labour_pct,
    north_american_steel_pct: float = DEFAULT.north_american_steel_pct,
) -> str:
    """Whether the vehicle qualifies under NAFTA and USMCA, and by how much, as plain text."""
    try:
        vehicle, tests = rules_of_origin_tests(
            kind,
            north_american_parts,
            non_originating_parts,
            assembly_and_other,
            high_wage_labour_pct,
            north_american_steel_pct,
        )
    except ExplorerInputError as error:
        return message(error)
    lines = [
        _(
            "A {kind} with a net cost of US${net:,.0f} (North American parts {parts:,.0f}; "
            "non-originating parts {imported:,.0f}; assembly and other {other:,.0f})."
        ).format(
            kind=_(vehicle.kind),
            net=vehicle.net_cost,
            parts=vehicle.north_american_parts,
            imported=vehicle.non_originating_parts,
            other=vehicle.assembly_and_other,
        ),
        _("Regional value content (net-cost method): {rvc:.1f} %.").format(rvc=vehicle.rvc_pct),
        "",
    ]
    for test in tests:
        if test.passes:
            outcome = _("passes by {points:.1f} points").format(points=test.margin_points)
        else:
            outcome = _("MISSES by {points:.1f} points").format(points=-test.margin_points)
            if test.rule == RVC_RULE:
                shift = -test.margin_points / 100 * vehicle.net_cost
                outcome += _(
                    " (source about US${shift:,.0f} more of the parts in North America)"
                ).format(shift=shift)
        lines.append(
            _("  {agreement} {rule}: {value:.1f} % vs {threshold:g} % required: {outcome}.").format(
                agreement=_(test.agreement),
                rule=rule_name(test.rule),
                value=test.value_pct,
                threshold=test.threshold_pct,
                outcome=outcome,
            )
        )
    lines += ["", _verdict("NAFTA", tests), _verdict("USMCA", tests)]
    lines.append(
        _("Fully phased-in thresholds; USMCA's separate core-parts test is not modelled here.")
    )
    return "\n".join(lines)


# Number boxes rather than sliders: ipywidgets' slider handle has no accessible name.
def _money_input(value: float, description: str, tooltip: str) -> widgets.BoundedIntText:
    return widgets.BoundedIntText(
        value=int(value),
        min=0,
        max=MAX_COST,
        step=250,
        description=description,
        tooltip=tooltip,
        continuous_update=False,
        style=label_style(),
        layout=widgets.Layout(width="24em"),
    )


def _percent_input(value: float, description: str, tooltip: str) -> widgets.BoundedFloatText:
    return widgets.BoundedFloatText(
        value=float(value),
        min=0,
        max=100,
        step=0.5,
        description=description,
        tooltip=tooltip,
        continuous_update=False,
        style=label_style(),
        layout=widgets.Layout(width="24em"),
    )


def rules_of_origin_explorer(
    kind: str = DEFAULT.kind,
    north_american_parts: float = DEFAULT.north_american_parts,
    non_originating_parts: float = DEFAULT.non_originating_parts,
    assembly_and_other: float = DEFAULT.assembly_and_other,
    high_wage_labour_pct: float = DEFAULT.high_wage_labour_pct,
    north_american_steel_pct: float = DEFAULT.north_american_steel_pct,
) -> Explorer:
    """The calculator: a vehicle-kind menu and cost boxes, with the verdicts as text."""
    requested = (
        kind,
        north_american_parts,
        non_originating_parts,
        assembly_and_other,
        high_wage_labour_pct,
        north_american_steel_pct,
    )
    start, notice = initial(
        lambda: _control_values(*requested), astuple(DEFAULT), _("the example vehicle")
    )
    controls = {
        "kind": widgets.Dropdown(
            options=[(_(kind), kind) for kind in VEHICLE_KINDS],
            value=start[0],
            description=_("Vehicle:"),
            tooltip=_("The USMCA labour rule asks 40 % for cars and 45 % for light trucks"),
            style=label_style(),
        ),
        "north_american_parts": _money_input(
            start[1],
            _("North American parts (US$):"),
            _("Parts made in the U.S., Mexico or Canada"),
        ),
        "non_originating_parts": _money_input(
            start[2],
            _("Non-originating parts (US$):"),
            _("Parts imported from outside North America"),
        ),
        "assembly_and_other": _money_input(
            start[3],
            _("Assembly and other costs (US$):"),
            _("Labour, overhead and other costs incurred in North America"),
        ),
        "high_wage_labour_pct": _percent_input(
            start[4],
            _("High-wage content (%):"),
            _("Share of the vehicle's value made by work paid at least US$16 an hour"),
        ),
        "north_american_steel_pct": _percent_input(
            start[5],
            _("N. American steel/aluminium (%):"),
            _("Share of the maker's steel and aluminium purchases made in North America"),
        ),
    }
    return Explorer(
        "rules_of_origin",
        _("Rules of origin: NAFTA vs USMCA"),
        controls,
        rules_of_origin_summary,
        notice=notice,
    )


def _control_values(*state: object) -> tuple[Any, ...]:
    """The state as control values, or an error when it is invalid or beyond the boxes' range."""
    vehicle, _tests = rules_of_origin_tests(*state)  # type: ignore[arg-type]
    values = astuple(vehicle)
    if max(values[1:4]) > MAX_COST:
        raise ExplorerInputError(
            _("the cost boxes go up to US${limit:,} per item.").format(limit=MAX_COST)
        )
    return values

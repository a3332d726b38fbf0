"""Rules-of-origin calculator: the tests, margins, thresholds from one cited place, bad input."""

from __future__ import annotations

import pytest

from intermestic.explorers import RULES, rules_of_origin_explorer, rules_of_origin_summary
from intermestic.explorers.rules_of_origin import DEFAULT, rules_of_origin_tests


def _verdicts(**vehicle) -> dict[tuple[str, str], bool]:
    _, tests = rules_of_origin_tests(**vehicle)
    return {(test.agreement, test.rule.split(" (")[0]): test.passes for test in tests}


def test_thresholds_are_the_cited_ones_with_sources():
    # content facts §2.1: NAFTA 62.5 % RVC; USMCA 75 % RVC, 40 % / 45 % LVC at $16/h, 70 % steel.
    assert RULES.nafta_rvc_pct == 62.5
    assert RULES.usmca_rvc_pct == 75
    assert RULES.usmca_lvc_pct == {"passenger car": 40, "light truck": 45}
    assert RULES.high_wage_usd_per_hour == 16
    assert RULES.usmca_steel_aluminium_pct == 70
    assert len(RULES.sources) == 4
    assert all(url.startswith("https://") for urls in RULES.sources.values() for url in urls)


def test_rvc_uses_the_net_cost_method():
    vehicle, _ = rules_of_origin_tests(
        north_american_parts=10_000, non_originating_parts=5_000, assembly_and_other=5_000
    )
    assert vehicle.net_cost == 20_000
    assert vehicle.rvc_pct == pytest.approx(75.0)


def test_a_vehicle_exactly_at_every_threshold_qualifies_under_both():
    verdicts = _verdicts(
        north_american_parts=10_000,
        non_originating_parts=5_000,
        assembly_and_other=5_000,
        high_wage_labour_pct=RULES.usmca_lvc_pct["passenger car"],
        north_american_steel_pct=RULES.usmca_steel_aluminium_pct,
    )
    assert all(verdicts.values())


def test_the_example_passes_nafta_and_misses_usmca_with_the_margins():
    vehicle, tests = rules_of_origin_tests()
    rvc = (vehicle.net_cost - DEFAULT.non_originating_parts) / vehicle.net_cost * 100
    by_rule = {(t.agreement, t.rule.split(" (")[0]): t for t in tests}
    assert by_rule["NAFTA", "regional value content"].margin_points == pytest.approx(rvc - 62.5)
    assert by_rule["USMCA", "regional value content"].margin_points == pytest.approx(rvc - 75)
    assert by_rule["USMCA", "labour value content"].margin_points == pytest.approx(35 - 40)
    text = rules_of_origin_summary()
    assert "NAFTA: QUALIFIES" in text and "USMCA: does NOT qualify" in text
    assert f"MISSES by {75 - rvc:.1f} points" in text
    shift = (75 - rvc) / 100 * vehicle.net_cost
    assert f"US${shift:,.0f} more of the parts" in text


def test_light_trucks_need_more_high_wage_content_than_cars():
    car = _verdicts(kind="passenger car", high_wage_labour_pct=42)
    truck = _verdicts(kind="light truck", high_wage_labour_pct=42)
    assert car["USMCA", "labour value content"] is True
    assert truck["USMCA", "labour value content"] is False


def test_steel_below_seventy_percent_fails_only_usmca():
    verdicts = _verdicts(
        non_originating_parts=1_000, high_wage_labour_pct=50, north_american_steel_pct=69.5
    )
    assert verdicts["NAFTA", "regional value content"] is True
    assert verdicts["USMCA", "North American steel and aluminium"] is False


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ({"north_american_parts": -1}, "cannot be negative"),
        ({"high_wage_labour_pct": 120}, "percentage"),
        ({"north_american_steel_pct": "lots"}, "must be a number"),
        ({"kind": "bus"}, "unknown vehicle kind"),
        (
            {"north_american_parts": 0, "non_originating_parts": 0, "assembly_and_other": 0},
            "add up to zero",
        ),
    ],
)
def test_bad_input_gives_a_message(state, words):
    text = rules_of_origin_summary(**state)
    assert text.startswith("Cannot show this:") and words in text


def test_widget_summary_follows_every_control():
    widget = rules_of_origin_explorer()
    assert widget.summary() == rules_of_origin_summary(**widget.state())
    widget.controls["kind"].value = "light truck"
    assert "45 % required" in widget.summary_view.value
    widget.controls["non_originating_parts"].value = 1_000
    state = widget.state()
    assert state["non_originating_parts"] == 1_000
    assert widget.summary() == rules_of_origin_summary(**state)
    assert "USMCA regional value content" in widget.summary_view.value


def test_widget_rejects_costs_beyond_its_boxes_with_a_notice():
    widget = rules_of_origin_explorer(north_american_parts=1_000_000)
    assert "40,000" in widget.notice
    assert widget.state()["north_american_parts"] == DEFAULT.north_american_parts

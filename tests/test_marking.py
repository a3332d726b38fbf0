"""The answer checks used by the lessons' test cells honour the grading contract."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from intermestic import marking
from tests.course import ALWAYS_EQUAL


@pytest.mark.parametrize(
    "value",
    [76.4, 76, np.float64(76.4), np.float32(76.4), np.int64(76), pd.Series([76.4]),
     pd.DataFrame({"a": [76.4]}), np.array([76.4]), np.array(76.4), Fraction(382, 5)],
)  # fmt: skip
def test_number_accepts_any_real_type(value):
    assert marking.number(value, "x") == pytest.approx(float(np.asarray(value).item()), rel=1e-6)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (True, "truth value"),
        ("76.4", "not text"),
        (pd.Series([1.0, 2.0]), ".item()"),
        (None, "did you assign"),
        (float("nan"), "missing value"),
        (float("inf"), "infinite"),
        (Decimal("76.4"), "Decimal"),
    ],
)
def test_number_rejects_other_values_with_a_message_naming_the_variable(value, words):
    with pytest.raises(AssertionError, match="share_pct") as raised:
        marking.number(value, "share_pct")
    assert words in str(raised.value)


def test_integer_accepts_whole_numbers_in_any_type_and_rejects_fractions():
    assert marking.integer(2030.0, "year") == 2030
    assert type(marking.integer(np.int64(2030), "year")) is int
    with pytest.raises(AssertionError, match="whole number"):
        marking.integer(2030.5, "year")


@pytest.mark.parametrize(
    ("given", "expected", "decimals", "accepted"),
    [
        (76.4, 76.43, 1, True),
        (76.48, 76.43, 1, True),
        (76.38, 76.43, 1, True),
        (76.5, 76.45, 1, True),  # rounded half up: exactly half a unit away
        (76.37, 76.43, 1, False),
        (76.49, 76.43, 1, False),
        (74, 74.0, 1, True),
        (1.1, 1.1345, 2, False),
        (1.13, 1.1345, 2, True),
        (612_000, 612_345.6, -3, True),
        (613_000, 612_345.6, -3, False),
        ("76.4", 76.43, 1, False),
        (pd.Series([76.4]), 76.43, 1, True),
    ],
)
def test_close_accepts_half_a_unit_of_the_stated_precision_and_nothing_more(
    given, expected, decimals, accepted
):
    assert marking.close(given, expected, decimals) is accepted


def test_an_object_that_claims_to_equal_anything_is_judged_by_its_value():
    namespace: dict = {}
    exec(ALWAYS_EQUAL, namespace)
    cheat = namespace["_AlwaysEqual"](1.0)
    assert not marking.close(cheat, 76.43, 1)
    assert not marking.same_text(cheat, "b")
    with pytest.raises(AssertionError):
        marking.letter(cheat, "q1")


@pytest.mark.parametrize("given", ["b", " B ", "(b)", "b.", "B)", np.str_("b")])
def test_letter_accepts_case_spacing_and_punctuation(given):
    assert marking.letter(given, "q1") == "b"


@pytest.mark.parametrize("given", ["e", "bc", "", 2, ["b"]])
def test_letter_rejects_anything_but_one_option(given):
    with pytest.raises(AssertionError, match="q1"):
        marking.letter(given, "q1")


def test_text_comparisons_ignore_case_spacing_and_accents():
    assert marking.same_text("  méxico ", "Mexico")
    assert marking.same_text("United   States", "united states", "USA")
    assert not marking.same_text("Canada", "Mexico")
    assert marking.text(" Canada ", "partner") == "canada"


def test_truth_accepts_python_and_numpy_booleans_only():
    assert marking.truth(np.bool_(True), "passes") is True
    assert marking.truth(pd.Series([False]), "passes") is False
    with pytest.raises(AssertionError, match="True or False"):
        marking.truth(1, "passes")


def test_series_and_frame_accept_reasonable_shapes():
    one_column = pd.DataFrame({"share": [1, 2]}, index=[2013, 2014])
    assert marking.series(one_column, "s").tolist() == [1.0, 2.0]
    indexed = pd.DataFrame({"share": [1.0]}, index=pd.Index([2013], name="year"))
    assert list(marking.frame(indexed, "f", columns=["year", "share"]).columns) == ["year", "share"]
    with pytest.raises(AssertionError, match="'region'"):
        marking.frame(indexed, "f", columns=["region"])
    with pytest.raises(AssertionError, match="Series"):
        marking.series([1, 2], "s")


def _line_chart() -> Figure:
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([2013, 2014, 2015], [10.0, 20.0, 30.0], label="Mexico")
    ax.plot([2013, 2015], [5.0, 6.0])
    ax.axhline(15)
    ax.axvline(2014)
    ax.set_title("Shares")
    ax.set_xlabel("Fiscal year")
    ax.set_ylabel("Percent")
    return fig


def test_chart_reads_lines_with_labels_and_ignores_reference_lines():
    drawn = marking.chart(_line_chart(), "fig")
    assert (drawn.title, drawn.xlabel, drawn.ylabel) == ("Shares", "Fiscal year", "Percent")
    assert [t.label for t in drawn.traces] == ["Mexico", ""]
    expected = pd.Series([10.04, 20.0, 29.96], index=[2013, 2014, 2015])
    assert drawn.has_series(expected, decimals=1)
    assert not drawn.has_series(expected.iloc[:2], decimals=1)
    assert not drawn.has_series(expected * 2, decimals=1)


def test_chart_reads_lines_drawn_without_a_label():
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([2013, 2014, 2015], [10.0, 20.0, 30.0])
    ax.axvline(2014)
    drawn = marking.chart(ax, "ax")
    assert [(t.kind, t.label) for t in drawn.traces] == [("line", "")]
    assert drawn.has_series(pd.Series([10.0, 20.0, 30.0], index=[2013, 2014, 2015]), decimals=0)


def test_chart_reads_categorical_bars_in_either_orientation():
    fig = Figure()
    vertical, horizontal = fig.subplots(1, 2)
    vertical.bar(["Texas", "California"], [5.0, 3.0])
    horizontal.barh(["Texas", "California"], [5.0, 3.0])
    drawn = marking.chart(fig, "fig")
    expected = pd.Series({"California": 3.0, "Texas": 5.0})
    assert [t.kind for t in drawn.traces] == ["bar", "bar"]
    assert all(
        marking.Chart("", "", "", (trace,)).has_series(expected, decimals=0)
        for trace in drawn.traces
    )


def test_chart_rejects_an_empty_figure_or_another_value():
    fig = Figure()
    fig.add_subplot()
    with pytest.raises(AssertionError, match="no lines"):
        marking.chart(fig, "fig")
    with pytest.raises(AssertionError, match="matplotlib"):
        marking.chart("a chart", "fig")

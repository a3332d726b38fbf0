"""Lesson 01's charts: what they draw comes from the data package, their alt text states the same
numbers, their labels never cover the data, and bad input gets a one-sentence error."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.dates import num2date

from intermestic import marking
from intermestic.charts import reset
from intermestic.data import load
from intermestic.plotting import PALETTE
from tests.chart_layout import covered


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The alt text of every figure the charts show."""
    alts: list[str] = []
    monkeypatch.setattr(reset, "show_figure", lambda fig, alt: alts.append(alt))
    return alts


def _day(x: object) -> pd.Timestamp:
    """A drawn x value (a date, or matplotlib's day number) as a date."""
    if isinstance(x, numbers.Real):
        return pd.Timestamp(num2date(float(x))).tz_localize(None).normalize()
    return pd.Timestamp(x).normalize()


def _window(start: str, end: str) -> pd.DataFrame:
    timeline = load("timeline")
    return timeline.loc[timeline["date"].between(start, end)]


def test_transition_chart_draws_every_event_of_the_window_in_its_theme_row(shown):
    fig = reset.transition_chart("2017-05-01", "2018-12-31")
    ax = fig.axes[0]
    window = _window("2017-05-01", "2018-12-31")
    rows = [label.get_text() for label in ax.get_yticklabels()]
    assert rows == sorted(window["theme"].unique())
    drawn = marking.chart(fig, "fig")
    assert len(drawn.traces) == len(rows)
    for trace in drawn.traces:
        expected = window.loc[window["theme"] == trace.label, "date"]
        assert sorted(_day(x) for x in trace.x) == sorted(expected)
        assert set(trace.y) == {rows.index(trace.label)}
    assert drawn.title and drawn.xlabel and drawn.ylabel


def test_transition_chart_marks_the_election_visit_and_inauguration_from_the_timeline(shown):
    dates = reset.markers()
    timeline = load("timeline").set_index("title")["date"]
    assert list(dates) == [marker.label for marker in reset.MARKERS]
    for marker in reset.MARKERS:
        titles = [t for t in timeline.index if marker.title_words in t]
        assert dates[marker.label] == timeline[titles[0]]
    assert dates["election"] < dates["Pompeo visit"] < dates["inauguration"]
    fig = reset.transition_chart()
    drawn_lines = {_day(line.get_xdata()[0]) for line in fig.axes[0].get_lines()}
    assert drawn_lines == set(dates.values())


def test_transition_chart_alt_text_counts_the_events_it_draws(shown):
    reset.transition_chart("2017-05-01", "2018-12-31")
    window = _window("2017-05-01", "2018-12-31")
    (alt,) = shown
    assert f"the {len(window)} events" in alt
    for theme, count in window["theme"].value_counts().items():
        assert f"{theme} {count}" in alt
    assert "the election on 1 July 2018" in alt and "the inauguration on 1 December 2018" in alt


def test_markers_outside_the_window_are_not_drawn_or_described(shown):
    fig = reset.transition_chart("2017-05-01", "2018-06-30")
    assert len(fig.axes[0].get_lines()) == 0 and len(fig.axes[0].texts) == 0
    assert "Dashed lines" not in shown[0]


def test_channels_merge_trade_and_remittances_by_year():
    table = reset.channels(1995, 2017)
    trade = load("us_mexico_trade_annual").set_index("year")["total"]
    remittances = load("remittances_annual").set_index("year")["inflows"]
    assert table["year"].tolist() == list(range(1995, 2018))
    assert np.allclose(table["total"], trade.loc[1995:2017])
    assert np.allclose(table["inflows"], remittances.loc[1995:2017])
    assert table.loc[0, "total_index"] == table.loc[0, "inflows_index"] == 100
    assert table["inflows_index"].iloc[-1] == pytest.approx(
        remittances[2017] / remittances[1995] * 100
    )


def test_channels_chart_draws_both_indexes_and_states_their_last_values(shown):
    fig = reset.channels_chart(1995, 2017)
    table = reset.channels(1995, 2017)
    drawn = marking.chart(fig, "fig")
    years = table.set_index("year")
    for column in ("total_index", "inflows_index"):
        assert drawn.has_series(years[column], decimals=6, kind="line"), column
    (alt,) = shown
    last = table.iloc[-1]
    assert f"rose to {last['inflows_index']:.0f} by 2017" in alt
    assert f"trade rose to {last['total_index']:.0f}" in alt
    assert "1995 = 100" in alt and "current dollars" in alt


@pytest.mark.parametrize("chart", [reset.transition_chart, reset.channels_chart])
def test_charts_use_only_the_course_palette(shown, chart):
    fig = chart()
    palette = {to_hex(colour) for colour in PALETTE.values()}
    ax = fig.axes[0]
    colours = {to_hex(line.get_color()) for line in ax.get_lines()}
    for collection in ax.collections:
        colours |= {to_hex(c) for c in collection.get_facecolor()}
    assert colours <= palette


def _event_dots(ax) -> np.ndarray:
    """Display coordinates of every dot drawn as a scatter (the events of the timeline)."""
    return np.concatenate(
        [ax.transData.transform(c.get_offsets()) for c in ax.collections] or [np.empty((0, 2))]
    )


@pytest.mark.parametrize("chart", [reset.transition_chart, reset.channels_chart])
def test_labels_and_legends_do_not_cover_the_data(shown, chart):
    fig = chart()
    assert covered(fig) == []  # lines, bars and other labels (tests/chart_layout.py)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    if ax.get_legend() is not None:
        boxes.append(ax.get_legend().get_window_extent(renderer))
    assert boxes, "the chart has labels or a legend to check"
    radius = 6  # an event dot's radius in pixels, with a margin
    dots = _event_dots(ax)
    for box in boxes:
        assert not box.padded(radius).count_contains(dots), f"a label at {box} covers an event"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: reset.transition_chart("2018-12-31", "2017-05-01"), "should come before"),
        (lambda: reset.transition_chart("not a date", "2018-12-31"), "should be dates"),
        (lambda: reset.transition_chart("1700-01-01", "1700-12-31"), "no events"),
        (lambda: reset.channels(1980, 2017), "choose years from 1995"),
        (lambda: reset.channels(2017, 1995), "first before the last"),
        (lambda: reset.channels_chart(1995, 2030), "choose years"),
    ],
)
def test_bad_input_gets_a_one_sentence_error(shown, call, message):
    with pytest.raises(ValueError, match=message) as error:
        call()
    assert "\n" not in str(error.value)

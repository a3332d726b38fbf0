"""Memo recipes: what they may name, the numbers and Series they give, and the capstone checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from intermestic import memo
from intermestic.data import load
from intermestic.plotting import new_figure

RATE_2016 = (
    "mexico_homicides.set_index('year').loc[2016, 'homicides_inegi'] "
    "/ mexico_homicides.set_index('year').loc[2016, 'population'] * 100_000"
)
FENTANYL_2020 = "us_overdose_deaths.query('year == 2020 and icd10_code == \"T40.4\"')['deaths']"
TRADE_2020 = "us_mexico_trade_annual.set_index('year').loc[2020, 'total'] / 1000"
INEGI_RATES = (
    "mexico_homicides.set_index('year').eval('homicides_inegi / population * 100_000').dropna()"
)
REMITTANCES = "remittances_annual.query('not partial').set_index('year')['inflows']"


def test_a_recipe_gives_the_number_the_data_give():
    homicides = load("mexico_homicides").set_index("year")
    expected = homicides.loc[2016, "homicides_inegi"] / homicides.loc[2016, "population"] * 1e5
    assert memo.recipe_value(RATE_2016) == pytest.approx(expected)
    assert memo.recipe_value(FENTANYL_2020) == 56_518  # a one-element Series counts as a number


def test_a_recipe_may_use_pandas_numpy_lambdas_and_safe_builtins():
    recipe = "round(np.log10(mexico_homicides['population'].apply(lambda p: p * 2).max()), 3)"
    assert memo.recipe_value(recipe) == pytest.approx(
        round(np.log10(load("mexico_homicides")["population"].max() * 2), 3)
    )
    assert memo.recipe_value("max(x for x in us_overdose_deaths['deaths'])") == 56_518


def test_tables_in_lists_each_table_once():
    recipe = f"{RATE_2016} + {TRADE_2020} * 0 + mexico_homicides['year'].min() * 0"
    assert memo.tables_in(recipe) == ["mexico_homicides", "us_mexico_trade_annual"]


@pytest.mark.parametrize(
    ("recipe", "words"),
    [
        ("homicides.loc[2016]", "did you mean 'mexico_homicides'"),
        ("1 + 2", "reads no course table"),
        ("mexico_homicides.__class__", "underscore"),
        ("mexico_homicides[", "not one Python expression"),
        ("open('x') and mexico_homicides", "'open', which is not a course table"),
        ("mexico_homicides['population']", "a Series of 28 values, not one number"),
        ("mexico_homicides.set_index('year').loc[2017, 'homicides_inegi']", "missing value"),
        ("mexico_homicides['no such column']", "fails on the course data: KeyError"),
        ("", "should be text"),
        (42, "should be text"),
    ],
)
def test_bad_recipes_give_one_sentence_naming_the_problem(recipe, words):
    with pytest.raises(memo.MemoError) as raised:
        memo.recipe_value(recipe)
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


def test_recipes_read_a_fresh_copy_of_the_data():
    """A notebook that rebinds a table's name cannot change what a recipe computes."""
    mexico_homicides = pd.DataFrame({"year": [2016], "homicides_inegi": [1], "population": [1]})
    assert mexico_homicides is not None
    assert memo.recipe_value(RATE_2016) > 15


def test_recipe_series_gives_numbers_by_year():
    rates = memo.recipe_series(INEGI_RATES)
    assert list(rates.index) == list(range(1990, 2017))
    assert rates.dtype == float


@pytest.mark.parametrize(
    ("recipe", "words"),
    [
        (RATE_2016, "should give a Series"),
        ("mexico_homicides.set_index('year')['homicides_inegi']", ".dropna()"),
        ("mexico_homicides.set_index('year')['homicides_inegi'].iloc[0:0]", "an empty Series"),
        ("actors.set_index('name')['country']", "not numbers"),
    ],
)
def test_recipe_series_rejects_what_cannot_be_charted(recipe, words):
    with pytest.raises(memo.MemoError) as raised:
        memo.recipe_series(recipe)
    assert words in str(raised.value)


def test_figures_keeps_the_order_and_refuses_a_single_text():
    recipes = [TRADE_2020, RATE_2016, FENTANYL_2020]
    assert list(memo.figures(recipes)) == recipes
    with pytest.raises(memo.MemoError, match="list of recipes"):
        memo.figures(RATE_2016)


def test_figures_table_names_each_figures_tables():
    table = memo.figures_table(memo.figures([RATE_2016, TRADE_2020]))
    assert list(table.columns) == ["recipe", "value", "tables"]
    assert list(table["tables"]) == ["mexico_homicides", "us_mexico_trade_annual"]


def _five_figures() -> dict[str, float]:
    return memo.figures(
        [
            RATE_2016,
            FENTANYL_2020,
            TRADE_2020,
            f"{FENTANYL_2020}.item() / 1000",
            REMITTANCES + ".max()",
        ]
    )


def test_check_figures_accepts_five_figures_from_three_tables_in_any_number_form():
    figures = _five_figures()
    forms = {
        recipe: form
        for (recipe, value), form in zip(
            figures.items(),
            [round(figures[RATE_2016], 1), np.float64(56_518), pd.Series([535.99]), 56, 1.0],
            strict=True,
        )
    }
    assert memo.check_figures(figures).keys() == figures.keys()
    assert memo.check_figures(forms)[FENTANYL_2020] == 56_518


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda f: list(f.values()), "should be a dict"),
        (lambda f: dict(list(f.items())[:4]), "holds 4 figures; the memo needs at least 5"),
        (lambda f: {**f, 7: 1.0}, "should be a recipe (text)"),
        (lambda f: {**f, "homicides.year.max()": 1.0}, "not a course table"),
        (lambda f: {**f, RATE_2016: "20.1"}, "should be a number"),
        (
            lambda f: {k: v for k, v in f.items() if "remittances" not in k} | {"1 + 1": 2},
            "reads no course table",
        ),
    ],
)
def test_check_figures_says_what_is_wrong(change, words):
    with pytest.raises(AssertionError) as raised:
        memo.check_figures(change(_five_figures()))
    assert words in str(raised.value)


def test_check_figures_needs_three_tables():
    figures = memo.figures(
        [RATE_2016, FENTANYL_2020, f"{FENTANYL_2020}.item() * 2", f"{RATE_2016} * 2", "len(actors)"]
    )
    memo.check_figures(figures)  # three tables: homicides, overdoses, actors
    two = {k: v for k, v in figures.items() if "actors" not in k}
    with pytest.raises(AssertionError, match="draws on 2 course tables"):
        memo.check_figures(two, minimum=4)


def _chart(recipe: str, source: str = "INEGI", title: str = "Rates", ylabel: str = "per 100,000"):
    values = memo.recipe_series(recipe)
    fig, ax = new_figure(title, source=source)
    ax.plot(values.index, values.to_numpy())
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel)
    return fig, ax


def test_check_charts_accepts_figures_and_axes_and_reads_their_data():
    fig, _ = _chart(INEGI_RATES)
    _, ax = _chart(REMITTANCES)
    checked = memo.check_charts({INEGI_RATES: fig, REMITTANCES: ax})
    assert checked[INEGI_RATES].has_series(memo.recipe_series(INEGI_RATES), decimals=1)
    assert not checked[REMITTANCES].has_series(memo.recipe_series(INEGI_RATES), decimals=1)


@pytest.mark.parametrize(
    ("chart", "words"),
    [
        (lambda: _chart(INEGI_RATES, title="")[0], "has no title"),
        (lambda: _chart(INEGI_RATES, ylabel="")[0], "axis labels"),
        (lambda: "a chart", "matplotlib figure or axes"),
    ],
)
def test_check_charts_says_what_is_missing(chart, words):
    fig, _ = _chart(REMITTANCES)
    with pytest.raises(AssertionError) as raised:
        memo.check_charts({REMITTANCES: fig, INEGI_RATES: chart()})
    assert words in str(raised.value)


def test_check_charts_needs_a_source_line_and_two_charts():
    fig, _ = _chart(REMITTANCES)
    fig.texts[0].set_text("Data from INEGI")
    with pytest.raises(AssertionError, match="no source line"):
        memo.check_charts({REMITTANCES: fig, INEGI_RATES: _chart(INEGI_RATES)[0]})
    with pytest.raises(AssertionError, match="holds 1 chart; the memo needs at least 2"):
        memo.check_charts({INEGI_RATES: _chart(INEGI_RATES)[0]})


def test_source_line_reads_english_and_spanish_source_lines():
    fig, ax = _chart(REMITTANCES, source="Banco de México")
    assert memo.source_line(ax) == "Source: Banco de México"
    fig.texts[0].set_text("Fuente: Banxico")
    assert memo.source_line(np.array([ax])) == "Fuente: Banxico"
    assert memo.source_line("no figure") == ""


def test_verify_figures_accepts_any_form_of_the_recipes_numbers_and_nothing_else():
    figures = _five_figures()
    memo.verify_figures(figures)
    memo.verify_figures({recipe: round(value, 1) for recipe, value in figures.items()})
    shifted = {**figures, RATE_2016: figures[RATE_2016] + 0.06}
    with pytest.raises(AssertionError, match="not the number its recipe gives"):
        memo.verify_figures(shifted)


def test_verify_charts_needs_the_recipes_series():
    fig, _ = _chart(INEGI_RATES)
    memo.verify_charts({INEGI_RATES: fig, REMITTANCES: _chart(REMITTANCES)[0]})
    with pytest.raises(AssertionError, match="does not show the Series its recipe gives"):
        memo.verify_charts({INEGI_RATES: fig, REMITTANCES: _chart(INEGI_RATES)[0]})


def test_open_answers_are_checked_by_their_verify_function():
    """The learner's answer checks judge a memo with the same function as the hidden tests."""
    from intermestic.answer_checks import judge, make_key

    spec = {"kind": "dict", "values": {"kind": "number", "decimals": 1},
            "verify": "intermestic.memo:verify_figures"}  # fmt: skip
    key = make_key(_five_figures(), spec, "salt", "07/memo_figures_test/memo_figures")
    assert key == {"verify": "intermestic.memo:verify_figures"}
    other = memo.figures([RATE_2016, TRADE_2020, REMITTANCES + ".min()", f"{RATE_2016} * 3",
                          f"{FENTANYL_2020}.item()"])  # fmt: skip
    assert judge(other, spec, key, "salt", "scope", "memo_figures").correct
    verdict = judge({**other, TRADE_2020: 1.0}, spec, key, "salt", "scope", "memo_figures")
    assert not verdict.correct and "its recipe gives" in verdict.message
    with pytest.raises(ValueError, match="names no intermestic function"):
        make_key(other, {**spec, "verify": "os:system"}, "salt", "scope")

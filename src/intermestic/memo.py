"""Figures and charts for a policy memo that anyone can trace back to the course data.

A memo states its numbers; a *recipe* says where each one comes from. A recipe is one pandas
expression over the course tables, each named as in the data package::

    "mexico_homicides.set_index('year').loc[2016, 'homicides_inegi']"
    "us_overdose_deaths.query('year == 2020')['deaths'].max()"

`recipe_value` runs a recipe on a fresh copy of the data package and returns its number;
`recipe_series` returns the Series a chart should show (index on the x-axis). In a notebook::

    from intermestic.memo import figures, recipe_series
    memo_figures = figures(["mexico_homicides.set_index('year').loc[2016, 'population'] / 1e6"])

`check_figures` and `check_charts` are the checks the capstone's visible tests run, and
`verify_figures` and `verify_charts` the complete checks its hidden tests and the learner's
answer checks run (`intermestic.answer_checks`, "open" answers); their failures carry a message
for the student. Recipes may use the course tables, ``pd``, ``np``
and a few builtins (`abs`, `float`, `int`, `len`, `max`, `min`, `round`, `sum`), nothing else.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from intermestic import data, marking
from intermestic.i18n import N_, _

__all__ = [
    "MemoError",
    "check_charts",
    "check_figures",
    "figures",
    "figures_table",
    "recipe_series",
    "recipe_value",
    "source_line",
    "tables_in",
    "verify_charts",
    "verify_figures",
]

SAFE_BUILTINS = ("abs", "float", "int", "len", "max", "min", "round", "sum")
_MODULES = {"pd": pd, "np": np}
_SOURCE_WORDS = ("source", "sources", "fuente", "fuentes")


class MemoError(ValueError):
    """A recipe that is not a valid expression over the course tables, or gives no figure."""


def _short(recipe: str) -> str:
    """The recipe as it is quoted in messages (shortened when long)."""
    text = " ".join(recipe.split())
    return repr(text if len(text) <= 70 else text[:67] + "...")


def _parse(recipe: object) -> ast.Expression:
    if not isinstance(recipe, str) or not recipe.strip():
        raise MemoError(
            _("a recipe should be text holding one pandas expression, not {value}.").format(
                value=repr(recipe)
            )
        )
    try:
        return ast.parse(recipe.strip(), mode="eval")
    except SyntaxError as error:
        raise MemoError(
            _(
                "the recipe {recipe} is not one Python expression ({problem}); write it the way "
                "you would write the right-hand side of an assignment."
            ).format(recipe=_short(recipe), problem=error.msg)
        ) from None


def _bound_names(tree: ast.AST) -> set[str]:
    """Names a recipe binds itself: lambda arguments and comprehension variables."""
    bound = {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    bound |= {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    return bound


def tables_in(recipe: str) -> list[str]:
    """The course tables `recipe` reads, sorted; MemoError if it names anything else."""
    tree = _parse(recipe)
    tables = set(data.tables())
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise MemoError(
                _(
                    "the recipe {recipe} uses {name}: recipes may not use names that start "
                    "with an underscore."
                ).format(recipe=_short(recipe), name=repr(node.attr))
            )
    allowed = tables | set(SAFE_BUILTINS) | set(_MODULES) | _bound_names(tree)
    used = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        if node.id not in allowed:
            close = difflib.get_close_matches(node.id, sorted(tables), n=1, cutoff=0.5)
            hint = _(" (did you mean {name}?)").format(name=repr(close[0])) if close else ""
            raise MemoError(
                _(
                    "the recipe {recipe} uses {name}, which is not a course table{hint}: name "
                    "each table as intermestic.data.tables() lists it."
                ).format(recipe=_short(recipe), name=repr(node.id), hint=hint)
            )
        if node.id in tables:
            used.add(node.id)
    if not used:
        raise MemoError(
            _(
                "the recipe {recipe} reads no course table: a memo figure must be computed "
                "from the data (for example from mexico_homicides)."
            ).format(recipe=_short(recipe))
        )
    return sorted(used)


def _evaluate(recipe: str) -> Any:
    """The value of `recipe` computed on a fresh copy of the tables it names."""
    tree = _parse(recipe)
    namespace: dict[str, Any] = {name: data.load(name) for name in tables_in(recipe)}
    namespace.update(_MODULES)
    safe = {name: getattr(builtins, name) for name in SAFE_BUILTINS}
    try:
        return eval(compile(tree, "<recipe>", "eval"), {"__builtins__": safe}, namespace)
    except Exception as error:  # any failure of the student's expression becomes one message
        raise MemoError(
            _("the recipe {recipe} fails on the course data: {error}").format(
                recipe=_short(recipe), error=f"{type(error).__name__}: {error}"
            )
        ) from None


def _one_number(result: object) -> object:
    if isinstance(result, pd.DataFrame | pd.Series | np.ndarray) and np.size(result) == 1:
        return np.asarray(result, dtype=object).reshape(-1)[0]
    return result


def recipe_value(recipe: str) -> float:
    """The number `recipe` gives on the course data; MemoError if it is not one real number."""
    result = _one_number(_evaluate(recipe))
    missing = _("the recipe {recipe} gives a missing value: check the year.")
    if result is None or result is pd.NA or result is pd.NaT:
        raise MemoError(missing.format(recipe=_short(recipe)))
    if isinstance(result, bool | np.bool_) or not isinstance(result, numbers.Real):
        what = (
            _("a {type} of {count} values").format(
                type=type(result).__name__, count=np.size(result)
            )
            if isinstance(result, pd.DataFrame | pd.Series | np.ndarray)
            else _("a {type}").format(type=type(result).__name__)
        )
        raise MemoError(
            _(
                "the recipe {recipe} gives {what}, not one number: select one value (for "
                "example with .loc[2016, 'column'] or .item())."
            ).format(recipe=_short(recipe), what=what)
        )
    value = float(result)
    if np.isnan(value):
        raise MemoError(missing.format(recipe=_short(recipe)))
    return value


def recipe_series(recipe: str) -> pd.Series:
    """The numeric Series `recipe` gives (index = x values); MemoError otherwise."""
    result = _evaluate(recipe)
    if isinstance(result, pd.DataFrame) and result.shape[1] == 1:
        result = result.iloc[:, 0]
    if not isinstance(result, pd.Series) or result.empty:
        raise MemoError(
            _(
                "the recipe {recipe} should give a Series (one value per year or category) for "
                "a chart, but it gives {what}."
            ).format(
                recipe=_short(recipe),
                what=_("an empty Series")
                if isinstance(result, pd.Series)
                else type(result).__name__,
            )
        )
    if result.isna().any():
        raise MemoError(
            _(
                "the recipe {recipe} gives missing values: end it with .dropna() to keep only "
                "the years the table reports."
            ).format(recipe=_short(recipe))
        )
    try:
        return result.astype(float)
    except (TypeError, ValueError):
        raise MemoError(
            _("the recipe {recipe} gives values that are not numbers.").format(
                recipe=_short(recipe)
            )
        ) from None


def figures(recipes: Iterable[str]) -> dict[str, float]:
    """Each recipe mapped to the number it gives on the course data, in the order given."""
    if isinstance(recipes, str):
        raise MemoError(_("figures() takes a list of recipes, not a single text: put it in [ ]."))
    return {recipe: recipe_value(recipe) for recipe in recipes}


def figures_table(memo_figures: Mapping[str, object]) -> pd.DataFrame:
    """A memo's figures as a table: recipe, value and the tables each one reads."""
    rows = [
        {"recipe": recipe, "value": value, "tables": ", ".join(tables_in(recipe))}
        for recipe, value in memo_figures.items()
    ]
    return pd.DataFrame(rows, columns=["recipe", "value", "tables"])


def _root_figure(chart: object) -> Figure | None:
    """The top-level figure of a figure, an axes or an array of axes; None for anything else."""
    if isinstance(chart, np.ndarray) and chart.size:
        chart = chart.flat[0]
    if isinstance(chart, Axes):
        return chart.get_figure(root=True)
    if isinstance(chart, Figure):
        return chart
    return None


def source_line(chart: object) -> str:
    """The chart's text that starts with "Source:" (or "Fuente:"); "" when there is none."""
    figure = _root_figure(chart)
    for item in figure.texts if figure is not None else []:
        label, colon, _ = item.get_text().strip().partition(":")
        if colon and label.strip().casefold() in _SOURCE_WORDS:
            return item.get_text().strip()
    return ""


def _kind(value: object) -> str:
    return _("a {type}").format(type=type(value).__name__) if value is not None else "None"


# What a memo holds: (one, several) of each noun.
_NOUNS = {"figure": (N_("figure"), N_("figures")), "chart": (N_("chart"), N_("charts"))}


def _check_mapping(value: object, name: str, minimum: int, noun: str) -> Mapping[str, Any]:
    one, several = _NOUNS[noun]
    if not isinstance(value, Mapping):
        raise AssertionError(
            _(
                "{name} should be a dict that maps each recipe to its {noun}, but it is {kind}."
            ).format(name=name, noun=_(one), kind=_kind(value))
        )
    if len(value) < minimum:
        raise AssertionError(
            _("{name} holds {count} {noun}; the memo needs at least {minimum}.").format(
                name=name,
                count=len(value),
                noun=_(one) if len(value) == 1 else _(several),
                minimum=minimum,
            )
        )
    for recipe in value:
        if not isinstance(recipe, str):
            raise AssertionError(
                _("every key of {name} should be a recipe (text), but one is {key}.").format(
                    name=name, key=repr(recipe)
                )
            )
    return value


def check_figures(
    memo_figures: object, *, minimum: int = 5, tables: int = 3, name: str = "memo_figures"
) -> dict[str, float]:
    """`memo_figures` as {recipe: number} if it is a valid set of memo figures.

    Valid: at least `minimum` figures, each a real number keyed by a recipe that runs on the
    course data, drawing on at least `tables` different tables. AssertionError otherwise,
    with a message for the student. The values themselves are compared by the hidden tests.
    """
    mapping = _check_mapping(memo_figures, name, minimum, "figure")
    checked: dict[str, float] = {}
    used: set[str] = set()
    for recipe, value in mapping.items():
        try:
            used |= set(tables_in(recipe))
            recipe_value(recipe)
        except MemoError as error:
            raise AssertionError(f"{name}: {error}") from None
        checked[recipe] = marking.number(value, f"{name}[{_short(recipe)}]")
    if len(used) < tables:
        listed = ", ".join(sorted(used))
        raise AssertionError(
            (
                _(
                    "{name} draws on {count} course table ({listed}); the memo needs figures from "
                    "at least {tables}."
                )
                if len(used) == 1
                else _(
                    "{name} draws on {count} course tables ({listed}); the memo needs figures "
                    "from at least {tables}."
                )
            ).format(name=name, count=len(used), listed=listed, tables=tables)
        )
    return checked


def check_charts(
    memo_charts: object, *, minimum: int = 2, name: str = "memo_charts"
) -> dict[str, marking.Chart]:
    """`memo_charts` as {recipe: what each chart shows} if every chart is complete.

    Complete: at least `minimum` charts, each keyed by a recipe that gives a Series, with a
    title, both axis labels (the y-axis label names the unit) and a source line. The data
    drawn are compared with the recipe's Series by the hidden tests.
    """
    mapping = _check_mapping(memo_charts, name, minimum, "chart")
    checked: dict[str, marking.Chart] = {}
    for recipe, chart in mapping.items():
        where = f"{name}[{_short(recipe)}]"
        try:
            recipe_series(recipe)
        except MemoError as error:
            raise AssertionError(f"{name}: {error}") from None
        shown = marking.chart(chart, where)
        if not shown.title.strip():
            raise AssertionError(
                _("{chart} has no title: give the chart one with new_figure.").format(chart=where)
            )
        if not shown.xlabel.strip() or not shown.ylabel.strip():
            raise AssertionError(
                _(
                    "{chart} needs both axis labels; name the unit on the y-axis (for example "
                    "'Deaths per 100,000 people')."
                ).format(chart=where)
            )
        if not source_line(chart):
            raise AssertionError(
                _("{chart} has no source line: draw it with new_figure(..., source=...).").format(
                    chart=where
                )
            )
        checked[recipe] = shown
    return checked


def verify_figures(memo_figures: object, name: str = "memo_figures") -> None:
    """AssertionError unless `memo_figures` is valid and every value is what its recipe gives.

    Valid as `check_figures` says; each value must be within half a unit of one decimal place of
    its recipe's number on the course data (the capstone asks for one decimal place or more).
    """
    for recipe, value in check_figures(memo_figures, name=name).items():
        expected = recipe_value(recipe)
        if not marking.close(value, expected, decimals=1):
            raise AssertionError(
                _(
                    "{figure} is not the number its recipe gives on the course data: store the "
                    "values figures() returns (or round them to one decimal place)."
                ).format(figure=f"{name}[{_short(recipe)}]")
            )


def verify_charts(memo_charts: object, name: str = "memo_charts") -> None:
    """AssertionError unless every chart is complete and shows its recipe's Series."""
    for recipe, shown in check_charts(memo_charts, name=name).items():
        if not shown.has_series(recipe_series(recipe), decimals=1):
            raise AssertionError(
                _(
                    "{chart} does not show the Series its recipe gives: plot "
                    "recipe_series(recipe) with its index on the x-axis, every point and "
                    "nothing else."
                ).format(chart=f"{name}[{_short(recipe)}]")
            )

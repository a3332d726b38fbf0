"""What every explorer shares: input errors, cached tables and the widget shell.

An explorer is a summary function ``summary(**state) -> str`` (the text fallback), an optional
figure function ``figure(**state) -> (PNG bytes, alt text)`` and a set of labelled controls whose
values are the state. `Explorer` wires them together: every control change re-renders the
summary (shown in an element with CSS class ``intermestic-summary``) and the figure.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import ipywidgets as widgets
import pandas as pd

from intermestic import data
from intermestic.plotting import img_html

T = TypeVar("T")
SummaryFunction = Callable[..., str]
FigureFunction = Callable[..., tuple[bytes, str]]


class ExplorerInputError(ValueError):
    """A state an explorer cannot show (out-of-range year, empty selection, negative cost…)."""


@functools.cache
def table(name: str) -> pd.DataFrame:
    """Table `name` of the course data package, loaded once per session (treat as read-only)."""
    return data.load(name)


def whole_number(value: object, what: str, first: int, last: int) -> int:
    """`value` as an int within [first, last], or an ExplorerInputError saying what is allowed."""
    allowed = f"the {what} must be a whole number from {first} to {last}"
    fractional = isinstance(value, float) and not value.is_integer()
    if isinstance(value, bool) or fractional:
        raise ExplorerInputError(f"{allowed}; got {value!r}.")
    try:
        number = int(value.strip() if isinstance(value, str) else value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        raise ExplorerInputError(f"{allowed}; got {value!r}.") from None
    if not first <= number <= last:
        raise ExplorerInputError(f"{allowed}; got {number}.")
    return number


def choice(value: object, what: str, options: Sequence[str]) -> str:
    """The option matching `value` (case-insensitive), or an error listing the options."""
    for option in options:
        if isinstance(value, str) and value.strip().casefold() == option.casefold():
            return option
    listed = ", ".join(repr(option) for option in options)
    raise ExplorerInputError(f"unknown {what} {value!r}; choose one of: {listed}.")


def message(error: ExplorerInputError) -> str:
    """The text an explorer shows instead of a result when its input is bad."""
    return f"Cannot show this: {error}"


def initial(validate: Callable[[], T], default: T, label: str | None = None) -> tuple[T, str]:
    """A widget's starting value from `validate()`, or `default` and a notice saying why."""
    try:
        return validate(), ""
    except ExplorerInputError as error:
        text = str(error)
        shown = label or repr(default)
        return default, f"{text[:1].upper()}{text[1:]} Showing {shown} instead."


def label_style() -> dict[str, str]:
    """Widget style that shows the whole description next to a control."""
    return {"description_width": "initial"}


class Explorer(widgets.VBox):
    """An explorer's widget: labelled controls, a figure and the text summary of the state.

    ``state()`` returns the current control values by name; ``summary()`` returns the text
    shown in the ``intermestic-summary`` element, which equals ``summary_function(**state())``.
    """

    def __init__(
        self,
        name: str,
        title: str,
        controls: Mapping[str, widgets.ValueWidget],
        summary_function: SummaryFunction,
        figure_function: FigureFunction | None = None,
        notice: str = "",
    ) -> None:
        super().__init__()
        self.name = name
        self.notice = notice
        self.controls = dict(controls)
        self._summary_function = summary_function
        self._figure_function = figure_function
        self.summary_view = widgets.HTML().add_class("intermestic-summary")
        self.figure_view = widgets.HTML().add_class("intermestic-figure")
        heading = widgets.HTML(f"<h4>{html.escape(title)}</h4>")
        notices = [widgets.HTML(f'<p role="status">{html.escape(notice)}</p>')] if notice else []
        views = [self.figure_view] if figure_function else []
        self.children = [heading, *notices, *self.controls.values(), *views, self.summary_view]
        self.add_class("intermestic-explorer").add_class(f"intermestic-explorer-{name}")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def state(self) -> dict[str, Any]:
        """The current value of every control, keyed by the summary function's argument names."""
        return {key: control.value for key, control in self.controls.items()}

    def summary(self) -> str:
        """The text summary of the current state (the explorer's text fallback)."""
        return self._summary_function(**self.state())

    def refresh(self) -> None:
        """Show the summary and figure of the current state."""
        self.summary_view.value = (
            '<pre style="white-space: pre-wrap; font-size: 0.9em">'
            f"{html.escape(self.summary())}</pre>"
        )
        if self._figure_function is not None:
            self.figure_view.value = self._figure_html()

    def _figure_html(self) -> str:
        try:
            png, alt = self._figure_function(**self.state())  # type: ignore[misc]
        except ExplorerInputError:
            return ""
        return img_html(png, alt)

    def _on_change(self, _change: dict[str, Any]) -> None:
        self.refresh()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = self.summary()
        return bundle

"""The course's languages: which one a learner reads, and the Python-side text in it.

The course has two editions built from one source: English (``en``, the source language) and
Mexican Spanish (``es``). A Spanish lesson is the English lesson's notebook with its markdown
translated (``lessons/es/NN-topic-es.ipynb``); its code cells are identical, so everything the
library says (explorers, charts, self-checks, test messages, ``save_my_work`` and
``check_my_work``) is translated here, at run time, in the language chosen as follows (the
first rule that applies wins):

1. `use` / `set_language` (the command line's ``--lang``, tests);
2. the lesson notebook the kernel runs, as the front end tells it (``JPY_SESSION_NAME`` in
   Jupyter Server, ``__vsc_ipynb_file__`` in VS Code): a Spanish lesson (``...-es.ipynb``)
   gives ``es``, an English lesson ``en``;
3. the environment variable ``INTERMESTIC_LANG`` (``en`` or ``es``), which ``intermestic start
   --lang es`` sets for JupyterLab and every kernel it starts;
4. a file ``.intermestic-language`` holding a language code in the current folder (a kernel
   runs in its notebook's folder): ``lessons/es/`` has one (Binder), so has a workspace made
   by ``intermestic start --lang es``, and so has every Spanish assignment of a grading
   course, which nbgrader copies next to the notebooks it grades;
5. English.

Strings of the library are marked ``_("...")`` (translated when called) or ``N_("...")``
(constants translated where they are shown) and live in the gettext catalogue
``intermestic/locale/es/LC_MESSAGES/intermestic.po`` (compiled to ``.mo`` by ``intermestic
build``). Strings written in lesson code cells (chart titles and labels of worked examples,
assertion messages of visible tests) come from the lessons' catalogues under
``autograder/locale/es/`` and ship as ``intermestic/locale/es/lessons.json``; `lesson_text`
translates them, `translate_figure` applies it to a figure before it is shown, and importing
``intermestic`` in a non-English kernel installs an IPython hook that applies it to assertion
messages. See ``autograder/locale/README.md``.
"""

from __future__ import annotations

import functools
import gettext
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "LANGUAGES",
    "MARKER_FILE",
    "N_",
    "SOURCE_LANGUAGE",
    "_",
    "edition_name",
    "folder_language",
    "install_assertion_hook",
    "language",
    "lesson_text",
    "split_edition",
    "translate_figure",
    "use",
]

SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "es")
ENVIRONMENT_VARIABLE = "INTERMESTIC_LANG"
MARKER_FILE = ".intermestic-language"
DOMAIN = "intermestic"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LESSON_STRINGS = "lessons.json"
# Copy suffixes added by Jupyter's "Duplicate" and by browsers (as in `intermestic.save`).
_COPY_SUFFIX = re.compile(r"(-Copy\d*| \(\d+\))+$")
_PLACEHOLDER = re.compile(r"\{(\d+)\}")
_MONTHS = {
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}

_forced: str | None = None


# --- editions ----------------------------------------------------------------------------


def edition_name(lesson: str, lang: str) -> str:
    """The name of `lesson` (an English lesson name) in the edition `lang`:
    ``02-economy-built-together`` → ``02-economy-built-together-es``."""
    return lesson if lang == SOURCE_LANGUAGE else f"{lesson}-{lang}"


def split_edition(name: str) -> tuple[str, str]:
    """(English lesson name, language) of a lesson or assignment name of any edition."""
    for lang in LANGUAGES:
        if lang != SOURCE_LANGUAGE and name.endswith(f"-{lang}"):
            return name.removesuffix(f"-{lang}"), lang
    return name, SOURCE_LANGUAGE


# --- which language -----------------------------------------------------------------------


def _valid(code: object) -> str | None:
    """`code` as a supported language code ("es", "es_MX", "ES" → "es"), or None."""
    if not isinstance(code, str):
        return None
    short = code.strip().replace("-", "_").split("_")[0].lower()
    return short if short in LANGUAGES else None


@functools.cache
def _marker_language(folder: str) -> str | None:
    try:
        text = (Path(folder) / MARKER_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _valid(text.split("#")[0])


def folder_language(folder: Path) -> str | None:
    """The language the marker file in `folder` names (None when there is none)."""
    return _marker_language(str(Path(folder).resolve()))


def _notebook_language() -> str | None:
    """The language of the lesson notebook the kernel runs, when the front end says which."""
    found = os.environ.get("JPY_SESSION_NAME")
    shell = _ipython_shell()
    if shell is not None:
        found = shell.user_ns.get("__vsc_ipynb_file__") or found
    if not found or not str(found).endswith(".ipynb"):
        return None
    stem = _COPY_SUFFIX.sub("", Path(str(found)).stem)
    if not re.match(r"^\d\d-", stem):
        return None  # not a lesson: a scratch notebook follows the course setting
    return split_edition(stem)[1]


def language() -> str:
    """The language a learner reads now (see the module's documentation for the rules)."""
    if _forced is not None:
        return _forced
    chosen = _notebook_language() or _valid(os.environ.get(ENVIRONMENT_VARIABLE))
    if chosen is None:
        try:
            chosen = _marker_language(os.getcwd())
        except OSError:  # the current folder was deleted
            chosen = None
    return chosen or SOURCE_LANGUAGE


def set_language(lang: str | None) -> None:
    """Use `lang` from now on, whatever else says (None: back to the usual rules)."""
    global _forced
    if lang is not None and _valid(lang) is None:
        raise ValueError(f"unknown language {lang!r}; the course has {', '.join(LANGUAGES)}")
    _forced = _valid(lang)


@contextmanager
def use(lang: str | None) -> Iterator[None]:
    """Use `lang` inside the ``with`` block (None: the usual rules)."""
    global _forced
    before = _forced
    set_language(lang)
    try:
        yield
    finally:
        _forced = before


# --- the library's strings ------------------------------------------------------------------


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` (English) in the learner's language."""
    lang = language()
    if lang == SOURCE_LANGUAGE:
        return message
    return _catalogue(lang).gettext(message)


def N_(message: str) -> str:
    """`message` unchanged: marks a constant for the catalogue; translate it where it is shown."""
    return message


def month_name(month: int, abbreviated: bool = False) -> str | None:
    """The name of `month` (1-12) in the learner's language, or None for English (strftime)."""
    names = _MONTHS.get(language())
    if names is None:
        return None
    name = names[month - 1]
    return name[:3] if abbreviated else name


def strftime(date: Any, pattern: str) -> str:
    """``date.strftime(pattern)`` with month names (%b, %B) in the learner's language."""
    if month_name(1) is None or not re.search("%[bB]", pattern):
        return str(date.strftime(pattern))
    pattern = pattern.replace("%B", month_name(date.month) or "%B")
    pattern = pattern.replace("%b", month_name(date.month, abbreviated=True) or "%b")
    return str(date.strftime(pattern))


# --- strings written in lesson code ----------------------------------------------------------


@functools.cache
def _lesson_strings(lang: str) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """The exact strings and the templates (compiled) of the lessons' code, for `lang`."""
    path = LOCALE_DIR / lang / LESSON_STRINGS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, []
    templates = [(template_pattern(source), target) for source, target in data["templates"]]
    return dict(data["exact"]), templates


def template_pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching the texts an f-string template such as
    ``"{0} billion in {1}"`` renders to, one group per placeholder."""
    parts = _PLACEHOLDER.split(template)
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<p{part}>.+?)"
        for index, part in enumerate(parts)
    )
    return re.compile(pattern, re.DOTALL)


def fill_template(template: str, values: dict[str, str]) -> str:
    """`template` with each ``{n}`` replaced by ``values["pn"]``."""
    return _PLACEHOLDER.sub(lambda m: values[f"p{m.group(1)}"], template)


def lesson_text(text: str) -> str:
    """`text` as a lesson's code wrote it (a chart title, an assertion message), in the
    learner's language when the lessons' catalogue has it, else unchanged."""
    lang = language()
    if lang == SOURCE_LANGUAGE or not text:
        return text
    exact, templates = _lesson_strings(lang)
    if text in exact:
        return exact[text]
    for pattern, target in templates:
        match = pattern.fullmatch(text)
        if match is not None:
            return fill_template(target, match.groupdict())
    return text


def translate_figure(fig: Figure) -> None:
    """Translate, in place, every text of `fig` that a lesson's code wrote (titles, axis
    labels, legend entries, annotations, the source line) and the catalogue has."""
    if language() == SOURCE_LANGUAGE:
        return
    from matplotlib.text import Text

    for artist in fig.findobj(Text):
        shown = artist.get_text()
        translated = lesson_text(shown)
        if translated != shown:
            artist.set_text(translated)


# --- assertion messages of visible tests -------------------------------------------------------


def _ipython_shell() -> Any:
    """The running IPython shell, or None (IPython is never imported just to ask)."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get is not None else None


def _translated_assertion(
    shell: Any, etype: Any, value: Any, tb: Any, tb_offset: Any = None
) -> None:
    """IPython's handler of AssertionError: the message in the learner's language, then the
    usual traceback (IPython leaves showing it to the handler)."""
    args = getattr(value, "args", ())
    if args and isinstance(args[0], str):
        value.args = (lesson_text(args[0]), *args[1:])
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def install_assertion_hook() -> bool:
    """In an IPython kernel whose language is not English, translate the messages of failing
    assertions (the visible tests' messages) before they are shown; return whether it did."""
    shell = _ipython_shell()
    if shell is None or language() == SOURCE_LANGUAGE:
        return False
    if getattr(shell, "_intermestic_assertions", False):
        return True
    shell.set_custom_exc((AssertionError,), _translated_assertion)
    shell._intermestic_assertions = True
    return True

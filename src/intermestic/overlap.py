"""Check that course files do not repeat the article, without keeping the article's text.

The article the course teaches is not ours to publish. Instead the repository keeps its
fingerprints: the SHA-256 of every run of 12 consecutive normalised words (the longest run
the course may share with it). A file repeats the article where one of its own 12-word
runs has a fingerprint in that set. Words are normalised exactly as the authors' overlap
tool does (lower case; letters, digits, Spanish accented letters, `$` and `%`), so both
agree on what counts as a shared run. The hashes cannot be turned back into the text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "WORD_RUN",
    "FingerprintFileError",
    "Fingerprints",
    "Match",
    "fingerprint",
    "scan",
    "text_of",
    "words",
    "write_fingerprints",
]

WORD_RUN = 12
SUFFIXES = frozenset({".ipynb", ".md", ".py", ".json", ".yaml", ".yml", ".csv", ".txt"})
SKIP_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".ipynb_checkpoints", "build", "dist"}
)
_HEADER_WORDS = "# words per run: "
_DEAD_LINK = re.compile(r"\[([^\]]*)\]\(#\)")
_WORD = re.compile(r"[a-z0-9áéíóúñü$%]+")


class FingerprintFileError(ValueError):
    """The fingerprint file is missing or is not one this module wrote."""


def words(text: str) -> list[str]:
    """The normalised words of `text`: dead `[text](#)` links unwrapped, lower case."""
    return _WORD.findall(_DEAD_LINK.sub(r"\1", text).lower())


def text_of(path: Path) -> str:
    """A file's text; for a notebook, its cells' sources joined by newlines."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".ipynb":
        return raw
    try:
        notebook = json.loads(raw)
    except json.JSONDecodeError:
        return raw
    return "\n".join("".join(cell.get("source", "")) for cell in notebook.get("cells", []))


def fingerprint(run: Sequence[str]) -> str:
    """The SHA-256 hex digest of a run of normalised words joined by single spaces."""
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()


def _runs(sequence: Sequence[str], n: int) -> Iterator[Sequence[str]]:
    """Every run of `n` consecutive items of `sequence`, in order."""
    for start in range(len(sequence) - n + 1):
        yield sequence[start : start + n]


@dataclass(frozen=True)
class Fingerprints:
    """The fingerprints of every `n`-word run of the article."""

    n: int
    hashes: frozenset[str]

    @classmethod
    def of_text(cls, text: str, n: int = WORD_RUN) -> Fingerprints:
        """The fingerprints of a text."""
        return cls(n, frozenset(fingerprint(run) for run in _runs(words(text), n)))

    @classmethod
    def load(cls, path: Path) -> Fingerprints:
        """Read a fingerprint file written by `write`."""
        if not path.is_file():
            raise FingerprintFileError(
                f"article fingerprint file {path} is missing; regenerate it with "
                "`intermestic article fingerprint PATH_TO_ARTICLE`"
            )
        lines = path.read_text(encoding="ascii").splitlines()
        sizes = [
            line.removeprefix(_HEADER_WORDS) for line in lines if line.startswith(_HEADER_WORDS)
        ]
        hashes = frozenset(line for line in lines if line and not line.startswith("#"))
        if len(sizes) != 1 or not sizes[0].isdigit() or not hashes:
            raise FingerprintFileError(f"{path} is not an article fingerprint file")
        if any(len(h) != 64 or h.strip("0123456789abcdef") for h in hashes):
            raise FingerprintFileError(f"{path} holds lines that are not SHA-256 hex digests")
        return cls(int(sizes[0]), hashes)

    def write(self, path: Path) -> None:
        """Write the fingerprints, sorted, one per line, after a short header."""
        header = [
            "# Article fingerprints: the SHA-256 of every run of consecutive normalised words of",
            '# E. A. Wayne, "Resetting U.S.-Mexico Relations" (Wilson Center, 2018); see',
            "# intermestic.overlap. Regenerate: intermestic article fingerprint PATH_TO_ARTICLE",
            f"{_HEADER_WORDS}{self.n}",
        ]
        path.write_text("\n".join([*header, *sorted(self.hashes)]) + "\n", encoding="ascii")


def write_fingerprints(article: Path, target: Path, n: int = WORD_RUN) -> int:
    """Fingerprint the article at `article` into `target`; return how many runs it holds."""
    prints = Fingerprints.of_text(article.read_text(encoding="utf-8"), n)
    target.parent.mkdir(parents=True, exist_ok=True)
    prints.write(target)
    return len(prints.hashes)


@dataclass(frozen=True)
class Match:
    """A run of words in a file whose every `n`-word window is a run of the article."""

    path: Path
    words: tuple[str, ...]

    def describe(self) -> str:
        """One line: the file, the run's length and its first words."""
        text = " ".join(self.words)
        return f'{self.path}: {len(self.words)} words shared with the article: "{text[:160]}"'


def _matches_in(path: Path, prints: Fingerprints) -> list[Match]:
    """The maximal runs of `path` made of overlapping article runs, like the authors' tool."""
    found = words(text_of(path))
    n = prints.n
    hits = [fingerprint(run) in prints.hashes for run in _runs(found, n)]
    matches = []
    start = 0
    while start < len(hits):
        if not hits[start]:
            start += 1
            continue
        end = start
        while end + 1 < len(hits) and hits[end + 1]:
            end += 1
        matches.append(Match(path, tuple(found[start : end + n])))
        start = end + n
    return matches


def scan(paths: Iterable[Path], prints: Fingerprints) -> list[Match]:
    """Every run that the files under `paths` share with the article, file by file."""
    matches: list[Match] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.is_file() and path.suffix in SUFFIXES and not SKIP_DIRS & set(path.parts):
                matches.extend(_matches_in(path, prints))
    return matches

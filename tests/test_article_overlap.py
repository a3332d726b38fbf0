"""No course file repeats a 12-word run of the article, checked against committed fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intermestic import overlap
from tests.course import REPO_ROOT, intermestic

FINGERPRINTS = REPO_ROOT / "tests" / "article_fingerprints.txt"
# Lessons, instructor notebooks and question banks, READMEs, the data package and the
# package's own code and JSON: everything the course publishes.
SCANNED = [
    REPO_ROOT / "lessons",
    REPO_ROOT / "autograder",
    REPO_ROOT / "README.md",
    REPO_ROOT / "data",
    REPO_ROOT / "data-raw" / "README.md",
    REPO_ROOT / "src",
]

ARTICLE = (
    "# A made-up article\n\n"
    "Trade between the [two neighbours](#) grew fast: about $600 billion a year, "
    "and 80% of Mexico's exports went north, while officials in Ciudad Juárez "
    "and El Paso built new bridges for trucks and trains.\n"
)
TWELVE = "$600 billion a year and 80% of mexico s exports went north"


@pytest.fixture
def prints() -> overlap.Fingerprints:
    return overlap.Fingerprints.of_text(ARTICLE)


def test_no_course_file_repeats_the_article() -> None:
    assert FINGERPRINTS.is_file(), (
        f"{FINGERPRINTS} is missing: regenerate it with "
        "`intermestic article fingerprint PATH_TO_ARTICLE`"
    )
    prints = overlap.Fingerprints.load(FINGERPRINTS)
    assert prints.n == overlap.WORD_RUN
    assert len(prints.hashes) > 1000
    for path in SCANNED:
        assert path.exists(), path
    matches = overlap.scan(SCANNED, prints)
    assert not matches, "\n".join(match.describe() for match in matches)


def test_words_are_normalised_like_the_overlap_tool() -> None:
    assert overlap.words("The [two neighbours](#) grew: $600 bn, 80%!") == [
        "the", "two", "neighbours", "grew", "$600", "bn", "80%",
    ]  # fmt: skip
    assert overlap.words("Ciudad JUÁREZ, año; U.S.-Mexico") == [
        "ciudad", "juárez", "año", "u", "s", "mexico",
    ]  # fmt: skip


def test_a_copied_twelve_word_run_is_flagged(tmp_path: Path, prints) -> None:
    assert len(TWELVE.split()) == overlap.WORD_RUN
    lesson = tmp_path / "lesson.md"
    lesson.write_text(f"In our words: {TWELVE.upper()} (see ¶3).\n", encoding="utf-8")
    (match,) = overlap.scan([tmp_path], prints)
    assert match.path == lesson
    assert " ".join(match.words) == TWELVE
    assert "12 words shared with the article" in match.describe()


def test_eleven_words_are_not_flagged(tmp_path: Path, prints) -> None:
    eleven = " ".join(TWELVE.split()[:11])
    (tmp_path / "lesson.md").write_text(f"{eleven} and then our own words.\n", encoding="utf-8")
    assert overlap.scan([tmp_path], prints) == []


def test_a_longer_copy_is_one_match_with_all_its_words(tmp_path: Path, prints) -> None:
    longer = "the two neighbours grew fast about $600 billion a year and 80% of mexico s"
    (tmp_path / "notes.txt").write_text(f"Quote: {longer}. End.", encoding="utf-8")
    (match,) = overlap.scan([tmp_path / "notes.txt"], prints)
    assert " ".join(match.words) == longer


def test_notebook_cells_are_scanned_and_outputs_are_not(tmp_path: Path, prints) -> None:
    cell = {"cell_type": "markdown", "metadata": {}, "source": [TWELVE[:30], TWELVE[30:]]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "lesson.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    (tmp_path / "image.png").write_text(TWELVE, encoding="utf-8")
    checkpoint = tmp_path / ".ipynb_checkpoints" / "lesson-checkpoint.md"
    checkpoint.parent.mkdir()
    checkpoint.write_text(TWELVE, encoding="utf-8")
    (match,) = overlap.scan([tmp_path], prints)
    assert match.path.name == "lesson.ipynb"


def test_the_fingerprint_file_round_trips_and_keeps_no_words(tmp_path: Path, prints) -> None:
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / "prints.txt"
    assert overlap.write_fingerprints(article, target) == len(prints.hashes)
    assert overlap.Fingerprints.load(target) == prints
    body = [line for line in target.read_text().splitlines() if not line.startswith("#")]
    assert body == sorted(body)
    assert all(len(line) == 64 and not line.strip("0123456789abcdef") for line in body)
    assert "billion" not in target.read_text()


def test_a_missing_or_foreign_fingerprint_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(overlap.FingerprintFileError, match="intermestic article fingerprint"):
        overlap.Fingerprints.load(tmp_path / "absent.txt")
    foreign = tmp_path / "foreign.txt"
    foreign.write_text("# words per run: 12\nnot a hash\n", encoding="ascii")
    with pytest.raises(overlap.FingerprintFileError, match="not SHA-256"):
        overlap.Fingerprints.load(foreign)


def test_the_command_writes_the_fingerprints(tmp_path: Path, prints) -> None:
    article = tmp_path / "article.md"
    article.write_text(ARTICLE, encoding="utf-8")
    target = tmp_path / "out.txt"
    result = intermestic("article", "fingerprint", str(article), "--out", str(target))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {len(prints.hashes)} fingerprints" in result.stdout
    assert overlap.Fingerprints.load(target) == prints
    missing = intermestic("article", "fingerprint", str(tmp_path / "nope.md"), "--out", str(target))
    assert missing.returncode == 2 and "article not found" in missing.stderr

"""Real everyday Finnish and Swedish text from the shared corpora: an offline text source.

Majakka's detectors must be measured (and partly trained) on text written by people the
team never met. ``shared/data/real/informal`` holds forum posts, tweets, imageboard posts,
reviews and subtitles; this module reads each file into plain texts with its source,
register and licence, so that benchmarks and training say what they ran on. Files under a
non-commercial licence are marked ``evaluation_only``: they may be measured on, never
trained on or shipped.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


def real_data_dir() -> Path:
    """``shared/data/real`` beside the repository, unless ``MAJAKKA_REAL_DATA`` points elsewhere."""
    return Path(os.environ.get("MAJAKKA_REAL_DATA", DEFAULT_REAL_DATA))


@dataclass(frozen=True)
class RealText:
    text: str
    source: str
    language: str


@dataclass(frozen=True)
class TextSource:
    """One file of real text and what its licence allows."""

    name: str
    language: str
    path: str
    register: str
    licence: str
    evaluation_only: bool
    read: Callable[[Path], Iterator[str]]


def _lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        yield from (line.rstrip("\n") for line in handle)


def _column(index: int, *, header: bool = False, sep: str = "\t") -> Callable[[Path], Iterator[str]]:
    def read(path: Path) -> Iterator[str]:
        for number, line in enumerate(_lines(path)):
            if header and number == 0:
                continue
            columns = line.split(sep)
            if len(columns) > index and columns[index].strip():
                yield columns[index].strip()
    return read


def _csv_column(name: str) -> Callable[[Path], Iterator[str]]:
    def read(path: Path) -> Iterator[str]:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t" if path.suffix == ".tsv" else ","):
                if (row.get(name) or "").strip():
                    yield row[name].strip()
    return read


def _ylilauta(path: Path) -> Iterator[str]:
    for line in _lines(path):
        _, _, text = line.partition(" ")
        if text.strip():
            yield text.strip()


def _subtitle_documents(path: Path) -> Iterator[str]:
    """Subtitle files as one line per text (a line is what a speaker says at once)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        documents = json.load(handle)
    for document in documents.values():
        for line in io.StringIO(document):
            if line.strip() and line.strip() != "N/A":
                yield line.strip()


SOURCES: tuple[TextSource, ...] = (
    TextSource("fi/suomi24-standard", "fi", "informal/fi_murre24-suomi24/standard_training_a.minus-test-overlap.txt",
               "discussion forum (Suomi24)", "CC BY 4.0", False, _column(1)),
    TextSource("fi/suomi24-dialects", "fi", "informal/fi_murre24-suomi24/dialects_training_a.minus-test-overlap.txt",
               "discussion forum (Suomi24), dialects", "CC BY 4.0", False, _column(1)),
    TextSource("fi/ylilauta", "fi", "informal/fi_ylilauta/ylilauta-train-1000.txt",
               "anonymous imageboard", "CC BY-NC 4.0", True, _ylilauta),
    TextSource("fi/korona-tweets", "fi", "informal/fi_korona-tweets/combined-annotated.tsv",
               "Twitter", "tweet text from Twitter (evaluation only)", True, _column(2, header=True)),
    TextSource("fi/korona-tweets-sampled", "fi",
               "informal/fi_korona-tweets/tweets-170420-sampled.minus-xed-overlap.tsv",
               "Twitter", "tweet text from Twitter (evaluation only)", True, _column(4)),
    TextSource("fi/murreviikko-tweets", "fi", "informal/fi_murreviikko-tweets/murreviikko_20_21_22.csv",
               "Twitter, dialect campaign", "no licence (evaluation only)", True, _column(0, header=True)),
    TextSource("fi/subtitles", "fi", "informal/fi_xed-subtitles/neu_fi.minus-fi-annotated.txt",
               "movie and TV subtitles", "CC BY 4.0", False, _column(1)),
    TextSource("fi/web", "fi", "informal/fi_sv_multilingual-core/fi_dev.tsv.gz",
               "web registers (blogs, forums, ads, news)", "no licence (evaluation only)", True, _column(1)),
    TextSource("sv/flashback-opinion", "sv", "informal/sv_absabank-imm/absabank-imm_train.tsv",
               "Flashback forum and opinion pieces", "CC BY 4.0", False, _csv_column("text")),
    TextSource("sv/reviews-dialogue", "sv", "informal/sv_semeval2025-task11-brighter/track_a_train_swe.csv",
               "service reviews and dialogue-like lines", "CC BY 4.0", False, _csv_column("text")),
    TextSource("sv/subtitles", "sv", "informal/sv_turku-paraphrase-subtitles/texts.minus-xed-sv-overlap.json.gz",
               "movie and TV subtitles", "CC BY-SA 4.0", False, _subtitle_documents),
    TextSource("sv/web", "sv", "informal/fi_sv_multilingual-core/sv_dev.tsv.gz",
               "web registers (blogs, forums, ads, news)", "no licence (evaluation only)", True, _column(1)),
)


def source(name: str) -> TextSource:
    return next(s for s in SOURCES if s.name == name)


def available() -> bool:
    """Whether the shared real data is present (it is not part of the repository)."""
    return (real_data_dir() / "informal").is_dir()


def read(text_source: TextSource, root: Path | None = None) -> list[RealText]:
    """Every text of one source, de-duplicated, in file order."""
    seen: set[str] = set()
    texts = []
    for text in text_source.read((root or real_data_dir()) / text_source.path):
        if text not in seen:
            seen.add(text)
            texts.append(RealText(text, text_source.name, text_source.language))
    return texts

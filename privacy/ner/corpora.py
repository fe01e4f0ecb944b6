"""Readers for the real annotated Finnish and Swedish NER corpora (``shared/data/real/ner``).

Every corpus comes out the same way: sentences as text with character spans of person
(``PER``) and place (``LOC``) names, so the privacy benchmark and the name-model training
read one shape. The files' own tags vary (IOB2, IO, OntoNotes, HIPE); ``PERSON``/``PER``
become ``PER``, ``LOC``/``GPE`` become ``LOC``, everything else is dropped.

Which file may be used for what follows its licence and its split (see
``CORPORA`` and docs/privacy-filter-evaluation.md): training only on the CC BY and
CC BY-SA training splits; development and test splits, and every non-commercial file,
for evaluation only. Test splits that are not in the shared folder are reserved for
independent evaluation and are never fetched.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from collect.corpora import real_data_dir

_TAG_TYPES = {"PER": "PER", "PERSON": "PER", "LOC": "LOC", "GPE": "LOC", "ORG": "ORG"}
#: Tokens after which no space is written, and tokens before which none is written.
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "«", "„", "“"})
_NO_SPACE_BEFORE = frozenset({".", ",", ":", ";", "!", "?", ")", "]", "}", "»", "”", "%", "'s"})


@dataclass(frozen=True)
class Entity:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One annotated sentence as text, with its ``PER``/``LOC`` spans and where it came from."""

    text: str
    entities: tuple[Entity, ...]
    corpus: str
    tokens: tuple[str, ...] = field(default=(), compare=False)

    def spans(self, entity_type: str) -> list[Entity]:
        return [e for e in self.entities if e.type == entity_type]


@dataclass(frozen=True)
class Corpus:
    """One file of one corpus: its language, register, licence, and the use its licence and split allow."""

    name: str
    language: str
    path: str
    reader: str
    register: str
    licence: str
    trainable: bool
    #: For files with only a training split: every ``holdout``-th document is kept for evaluation.
    holdout: int = 0


CORPORA: tuple[Corpus, ...] = (
    Corpus("turku-ner/train", "fi", "ner/fi_turku-ner-corpus/train.minus-test-overlap.tsv", "conll",
           "edited (news, blogs, Wikipedia, law, fiction)", "CC BY-SA 4.0", trainable=True),
    Corpus("turku-ner/dev", "fi", "ner/fi_turku-ner-corpus/dev.minus-test-overlap.tsv", "conll",
           "edited (news, blogs, Wikipedia, law, fiction)", "CC BY-SA 4.0", trainable=False),
    Corpus("finer/wikipedia-test", "fi", "ner/fi_finer/wikipedia.test.csv", "conll",
           "encyclopaedic (Wikipedia)", "CC BY-SA 3.0", trainable=False),
    Corpus("finer/digitoday-2015-test", "fi", "ner/fi_finer/digitoday.2015.test.csv", "conll",
           "tech news", "CC BY-NC-ND (evaluation only)", trainable=False),
    Corpus("newseye/fi-dev", "fi", "ner/fi_sv_hipe2022-newseye/HIPE-2022-v2.1-newseye-dev-fi.tsv", "hipe",
           "historical newspapers (OCR)", "CC BY-NC-SA 4.0 (evaluation only)", trainable=False),
    Corpus("swedish-ner/train", "sv", "ner/sv_swedish-ner-corpus/train_corpus.minus-test-overlap.txt", "io",
           "web news 2012", "CC BY 4.0", trainable=True, holdout=7),
    Corpus("talbanken/train", "sv", "ner/sv_uner-talbanken/sv_talbanken-ud-train.iob2", "uner",
           "informative prose (1970s)", "CC BY-SA 4.0", trainable=True),
    Corpus("talbanken/dev", "sv", "ner/sv_uner-talbanken/sv_talbanken-ud-dev.iob2", "uner",
           "informative prose (1970s)", "CC BY-SA 4.0", trainable=False),
    Corpus("talbanken/test", "sv", "ner/sv_uner-talbanken/sv_talbanken-ud-test.iob2", "uner",
           "informative prose (1970s)", "CC BY-SA 4.0", trainable=False),
    Corpus("newseye/sv-dev", "sv", "ner/fi_sv_hipe2022-newseye/HIPE-2022-v2.1-newseye-dev-sv.tsv", "hipe",
           "historical newspapers (OCR)", "CC BY-NC-SA 4.0 (evaluation only)", trainable=False),
)


def corpus(name: str) -> Corpus:
    return next(c for c in CORPORA if c.name == name)


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens joined as written text (no space before a full stop, say), with each token's offsets."""
    text = ""
    offsets = []
    for index, token in enumerate(tokens):
        if index and tokens[index - 1] not in _NO_SPACE_AFTER and token not in _NO_SPACE_BEFORE:
            text += " "
        offsets.append((len(text), len(text) + len(token)))
        text += token
    return text, offsets


def _spans(tags: list[str], offsets: list[tuple[int, int]], *, io: bool) -> tuple[Entity, ...]:
    """Entity spans from per-token tags: IOB2 (``B-PER``/``I-PER``) or IO (``PER``/``0``)."""
    entities: list[Entity] = []
    current: list = []  # [type, start, end]
    for tag, (start, end) in zip(tags, offsets, strict=True):
        prefix, _, label = tag.partition("-") if not io else ("I", "", tag)
        kind = _TAG_TYPES.get(label)
        continues = current and kind == current[0] and (prefix == "I")
        if continues:
            current[2] = end
            continue
        if current:
            entities.append(Entity(*current))
            current = []
        if kind is not None and prefix in ("B", "I"):
            current = [kind, start, end]
    if current:
        entities.append(Entity(*current))
    return tuple(entities)


def _sentence(tokens: list[str], tags: list[str], name: str, *, io: bool = False) -> Sentence:
    text, offsets = detokenize(tokens)
    return Sentence(text, _spans(tags, offsets, io=io), name, tuple(tokens))


def _blocks(lines: Iterator[str]) -> Iterator[list[list[str]]]:
    """Sentences as lists of columns; columns are split at any run of whitespace, because a third of the
    Swedish NER corpus's lines separate token and tag with spaces instead of a tab (tokens hold no spaces)."""
    block: list[list[str]] = []
    for line in lines:
        columns = line.split()
        if not columns or columns[0] in ("-DOCSTART-", "<HEADLINE>", "<BODY>"):
            if block:
                yield block
            block = []
            continue
        block.append(columns)
    if block:
        yield block


def _read_conll(path: Path, name: str, io: bool = False) -> Iterator[Sentence]:
    with path.open(encoding="utf-8") as handle:
        for block in _blocks(handle):
            yield _sentence([c[0] for c in block], [c[1] if len(c) > 1 else "O" for c in block], name, io=io)


def _read_uner(path: Path, name: str) -> Iterator[Sentence]:
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for block in _blocks(lines):
            yield _sentence([c[1] for c in block], [c[2] for c in block], name)


def _read_hipe(path: Path, name: str) -> Iterator[Sentence]:
    """HIPE-2022 TSV: literal coarse tags; sentences end where MISC says ``EndOfSentence``."""
    tokens: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(("#", "TOKEN\t")) or not line.strip():
                continue
            columns = line.rstrip("\n").split("\t")
            tokens.append(columns[0])
            tags.append(columns[1])
            if "EndOfSentence" in columns[-1]:
                yield _sentence(tokens, tags, name)
                tokens, tags = [], []
    if tokens:
        yield _sentence(tokens, tags, name)


def read(corpus: Corpus, root: Path | None = None) -> list[Sentence]:
    """Every sentence of one corpus file (``.gz`` not used by the NER files)."""
    path = (root or real_data_dir()) / corpus.path
    if path.suffix == ".gz":
        raise ValueError(f"{path}: compressed NER files are not expected")
    readers = {"conll": lambda: _read_conll(path, corpus.name), "io": lambda: _read_conll(path, corpus.name, io=True),
               "uner": lambda: _read_uner(path, corpus.name), "hipe": lambda: _read_hipe(path, corpus.name)}
    return [s for s in readers[corpus.reader]() if s.text.strip()]


def split(corpus: Corpus, root: Path | None = None) -> tuple[list[Sentence], list[Sentence]]:
    """(training part, evaluation part) of a corpus: held-out sentences come in whole blocks of ten, so a
    document's neighbouring sentences do not straddle the split; files that are not trainable are all evaluation."""
    sentences = read(corpus, root)
    if not corpus.trainable:
        return [], sentences
    if not corpus.holdout:
        return sentences, []
    train, held = [], []
    for index, sentence in enumerate(sentences):
        (held if (index // 10) % corpus.holdout == 0 else train).append(sentence)
    return train, held


def sample(sentences: list[Sentence], size: int, seed: int = 0) -> list[Sentence]:
    if len(sentences) <= size:
        return list(sentences)
    return random.Random(seed).sample(sentences, size)

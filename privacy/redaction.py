"""The first privacy filter: find identifiers in a post and replace them before anything is stored.

A post about one's mental health is special-category data (GDPR Art. 9) as soon as it
can be tied to a person, so redaction happens in memory, before the first write.
Detection runs the recognizers of ``privacy.recognizers`` through Presidio's
``AnalyzerEngine`` over the text as ``privacy.normalise`` cleaned it (invisible characters
out, look-alikes folded); replacement writes the typed placeholders of the policy into
the cleaned text, so the distress scorer and the counsellors still see that a phone
number was there, never which one.

Building a filter is the expensive part (the name tagger, registry, compiled patterns):
build one per process and reuse it. Nothing here downloads or opens a network
connection: names come from the name tagger of ``privacy.ner`` (trained here, on top of
the encoder converted at setup), tokens from a bare spaCy tokenizer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from privacy.known_names import known_name_spans
from privacy.ner.tagger import TaggedSpan, Tagger, operating_threshold
from privacy.ner.tagger import load as load_tagger
from privacy.normalise import CleanText, clean
from privacy.policy import FilterPolicy, PolicyError, load_policy
from privacy.recognizers import build_recognizers

log = logging.getLogger(__name__)

#: The poster's own username, given by the collector (it has no shape a recognizer could find).
AUTHOR_NAME = "AUTHOR_NAME"


@dataclass(frozen=True)
class DetectedEntity:
    """One span to be replaced; ``start``/``end`` index the original text."""

    type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Redaction:
    """A redacted text, what was replaced in it, and the policy version that decided."""

    text: str
    entities: tuple[DetectedEntity, ...]
    filter_version: str


#: The tagger's entity types that are ours, mapped to the Presidio entity; places and organisations
#: are not redacted (a town is not a person), but the tagger learned them to tell them from names.
_TAGGED_ENTITIES = {"PER": "PERSON"}


@cache
def _load_tagger() -> Tagger:
    """One name tagger per process, shared by every filter built in it (tests build several)."""
    return Tagger(load_tagger(), threshold=operating_threshold())


class OfflineNlpEngine(SpacyNlpEngine):
    """Tokens from a blank spaCy pipeline, person names from the name tagger, for every language.

    Presidio needs tokens to look for context words before a match. No lemmatizer runs,
    so the lower-cased token stands in for the lemma; the recognizers' context words are
    stems matched as substrings, which covers Finnish and Swedish inflection
    ("puhelinnumeroni" contains "numero"). Names come from ``privacy.ner``: the tagger is
    run once per text (or once per batch, see :meth:`pretag`) and every name recognizer
    reads its spans.
    """

    def __init__(self, languages: Sequence[str]) -> None:
        super().__init__(
            models=[{"lang_code": lang, "model_name": f"blank:{lang}"} for lang in languages],
            ner_model_configuration=NerModelConfiguration(model_to_presidio_entity_mapping={"PERSON": "PERSON"}),
        )
        self._pretagged: dict[str, list[TaggedSpan]] = {}

    def load(self) -> None:
        self.nlp = {model["lang_code"]: spacy.blank(model["lang_code"]) for model in self.models}
        self.tagger = _load_tagger()

    def pretag(self, texts: Sequence[str]) -> None:
        """Tag a batch of texts at once (the model is much faster on batches); ``process_text`` uses them."""
        self._pretagged = dict(zip(texts, self.tagger.tag(list(texts)), strict=True))

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        doc = self.nlp[language].make_doc(text)
        tagged = self._pretagged.get(text)
        if tagged is None:
            tagged = self.tagger.tag([text])[0] if text.strip() else []
        spans, scores = [], []
        for name in tagged:
            span = doc.char_span(name.start, name.end, label=_TAGGED_ENTITIES[name.type], alignment_mode="expand")
            if span is not None:
                spans.append(span)
                scores.append(self.tagger.policy_score(name.score))
        return NlpArtifacts(entities=spans, tokens=doc, tokens_indices=[token.idx for token in doc],
                            lemmas=[token.lower_ for token in doc], nlp_engine=self, language=language, scores=scores)


def resolve_overlaps(entities: Iterable[DetectedEntity]) -> list[DetectedEntity]:
    """Merge overlapping detections into one each, ordered by position.

    The detection covering the whole group, else the best (highest score, then longest), names the
    placeholder; the union of the group's spans is replaced, so a partly overlapping loser never
    leaks its tail.
    """
    groups: list[list[DetectedEntity]] = []
    group_end = -1
    for entity in sorted(entities, key=lambda e: (e.start, -e.end)):
        if groups and entity.start < group_end:
            groups[-1].append(entity)
        else:
            groups.append([entity])
        group_end = max(group_end, entity.end)
    return [_merge(group) for group in groups]


def _merge(group: list[DetectedEntity]) -> DetectedEntity:
    """One detection for an overlapping group; a detection covering the whole group names it (an e-mail
    address with a name inside is an e-mail address), else the highest score, then the longest."""
    start, end = min(e.start for e in group), max(e.end for e in group)
    covering = [e for e in group if e.start == start and e.end == end]
    best = max(covering or group, key=lambda e: (e.score, e.end - e.start, e.type))
    return DetectedEntity(best.type, start, end, best.score)


class PrivacyFilter:
    """Detects and replaces identifiers according to one ``FilterPolicy``."""

    def __init__(self, policy: FilterPolicy | None = None, languages: Sequence[str] = ("fi", "sv")) -> None:
        self._policy = policy if policy is not None else load_policy()
        self._languages = tuple(languages)
        #: The policy's own placeholders: text an earlier version redacted keeps them when re-filtered.
        self._placeholders = re.compile("|".join(sorted({re.escape(rule.placeholder)
                                                         for rule in self._policy.rules.values()}, key=len,
                                                        reverse=True)))
        recognizers = build_recognizers(self._languages)
        unruled = sorted({e for r in recognizers for e in r.supported_entities} - set(self._policy.rules))
        if unruled:
            raise PolicyError(f"policy {self._policy.version}: entities: no rule for {', '.join(unruled)}")
        self._analyzer = AnalyzerEngine(
            registry=RecognizerRegistry(recognizers=recognizers, supported_languages=list(self._languages)),
            nlp_engine=OfflineNlpEngine(self._languages),
            supported_languages=list(self._languages),
        )

    @property
    def version(self) -> str:
        """The policy version, to be stored with every text this filter redacted."""
        return self._policy.version

    def detect(self, text: str, language: str, known_names: Sequence[str | None] = ()) -> list[DetectedEntity]:
        """Spans that ``redact`` would replace, as offsets into ``text`` as given."""
        cleaned = clean(text)
        return [DetectedEntity(e.type, *cleaned.raw_span(e.start, e.end), e.score)
                for e in self._detect_clean(cleaned, language, known_names)]

    def redact(self, text: str, language: str, known_names: Sequence[str | None] = ()) -> Redaction:
        """The cleaned text (see ``privacy.normalise``) with every detection replaced by its placeholder.

        The entities are reported as offsets into ``text`` as given, so a DPO can put input and
        output side by side. ``known_names`` (the poster's own username) are replaced wherever they
        are written, as ``AUTHOR_NAME``.
        """
        return self._redact_clean(clean(text), language, known_names)

    def _redact_clean(self, cleaned: CleanText, language: str, known_names: Sequence[str | None]) -> Redaction:
        found = self._detect_clean(cleaned, language, known_names)
        parts: list[str] = []
        position = 0
        for entity in found:
            parts += [cleaned.text[position:entity.start], self._policy.rules[entity.type].placeholder]
            position = entity.end
        parts.append(cleaned.text[position:])
        entities = tuple(DetectedEntity(e.type, *cleaned.raw_span(e.start, e.end), e.score) for e in found)
        return Redaction(text="".join(parts), entities=entities, filter_version=self.version)

    @property
    def tagger(self) -> Tagger:
        """The name tagger this filter reads names with (shared by every filter of the process)."""
        return self._analyzer.nlp_engine.tagger

    def redact_many(self, texts: Sequence[str], languages: Sequence[str],
                    known_names: Sequence[Sequence[str | None]] | None = None) -> list[Redaction]:
        """``redact`` for a batch: the name tagger reads the whole batch at once, the rest is per text.

        ``known_names`` gives each text its own (the poster's username), as ``redact`` does.
        """
        cleaned = [clean(text) for text in texts]
        names = known_names if known_names is not None else [()] * len(texts)
        self._analyzer.nlp_engine.pretag([c.detection for c in cleaned])
        try:
            return [self._redact_clean(c, language, own)
                    for c, language, own in zip(cleaned, languages, names, strict=True)]
        finally:
            self._analyzer.nlp_engine.pretag([])

    def _detect_clean(self, cleaned: CleanText, language: str,
                      known_names: Sequence[str | None] = ()) -> list[DetectedEntity]:
        """Detections over the cleaned text (offsets into ``cleaned.text``), overlaps merged.

        When a control character was turned into a space, the text is also read with those
        spaces removed, in case the character was hiding inside an identifier.
        """
        if language not in self._languages:
            supported = ", ".join(self._languages)
            raise ValueError(f"language {language!r} is not supported; this filter was built for {supported}")
        found = self._analyze(cleaned.detection, language)
        if cleaned.joined is not None:
            joined, positions = cleaned.joined
            found += [DetectedEntity(e.type, positions[e.start], positions[e.end - 1] + 1, e.score)
                      for e in self._analyze(joined, language)]
        names = [clean(name).detection for name in known_names if name]
        found += [DetectedEntity(AUTHOR_NAME, start, end, 1.0)
                  for start, end in known_name_spans(cleaned.detection, names)]
        return resolve_overlaps(found)

    def _analyze(self, text: str, language: str) -> list[DetectedEntity]:
        """Detections above their threshold and not allow-listed, overlaps not yet merged."""
        if not text:
            return []
        rules = self._policy.rules
        placeholders = [match.span() for match in self._placeholders.finditer(text)]
        return [
            DetectedEntity(result.entity_type, result.start, result.end, result.score)
            for result in self._analyzer.analyze(text=text, language=language)
            if result.score >= rules[result.entity_type].threshold
            and not self._policy.allows(text[result.start:result.end], result.entity_type)
            and not any(start <= result.start and result.end <= end for start, end in placeholders)
        ]


def redact_each(text_filter, texts: Sequence[str], languages: Sequence[str],
                known_names: Sequence[Sequence[str | None]] | None = None) -> list[Redaction | Exception]:
    """Each text's redaction, or the exception its text raised.

    The batch goes through ``redact_many`` at once (the name tagger reads it in one go); if that
    fails, text by text through ``redact``, so that one bad text costs only itself. Callers decide
    what a failed text means (collection fails closed: it is not stored).
    """
    try:
        return list(text_filter.redact_many(texts, languages, known_names))
    except Exception:
        log.warning("a batch of %d texts could not be filtered together; filtering them one by one", len(texts))
    results: list[Redaction | Exception] = []
    names = known_names if known_names is not None else [()] * len(texts)
    for text, language, own in zip(texts, languages, names, strict=True):
        try:
            results.append(text_filter.redact(text, language, known_names=own))
        except Exception as error:
            results.append(error)
    return results

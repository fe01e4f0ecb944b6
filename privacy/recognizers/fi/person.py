"""Finnish person names, inflected or not: "Matti Virtanen", "Virtaselle", "Ainon kanssa".

Two weak signals are combined, because neither is enough on its own:

* Voikko's lexicon knows tens of thousands of first names (``etunimi``) and surnames
  (``sukunimi``) in every inflected form, but many of them are also ordinary words
  ("Anna" is 'give!', "Toivo" 'hope', "Kallio" 'rock') and some surnames are filed as
  place names ("Nieminen", "Mäkelä");
* the name tagger (``privacy.ner``) marks ``PERSON`` spans, including names Voikko has
  never heard of, but it is a statistical model trained on edited text and errs both ways.

Capitalisation is the third signal, and only in the middle of a sentence: a capital
after a full stop says nothing, so "Anna mulle aikaa" and "Toivo on mennyt" stay while
"sano Annalle" and "kaverini Toivo" do not. A first name pulls the capitalised word after
it into the same span ("Liisa Mäkelän"), so a surname Voikko only knows as a place is
still covered. A name in an interior local case ("Kalliossa", "Virtaseen") is read as a
place: people are not "in" or "into" someone. A word Voikko knows only as an ordinary
word ("Pomo", "Kriisipuhelimeen") needs NER, a mid-sentence capital and a context word.

Context words lift a candidate over the threshold: relations and "nimi" before the name
("siskoni Aino"), verbs of saying and calling on either side ("Aino sanoi", "sanoi
Aino"). Presidio's own context step looks only to the left, so the recognizer does it
itself. Lower-case names ("matti sano") are not looked for: too many are ordinary words.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import libvoikko
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc, Token

_FIRST_NAME = "etunimi"
_SURNAME = "sukunimi"
_PLACE = "paikannimi"
_COMMON = "nimisana"
#: Other proper names (brands, works) and place names are not readings of a person's name.
_PROPER_CLASSES = frozenset({_FIRST_NAME, _SURNAME, _PLACE, "nimi"})
#: Voikko's interior local cases (inessive, elative, illative): "in/from/into" a place, not a person.
_PLACE_CASES = frozenset({"sisaolento", "sisaeronto", "sisatulento"})
#: Punctuation after which a word stays mid-sentence; any other non-word token ends a sentence.
_MID_SENTENCE_PUNCT = frozenset({",", ";", "&", "+", "/"})


@dataclass(frozen=True)
class _Reading:
    """What Voikko says a capitalised word can be."""

    first_name: bool
    surname: bool
    place: bool
    common: bool

    @property
    def name(self) -> bool:
        return self.first_name or self.surname


@dataclass(frozen=True)
class _Candidate:
    """A capitalised token with its readings, its position and whether NER called it a person."""

    token: Token
    reading: _Reading
    initial: bool
    ner: bool


class FinnishPersonRecognizer(EntityRecognizer):
    """Graded scores: how sure the lexicon is, where the capital is, whether NER and context agree."""

    ENTITY = "PERSON"
    #: Only a name reading, mid-sentence ("kaverini Aino") / at a sentence start ("Virtasen mukaan").
    NAME_MID, NAME_INITIAL = 0.85, 0.7
    #: Also an ordinary word: mid-sentence ("sano Annalle") / sentence start ("Anna mulle aikaa").
    AMBIGUOUS_MID, AMBIGUOUS_INITIAL = 0.6, 0.3
    #: NER alone, for a word Voikko does not know or knows as a place.
    NER_MID, NER_INITIAL = 0.55, 0.3
    #: NER alone, for a word Voikko knows only as an ordinary word: needs a context word too.
    NER_COMMON_MID, NER_COMMON_INITIAL = 0.3, 0.1
    #: Unknown words shorter than this are slang or typos ("Ku", "Nii"), not names Voikko lacks.
    MIN_UNKNOWN_LENGTH = 3
    NER_AGREES = 0.15
    FULL_NAME = 0.1
    CONTEXT_BOOST = 0.35
    #: Tokens looked at on each side for a context word.
    CONTEXT_BEFORE, CONTEXT_AFTER = 3, 2
    #: Prefixes of lower-cased tokens before a name (prefix, not substring: "isä" is in "lisää").
    #: After a name they would mislead: "Anteeks äiti" is not a name.
    RELATIONS = (
        "nimi", "nimel", "nimeni", "kaveri", "ystäv", "poikaystäv", "tyttöystäv", "frendi", "kamu",
        "sisko", "sisar", "veli", "velje", "äiti", "äidi", "isä", "mummo", "mummi", "pappa", "vaari",
        "setä", "täti", "serkku", "mies", "miehe", "vaimo", "puoliso", "exä", "kämppi", "naapuri",
        "opettaja", "rehtori", "lääkär", "terapeut", "psykolog", "psykiatr", "hoitaja",
        "kuraattori", "pomo", "esimie", "esihenkilö", "kollega", "työkaveri", "terveisin",
    )
    #: Whole lower-cased words on either side: third-person verbs of saying and contacting
    #: ("kysyin", I asked, says nothing about the word before it).
    VERBS = frozenset({
        "sanoi", "sano", "sanoo", "kertoi", "kerto", "kertoo", "kysyi", "kysy", "kysyy", "soitti",
        "soitt", "kirjoitti", "kirjotti", "laittoi", "laitto", "lähetti", "vastasi", "vastas", "huusi",
    })

    def __init__(self, supported_language: str = "fi") -> None:
        super().__init__(
            supported_entities=[self.ENTITY],
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Open Voikko's Finnish dictionary (installed system-wide); one handle, used under a lock
        because libvoikko handles must not be used from two threads at once."""
        self._voikko = libvoikko.Voikko("fi")
        self._voikko_lock = threading.Lock()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Score runs of capitalised name tokens; needs the tokens and NER spans of the NLP engine."""
        if self.ENTITY not in entities or nlp_artifacts is None or not nlp_artifacts.tokens:
            return []
        doc: Doc = nlp_artifacts.tokens
        ner_tokens = {
            token.i for span in nlp_artifacts.entities if span.label_ == self.ENTITY for token in span
        }
        return [self._result(doc, run) for run in self._name_runs(doc, ner_tokens)]

    def _name_runs(self, doc: Doc, ner_tokens: set[int]) -> Iterable[list[_Candidate]]:
        """Maximal runs of adjacent candidates; a first name takes the capitalised word after it."""
        run: list[_Candidate] = []
        for token in doc:
            reading = self._reading(token)
            if reading is None:
                if run:
                    yield run
                run = []
                continue
            candidate = _Candidate(token, reading, _starts_sentence(doc, token), token.i in ner_tokens)
            if run and self._continues(run[-1], candidate):
                run.append(candidate)
                continue
            if run:
                yield run
            run = [candidate] if reading.name or candidate.ner else []
        if run:
            yield run

    @staticmethod
    def _continues(previous: _Candidate, candidate: _Candidate) -> bool:
        """Adjacent names join; any capitalised word joins a first name that is not just a sentence start
        ("Liisa Mäkelän", but not "Anna Helsingille")."""
        if previous.token.i != candidate.token.i - 1 or previous.token.whitespace_ != " ":
            return False
        reading = previous.reading
        first_name = reading.first_name and not (reading.common and previous.initial)
        tagged = candidate.ner and not candidate.reading.place  # a town in "Lahdesta" is not part of a name
        return candidate.reading.name or tagged or first_name

    def _reading(self, token: Token) -> _Reading | None:
        """Voikko's readings of a capitalised word; ``None`` for anything else (lower case, ALL CAPS, digits)."""
        word = token.text
        if not word[0].isupper() or word.isupper() or not word.replace("-", "").isalpha():
            return None
        with self._voikko_lock:
            analyses = self._voikko.analyze(word)
        if not analyses and len(word) < self.MIN_UNKNOWN_LENGTH:
            return None
        classes = {_class_of(analysis) for analysis in analyses}
        return _Reading(
            first_name=_FIRST_NAME in classes,
            surname=_SURNAME in classes,
            place=_PLACE in classes,
            common=bool(classes - _PROPER_CLASSES),
        )

    def _result(self, doc: Doc, run: Sequence[_Candidate]) -> RecognizerResult:
        score = max(self._score(candidate) for candidate in run) + (self.FULL_NAME if len(run) > 1 else 0.0)
        first, last = run[0].token, run[-1].token
        context_word = self._context_word(doc, first.i, last.i)
        if context_word:
            score += self.CONTEXT_BOOST
        score = round(min(score, 1.0), 2)
        explanation = AnalysisExplanation(
            recognizer=self.name,
            original_score=score,
            textual_explanation=f"Voikko name classes, NER and capitalisation; context word {context_word!r}",
        )
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=first.idx,
            end=last.idx + len(last.text),
            score=score,
            analysis_explanation=explanation,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                # Context is already in the score; Presidio must not add it a second time.
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )

    def _score(self, candidate: _Candidate) -> float:
        reading, initial = candidate.reading, candidate.initial
        if reading.name and not reading.common and not reading.place:
            score = self.NAME_INITIAL if initial else self.NAME_MID
        elif reading.name:
            score = self.AMBIGUOUS_INITIAL if initial else self.AMBIGUOUS_MID
        elif candidate.ner and reading.common and not reading.place:
            return self.NER_COMMON_INITIAL if initial else self.NER_COMMON_MID
        elif candidate.ner:
            return self.NER_INITIAL if initial else self.NER_MID
        else:
            # Joined only as the word after a first name: its capital mid-sentence is the evidence.
            return self.AMBIGUOUS_MID
        return score + (self.NER_AGREES if candidate.ner else 0.0)

    def _context_word(self, doc: Doc, first: int, last: int) -> str:
        before = [token.lower_ for token in doc[max(first - self.CONTEXT_BEFORE, 0):first]]
        after = [token.lower_ for token in doc[last + 1:last + 1 + self.CONTEXT_AFTER]]
        for word in before:
            relation = next((prefix for prefix in self.RELATIONS if word.startswith(prefix)), "")
            if relation:
                return relation
        return next((word for word in (*before, *after) if word in self.VERBS), "")


def _class_of(analysis: dict[str, str]) -> str:
    """Voikko's word class, read as a person's name only where a person's name can stand.

    Voikko files some -nen surnames only as places ("Nieminen"); towns ending in -nen are
    few, so those count as surnames. A name in an interior local case counts as a place,
    and one with a possessive suffix as an ordinary word: "Siskoni" is 'my sister', not
    'my Sisko'.
    """
    word_class = analysis.get("CLASS", "")
    if word_class in (_FIRST_NAME, _SURNAME) and "POSSESSIVE" in analysis:
        return _COMMON
    if word_class in (_FIRST_NAME, _SURNAME) and analysis.get("SIJAMUOTO") in _PLACE_CASES:
        return _PLACE
    if word_class == _PLACE and analysis.get("BASEFORM", "").endswith("nen"):
        return _SURNAME
    return word_class


def _starts_sentence(doc: Doc, token: Token) -> bool:
    """True at the start of the text or after a sentence end, a line break, a quote or an emoji."""
    for previous in reversed(doc[:token.i]):
        if previous.is_space:
            if "\n" in previous.text:
                return True
            continue
        return not any(char.isalnum() for char in previous.text) and previous.text not in _MID_SENTENCE_PUNCT
    return True

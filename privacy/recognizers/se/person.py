"""Swedish person names from lexicons and rules: ``Erik``, ``Erik Johansson``, ``Annas``, ``läraren Berg``.

There is no offline Swedish NER model to install, so names are looked up instead. The
lexicons are built once per process from sources already on disk: Faker's ``sv_SE`` and
``fi_FI`` person providers (first names and surnames; Finnish names are common in
Swedish-speaking Finland and among Sweden Finns) and, from Debian's Swedish Hunspell
dictionary, the capitalised entries with an unmistakable surname ending ("-sson",
"-ström"). Its other capitalised entries are not used: places and first names carry
the same affix flags there, and "Göteborg" must not become a name.

The dictionary's lower-case entries, expanded by its suffix rules, decide which names
are also ordinary words ("björn", "sten", "dag", "lund"). Swedish does not capitalise
common nouns, so such a name written capitalised inside a sentence is still most likely
a name; at the start of a sentence the capital proves nothing, so a name that is also a
frequent sentence opener ("Dag", "Alla", "Hans", "Bo", "Per") needs more evidence there:
a surname after it, or a neighbouring cue ("heter", "min syster", "sa"). A lone surname
that is a common word ("Lund", "Ström") also needs a cue, so towns stay readable.

Scores are relative to the policy threshold of 0.5 for ``PERSON``: below it a candidate
is kept but not redacted, so a cue can still lift it. Presidio's own context enhancer
is not used: it drops stop words such as "till" and "med" before comparing, and it
cannot tell a sentence start from the middle of one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from faker.providers.person.fi_FI import Provider as FinnishNames
from faker.providers.person.sv_SE import Provider as SwedishNames
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.sv.stop_words import STOP_WORDS

HUNSPELL_DIR = Path("/usr/share/hunspell")

_LETTER = "A-Za-zÅÄÖåäöÉéÜüÆæØø"
_UPPER = "A-ZÅÄÖÉÜÆØ"
#: A word, possibly hyphenated ("Anna-Karin"), not glued to a letter, digit, "@", "/" or "<".
_WORD = re.compile(rf"(?<![\w@/<-])[{_LETTER}]+(?:-[{_LETTER}]+)*(?![\w@-])")
_SURNAME_ENDING = re.compile(r"(?:sson|ström|qvist|kvist|gren|dahl)$")
#: Characters that end a sentence, so that the next word's capital letter proves nothing.
_SENTENCE_END = ".!?…:;\n"


class SwedishDictionary:
    """Debian's Hunspell dictionary, read for one question: is this lower-case string a Swedish word form?"""

    def __init__(self, dic: Path, aff: Path) -> None:
        self._flags_by_stem: dict[str, str] = {}
        for stem, flags in hunspell_entries(dic):
            if stem[0].islower():
                self._flags_by_stem[stem] = self._flags_by_stem.get(stem, "") + flags
        self._rules = _suffix_rules(aff)
        self._known: dict[str, bool] = {}

    def is_word(self, word: str) -> bool:
        """A stem or a stem plus one of its suffixes ("svenskar" from "svensk"); answers are memoised."""
        if word not in self._known:
            self._known[word] = word in self._flags_by_stem or any(
                flag in self._flags_by_stem.get(stem, "") and condition.search(stem)
                for flag, strip, add, condition in self._rules
                if add and word.endswith(add)
                for stem in (word[: len(word) - len(add)] + strip,)
            )
        return self._known[word]


def hunspell_entries(path: Path) -> list[tuple[str, str]]:
    """(stem, flags) per dictionary line; the first line is a count."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        stem, _, flags = line.strip().partition("/")
        if stem:
            entries.append((stem, flags))
    return entries


def _suffix_rules(path: Path) -> list[tuple[str, str, str, re.Pattern[str]]]:
    """Hunspell ``SFX`` rules as (flag, strip, add, condition), continuation flags dropped."""
    rules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0] == "SFX":
            _, flag, strip, add, condition = parts[:5]
            add = add.split("/")[0]
            rules.append((flag, "" if strip == "0" else strip, "" if add == "0" else add,
                          re.compile(f"(?:{condition})$")))
    return rules


@dataclass(frozen=True)
class NameLexicon:
    """First names, surnames and the Swedish words they have to be told apart from."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    dictionary: SwedishDictionary | None
    #: Lower-cased words that often begin a sentence ("dag", "alla", "bo", "per").
    sentence_openers: frozenset[str]

    def is_name(self, word: str) -> bool:
        return word in self.first_names or word in self.surnames

    def is_common_word(self, lower: str) -> bool:
        """True for "björn", "sten", "lund", "hans": the name is an ordinary word too."""
        if lower in SwedishPersonRecognizer.NOT_IN_DICTIONARY:
            return True
        return self.dictionary is not None and self.dictionary.is_word(lower)


@lru_cache(maxsize=1)
def load_lexicon(hunspell_dir: Path = HUNSPELL_DIR) -> NameLexicon:
    """Build the lexicon once per process; without the dictionary, ambiguity falls back to stop words."""
    first_names = {
        name
        for provider in (SwedishNames, FinnishNames)
        for names in (provider.first_names_male, provider.first_names_female)
        for name in names
    }
    surnames = {name for provider in (SwedishNames, FinnishNames) for name in provider.last_names}
    dic, aff = hunspell_dir / "sv_SE.dic", hunspell_dir / "sv_SE.aff"
    dictionary = None
    if dic.exists() and aff.exists():
        dictionary = SwedishDictionary(dic, aff)
        surnames |= {stem for stem, _ in hunspell_entries(dic) if stem[0].isupper() and _SURNAME_ENDING.search(stem)}
    return NameLexicon(
        first_names=frozenset(first_names),
        surnames=frozenset(surnames),
        dictionary=dictionary,
        sentence_openers=frozenset(STOP_WORDS) | SwedishPersonRecognizer.SENTENCE_OPENERS,
    )


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


class SwedishPersonRecognizer(LocalRecognizer):
    """Capitalised lexicon words, graded by ambiguity, position, a following surname and cue words."""

    ENTITY = "PERSON"
    FULL_NAME_SCORE = 0.85
    FIRST_NAME_SCORE = 0.6
    SURNAME_SCORE = 0.5
    #: A capitalised name that is also a word ("Björn"), inside a sentence.
    AMBIGUOUS_NAME_SCORE = 0.5
    #: The same at a sentence start when the word often opens one ("Dag", "Alla"), or a lone "Lund".
    WEAK_SCORE = 0.3
    #: A lower-case first name ("jag heter erik") counts only right after a strong cue.
    LOWER_CASE_SCORE = 0.15
    CUE_BOOST = 0.35
    WEAK_CUE_BOOST = 0.2
    #: Words right before a name that say a person follows.
    CUES_BEFORE = frozenset({
        "heter", "hette", "kallas", "kompis", "kompisen", "vän", "vännen", "bästis", "syster", "systern",
        "syrran", "bror", "brorsan", "brodern", "mamma", "mamman", "morsan", "pappa", "pappan", "farsan",
        "mormor", "farmor", "morfar", "farfar", "sambo", "sambon", "kille", "killen", "tjej", "tjejen",
        "pojkvän", "pojkvännen", "flickvän", "flickvännen", "partner", "fru", "frun", "lärare", "läraren",
        "mentor", "mentorn", "kurator", "kuratorn", "psykolog", "psykologen", "läkaren", "chef", "chefen",
        "sa", "sade", "frågade", "träffade", "ringde",
    })
    #: Weaker: "till" and "med" precede places and things as often as people.
    WEAK_CUES_BEFORE = frozenset({"till", "med", "och", "hos", "åt"})
    #: Verbs right after a name that say it is someone speaking or thinking.
    CUES_AFTER = frozenset({"sa", "sade", "säger", "skrev", "tycker", "tyckte", "tror", "frågade", "ringde"})
    #: Frequent sentence openers that the stop-word list lacks.
    SENTENCE_OPENERS = frozenset({
        "per", "bo", "sten", "rosa", "liv", "tom", "klara", "sol", "viking", "hej", "stark", "modig",
        "frisk", "storm", "juni", "maj", "mark", "stig", "ben",
    })
    #: Function words that are names too but missing from the dictionary ("Hans mamma").
    NOT_IN_DICTIONARY = frozenset({"hans"})

    def __init__(self, supported_language: str = "sv", lexicon: NameLexicon | None = None) -> None:
        self._lexicon = lexicon
        super().__init__(supported_entities=[self.ENTITY], supported_language=supported_language, context=[])

    def load(self) -> None:
        """The lexicon is loaded lazily and shared (``load_lexicon`` caches it)."""

    @property
    def lexicon(self) -> NameLexicon:
        if self._lexicon is None:
            self._lexicon = load_lexicon()
        return self._lexicon

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every name candidate with its score; spans of full names cover first name and surname."""
        if self.ENTITY not in entities:
            return []
        tokens = [_Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
        results = []
        index = 0
        while index < len(tokens):
            found = self._score_at(text, tokens, index)
            if found is None:
                index += 1
                continue
            end_index, score, why = found
            results.append(self._result(tokens[index].start, tokens[end_index].end, score, why))
            index = end_index + 1
        return results

    def _score_at(self, text: str, tokens: list[_Token], index: int) -> tuple[int, float, str] | None:
        """(index of the last token, score, reason) for a name starting at ``tokens[index]``, else None."""
        lexicon, token = self.lexicon, tokens[index]
        word = self._lexicon_form(token.text)
        previous = tokens[index - 1] if index and self._adjacent(text, tokens[index - 1], token) else None
        cue = self._cue_boost(previous, tokens[index + 1] if index + 1 < len(tokens) else None, text, token)
        if word is None:
            lowered = self._lexicon_form(token.text.capitalize())
            if (lowered in lexicon.first_names and not lexicon.is_common_word(lowered.lower())
                    and previous is not None and previous.text.lower() in self.CUES_BEFORE):
                return index, self.LOWER_CASE_SCORE + cue, "lower-case first name after a cue"
            return None
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if word in lexicon.first_names and following is not None and self._is_surname_like(text, token, following):
            # "Viking Line", "Rosa Pantern": a name that is also a word needs a known surname after it.
            if lexicon.is_common_word(word.lower()) and self._lexicon_form(following.text) is None \
                    and not _SURNAME_ENDING.search(following.text):
                return index, self.WEAK_SCORE + cue, "word that is also a name, before a capitalised word"
            return index + 1, self.FULL_NAME_SCORE, "first name and surname"
        lower = word.lower()
        opens_sentence = self._opens_sentence(text, token.start)
        if word not in lexicon.first_names:
            base = self.WEAK_SCORE if lexicon.is_common_word(lower) else self.SURNAME_SCORE
        elif lower in lexicon.sentence_openers and opens_sentence:
            base = self.WEAK_SCORE
        elif lexicon.is_common_word(lower):
            base = self.AMBIGUOUS_NAME_SCORE
        else:
            base = self.FIRST_NAME_SCORE
        return index, min(base + cue, 1.0), "lexicon name" + (" with a cue" if cue else "")

    def _lexicon_form(self, word: str) -> str | None:
        """The lexicon entry ``word`` is, or whose genitive it is ("Annas" -> "Anna"); None otherwise."""
        if not all(part[:1].isupper() and part[1:].islower() for part in word.split("-")):
            return None
        for form in (word, word[:-1] if word.endswith("s") else None):
            if form and (self.lexicon.is_name(form) or self._is_hyphenated_name(form)):
                return form
        return None

    def _is_hyphenated_name(self, word: str) -> bool:
        parts = word.split("-")
        return len(parts) > 1 and all(self.lexicon.is_name(part) for part in parts)

    def _is_surname_like(self, text: str, first: _Token, token: _Token) -> bool:
        """A capitalised word right after a first name that is a name or at least no Swedish word."""
        if not self._adjacent(text, first, token) or not token.text[0].isupper():
            return False
        if self._lexicon_form(token.text) is not None:
            return True
        lower = token.text.lower()
        if not token.text[1:].islower() or lower in self.lexicon.sentence_openers:
            return False
        return not self.lexicon.is_common_word(lower)

    def _cue_boost(self, previous: _Token | None, following: _Token | None, text: str, token: _Token) -> float:
        if previous is not None and previous.text.lower() in self.CUES_BEFORE:
            return self.CUE_BOOST
        if following is not None and self._adjacent(text, token, following) \
                and following.text.lower() in self.CUES_AFTER:
            return self.CUE_BOOST
        if previous is not None and previous.text.lower() in self.WEAK_CUES_BEFORE:
            return self.WEAK_CUE_BOOST
        return 0.0

    @staticmethod
    def _adjacent(text: str, left: _Token, right: _Token) -> bool:
        """Only spaces between two tokens: a comma or full stop ends a name."""
        return text[left.end:right.start].strip(" \u00a0") == ""

    @staticmethod
    def _opens_sentence(text: str, start: int) -> bool:
        before = text[:start].rstrip(" \u00a0\t\"'»«(–—-")
        return not before or before[-1] in _SENTENCE_END or not (before[-1].isalnum() or before[-1] in ",)")

    def _result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=score, textual_explanation=why
        )
        return RecognizerResult(
            entity_type=self.ENTITY, start=start, end=end, score=score, analysis_explanation=explanation,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                # Cues were weighed above; Presidio's enhancer must not add them a second time.
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )

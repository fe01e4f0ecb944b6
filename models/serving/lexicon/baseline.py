"""Lexicon baseline scorer: Finnish/Swedish phrase lists plus a few context rules.

Why it exists: it is the first implementation of :class:`models.serving.scoring.Scorer`, so
the pipeline runs end to end before a trained model exists, and it stays as the
baseline every model is compared against. Every level it gives can be traced to
phrases in ``models/serving/lexicon/<language>.yaml``, which counsellors can read.

How one post is scored:

1. Every lexicon entry (a regular expression) is matched case-insensitively on word
   boundaries; a space in a pattern matches any run of spaces, punctuation or emoji.
   A match lying wholly inside a longer match is dropped: the longer, more specific
   phrase speaks ("en jaksa elää" is not also "en jaksa").
2. Each match is judged in its context:

   * a hyperbole/idiom pattern overlapping it cancels it ("haluun kuolla tylsyyteen");
   * a negation cue at most ``negation.window`` words before it cancels it when
     every word in between is a listed bridge word ("en OLE itsetuhoinen"); any
     other word or punctuation stops the negation, so "mä en tiedä haluun kuolla"
     stays high. Phrases that themselves begin with a negation ("en jaksa enää",
     "orkar inte mer") are exempt: a negated complaint of that kind is far more
     often the same complaint than a denial. A conjunction negation ("ettei",
     "etten", Swedish "att inte") usually states a wish or purpose ("ettei tarvis
     herätä", "lovade att inte skada mig själv"), so it cancels only across a verb
     of being or intent ("sanoin ettei mulla OO itsemurha-ajatuksia");
   * a past or recovered cue in the sentence (without a relapse cue) lowers the
     phrase by one level and keeps crisis cues from raising it ("för fem år sen
     försökte jag ta livet av mig, idag tog jag examen"); a recovered cue anywhere
     in a post without relapse lowers a past-marked phrase once more;
   * otherwise a level-3 phrase with a crisis intensifier in scope (time, plan,
     farewell, finality) that is not itself negated or told as past becomes level 4;
   * a third-person cue earlier in the sentence (with no first-person word between
     it and the phrase) lowers the phrase by one level, and a news/statistics cue in
     a sentence without any first-person word lowers it to 1; no rule lowers a
     signal below 1.

3. Two crisis cues of different kinds make a level-4 signal even without an
   ideation phrase ("tänä yönä tää loppuu", "leta inte efter mig ... hejdå alla"):
   see ``_crisis_pair``.

4. The post's level is the highest level of any surviving signal (0 when none): one
   ideation phrase outweighs any number of stress phrases, because a missed crisis
   costs more than a counsellor's glance at a false alarm.

Cancelled phrases stay in the explanation with negative weight, so a counsellor sees
what was discounted and why.

The probabilities are a documented heuristic (see ``_probabilities``) and are NOT
calibrated: they order posts roughly and always peak at the chosen level, but they
are not the chance that a writer is at risk.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from core.levels import LEVEL_COUNT, RiskLevel
from models.serving.scoring import Evidence, Score

DEFAULT_LEXICON_DIR = Path(__file__).resolve().parent

#: Word tokens a negation cue may stand before a phrase when a file sets no window.
DEFAULT_NEGATION_WINDOW = 3
#: Softmax temperature for the probability heuristic; lower means peakier.
TEMPERATURE = 0.5
#: Logit gap kept between the chosen level and every other level.
MARGIN = 0.5
#: Support given to level 0 when nothing matched: absence of lexicon phrases is
#: decent but not conclusive evidence, since the lexicon misses paraphrases.
NO_SIGNAL_SUPPORT = 3.0
#: Share of a cancelled phrase's weight still counted for its own level, so a
#: negated "itsemurha" leaves some probability mass on level 3.
CANCELLED_SHARE = 0.5
#: Weight of the evidence items that report context cues (intensifier, third person, past).
CUE_WEIGHT = 0.5

_SEPARATOR = r"[\W_]+"
_TOKEN = re.compile(r"<[A-Za-z_]+>|\w+|[.!?;:,\n]")
_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
_NEVER = re.compile(r"(?!)")
_SCOPES = frozenset({"sentence", "post"})
_PATTERN_LISTS = (
    "hyperbole",
    "news",
    "third_person.cues",
    "third_person.first_person",
    "past.cues",
    "past.recovered",
    "past.relapse",
)
_NEGATION_WORD_LISTS = (
    "negation.cues",
    "negation.conjunction_cues",
    "negation.conjunctions",
    "negation.verbs",
    "negation.bridges",
)

Span = tuple[int, int]


@dataclass(frozen=True)
class LexiconEntry:
    """One phrase pattern and the level it signals."""

    pattern: re.Pattern[str]
    level: RiskLevel
    weight: float
    reason: str


#: Stand-in entry for the crisis-cue combination (``_crisis_pair``), so that rule is
#: weighed and explained like a phrase; its pattern never matches text.
_COMBINATION = LexiconEntry(_NEVER, RiskLevel.CRISIS, 1.0, "crisis cues combined")


@dataclass(frozen=True)
class Intensifier:
    """A crisis cue group; ``scope`` says whether it must share the phrase's sentence."""

    kind: str
    scope: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    """Compiled lexicon of one language, or of several merged for unknown languages."""

    entries: tuple[LexiconEntry, ...]
    negation_cues: frozenset[str]
    negation_conjunction_cues: frozenset[str]
    negation_conjunctions: frozenset[str]
    negation_verbs: frozenset[str]
    negation_bridges: frozenset[str]
    negation_window: int
    hyperbole: re.Pattern[str]
    news: re.Pattern[str]
    third_person: re.Pattern[str]
    first_person: re.Pattern[str]
    past: re.Pattern[str]
    recovered: re.Pattern[str]
    relapse: re.Pattern[str]
    intensifiers: tuple[Intensifier, ...]


def compile_patterns(patterns: Iterable[str]) -> re.Pattern[str]:
    """Join patterns into one case-insensitive, word-bounded alternation.

    Spaces become "any run of non-word characters" so emoji, ellipses and stray
    punctuation between words do not break a phrase; an empty list never matches.
    """
    parts = [f"(?:{p.replace(' ', _SEPARATOR)})" for p in patterns]
    if not parts:
        return _NEVER
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _get(doc: Mapping[str, Any], dotted: str) -> Any:
    """Fetch ``a.b`` from nested mappings; missing parts read as an empty list."""
    value: Any = doc
    for key in dotted.split("."):
        value = value.get(key, []) if isinstance(value, Mapping) else []
    return value


def _check(condition: bool, path: Path, message: str) -> None:
    """Fail loading with the file name, so a broken lexicon edit is found at once."""
    if not condition:
        raise ValueError(f"{path}: {message}")


def _check_patterns(patterns: Any, path: Path, where: str) -> None:
    """Every pattern list must be strings that compile as regular expressions."""
    _check(isinstance(patterns, list), path, f"{where} must be a list")
    for pattern in patterns:
        _check(isinstance(pattern, str) and pattern != "", path, f"{where}: empty or non-string pattern")
        try:
            compile_patterns([pattern])
        except re.error as error:
            raise ValueError(f"{path}: {where}: bad pattern {pattern!r}: {error}") from error


def _negation_window(doc: Mapping[str, Any]) -> int:
    """The file's negation window, ``DEFAULT_NEGATION_WINDOW`` when it sets none."""
    negation = doc.get("negation") or {}
    return negation.get("window", DEFAULT_NEGATION_WINDOW) if isinstance(negation, Mapping) else -1


def _check_entry(entry: Any, where: str, path: Path) -> None:
    """An entry needs a compiling pattern, a level 1-4, a positive weight and a reason."""
    _check(isinstance(entry, dict), path, f"{where} must be a mapping")
    _check(entry.get("level") in (1, 2, 3, 4), path, f"{where}: level must be 1-4")
    weight = entry.get("weight", 1.0)
    _check(isinstance(weight, (int, float)) and weight > 0, path, f"{where}: weight must be > 0")
    _check(isinstance(entry.get("reason"), str), path, f"{where}: 'reason' must be a string")
    _check_patterns([entry.get("pattern")], path, where)


def _check_intensifier(group: Any, path: Path) -> None:
    """An intensifier group needs a kind, a known scope and compiling patterns."""
    _check(isinstance(group, dict) and isinstance(group.get("kind"), str), path, "intensifier needs a 'kind'")
    _check(group.get("scope") in _SCOPES, path, f"intensifier scope must be one of {sorted(_SCOPES)}")
    _check_patterns(group.get("patterns"), path, f"intensifiers.{group['kind']}")


def load_lexicon_file(path: Path) -> dict[str, Any]:
    """Read and validate one language file; raises ValueError naming the problem."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    _check(isinstance(doc, dict), path, "top level must be a mapping")
    for key in ("version", "language"):
        _check(isinstance(doc.get(key), str) and doc[key] != "", path, f"'{key}' must be a non-empty string")
    entries = doc.get("entries")
    _check(isinstance(entries, list) and bool(entries), path, "'entries' must be a non-empty list")
    for index, entry in enumerate(entries):
        _check_entry(entry, f"entry {index}", path)
    for where in _PATTERN_LISTS:
        _check_patterns(_get(doc, where), path, where)
    for group in doc.get("intensifiers", []):
        _check_intensifier(group, path)
    for where in _NEGATION_WORD_LISTS:
        words = _get(doc, where)
        single = isinstance(words, list) and all(isinstance(w, str) and w.isalpha() for w in words)
        _check(single, path, f"{where} must be a list of single words (quote yes/no/on/off)")
    window = _negation_window(doc)
    _check(isinstance(window, int) and window > 0, path, "negation.window must be a positive integer")
    return doc


def _words(docs: Sequence[Mapping[str, Any]], dotted: str) -> frozenset[str]:
    """Union of a single-word cue list over several files, lower-cased."""
    return frozenset(str(word).lower() for doc in docs for word in _get(doc, dotted))


def _patterns(docs: Sequence[Mapping[str, Any]], dotted: str) -> re.Pattern[str]:
    """One alternation over a pattern list gathered from several files."""
    return compile_patterns(p for doc in docs for p in _get(doc, dotted))


def build_rules(docs: Sequence[Mapping[str, Any]]) -> Rules:
    """Compile one or more validated lexicon files into matching rules."""
    entries = tuple(
        LexiconEntry(
            compile_patterns([e["pattern"]]), RiskLevel(e["level"]), float(e.get("weight", 1.0)), e["reason"]
        )
        for doc in docs
        for e in doc["entries"]
    )
    intensifiers = tuple(
        Intensifier(group["kind"], group["scope"], compile_patterns(group["patterns"]))
        for doc in docs
        for group in doc.get("intensifiers", [])
    )
    return Rules(
        entries=entries,
        negation_cues=_words(docs, "negation.cues"),
        negation_conjunction_cues=_words(docs, "negation.conjunction_cues"),
        negation_conjunctions=_words(docs, "negation.conjunctions"),
        negation_verbs=_words(docs, "negation.verbs"),
        # A verb may be crossed like any bridge word; it is listed apart because it
        # also lets a conjunction negation cancel (see ``_negation_before``).
        negation_bridges=_words(docs, "negation.bridges") | _words(docs, "negation.verbs"),
        negation_window=max(_negation_window(doc) for doc in docs),
        hyperbole=_patterns(docs, "hyperbole"),
        news=_patterns(docs, "news"),
        third_person=_patterns(docs, "third_person.cues"),
        first_person=_patterns(docs, "third_person.first_person"),
        past=_patterns(docs, "past.cues"),
        recovered=_patterns(docs, "past.recovered"),
        relapse=_patterns(docs, "past.relapse"),
        intensifiers=intensifiers,
    )


class _Text:
    """The scored text with its tokens and sentence breaks, computed once per post."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text)]
        self.token_starts = [start for start, _, _ in self.tokens]
        self.breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text)]

    def sentence(self, position: int) -> int:
        """Index of the sentence holding ``position``; equal indices mean same sentence."""
        return bisect.bisect_right(self.breaks, position)

    def token_index(self, position: int) -> int:
        """Index of the first token starting at or after ``position``."""
        return bisect.bisect_left(self.token_starts, position)


class _SpanIndex:
    """Matches of one cue pattern grouped by sentence, so lookups scan one sentence only."""

    def __init__(self, pattern: re.Pattern[str], text: _Text) -> None:
        self.spans = [(m.start(), m.end()) for m in pattern.finditer(text.text) if m.end() > m.start()]
        self.by_sentence: dict[int, list[Span]] = {}
        for span in self.spans:
            self.by_sentence.setdefault(text.sentence(span[0]), []).append(span)

    def in_sentence(self, sentence: int) -> list[Span]:
        """Spans starting in the given sentence, in text order."""
        return self.by_sentence.get(sentence, [])


@dataclass(frozen=True)
class _Match:
    """One lexicon entry found in the text."""

    start: int
    end: int
    entry: LexiconEntry


@dataclass(frozen=True)
class _Verdict:
    """A match after context rules: its effective level (None when cancelled) and evidence."""

    match: _Match
    level: RiskLevel | None
    evidence: tuple[Evidence, ...]


class _Context:
    """Everything the rules need about one post, built once and shared by all its matches."""

    def __init__(self, text: _Text, rules: Rules) -> None:
        self.text = text
        self.rules = rules
        self.hyperbole = _SpanIndex(rules.hyperbole, text)
        self.news = _SpanIndex(rules.news, text)
        self.third_person = _SpanIndex(rules.third_person, text)
        self.first_person = _SpanIndex(rules.first_person, text)
        self.past = _SpanIndex(rules.past, text)
        self.recovered = _SpanIndex(rules.recovered, text)
        self.relapse = _SpanIndex(rules.relapse, text)
        self.intensifiers = [(group, _SpanIndex(group.pattern, text)) for group in rules.intensifiers]

    def cue(self, span: Span, weight: float, reason: str) -> Evidence:
        """Evidence for a context cue, quoting the cue as it appears."""
        return Evidence(self.text.text[span[0] : span[1]], span[0], span[1], weight, reason)

    def quote(self, span: Span) -> str:
        """The text of a span, for explanations."""
        return self.text.text[span[0] : span[1]]


def _find_matches(text: str, entries: Sequence[LexiconEntry]) -> list[_Match]:
    """All entry matches, minus those lying wholly inside a longer (or equal, higher-level) one."""
    found = [
        _Match(m.start(), m.end(), entry)
        for entry in entries
        for m in entry.pattern.finditer(text)
        if m.end() > m.start()
    ]
    found.sort(key=lambda match: (match.start, -match.end, -match.entry.level))
    kept: list[_Match] = []
    reach = -1
    for match in found:
        if match.end > reach:
            kept.append(match)
            reach = match.end
    return kept


def _hyperbole(ctx: _Context, match: _Match) -> Span | None:
    """A hyperbole/idiom span overlapping the phrase, if any."""
    sentences = {ctx.text.sentence(match.start), ctx.text.sentence(max(match.end - 1, match.start))}
    for sentence in sentences:
        for span in ctx.hyperbole.in_sentence(sentence):
            if span[0] < match.end and match.start < span[1]:
                return span
    return None


def _negation(ctx: _Context, match: _Match) -> Span | None:
    """The negation cue that cancels the phrase; phrases opening with a negation are exempt."""
    tokens, rules, first = ctx.text.tokens, ctx.rules, ctx.text.token_index(match.start)
    if (
        first < len(tokens)
        and tokens[first][0] == match.start
        and tokens[first][2] in rules.negation_cues | rules.negation_conjunction_cues
    ):
        return None
    return _negation_before(ctx, match.start)


def _negation_before(ctx: _Context, position: int) -> Span | None:
    """A negation cue at most ``negation_window`` words before ``position``, only bridge words between.

    A conjunction negation (see ``_is_conjunction_negation``) counts only when a
    listed verb stands between it and ``position``: "ettei tarvis herätä" and "att
    inte skada mig själv" state a wish or a purpose, "ettei mulla OO ajatuksia" denies.
    """
    tokens, rules = ctx.text.tokens, ctx.rules
    crossed_verb = False
    for words, index in enumerate(range(ctx.text.token_index(position) - 1, -1, -1)):
        start, end, token = tokens[index]
        if words >= rules.negation_window:
            return None
        if token in rules.negation_cues or token in rules.negation_conjunction_cues:
            return (start, end) if crossed_verb or not _is_conjunction_negation(ctx, index) else None
        if token not in rules.negation_bridges:
            return None
        crossed_verb = crossed_verb or token in rules.negation_verbs
    return None


def _is_conjunction_negation(ctx: _Context, index: int) -> bool:
    """Whether the negation token at ``index`` is fused with ("ettei") or follows ("att inte") a conjunction."""
    tokens, rules = ctx.text.tokens, ctx.rules
    previous = tokens[index - 1][2] if index > 0 else ""
    return tokens[index][2] in rules.negation_conjunction_cues or previous in rules.negation_conjunctions


def _live_cue(ctx: _Context, span: Span) -> bool:
    """A crisis cue counts unless negated ("en tänään") or told as past ("silloin kirjoitin kirjeen")."""
    return _negation_before(ctx, span[0]) is None and _past(ctx, ctx.text.sentence(span[0])) is None


def _intensifier(ctx: _Context, match: _Match) -> tuple[Intensifier, Span] | None:
    """A live crisis cue in scope of the phrase (its sentence, or anywhere for post-scope cues).

    A negated cue does not count: "haluun kuolla mutta en tänään" is not a plan for today.
    """
    sentence = ctx.text.sentence(match.start)
    for group, index in ctx.intensifiers:
        spans = index.in_sentence(sentence) if group.scope == "sentence" else index.spans
        for span in spans:
            if _live_cue(ctx, span):
                return group, span
    return None


def _third_person(ctx: _Context, span: Span) -> Span | None:
    """The nearest third-person cue before the span in its sentence, unless "I" follows it."""
    sentence = ctx.text.sentence(span[0])
    before = [cue for cue in ctx.third_person.in_sentence(sentence) if cue[1] <= span[0]]
    if not before:
        return None
    cue = before[-1]
    first_person = any(cue[1] <= s < span[1] for s, _ in ctx.first_person.in_sentence(sentence))
    return None if first_person else cue


def _past(ctx: _Context, sentence: int) -> Span | None:
    """A past or recovered cue in the sentence, unless the sentence also speaks of relapse."""
    if ctx.relapse.in_sentence(sentence):
        return None
    spans = ctx.past.in_sentence(sentence) or ctx.recovered.in_sentence(sentence)
    return spans[0] if spans else None


def _recovered_since(ctx: _Context, sentence: int) -> Span | None:
    """A recovered cue anywhere in the post when the sentence tells of the past and nothing of relapse.

    "Viis vuotta sitten yritin itsemurhaa. Nyt menee hyvin." is a recovery story: the
    past cue lowers the phrase once and the good ending once more, to level 1.
    """
    if not ctx.past.in_sentence(sentence) or ctx.relapse.spans or not ctx.recovered.spans:
        return None
    return ctx.recovered.spans[0]


def _news(ctx: _Context, sentence: int) -> Span | None:
    """A news/statistics cue in a sentence with no first-person word ("enligt rapporten ökade självmorden")."""
    spans = ctx.news.in_sentence(sentence)
    if not spans or ctx.first_person.in_sentence(sentence):
        return None
    return spans[0]


def _lowered(
    ctx: _Context, span: Span, level: RiskLevel, past: Span | None
) -> tuple[RiskLevel, list[str], list[Evidence]]:
    """Apply the lowering rules to a signal at ``span``; returns the level, notes and cue evidence.

    Third person and past each lower one level, a recovered ending once more, and a
    news/statistics sentence down to 1; nothing goes below 1, since the words are
    still there for a counsellor to see.
    """
    sentence = ctx.text.sentence(span[0])
    lowerings = (
        ("third person", _third_person(ctx, span), 1),
        ("past or recovered", past, 1),
        ("recovered since", _recovered_since(ctx, sentence) if past is not None else None, 1),
        ("news or statistics", _news(ctx, sentence), LEVEL_COUNT),
    )
    notes: list[str] = []
    cues: list[Evidence] = []
    for name, cue, steps in lowerings:
        if cue is not None:
            lowered = RiskLevel(max(level - steps, RiskLevel.LOW))
            notes.append(f"{name} ({ctx.quote(cue)!r}) lowered {int(level)}→{int(lowered)}")
            cues.append(ctx.cue(cue, -CUE_WEIGHT, name))
            level = lowered
    return level, notes, cues


def _cancelled(ctx: _Context, match: _Match, why: str, cue: Span) -> _Verdict:
    """A phrase discounted by context: reported with negative weight and the cue that did it."""
    reason = f"{match.entry.reason}; {why} ({ctx.quote(cue)!r})"
    weight = -match.entry.weight
    phrase = Evidence(ctx.quote((match.start, match.end)), match.start, match.end, weight, reason)
    return _Verdict(match, None, (phrase,))


def _judge(ctx: _Context, match: _Match) -> _Verdict:
    """Apply hyperbole, negation, past, intensifier, third-person and news rules to one phrase.

    Hyperbole and negation come first so a joke is never raised ("tapan itteni
    huomenna jos tää kahvinkeitin ei toimi"), and a past-marked phrase is never
    raised, so "idag" in a recovery story does not read as a plan for today.
    """
    if (span := _hyperbole(ctx, match)) is not None:
        return _cancelled(ctx, match, "hyperbole/idiom", span)
    if (span := _negation(ctx, match)) is not None:
        return _cancelled(ctx, match, "negated", span)
    level, notes, cues = match.entry.level, [], []
    past = _past(ctx, ctx.text.sentence(match.start))
    if past is None and level == RiskLevel.HIGH and (found := _intensifier(ctx, match)) is not None:
        level = RiskLevel.CRISIS
        notes.append(f"crisis intensifier ({ctx.quote(found[1])!r}) raised 3→4")
        cues.append(ctx.cue(found[1], CUE_WEIGHT, f"crisis intensifier: {found[0].kind}"))
    level, lowered_notes, lowered_cues = _lowered(ctx, (match.start, match.end), level, past)
    reason = "; ".join([match.entry.reason, *notes, *lowered_notes])
    phrase = Evidence(ctx.quote((match.start, match.end)), match.start, match.end, match.entry.weight, reason)
    return _Verdict(match, level, (phrase, *cues, *lowered_cues))


def _crisis_pair(ctx: _Context) -> tuple[tuple[Intensifier, Span], tuple[Intensifier, Span]] | None:
    """Two live crisis cues of different kinds that together signal a crisis, in text order.

    "Tänä yönä tää loppuu" (time + finality), "oon päättäny et tää kaikki loppuu"
    (decision + finality) and "kirjotin kirjeet valmiiks ... kiitos kaikille ja
    anteeks" (plan + farewell) say crisis without any ideation phrase. At least one
    cue of the pair must be post-scoped (farewell, concrete plan, finality), and a
    sentence-scoped one counts only in that cue's sentence: time and decision words
    are everyday words ("aion mennä huomenna kauppaan") and say nothing on their own.
    """
    live = [(group, span) for group, index in ctx.intensifiers for span in index.spans if _live_cue(ctx, span)]
    # The first post-scoped cue of each kind, in the post and per sentence: enough to
    # find a pair, and keeps a post with thousands of cues linear.
    anchors: dict[str, tuple[Intensifier, Span]] = {}
    sentence_anchors: dict[int, dict[str, tuple[Intensifier, Span]]] = {}
    for group, span in live:
        if group.scope == "post":
            anchors.setdefault(group.kind, (group, span))
            sentence_anchors.setdefault(ctx.text.sentence(span[0]), {}).setdefault(group.kind, (group, span))
    for group, span in live:
        partners = anchors if group.scope == "post" else sentence_anchors.get(ctx.text.sentence(span[0]), {})
        for kind, partner in partners.items():
            if kind != group.kind:
                first, second = sorted(((group, span), partner), key=lambda cue: cue[1])
                return first, second
    return None


def _combined(ctx: _Context) -> _Verdict | None:
    """The crisis-cue combination as a level-4 signal, lowered by third person or news like a phrase."""
    pair = _crisis_pair(ctx)
    if pair is None:
        return None
    (first, first_span), (second, second_span) = pair
    level, notes, cues = _lowered(ctx, second_span, RiskLevel.CRISIS, None)
    reason = "; ".join([f"{_COMBINATION.reason}: {first.kind} + {second.kind}", *notes])
    signal = tuple(ctx.cue(span, _COMBINATION.weight, reason) for span in (first_span, second_span))
    return _Verdict(_Match(first_span[0], second_span[1], _COMBINATION), level, (*signal, *cues))


def _probabilities(verdicts: Sequence[_Verdict], level: RiskLevel) -> tuple[float, ...]:
    """Heuristic, NOT calibrated, level probabilities: softmax over damped per-level support.

    Support per level is the summed weight of surviving phrases at their effective
    level, plus ``CANCELLED_SHARE`` of cancelled phrases' weight at their original
    level, plus ``NO_SIGNAL_SUPPORT`` for level 0 when nothing survived. Logits are
    ``log1p(support) / TEMPERATURE`` (log1p so a phrase repeated 50 times does not
    read as certainty), and the chosen level's logit is lifted to at least
    ``MARGIN`` above every other, so the most mass always sits on the chosen level.
    The numbers rank posts roughly; they are not frequencies and must not be read
    as the chance that the writer is at risk.
    """
    support = [0.0] * LEVEL_COUNT
    for verdict in verdicts:
        entry = verdict.match.entry
        if verdict.level is None:
            support[entry.level] += CANCELLED_SHARE * entry.weight
        else:
            support[verdict.level] += entry.weight
    if level == RiskLevel.NONE:
        support[RiskLevel.NONE] += NO_SIGNAL_SUPPORT
    logits = [math.log1p(value) / TEMPERATURE for value in support]
    best_other = max(logit for index, logit in enumerate(logits) if index != level)
    logits[level] = max(logits[level], best_other + MARGIN)
    peak = max(logits)
    exps = [math.exp(logit - peak) for logit in logits]
    total = sum(exps)
    return tuple(value / total for value in exps)


def _explanation(verdicts: Sequence[_Verdict]) -> tuple[Evidence, ...]:
    """All phrase and cue evidence in text order, each cue reported once."""
    unique = {(e.start, e.end, e.reason): e for verdict in verdicts for e in verdict.evidence}
    return tuple(sorted(unique.values(), key=lambda e: (e.start, e.end, e.reason)))


class LexiconScorer:
    """The lexicon baseline behind the :class:`models.serving.scoring.Scorer` protocol.

    Loads every ``*.yaml`` file in ``lexicon_dir`` (default: this package's folder); each
    file names its ``language``. Texts in a language without a file are scored with
    all files merged, so an unknown or mislabelled language still gets a score.
    Score probabilities are a heuristic and NOT calibrated (see ``_probabilities``).
    """

    def __init__(self, lexicon_dir: Path | str | None = None) -> None:
        directory = Path(lexicon_dir) if lexicon_dir is not None else DEFAULT_LEXICON_DIR
        docs = [load_lexicon_file(path) for path in sorted(directory.glob("*.yaml"))]
        if not docs:
            raise ValueError(f"{directory}: no lexicon *.yaml files")
        languages = [doc["language"].lower() for doc in docs]
        if len(set(languages)) != len(languages):
            raise ValueError(f"{directory}: more than one file per language: {languages}")
        self._versions = {language: doc["version"] for language, doc in zip(languages, docs, strict=True)}
        self._rules = {language: build_rules([doc]) for language, doc in zip(languages, docs, strict=True)}
        self._fallback = build_rules(docs)

    @property
    def version(self) -> str:
        """``lexicon-<version>`` when all files agree, else every file's version spelled out."""
        versions = set(self._versions.values())
        if len(versions) == 1:
            return f"lexicon-{versions.pop()}"
        return "lexicon-" + "+".join(f"{lang}@{ver}" for lang, ver in sorted(self._versions.items()))

    @property
    def languages(self) -> tuple[str, ...]:
        """Language codes that have their own lexicon file."""
        return tuple(sorted(self._rules))

    def rules_for(self, language: str) -> Rules:
        """Rules for an ISO code like "fi", "sv-SE" or "FI"; anything else gets all lexicons."""
        code = (language or "").strip().lower().replace("_", "-").split("-")[0]
        return self._rules.get(code, self._fallback)

    def score(self, text: str, language: str) -> Score:
        """Score one redacted text; see the module docstring for the rules."""
        rules = self.rules_for(language)
        matches = _find_matches(text, rules.entries)
        ctx = _Context(_Text(text), rules)
        verdicts = [_judge(ctx, match) for match in matches]
        if (combined := _combined(ctx)) is not None:
            verdicts.append(combined)
        levels = [verdict.level for verdict in verdicts if verdict.level is not None]
        level = max(levels, default=RiskLevel.NONE)
        return Score(level, _probabilities(verdicts, level), self.version, _explanation(verdicts))

    def score_batch(self, texts: Sequence[str], languages: Sequence[str],
                    contexts: Sequence[str | None] | None = None) -> list[Score]:
        """Score each text with its language's lexicon (see :meth:`rules_for`). The lexicon reads a comment
        alone: ``contexts`` (the posts the texts answer) are accepted, as every scorer's are, and not used."""
        if len(texts) != len(languages):
            raise ValueError(f"got {len(texts)} texts but {len(languages)} languages")
        return [self.score(text, language) for text, language in zip(texts, languages, strict=True)]

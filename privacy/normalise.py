"""Text as the detectors should see it: invisible characters out, look-alikes folded, offsets kept.

An identifier hides from a pattern as soon as one invisible or look-alike character sits
inside it: a soft hyphen in a surname, a zero-width space in a phone number, fullwidth
digits in a national id, a Cyrillic "а" in a name, a NUL between first name and surname.
So every post is cleaned before anything looks at it:

* ``text`` is what gets redacted and stored: format characters (Unicode category Cf: soft
  hyphen, zero-width characters, bidi controls, word joiner, BOM) are removed; other
  control characters (NUL and the like, but not tab and newlines) become a space; lone
  surrogates become U+FFFD; compatibility forms are folded (NFKC: fullwidth digits,
  ligatures, non-breaking spaces), one base character with its combining marks at a time.
* ``detection`` has the same length as ``text`` (so spans found in it are spans of
  ``text``), with look-alike letters from other scripts folded to Latin and digits of any
  script folded to ASCII: detectors match ``Virtanen`` where the post says ``Virtаnen``.
* ``joined`` exists only when a control character was turned into a space: the detection
  text with those spaces removed, and where each of its characters sits in ``text``, for a
  control character that was hiding inside an identifier rather than between two words.

``origin`` maps every character of ``text`` back to the raw input, so a span can be
reported in the raw text's terms (the DPO's test bench shows input and output side by side).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

REPLACEMENT = "\ufffd"
#: Characters of a post read before it is cut (the setting MAJAKKA_MAX_POST_CHARS overrides it).
DEFAULT_MAX_POST_CHARS = 10_000
_KEPT_CONTROLS = frozenset("\t\n\r")

#: Letters of other scripts that look like Latin ones (the Unicode confusables most used to dodge filters).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "һ": "h", "ӏ": "l", "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ї": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D",
    "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ӏ": "I",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin look-alikes outside ASCII that NFKC keeps
    "ı": "i", "ȷ": "j", "ɡ": "g", "ɑ": "a", "ᴀ": "A", "ʙ": "B", "ᴄ": "C", "ᴅ": "D", "ᴇ": "E", "ɢ": "G",
    "ʜ": "H", "ɪ": "I", "ᴊ": "J", "ᴋ": "K", "ʟ": "L", "ᴍ": "M", "ɴ": "N", "ᴏ": "O", "ᴘ": "P", "ʀ": "R",
    "ᴛ": "T", "ᴜ": "U", "ᴠ": "V", "ᴡ": "W", "ʏ": "Y", "ᴢ": "Z",
}


@dataclass(frozen=True)
class CleanText:
    """A post cleaned for detection; see the module docstring for what each field is."""

    text: str
    detection: str
    origin: tuple[int, ...]
    joined: tuple[str, tuple[int, ...]] | None = None
    #: for each character of ``text``, where the raw input it came from ends
    origin_end: tuple[int, ...] = ()

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw-input span that ``text[start:end]`` came from (whole source characters, even when one of
        them became several: the "1" of "½" maps back to all of "½")."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin_end[end - 1]


def _is_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


def _clusters(raw: str) -> list[tuple[int, str]]:
    """(start index, characters) of each base character with the combining marks after it."""
    clusters: list[tuple[int, str]] = []
    for index, char in enumerate(raw):
        if clusters and unicodedata.combining(char) and not _is_surrogate(char):
            start, chars = clusters[-1]
            clusters[-1] = (start, chars + char)
        else:
            clusters.append((index, char))
    return clusters


def _fold(char: str) -> str:
    """One character of ``text`` as detectors should read it (same length: one character)."""
    if char in CONFUSABLES:
        return CONFUSABLES[char]
    if not char.isascii() and char.isdecimal():
        return str(unicodedata.decimal(char))
    return char


def clean(raw: str) -> CleanText:
    """Clean ``raw`` for detection (never raises: every code point has a place)."""
    out: list[str] = []
    origin: list[int] = []
    origin_end: list[int] = []
    control_spaces: set[int] = set()
    for start, cluster in _clusters(raw):
        first, end = cluster[0], start + len(cluster)
        if _is_surrogate(first):
            out.append(REPLACEMENT)
            origin.append(start)
            origin_end.append(end)
            continue
        category = unicodedata.category(first)
        if category == "Cf":
            continue
        if category == "Cc" and first not in _KEPT_CONTROLS:
            control_spaces.add(len(out))
            out.append(" ")
            origin.append(start)
            origin_end.append(end)
            continue
        for char in unicodedata.normalize("NFKC", cluster):
            out.append(char)
            origin.append(start)
            origin_end.append(end)
    origin.append(len(raw))
    text = "".join(out)
    detection = "".join(_fold(char) for char in text)
    joined = None
    if control_spaces:
        kept = [index for index in range(len(text)) if index not in control_spaces]
        joined = ("".join(detection[index] for index in kept), (*kept, len(text)))
    return CleanText(text, detection, tuple(origin), joined, tuple(origin_end))


def decode_bytes(data: bytes) -> str:
    """UTF-8 bytes as text; bytes that are not UTF-8 become U+FFFD instead of an error."""
    return data.decode("utf-8", errors="replace")


def limit_length(text: str, max_chars: int) -> tuple[str, bool]:
    """``text`` cut to ``max_chars`` if longer, keeping the head and the tail (the end often carries the
    turn: "...mutta en jaksa enää"); returns the text and whether it was cut."""
    if len(text) <= max_chars:
        return text, False
    marker = "\n[...]\n"
    room = max(max_chars - len(marker), 2)
    head_end = _at_space(text, (room * 2) // 3, backwards=True)
    tail_start = _at_space(text, len(text) - (room - head_end), backwards=False)
    return text[:head_end] + marker + text[tail_start:], True


def _at_space(text: str, position: int, *, backwards: bool, window: int = 60) -> int:
    """The nearest whitespace to ``position`` within ``window`` (inward), so a cut never splits a word or an
    identifier (half an e-mail address is not an e-mail address to a detector); ``position`` if none."""
    steps = range(position, max(position - window, 0), -1) if backwards else \
        range(position, min(position + window, len(text)))
    return next((i for i in steps if text[i - 1:i].isspace() or text[i:i + 1].isspace()), position)

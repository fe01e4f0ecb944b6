"""The first message as the counsellor sent it: a record kept like post text, never raw.

A counsellor may greet the person by name or mention a place; the record of what was sent is
kept for the follow-up and for the supervisor, so it goes through the same privacy filter as
posts before it is stored, encrypted with the same key ring, and purged with its suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from privacy.encryption import TextCipher

#: The longest message recorded as sent (a first message is a few lines).
MAX_CHARS = 4000


class TextFilter(Protocol):
    def redact(self, text: str, language: str): ...


@dataclass(frozen=True)
class SealedMessage:
    """A sent message ready to store, and whether it differs from the draft."""

    encrypted: bytes | None
    edited: bool


class MessageTooLongError(ValueError):
    """The message is longer than :data:`MAX_CHARS`."""


def _normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


def seal(message: str, *, draft: str, language: str, text_filter: TextFilter, cipher: TextCipher) -> SealedMessage:
    """Redact and encrypt ``message``; an empty message records nothing (the draft was not used)."""
    message = _normalised(message)
    if len(message) > MAX_CHARS:
        raise MessageTooLongError(f"a sent message is at most {MAX_CHARS} characters")
    if not message:
        return SealedMessage(None, False)
    redacted = text_filter.redact(message, language).text
    return SealedMessage(cipher.encrypt(redacted), message != _normalised(draft))

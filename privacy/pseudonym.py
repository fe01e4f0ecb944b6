"""Author pseudonyms: ``HMAC-SHA256(secret, source + ":" + author)`` (invariant 2).

Keyed, so that nobody holding a database dump can test guesses of usernames; stable,
so that an erasure request ("delete everything about u/x") is served by recomputing
the pseudonym from the username. Keys rotate: new rows use the current key, and the
retired keys stay in the ring so erasure still finds rows made with them until those
rows expire. Each row stores the short id of the key that made its pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key, safe to store and print."""
    return hashlib.sha256(b"majakka-key-id:" + key).hexdigest()[:12]


def normalise_username(username: str) -> str:
    """``u/Name``, ``/u/Name`` and ``@Name`` all mean the account ``name`` (Reddit ignores case)."""
    name = username.strip()
    for prefix in ("/u/", "u/", "@"):
        if name.lower().startswith(prefix):
            name = name[len(prefix):]
            break
    return name.lower()


@dataclass(frozen=True)
class Pseudonymizer:
    """A key ring: ``keys[0]`` makes new pseudonyms, all of them resolve old ones."""

    keys: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError("a pseudonym key ring needs at least one key")

    @classmethod
    def from_keys(cls, current: bytes, previous: Sequence[bytes] = ()) -> Pseudonymizer:
        return cls((current, *previous))

    @property
    def key_id(self) -> str:
        return key_id(self.keys[0])

    def pseudonym(self, source: str, author: str) -> str:
        """The pseudonym under the current key."""
        return _hmac(self.keys[0], source, author)

    def candidates(self, source: str, author: str) -> dict[str, str]:
        """key id -> pseudonym under every key in the ring (for erasure and opt-out)."""
        return {key_id(key): _hmac(key, source, author) for key in self.keys}


def _hmac(key: bytes, source: str, author: str) -> str:
    message = f"{source}:{normalise_username(author)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()

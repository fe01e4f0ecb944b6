"""Author pseudonyms: ``HMAC-SHA256(secret, source + ":" + author)`` (invariant 2).

Keyed, so that nobody holding a database dump can test guesses of usernames; stable,
so that an erasure request ("delete everything about u/x") is served by recomputing
the pseudonym from the username. The key id is stored beside each pseudonym so a
later key rotation can still resolve older rows.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class Pseudonymizer:
    key: bytes

    @property
    def key_id(self) -> str:
        """A short public fingerprint of the key, safe to store and print."""
        return hashlib.sha256(b"majakka-key-id:" + self.key).hexdigest()[:12]

    def pseudonym(self, source: str, author: str) -> str:
        """Hex HMAC of the author; Reddit usernames are case-insensitive, so they are lower-cased."""
        message = f"{source}:{author.lower()}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

"""Encryption at rest of stored (already redacted) text.

Redaction is never perfect; encrypting what remains means a database dump or a
stolen backup alone reveals nothing (the Vastaamo lesson). Fernet gives authenticated
encryption (AES-128-CBC + HMAC-SHA256). Keys rotate through a ring: the first key
encrypts, every key decrypts, and :meth:`TextCipher.rotate` re-encrypts old rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class DecryptionError(RuntimeError):
    """Stored text could not be decrypted with any configured key."""


class TextCipher:
    """Encrypts with the current key; decrypts with any key in the ring."""

    def __init__(self, key: bytes, previous: Sequence[bytes] = ()) -> None:
        self._fernet = MultiFernet([Fernet(k) for k in (key, *previous)])

    def encrypt(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, token: bytes | memoryview) -> str:
        try:
            return self._fernet.decrypt(bytes(token)).decode("utf-8")
        except InvalidToken:
            raise DecryptionError(
                "stored text does not decrypt with MAJAKKA_ENCRYPTION_KEY or MAJAKKA_ENCRYPTION_PREVIOUS_KEYS"
            ) from None

    def rotate(self, token: bytes | memoryview) -> bytes:
        """The same plaintext, encrypted under the current key."""
        try:
            return self._fernet.rotate(bytes(token))
        except InvalidToken:
            raise DecryptionError("cannot rotate: no configured key decrypts this text") from None

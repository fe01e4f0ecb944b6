"""Encryption at rest of stored (already redacted) text.

Redaction is never perfect; encrypting what remains means a database dump or a
stolen backup alone reveals nothing (the Vastaamo lesson). Fernet gives authenticated
encryption (AES-128-CBC + HMAC-SHA256) with one well-reviewed primitive.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class DecryptionError(RuntimeError):
    """Stored text could not be decrypted with the configured key."""


class TextCipher:
    """Encrypts and decrypts UTF-8 text with one Fernet key."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, token: bytes | memoryview) -> str:
        try:
            return self._fernet.decrypt(bytes(token)).decode("utf-8")
        except InvalidToken:
            raise DecryptionError("stored text does not decrypt with MAJAKKA_ENCRYPTION_KEY") from None

"""The base of Majakka's pattern recognizers: the knowledge in class constants, one constructor.

Each recognizer states what it finds as data (``ENTITY``, ``PATTERNS`` with graded scores,
``CONTEXT`` words); this class hands them to Presidio, so a new recognizer is a file of
constants and, where a checksum exists, a ``validate_result``.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer


class ConstantPatternRecognizer(PatternRecognizer):
    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[Pattern, ...]]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    #: The language an instance serves when none is given (``build_recognizers`` always gives one).
    LANGUAGE: ClassVar[str] = "fi"
    #: Presidio matches case-insensitively by default; set where capitals are part of the shape.
    CASE_SENSITIVE: ClassVar[bool] = False

    def __init__(self, supported_language: str | None = None) -> None:
        flags = re.DOTALL | re.MULTILINE | (0 if self.CASE_SENSITIVE else re.IGNORECASE)
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            supported_language=supported_language or self.LANGUAGE,
            global_regex_flags=flags,
        )

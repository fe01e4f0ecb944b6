"""Finnish personal identity code (henkilötunnus), e.g. ``131052-308T`` or ``010594Y9021``.

Presidio 2.2.366 ships ``FiPersonalIdentityCodeRecognizer`` and it already knows the
2023 reform: every century sign (``+``; ``-`` ``Y`` ``X`` ``W`` ``V`` ``U``; ``A`` to ``F``)
is accepted, the check character is ``DDMMYYNNN mod 31`` and the date is validated with
its century (so 29 Feb 1900 is refused, 29 Feb 2000 accepted). We therefore subclass it
rather than write our own, and change only what it gets wrong for us:

* its second, boundary-less pattern lifts codes out of longer digit runs, where the
  checksum then promotes a 1-in-31 coincidence to score 1.0: only whole tokens match here;
* a lower-case century sign (``y``) silently falls back to the 2000s, so ``290200y…``
  passed as 29 Feb 2000: the code is upper-cased before validation;
* its context words are English plus one Swedish word; ours are the stems people write.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import FiPersonalIdentityCodeRecognizer


class HenkilotunnusRecognizer(FiPersonalIdentityCodeRecognizer):
    """DDMMYY + century sign + NNN + check character; the checksum decides, the regex only proposes."""

    ENTITY = "FI_PERSONAL_IDENTITY_CODE"
    PATTERNS = (
        # The score is provisional: the check character always either confirms (1.0) or rejects.
        Pattern(
            "henkilötunnus",
            r"\b\d{6}[-+ABCDEFUVWXY]\d{3}[0-9ABCDEFHJKLMNPRSTUVWXY]\b",
            0.5,
        ),
    )
    #: Substring-matched against lower-cased neighbouring tokens, so stems cover inflections
    #: ("henkilötunnukseni", "hetuni", "personbeteckningen").
    CONTEXT = ("hetu", "henkilötun", "sotu", "sosiaaliturvatun", "personbeteckning")

    def __init__(self, supported_language: str = "fi") -> None:
        super().__init__(
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            supported_language=supported_language,
            supported_entity=self.ENTITY,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Upstream's century table and check alphabet are upper-case only."""
        return super().validate_result(pattern_text.upper())

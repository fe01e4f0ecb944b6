"""Named schools and workplaces after a word that ties the writer to them.

"käyn Kallion lukiota", "olen töissä Prismassa", "opiskelen Tampereen yliopistossa",
"jag går på Hvitfeldtska gymnasiet", "jobbar på ICA Maxi i Borås": a class or a shop
floor is a few dozen people, so the named place narrows a post down to its writer. A
name alone ("Prisma", "Hvitfeldtska") is not redacted: the shop down the road or a
school in the news says nothing about the writer. The affiliation verb is required and
is matched with a lookbehind (Presidio compiles with the ``regex`` module, which allows
variable width), so only the institution is replaced and the verb stays for the scorer.

The institution must be written with a capital: generic "koulu", "jobbet", "gymnasiet"
are kept. A town right after a Swedish workplace ("ICA Maxi i Borås") is part of the
span, because it picks out the branch.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

#: A capitalised or all-caps word: "Kallion", "ICA", "K-Citymarketissa", "H&M".
_CAP = r"[A-ZÅÄÖ][\w&'-]*"
_FI_SCHOOL_WORD = (
    r"(?:lukio|koulu|yliopisto|ammattikoulu|ammattikorkeakoulu|amk|opisto|yläaste|ala-aste|peruskoulu"
    r"|korkeakoulu|akatemia|kansanopisto)[a-zåäö]*"
)
_FI_STUDY = r"(?i:käyn|kävin|käy|opiskelen|opiskelin|opiskelee|opiskelet|pääsin|aloitin)"
_FI_WORK = r"(?i:töissä|duunissa|työskentelen|työskentelin|harjoittelussa|kesätöissä|töihin)"
_SV_VERB = (
    r"(?i:går|gick|pluggar|pluggade|studerar|studerade|jobbar|jobbade|arbetar|arbetade|praktiserar"
    r"|extrajobbar|sommarjobbar|jobbar\s+extra|börjar|började)"
)
_SV_SCHOOL_WORD = r"(?:gymnasiet|gymnasium|skolan|högskolan|högskola|universitetet|universitet|folkhögskolan)"


class OrganizationRecognizer(ConstantPatternRecognizer):
    """Affiliation verb + capitalised name; the verb is context built into the pattern."""

    ENTITY = "ORGANIZATION"
    PATTERNS = (
        Pattern(
            "Finnish school (käyn Kallion lukiota)",
            rf"(?<=\b{_FI_STUDY}\s+)(?:{_CAP}\s+){{0,2}}{_CAP}\s+{_FI_SCHOOL_WORD}(?!\w)",
            0.6,
        ),
        Pattern("Finnish workplace (olen töissä Prismassa)", rf"(?<=\b{_FI_WORK}\s+){_CAP}(?:\s+{_CAP}){{0,2}}", 0.6),
        Pattern(
            "Swedish school or workplace (går på Hvitfeldtska gymnasiet, jobbar på ICA Maxi i Borås)",
            rf"(?<=\b{_SV_VERB}\s+(?i:på|vid|hos|i)\s+){_CAP}(?:\s+{_CAP}){{0,3}}"
            rf"(?:\s+{_SV_SCHOOL_WORD})?(?:\s+i\s+[A-ZÅÄÖ][a-zåäö]+)?(?!\w)",
            0.6,
        ),
    )

    # The capital is what separates "Prismassa" from "kaupassa".
    CASE_SENSITIVE = True

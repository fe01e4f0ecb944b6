"""First-message drafts in the poster's language, for a counsellor to edit and send by hand.

Warm, short and non-clinical on purpose: people who post about distress have not asked
to be contacted, so the message introduces a human, names no diagnosis, quotes nothing
from the post, and makes saying no easy. Nothing here is ever sent automatically.
"""

from __future__ import annotations

from outreach.directory import Service

#: Tones a counsellor can start from: warm (the default), brief, formal. Each says the same things.
TONES = ("warm", "brief", "formal")
_OPENINGS = {
    "warm": {
        "fi": {
            2: "Hei! Huomasin viestisi ja halusin kysyä, miten sinulla menee.",
            3: "Hei! Luin viestisi ja jäin miettimään sinua. Kuulostaa siltä, että sinulla on nyt tosi raskasta.",
            4: "Hei, luin viestisi ja olen huolissani sinusta. Haluaisin kuulla, miten voit juuri nyt.",
        },
        "sv": {
            2: "Hej! Jag såg ditt inlägg och ville fråga hur du har det.",
            3: "Hej! Jag läste ditt inlägg och har tänkt på dig. Det låter som att du har det riktigt tungt just nu.",
            4: "Hej, jag läste ditt inlägg och är orolig för dig. Jag skulle vilja höra hur du mår just nu.",
        },
    },
    "brief": {
        "fi": {
            2: "Hei! Näin viestisi. Miten menee?",
            3: "Hei! Luin viestisi ja ajattelin sinua. Miten jaksat?",
            4: "Hei, olen huolissani sinusta viestisi perusteella. Miten voit juuri nyt?",
        },
        "sv": {
            2: "Hej! Jag såg ditt inlägg. Hur är det?",
            3: "Hej! Jag läste ditt inlägg och tänkte på dig. Hur orkar du?",
            4: "Hej, jag blev orolig för dig när jag läste ditt inlägg. Hur mår du just nu?",
        },
    },
    "formal": {
        "fi": {
            2: "Hei. Kirjoitan, koska huomasin viestisi ja halusin kysyä, miten voit.",
            3: "Hei. Luin viestisi, ja se jäi mieleeni. Kuulostaa siltä, että tilanteesi on nyt raskas.",
            4: "Hei. Luin viestisi, ja olen huolissani turvallisuudestasi. Haluaisin kuulla, miten voit juuri nyt.",
        },
        "sv": {
            2: "Hej. Jag skriver eftersom jag såg ditt inlägg och ville fråga hur du mår.",
            3: "Hej. Jag läste ditt inlägg och det stannade kvar hos mig. Det låter som att du har det tungt just nu.",
            4: "Hej. Jag läste ditt inlägg och är orolig för din säkerhet. Jag skulle vilja höra hur du mår just nu.",
        },
    },
}
_INTRO = {
    # Finnish joins a one-word name to "palvelu" with a hyphen ("Majakka-palvelusta") and a name of
    # several words with a space and a hyphen ("Vaasan nuorten chat -palvelusta"): see _joined.
    "fi": "Kirjoitan {organisation}palvelusta, jossa voi jutella nimettömästi ja ilman kiirettä.",
    "sv": "Jag skriver från {organisation}, där man kan prata anonymt och i lugn och ro.",
}
_SERVICES_LEAD = {
    "fi": "Jos haluat puhua jonkun kanssa, näistä saat apua:",
    "sv": "Om du vill prata med någon finns de här:",
}
_CLOSING = {
    "fi": "Sinun ei tarvitse vastata, jos et halua. Olen täällä, jos haluat.",
    "sv": "Du behöver inte svara om du inte vill. Jag finns här om du vill.",
}
_EMERGENCY = {
    "fi": "Jos olet välittömässä vaarassa, soita 112.",
    "sv": "Om du är i akut fara, ring 112.",
}


def draft_message(*, language: str, level: int, organisation: str, services: list[Service],
                  tone: str = "warm") -> str:
    """The draft text for one suggestion; ``level`` is 2-4, ``language`` "fi" or "sv", ``tone`` one of TONES."""
    lang = language if language in _INTRO else "fi"
    openings = _OPENINGS[tone if tone in TONES else "warm"][lang]
    lines = [openings[max(2, min(level, 4))],
             _INTRO[lang].format(organisation=_joined(organisation) if lang == "fi" else organisation)]
    if level >= 4:
        lines.append(_EMERGENCY[lang])
    listed = [s for s in services if s.contact != "112"]
    if listed:
        lines.append(_SERVICES_LEAD[lang])
        lines.extend(f"- {s.name}: {s.contact} ({s.hours})" for s in listed)
    lines.append(_CLOSING[lang])
    return "\n".join(lines)


def _joined(name: str) -> str:
    """``name`` ready to be joined to "palvelusta": "Majakka-", "Vaasan nuorten chat -"."""
    name = name.strip()
    return f"{name} -" if " " in name else f"{name}-"

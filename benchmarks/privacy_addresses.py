"""Street addresses in all their Finnish and Swedish forms, planted in post-like sentences (generated data).

No real corpus annotates street addresses, so this set is generated, and labelled so in every
report: street names built from the real suffixes (``-katu``, ``-bulevardi``, ``-raitti``,
``-gränd``, ``-stigen``, ``-allén`` ...), house numbers with staircase and flat ("5 A 12",
"5 as. 12", "12 lgh 1102"), inflected Finnish forms ("Koivukujalla 3"), Finland-Swedish
names ("Mannerheimvägen"), c/o lines, PL/Box addresses, postcodes before or after the town,
with ``FI-``/``SE-`` prefixes, and lower case. The sentence frames are what people write
when they say where they are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FI_STEMS = ("Koivu", "Mänty", "Kuusi", "Pihlaja", "Leppä", "Haapa", "Tammi", "Vaahtera", "Kataja", "Kielo",
            "Hämeen", "Satakunnan", "Läntinen ", "Itäinen ", "Rauhan", "Koulu", "Kirkko", "Myllyn", "Sepän",
            "Asema", "Uuden", "Vanha ", "Pohjois", "Etelä", "Keski", "Ratsu", "Kaarti", "Puisto")
#: Suffix in the nominative, with its adessive (where one is "at": "asun Koivukujalla 3").
FI_SUFFIXES = (("katu", "kadulla"), ("tie", "tiellä"), ("kuja", "kujalla"), ("polku", "polulla"),
               ("väylä", "väylällä"), ("ranta", "rannalla"), ("kaari", "kaarella"), ("rinne", "rinteellä"),
               ("bulevardi", "bulevardilla"), ("raitti", "raitilla"), ("mäki", "mäellä"), ("tori", "torilla"),
               ("aukio", "aukiolla"), ("puistikko", "puistikossa"), ("kaarre", "kaarteella"),
               ("kierto", "kierrolla"), ("polku", "polulla"), ("linja", "linjalla"), ("niitty", "niityllä"),
               ("piha", "pihalla"), ("kulma", "kulmalla"), ("portti", "portilla"), ("laita", "laidalla"),
               ("penger", "penkereellä"), ("esplanadi", "esplanadilla"))
SV_STEMS = ("Stor", "Kungs", "Drottning", "Björk", "Ek", "Lind", "Sjö", "Skol", "Kyrk", "Kvarn", "Hamn", "Järnvägs",
            "Norra ", "Södra ", "Lilla ", "Gamla ", "Ängs", "Tall", "Gran", "Rosen", "Mannerheim", "Alexanders")
SV_SUFFIXES = ("gatan", "vägen", "gränd", "gränden", "torget", "backen", "stigen", "allén", "plan", "leden",
               "kajen", "stråket", "slingan", "promenaden", "gången", "platsen", "esplanaden", "ringen",
               "parken", "höjden")
FI_TOWNS = ("Helsinki", "Espoo", "Tampere", "Vantaa", "Oulu", "Turku", "Jyväskylä", "Lahti", "Kuopio", "Pori",
            "Kouvola", "Joensuu", "Lappeenranta", "Hämeenlinna", "Vaasa", "Seinäjoki", "Rovaniemi", "Mikkeli")
FI_SWEDISH_TOWNS = ("Helsingfors", "Esbo", "Vanda", "Åbo", "Vasa", "Borgå", "Jakobstad", "Karleby", "Ekenäs")
SV_TOWNS = ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping", "Helsingborg",
            "Jönköping", "Norrköping", "Lund", "Umeå", "Gävle", "Borås", "Södertälje", "Eskilstuna", "Luleå")

FI_FRAMES = ("Asun osoitteessa {a} ja naapurit on ihan kamalia", "Jos joku haluaa tulla, {a}",
             "mun osoite on {a} jos tarvitte", "Lähetä paketti osoitteeseen {a}, kiitos",
             "Olen nyt täällä: {a}. En tiedä mitä teen", "Postita se {a} niin hoidan",
             "Hakekaa mut {a}", "Muutin juuri, uusi osoite {a}")
FI_AT_FRAMES = ("asun {a} enkä jaksa enää", "Istun nyt {a} autossa", "Mä oon {a} yksin",
                "Olin eilen kaverilla {a} ja kaikki meni pieleen")
SV_FRAMES = ("Jag bor på {a} och grannarna är hemska", "Skicka det till {a} tack",
             "min adress är {a} om ni behöver den", "Hämta mig på {a}", "Vi har flyttat, nya adressen är {a}",
             "Jag sitter här nu: {a}. Vet inte vad jag ska göra", "Paketet kom aldrig till {a}")


@dataclass(frozen=True)
class PlantedAddress:
    text: str
    start: int
    end: int
    language: str
    form: str


def _number(rng: random.Random, language: str) -> tuple[str, str]:
    house = str(rng.randint(1, 120))
    choice = rng.random()
    if language == "sv":
        if choice < 0.3:
            return house + rng.choice("ABC"), "number+letter"
        if choice < 0.5:
            return f"{house} lgh {rng.randint(1001, 1604)}", "number+flat"
        if choice < 0.6:
            return f"{house}-{int(house) + 2}", "number range"
        return house, "number"
    if choice < 0.35:
        return f"{house} {rng.choice('ABCD')} {rng.randint(1, 60)}", "number staircase flat"
    if choice < 0.5:
        return f"{house} as. {rng.randint(1, 60)}", "number as. flat"
    if choice < 0.6:
        return f"{house}{rng.choice('abc')}", "number+letter"
    if choice < 0.7:
        return f"{house} {rng.choice('ABCD')}", "number staircase"
    return house, "number"


def _street(rng: random.Random, language: str, *, at: bool = False) -> str:
    if language == "sv":
        stem = rng.choice(SV_STEMS)
        suffix = rng.choice(SV_SUFFIXES)
        return f"{stem}{suffix}" if not stem.endswith(" ") else f"{stem}{suffix.capitalize()}"
    stem = rng.choice(FI_STEMS)
    nominative, adessive = rng.choice(FI_SUFFIXES)
    suffix = adessive if at else nominative
    return f"{stem}{suffix}" if not stem.endswith(" ") else f"{stem}{suffix.capitalize()}"


def _postal(rng: random.Random, language: str) -> tuple[str, str]:
    if language == "sv":
        code, town = f"{rng.randint(100, 984)} {rng.randint(10, 99)}", rng.choice(SV_TOWNS)
        prefix = "SE-" if rng.random() < 0.15 else ""
    else:
        code, town = f"{rng.randint(0, 99):02d}{rng.randint(100, 990)}", rng.choice(FI_TOWNS + FI_SWEDISH_TOWNS)
        prefix = "FI-" if rng.random() < 0.15 else ""
    if rng.random() < 0.15:
        return f"{town} {prefix}{code}", "town then postcode"
    return f"{prefix}{code} {town}", "postcode then town"


def address(rng: random.Random, language: str) -> tuple[str, str]:
    """One address and a label of its form."""
    choice = rng.random()
    if choice < 0.1:
        box = "PL" if language == "fi" else "Box"
        postal, form = _postal(rng, language)
        return f"{box} {rng.randint(1, 999)}, {postal}", f"{box} + {form}"
    number, number_form = _number(rng, language)
    street = f"{_street(rng, language)} {number}"
    if choice < 0.2:
        surname = rng.choice(("Virtanen", "Korhonen", "Nieminen", "Andersson", "Johansson", "Lindqvist"))
        postal, form = _postal(rng, language)
        return f"c/o {surname}, {street}, {postal}", f"c/o + {number_form} + {form}"
    if choice < 0.55:
        postal, form = _postal(rng, language)
        return f"{street}, {postal}", f"{number_form} + {form}"
    if choice < 0.65:
        return street.lower(), f"lower case {number_form}"
    return street, number_form


def generate(size: int, seed: int = 20261207) -> list[PlantedAddress]:
    rng = random.Random(seed)
    planted = []
    for index in range(size):
        language = "fi" if index % 2 == 0 else "sv"
        if language == "fi" and rng.random() < 0.25:
            number, form = _number(rng, "fi")
            value, form = f"{_street(rng, 'fi', at=True)} {number}", f"inflected street, {form}"
            frame = rng.choice(FI_AT_FRAMES)
        else:
            value, form = address(rng, language)
            frame = rng.choice(FI_FRAMES if language == "fi" else SV_FRAMES)
        start = frame.index("{a}")
        planted.append(PlantedAddress(frame.replace("{a}", value), start, start + len(value), language, form))
    return planted

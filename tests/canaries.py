"""Posts with planted identifiers and author names that must never surface anywhere (invariant 1)."""

from __future__ import annotations

from tests.factories import make_item

CANARY_AUTHORS = ["Kanarialintu_77", "Gulsparv_1999"]
CANARY_IDENTIFIERS = [
    "131052-308T",                    # henkilötunnus (DVV's example)
    "010594Y9021",                    # henkilötunnus, 2023 century sign
    "19811218-9876",                  # personnummer
    "040 765 4321", "+46 70 123 45 67",
    "kanarialintu@example.fi",
    "FI21 1234 5600 0007 85",
    "u/piilossa_oleva",
    "https://example.fi/minun-blogi",
    "Matti Virtaselle", "Mannerheimintie 12 B 34", "00100 Helsinki",
    "Erik Johansson", "Storgatan 5B", "411 38 Göteborg",
]
CANARY_POSTS = [
    make_item("k00001", "Mä en jaksa enää. Mun hetu on 131052-308T ja numero 040 765 4321, "
              "kirjottakaa kanarialintu@example.fi. Haluun vaan kuolla. Terveisiä Matti Virtaselle, "
              "asun osoitteessa Mannerheimintie 12 B 34, 00100 Helsinki.", author=CANARY_AUTHORS[0], age_minutes=50),
    make_item("k00002", "Jag orkar inte mer, vill inte leva längre. Personnummer 19811218-9876, "
              "ring +46 70 123 45 67. Gulsparv_1999 här. Min bror Erik Johansson vet inte, "
              "jag bor på Storgatan 5B, 411 38 Göteborg.", subreddit="sweden", author=CANARY_AUTHORS[1],
              age_minutes=40),
    make_item("k00003", "Ahdistaa ihan hirveesti joka päivä, en saa nukuttua. Tili FI21 1234 5600 0007 85, "
              "u/piilossa_oleva tietää, blogi https://example.fi/minun-blogi ja 010594Y9021",
              author="kolmas_tyyppi", age_minutes=30),
]

"""The expectation suites, one function each, built in code so they are reviewed like code.

Columns are those of the DataFrames the checking task builds in memory: stored posts
(with their *redacted* text decrypted in memory for the identifier safety net) and scores
(with the sum of each row's probabilities).
"""

from __future__ import annotations

PSEUDONYM = r"^[0-9a-f]{64}$"

#: Shapes of structured identifiers that must never survive the privacy filter. A last
#: safety net: these are deliberately simpler (and broader) than the recognizers.
IDENTIFIER_SHAPES = {
    "henkilötunnus": r"\b\d{6}[-+ABCDEFYXWVU]\d{3}[0-9A-Y]\b",
    "personnummer": r"\b(?:19|20)?\d{6}[-+]\d{4}\b",
    "e-mail": r"[\w.+-]+@[\w-]+\.[\w.-]+",
    "IBAN FI/SE": r"\b(?:FI|SE)\d{2}(?: ?\d{4}){3,5}",
    "mobile phone": r"(?:\+358|\+46|\b0)[ -]?(?:4\d|50|7[0236])[ -]?\d{3}[ -]?\d{2}[ -]?\d{2,3}\b",
    "URL": r"\bhttps?://",
}


def _expectations():
    import great_expectations as gx

    return gx.expectations


def stored_posts_suite():
    """A collected batch as stored: ids present and unique, only fi/sv, pseudonyms, versions."""
    e = _expectations()
    return [
        e.ExpectColumnValuesToNotBeNull(column="source_id"),
        e.ExpectColumnValuesToBeUnique(column="source_id"),
        e.ExpectColumnValuesToBeInSet(column="language", value_set=["fi", "sv"]),
        e.ExpectColumnValuesToMatchRegex(column="author_pseudonym", regex=PSEUDONYM),
        e.ExpectColumnValuesToNotBeNull(column="filter_version"),
        e.ExpectColumnValuesToBeBetween(column="text_length", min_value=0),
    ]


def identifier_safety_net_suite():
    """No stored text matches any structured-identifier shape."""
    e = _expectations()
    return [e.ExpectColumnValuesToNotMatchRegex(column="text", regex=regex, meta={"shape": name})
            for name, regex in IDENTIFIER_SHAPES.items()]


def scores_suite():
    """Scores are distributions over the five levels, with a level in 0-4 and a model version."""
    e = _expectations()
    return [
        e.ExpectColumnValuesToBeBetween(column="probability_sum", min_value=0.999, max_value=1.001),
        e.ExpectColumnValuesToBeBetween(column="level", min_value=0, max_value=4),
        e.ExpectColumnValuesToNotBeNull(column="model_version"),
    ]

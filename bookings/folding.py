"""Folding names for search: case and accents ignored both ways ("cote" ⇄ "Côté").

One definition, in Python, used for the stored ``Patient.search_name`` and for every
query, so SQLite and PostgreSQL compare exactly the same text (no ``unaccent`` or
collation that only one database has).
"""

import unicodedata

# Letters that NFKD does not split into a base letter and an accent.
_NOT_DECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "’": "'",
        "‘": "'",
    }
)


def fold(text: str) -> str:
    """Lower case, without accents, single spaces: what search compares."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    # Accents go, and so do control and format characters: no name has them, and a
    # NUL would make PostgreSQL refuse the query.
    bare = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch)
        and (ch.isspace() or not unicodedata.category(ch).startswith("C"))
    )
    return " ".join(bare.casefold().split())


def search_name(*, first_name: str, last_name: str) -> str:
    """The folded text a patient is found by: first and last name."""
    return fold(f"{first_name} {last_name}")

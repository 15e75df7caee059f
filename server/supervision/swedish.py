"""Swedish alphabetical order for names in reports (`supervision.md`, "The monthly report").

Case-insensitive; å, ä, ö are letters of their own after z, in that order; any other letter
sorts as its base letter (é as e, ü as u). æ and ø, which have no base letter, sort as ä and
ö, as Swedish dictionaries sort them. Ties (the same name) are broken by the caller (the
report breaks them by client id). A pure function: no locale of the machine is used, so the
order is the same on every server.
"""

import unicodedata

# After z (code point 122), in this order; below any other character above z.
_AFTER_Z = {"å": 122.25, "ä": 122.5, "æ": 122.5, "ö": 122.75, "ø": 122.75}


def swedish_key(text: str | None) -> tuple[float, ...]:
    """A sort key: compare two keys to compare two names in Swedish order."""
    key = []
    for char in unicodedata.normalize("NFC", (text or "").casefold()):
        if char in _AFTER_Z:
            key.append(_AFTER_Z[char])
            continue
        if unicodedata.combining(char):
            continue  # a mark that composes with nothing (a stray accent)
        base = unicodedata.normalize("NFD", char)[0]
        key.append(float(ord(base)))
    return tuple(key)

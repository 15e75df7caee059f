"""Districts (stadsdelsområden) the instance knows. An imported order names the district it
comes from, and one the instance does not know is refused (`unknown_district`), so a typo in
an orderer's export cannot file orders under a district nobody reads. Names are compared
exactly (after trimming): "Södermalm", not "södermalm".

Each district may have the number of its social services to which a report of concern
(orosanmälan) goes (`concern_phone`): a concern about children cannot wait for a sync, so the
phone's "Anmäl oro" tells the worker to call it at once (`GET /api/districts`). A number is
checked loosely (digits, spaces, `+`, `-`, parentheses): the city's switchboard, a direct
line and an international form are all numbers a person dials.

`seed-demo` adds Stockholm's districts (`server/demo/catalogue.py`) with numbers from the
range PTS keeps for fiction; an operator adds others with `faltstod district add` and sets a
number with `faltstod district phone`. The migration that made the table added the teams'
districts.
"""

import re

from server.supervision.swedish import swedish_key
from sync.errors import Problem

# A district's name as the city writes it is short; a longer one is a mistake in a file.
MAX_NAME_LENGTH = 100
# What a number a person dials may hold, and how long it may be: "112" is the shortest
# number anyone calls, "+46 (0)8-123 456 78" is a long one written in full; past 30
# characters it is a note, not a number, and a screen has no room for it.
PHONE_CHARACTERS = re.compile(r"^[0-9 +\-()]{3,30}$")
PHONE_MIN_DIGITS = 3


class DistrictError(Problem):
    """A refused district (422 `invalid_district`)."""

    def __init__(self, message: str):
        super().__init__(422, "invalid_district", message)


def checked_phone(number: str | None) -> str | None:
    """The number as kept (trimmed), None for none; raises DistrictError for one that is
    not a number a person dials."""
    if number is None:
        return None
    number = number.strip()
    if not PHONE_CHARACTERS.match(number) or sum(c.isdigit() for c in number) < PHONE_MIN_DIGITS:
        raise DistrictError(f"{number!r} is not a phone number: 3 to 30 characters, digits, "
                            "spaces, +, - and parentheses, at least 3 digits")
    return number


def add_district(db, name: str, phone: str | None = None) -> str:
    """Inside a write transaction; returns the name as kept (trimmed)."""
    name = (name or "").strip()
    if not name:
        raise DistrictError("a district needs a name")
    if len(name) > MAX_NAME_LENGTH:
        raise DistrictError(f"a district's name is at most {MAX_NAME_LENGTH} characters")
    phone = checked_phone(phone)
    if district_exists(db, name):
        raise DistrictError(f"the district {name!r} is already known")
    db.execute("INSERT INTO districts (name, concern_phone) VALUES (?, ?)", [name, phone])
    return name


def set_concern_phone(db, name: str, phone: str | None) -> str | None:
    """Set (or, with None, clear) the district's number for reports of concern, inside a
    write transaction; returns the number as kept."""
    phone = checked_phone(phone)
    if not district_exists(db, name):
        raise DistrictError(f"no district {name.strip()!r} (see `faltstod district list`)")
    db.execute("UPDATE districts SET concern_phone = ? WHERE name = ?", [phone, name.strip()])
    return phone


def concern_phone(db, name: str) -> str | None:
    """The district's number for reports of concern (None: none given, or no such district)."""
    row = db.execute("SELECT concern_phone FROM districts WHERE name = ?", [name.strip()]).fetchone()
    return row[0] if row else None


def district_exists(db, name: str) -> bool:
    return db.execute("SELECT 1 FROM districts WHERE name = ?", [name.strip()]).fetchone() is not None


def districts(db) -> list[dict]:
    """Every district with its number for reports of concern (None: not given), in Swedish
    order of the name."""
    rows = db.execute("SELECT name, concern_phone FROM districts").fetchall()
    return sorted(({"name": name, "concern_phone": phone} for name, phone in rows),
                  key=lambda d: (swedish_key(d["name"]), d["name"]))

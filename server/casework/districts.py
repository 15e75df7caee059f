"""Districts (stadsdelsområden) the instance knows. An imported order names the district it
comes from, and one the instance does not know is refused (`unknown_district`), so a typo in
an orderer's export cannot file orders under a district nobody reads. Names are compared
exactly (after trimming): "Södermalm", not "södermalm".

`seed-demo` adds Stockholm's districts (`server/demo/catalogue.py`); an operator adds others
with `faltstod district add`. The migration that made the table added the teams' districts.
"""

from sync.errors import Problem

# A district's name as the city writes it is short; a longer one is a mistake in a file.
MAX_NAME_LENGTH = 100


class DistrictError(Problem):
    """A refused district (422 `invalid_district`)."""

    def __init__(self, message: str):
        super().__init__(422, "invalid_district", message)


def add_district(db, name: str) -> str:
    """Inside a write transaction; returns the name as kept (trimmed)."""
    name = (name or "").strip()
    if not name:
        raise DistrictError("a district needs a name")
    if len(name) > MAX_NAME_LENGTH:
        raise DistrictError(f"a district's name is at most {MAX_NAME_LENGTH} characters")
    if district_exists(db, name):
        raise DistrictError(f"the district {name!r} is already known")
    db.execute("INSERT INTO districts (name) VALUES (?)", [name])
    return name


def district_exists(db, name: str) -> bool:
    return db.execute("SELECT 1 FROM districts WHERE name = ?", [name.strip()]).fetchone() is not None


def list_districts(db) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM districts ORDER BY name")]

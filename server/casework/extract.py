"""A client's register extract (registerutdrag, GDPR article 15): everything the server holds
about one client, for the client who asked, as JSON and as a printable page in Swedish.

What it holds: the client's own record (contact details included), the orders and plans
(with the plan's dialogue with the orderer),
every visit with its activities, the notes (a worker can never erase one: they are all
here, and every later version of a corrected one), the follow-ups of the goals, the
concerns and the deviation reports that name the client, the contacts, appointments and
consents, the workers' personal reminders about the client (their text is about the
client too), who has served the client and when (assignments), and who has read, written
or been refused the client's records according to the access log (per user: counts and the
last time). Beside the data, what article 15 asks to be told: the purposes, the recipients,
how long the data is kept, and the client's rights.

The extract is read in one read transaction, so it is one consistent moment of the database.
Taking it is itself logged in the access log (`faltstod extract` does that), since it reads
the whole case.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from server.security import access_log
from sync.store import read_transaction
from sync.times import parse_stored

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# The client's tables, in the order the extract lists them, with the column each is sorted by.
SECTIONS = (
    ("orders", "period_start"),
    ("plans", "updated_at"),
    ("plan_dialogue", "written_at"),
    ("visits", "coalesce(started_at, starts_at, created_at)"),
    ("notes", "written_at"),
    ("note_versions", "saved_seq"),
    ("followups", "recorded_at"),
    ("concerns", "recorded_at"),
    ("deviations", "recorded_at"),
    ("contacts", "started_at"),
    ("appointments", "starts_at"),
    ("consents", "signed_on"),
    ("personal_reminders", "remind_at"),
)
# Columns that are bookkeeping, not data about the client: the sync engine's offsets, and the
# digest of the plan a dialogue entry was written about (the plan itself is in the extract).
BOOKKEEPING = {"offsets", "plan_state"}


class UnknownClient(LookupError):
    """No client with that id."""


@dataclass(frozen=True)
class Retention:
    """How long the instance keeps what the extract shows (its settings), for the page."""

    history_days: int
    reminder_days: int
    access_log_days: int


def _value(value):
    """A stored value as the extract shows it: JSON text (lists, objects) read back."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _rows(db, sql: str, params) -> list[dict]:
    cursor = db.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return [{k: _value(v) for k, v in zip(columns, row, strict=True) if k not in BOOKKEEPING}
            for row in cursor.fetchall()]


def extract(db, data_dir, client_id: str, now: datetime) -> dict:
    """Everything held about the client `client_id`, as of `now`. Raises UnknownClient."""
    with read_transaction(db):  # a consistent moment
        clients = _rows(db, "SELECT * FROM clients WHERE id = ?", [client_id])
        if not clients:
            raise UnknownClient(client_id)
        found = {"client": clients[0]}
        for table, order in SECTIONS:
            found[table] = _rows(db, f"SELECT * FROM {table} WHERE client_id = ? ORDER BY {order}, id",
                                 [client_id])
        found["assignments"] = _rows(
            db, "SELECT a.service, a.starts_at, a.ends_at, w.name AS worker_name, w.role AS worker_role "
                "FROM assignments a JOIN workers w ON w.id = a.worker_id WHERE a.client_id = ? "
                "ORDER BY a.starts_at, a.id", [client_id])
    found["access"] = access_log.summary(data_dir, client_id)
    return {"extract": "gdpr_article_15", "made_at": now.isoformat(), **found}


def _when(text, zone) -> str:
    if not text:
        return ""
    try:
        return parse_stored(text).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(text)


def page(found: dict, zone: ZoneInfo, retention: Retention) -> str:
    """The extract as a printable page in Swedish (HTML, everything escaped)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["when"] = lambda text: _when(text, zone)
    return env.get_template("client_extract.html").render(x=found, retention=retention)

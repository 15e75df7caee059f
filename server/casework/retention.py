"""Retention of a client's case (gallring): a client no one serves any more, with no open
order, whose last trace (assignment ended, order period ended, visit, note, contact,
appointment, consent signed or withdrawn; not a consent's "valid until", which is no work
done) is more than FALTSTOD_CLIENT_RETENTION_YEARS old, is deleted with
everything about them: the client's record, orders, plans and their dialogue with the
orderer, visits, notes (every version),
follow-ups, concerns, contacts, appointments, consents, the workers' personal reminders
about them, the scheduler's reminders of those visits, appointments and concerns, and the
parked changes filed under the client; a deviation report naming the client stays, without
it.
A monthly report's corrections keep their figures but lose the client (`client_id` NULL):
the months approved stay as they were sent to the orderers.

This is the law's retention (the city's gallringsbeslut), run by the scheduler once a day
and logged (how many clients, never who); a worker can never erase a note. Deletions reach
any phone still holding a record through the record index, in the same transaction.
"""

import json
from datetime import datetime

from server.security.access import scope_of_deviations
from sync.changes import Change, deletion
from sync.times import utc_text

# The client's tables, children before parents (foreign keys are enforced), each with its
# record type in the sync index (None: not a synced record).
_TABLES = (
    ("note_versions", None),
    ("notes", "note"),
    ("followups", "followup"),
    ("concerns", "concern"),
    ("contacts", "contact"),
    ("appointments", "appointment"),
    ("consents", "consent"),
    ("visits", "visit"),
    ("plan_dialogue", "plan_dialogue"),
    ("plans", "plan"),
    ("orders", "order"),
    ("personal_reminders", "reminder"),
    ("assignments", None),
)


def years_before(now: datetime, years: int) -> datetime:
    """The same day and time `years` years before `now` (28 February for a 29 February)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


_LAST_TRACE = """
    SELECT max(c.created_at,
               coalesce((SELECT max(ends_at) FROM assignments WHERE client_id = c.id), ''),
               coalesce((SELECT max(period_end) FROM orders WHERE client_id = c.id), ''),
               coalesce((SELECT max(coalesce(ended_at, starts_at, created_at)) FROM visits
                         WHERE client_id = c.id), ''),
               coalesce((SELECT max(written_at) FROM notes WHERE client_id = c.id), ''),
               coalesce((SELECT max(started_at) FROM contacts WHERE client_id = c.id), ''),
               coalesce((SELECT max(starts_at) FROM appointments WHERE client_id = c.id), ''),
               coalesce((SELECT max(max(signed_on, coalesce(withdrawn_on, '')))
                         FROM consents WHERE client_id = c.id), ''))
"""


def past_retention(db, now: datetime, years: int) -> list[str]:
    """The ids of the clients whose case is kept no longer at `now`."""
    cutoff = utc_text(years_before(now, years))
    return [row[0] for row in db.execute(
        f"SELECT c.id FROM clients c "
        f"WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id "
        f"                  AND (a.ends_at IS NULL OR a.ends_at > ?)) "
        f"AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.client_id = c.id AND o.period_end IS NULL) "
        f"AND ({_LAST_TRACE}) < ? ORDER BY c.id", [utc_text(now), cutoff])]


def _indexed(db, record_type: str, ids: list[str]) -> list[Change]:
    """Deletions of these records as the index files them (its scope for each)."""
    rows = db.execute(
        "SELECT id, scope FROM sync_records WHERE type = ? AND deleted = 0 "
        "AND id IN (SELECT value FROM json_each(?))", [record_type, json.dumps(ids)]).fetchall()
    return [deletion(record_type, record_id, scope) for record_id, scope in rows]


def purge_client(db, client_id: str) -> list[Change]:
    """Delete the client and everything about them (inside a write transaction); returns the
    deletions for the record index, which the caller hands to `Engine.record` in it."""
    changes: list[Change] = []
    sources = [row[0] for row in db.execute(
        "SELECT id FROM visits WHERE client_id = ? UNION ALL "
        "SELECT id FROM appointments WHERE client_id = ? UNION ALL "
        "SELECT id FROM concerns WHERE client_id = ?", [client_id, client_id, client_id])]
    db.execute("DELETE FROM reminder_sends WHERE reminder_id IN (SELECT id FROM reminders "
               "WHERE source_id IN (SELECT value FROM json_each(?)))", [json.dumps(sources)])
    db.execute("DELETE FROM reminders WHERE source_id IN (SELECT value FROM json_each(?))",
               [json.dumps(sources)])
    parked = db.execute(
        "SELECT p.id, r.scope FROM sync_parked p JOIN sync_records r ON r.type = 'parked' "
        "AND r.id = p.id AND r.deleted = 0 WHERE r.scope = ?", [f"client:{client_id}"]).fetchall()
    db.execute("DELETE FROM sync_parked WHERE id IN (SELECT value FROM json_each(?))",
               [json.dumps([parked_id for parked_id, _ in parked])])
    changes += [deletion("parked", parked_id, scope) for parked_id, scope in parked]
    for table, record_type in _TABLES:
        ids = [row[0] for row in db.execute(f"SELECT id FROM {table} WHERE client_id = ?", [client_id])]
        if record_type:
            changes += _indexed(db, record_type, ids)
        db.execute(f"DELETE FROM {table} WHERE client_id = ?", [client_id])
    db.execute("UPDATE report_corrections SET client_id = NULL WHERE client_id = ?", [client_id])
    # A deviation is the provider's own log, its author's: it stays, without the client.
    changes += [Change("deviation", deviation_id, scope_of_deviations(author_id), fields=("client_id",))
                for deviation_id, author_id in db.execute(
                    "SELECT id, author_id FROM deviations WHERE client_id = ?", [client_id])]
    db.execute("UPDATE deviations SET client_id = NULL WHERE client_id = ?", [client_id])
    changes += _indexed(db, "client", [client_id])
    db.execute("DELETE FROM clients WHERE id = ?", [client_id])
    return changes

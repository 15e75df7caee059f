"""The law's retention of whole cases (gallring, `server/casework/retention.py`, run by the
scheduler's sweep): a client no one serves, with no open order, whose last trace is more
than FALTSTOD_CLIENT_RETENTION_YEARS old goes with everything about them, on the server and
(through the record index) on any phone; a client still served, or not yet that old, stays;
each deletion is an access-log entry and the server's log names nobody."""

import json
import logging
import os
from datetime import datetime

from click.testing import CliRunner

from server.cli import main
from server.cli.scheduler import retain_cases
from server.security import access_log
from sync.store import write_transaction
from sync.times import utc_text
from tests.conftest import STOCKHOLM
from tests.server.casework.casework import a_consent, an_appointment, contact_args, made
from tests.sync.pushing import at, new_id

# The office's orders of the test clients end on 31 December 2026 (tests/factories.py).
SIX_YEARS_ON = datetime(2032, 6, 1, 12, 0, tzinfo=STOCKHOLM)
FOUR_YEARS_ON = datetime(2030, 6, 1, 12, 0, tzinfo=STOCKHOLM)
CLIENT_TABLES = ("notes", "contacts", "appointments", "consents", "visits", "plan_dialogue", "plans",
                 "orders", "personal_reminders", "assignments")


def end_serving(db, client_id, when: datetime):
    with write_transaction(db):
        db.execute("UPDATE assignments SET ends_at = ? WHERE client_id = ?", [utc_text(when), client_id])


def a_whole_case(phone, client_id):
    """A case with a bit of everything a phone records about a client."""
    made(phone, "contact.log", contact_args(client_id, note="Ringde hyresvärden."))
    an_appointment(phone, client_id)
    a_consent(phone, client_id)
    made(phone, "visit.plan", {"id": new_id(), "client_id": client_id,
                               "starts_at": at("10:00", "2026-11-24")})
    made(phone, "note.add", {"id": new_id(), "client_id": client_id, "text": "Anteckning om brukaren."})
    made(phone, "reminder.add", {"id": new_id(), "worker_id": phone.user["id"], "client_id": client_id,
                                 "text": "Ring", "remind_at": "2026-11-24T09:00:00+01:00"})
    [plan] = [p for p in phone.records("plan") if p["client_id"] == client_id]
    made(phone, "plan.dialogue", {"id": new_id(), "client_id": client_id, "plan_id": plan["id"],
                                  "kind": "notice",
                                  "text": "Meddelat beställaren.", "points": ["En aktivitet har avslutats."]})


def held(db, client_id) -> dict[str, int]:
    counts = {t: db.execute(f"SELECT count(*) FROM {t} WHERE client_id = ?",
                            [client_id]).fetchone()[0] for t in CLIENT_TABLES}
    counts["clients"] = db.execute("SELECT count(*) FROM clients WHERE id = ?", [client_id]).fetchone()[0]
    return counts


def test_a_case_past_retention_goes_whole_and_its_records_are_deleted_in_the_index(
        phone, olle, db, data_dir, clock):
    """Olle, served no more since 2027 and his order ended 2026: six years on, his record and
    everything about him is gone, and the index tells any phone to delete each record."""
    a_whole_case(phone, olle["id"])
    ids = {t: [r[0] for r in db.execute(f"SELECT id FROM {t} WHERE client_id = ?", [olle["id"]])]
           for t in ("contacts", "appointments", "consents", "visits", "notes", "personal_reminders",
                     "plan_dialogue")}
    end_serving(db, olle["id"], datetime(2027, 1, 15, tzinfo=STOCKHOLM))
    reminded = ("SELECT count(*) FROM reminders WHERE source_id IN (SELECT value FROM json_each(?))",
                [json.dumps(ids["appointments"] + ids["visits"])])
    assert db.execute(*reminded).fetchone()[0] > 0

    assert retain_cases(db, data_dir, SIX_YEARS_ON, 5) == 1

    assert set(held(db, olle["id"]).values()) == {0}
    deleted = dict(db.execute("SELECT id, deleted FROM sync_records WHERE id IN "
                              "(SELECT value FROM json_each(?))",
                              [json.dumps([olle["id"], *sum(ids.values(), [])])]).fetchall())
    assert set(deleted) == {olle["id"], *sum(ids.values(), [])} and set(deleted.values()) == {1}
    assert db.execute(*reminded).fetchone()[0] == 0


def test_a_client_still_served_or_not_yet_that_old_stays(phone, olle, foreign, db, data_dir):
    """Frida is still Bo's; Olle's case ended four years ago: neither goes."""
    end_serving(db, olle["id"], datetime(2027, 1, 15, tzinfo=STOCKHOLM))

    assert retain_cases(db, data_dir, FOUR_YEARS_ON, 5) == 0
    assert retain_cases(db, data_dir, SIX_YEARS_ON.replace(year=2040), 5) == 1

    assert held(db, olle["id"])["clients"] == 0
    assert held(db, foreign["id"])["clients"] == 1


def test_a_consent_valid_for_decades_does_not_keep_a_finished_case(phone, olle, db, data_dir):
    """A consent's "valid until" is no trace of work: signed in 2026, valid until 2099, the
    case still goes six years on."""
    a_consent(phone, olle["id"], valid_until="2099-12-31")
    end_serving(db, olle["id"], datetime(2027, 1, 15, tzinfo=STOCKHOLM))

    assert retain_cases(db, data_dir, SIX_YEARS_ON, 5) == 1


def test_a_client_with_an_open_order_stays(olle, db, data_dir):
    """An order without an end is a case still open, however old."""
    end_serving(db, olle["id"], datetime(2027, 1, 15, tzinfo=STOCKHOLM))
    with write_transaction(db):
        db.execute("UPDATE orders SET period_end = NULL WHERE client_id = ?", [olle["id"]])

    assert retain_cases(db, data_dir, SIX_YEARS_ON, 5) == 0


def test_each_deleted_case_is_in_the_access_log_and_the_log_names_nobody(
        phone, olle, db, data_dir, caplog):
    """An entry per client (its id, how many records, the setting); the log a count only."""
    a_whole_case(phone, olle["id"])
    end_serving(db, olle["id"], datetime(2027, 1, 15, tzinfo=STOCKHOLM))

    with caplog.at_level(logging.INFO):
        retain_cases(db, data_dir, SIX_YEARS_ON, 5)

    [entry] = [e for e in access_log.entries(data_dir, client_id=olle["id"])
               if e["action"] == "retention"]
    assert entry["purpose"] == "retention" and entry["detail"]["years"] == 5
    assert entry["detail"]["records"] > 7
    assert "1 client case(s)" in caplog.text
    assert "Olle" not in caplog.text and olle["id"] not in caplog.text


def test_the_scheduler_runs_retention_with_push_off_too(olle, db, data_dir, clock):
    """`faltstod scheduler --once` on an instance without push sends nothing but still
    deletes the cases kept no longer: retention is the law's, not push's."""
    end_serving(db, olle["id"], datetime(2027, 1, 15, tzinfo=STOCKHOLM))
    clock.at = SIX_YEARS_ON
    env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}

    result = CliRunner().invoke(main, ["scheduler", "--once"], obj={"clock": clock}, env=env | {
        "FALTSTOD_DATA": str(data_dir), "FALTSTOD_PUSH_ENABLED": "false"})

    assert result.exit_code == 0, result.output
    assert "Web push is off" in result.output
    assert held(db, olle["id"])["clients"] == 0

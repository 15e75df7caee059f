"""A client's register extract (GDPR article 15, `faltstod extract --client ID`): everything
the server holds about the client, and nothing about anyone else, as JSON and as a printable
page in Swedish; written to a file only the service user can read; taking it is logged."""

import json
import os
import stat

import pytest
from click.testing import CliRunner

from server.cli import main
from server.security import access_log
from tests.server.casework.casework import a_consent, an_appointment, contact_args, made
from tests.sync.pushing import new_id

OLLES_NOTE = "Olle vill ha hjälp med hyreskontraktet."
FRIDAS_NOTE = "Frida har fått ny adress."


@pytest.fixture
def run(data_dir, clock):
    def invoke(*args):
        env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
        return CliRunner().invoke(main, list(args), env=env | {"FALTSTOD_DATA": str(data_dir)},
                                  obj={"clock": clock})
    return invoke


@pytest.fixture
def olles_case(phone, bos_phone, olle, foreign):
    """Olle's case as Karin recorded it, and a note about Frida (Bo's client) beside it."""
    made(phone, "contact.log", contact_args(olle["id"], party="Hyresvärden", note="Ringde hyresvärden."))
    appointment = an_appointment(phone, olle["id"])
    consent = a_consent(phone, olle["id"])
    made(phone, "note.add", {"id": new_id(), "client_id": olle["id"], "text": OLLES_NOTE})
    made(phone, "reminder.add", {"id": new_id(), "worker_id": phone.user["id"], "client_id": olle["id"],
                                 "text": "Fråga Olle om kontraktet",
                                 "remind_at": "2026-11-24T09:00:00+01:00"})
    made(phone, "plan.dialogue", {"id": new_id(), "client_id": olle["id"], "plan_id": olle["plan_id"],
                                  "kind": "reply",
                                  "text": "Handläggaren godtar planen.", "outcome": "accepted"})
    made(bos_phone, "note.add", {"id": new_id(), "client_id": foreign["id"], "text": FRIDAS_NOTE})
    return {"appointment": appointment, "consent": consent}


def test_the_json_extract_holds_the_whole_case_of_the_client_and_nothing_of_anyone_else(
        run, olle, foreign, olles_case):
    """The client's record, contacts, appointments, consents, notes (the contact's too), the
    workers' reminders about the client and who served the client; Frida's note and id are
    nowhere, nor the sync engine's bookkeeping."""
    result = run("extract", "--client", olle["id"])

    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["extract"] == "gdpr_article_15"
    assert found["client"]["id"] == olle["id"] and found["client"]["name"] == "Olle Zander"
    assert [c["party"] for c in found["contacts"]] == ["Hyresvärden"]
    assert [a["id"] for a in found["appointments"]] == [olles_case["appointment"]]
    assert [c["id"] for c in found["consents"]] == [olles_case["consent"]]
    assert {n["text"] for n in found["notes"]} == {OLLES_NOTE, "Ringde hyresvärden."}
    assert [r["text"] for r in found["personal_reminders"]] == ["Fråga Olle om kontraktet"]
    assert [a["worker_name"] for a in found["assignments"]] == ["Testare karin.cm"]
    assert found["contacts"][0]["actions"] == ["motivational_talk", "housing_matter"]  # lists, not JSON text
    assert FRIDAS_NOTE not in result.output and foreign["id"] not in result.output
    assert "offsets" not in found["notes"][0]
    [reply] = found["plan_dialogue"]
    assert (reply["kind"], reply["text"], reply["outcome"]) == ("reply", "Handläggaren godtar planen.",
                                                                 "accepted")
    assert "plan_state" not in reply


def test_the_printable_extract_is_in_swedish_and_escapes_what_the_workers_wrote(
        run, phone, olle, olles_case, tmp_path):
    """Headed as an article 15 extract, with the rights (IMY), a worker's <script> shown as
    text, and the file readable by the service user only."""
    made(phone, "note.add", {"id": new_id(), "client_id": olle["id"], "text": "<script>alert(1)</script>"})
    out = tmp_path / "utdrag.html"

    result = run("extract", "--client", olle["id"], "--format", "html", "--out", str(out))

    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Registerutdrag enligt artikel 15 i dataskyddsförordningen" in page
    assert "Olle Zander" in page and OLLES_NOTE in page and "Hyresvärden" in page
    assert "Integritetsskyddsmyndigheten" in page
    assert "Beställarens svar" in page and "Godtar planen" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert FRIDAS_NOTE not in page
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_an_extract_is_never_written_over_an_existing_file(run, olle, tmp_path):
    """A file already there (an earlier extract, someone else's) is left as it was."""
    out = tmp_path / "utdrag.json"
    out.write_text("tidigare")

    result = run("extract", "--client", olle["id"], "--out", str(out))

    assert result.exit_code == 1 and "exists" in result.output
    assert out.read_text() == "tidigare"


def test_an_unknown_client_is_one_clear_line(run, db):
    """No traceback, no guess: the id names no client."""
    result = run("extract", "--client", "not-a-client")

    assert result.exit_code == 1
    assert result.output.strip() == "Error: no client with that id"


def test_taking_an_extract_is_in_the_access_log(run, data_dir, olle):
    """The extract reads the whole case: the access log says so, by the operator."""
    assert run("extract", "--client", olle["id"]).exit_code == 0

    [entry] = [e for e in access_log.entries(data_dir, client_id=olle["id"]) if e["purpose"] == "extract"]
    assert entry["action"] == "read" and entry["detail"] == {"by": "operator", "format": "json"}

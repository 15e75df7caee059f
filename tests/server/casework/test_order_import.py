"""The order import (`faltstod import orders`, the shared casework.md "Order import"): files
of good and bad orders on a real SQLite file, through click's CliRunner and once through the
real `faltstod` command; what phones pull afterwards through the real sync API.

The fixtures under orders/ hold the same thirteen orders as JSON and as CSV: four good ones
and one of each reason a bad one is rejected for, with the support workers' cap at 2 so that
the third order for bs.one is over it.
"""

import csv
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from server import schema
from server.casework.order_files import UnreadableFile, read_orders
from server.casework.order_import import ImportedOrder, Rejected, check, item_id
from server.casework.orders import LIFE_AREAS
from server.cli import main
from server.security import access_log
from sync.store import connect
from tests.factories import a_team, a_worker
from tests.sync.pulling import Phone

ORDERS = Path(__file__).parent / "orders"
GOOD_AND_BAD = ("good_and_bad.json", "good_and_bad.csv")
ORDERER = "Södermalms stadsdelsförvaltning"
CAP = "2"
# What the file's bad orders are rejected for, by index (from 1, in file order).
EXPECTED_REJECTIONS = [
    (4, "SOD-2026-0001", "duplicate_in_file"),
    (5, "SOD-2026-0004", "bad_date"),  # ends before it starts
    (6, "SOD-2026-0005", "unknown_district"),
    (7, "SOD-2026-0006", "unknown_worker"),
    (8, "SOD-2026-0007", "missing_field"),  # no client.ref
    (10, "SOD-2026-0009", "over_caseload_cap"),  # bs.one's third client, the cap is 2
    (11, "SOD-2026-0010", "bad_value"),  # hours for a CM order
    (12, "SOD-2026-0011", "bad_date"),  # month 13
    (13, "SOD-2026-0012", "bad_value"),  # a CM order for a support worker
]
GOOD_REFS = {"SOD-2026-0001", "SOD-2026-0002", "SOD-2026-0003", "SOD-2026-0008"}


@pytest.fixture
def world(db, data_dir):
    """Team Söder in the known district Södermalm, a support worker and a case manager."""
    team = a_team(db, name="Team Söder", district="Södermalm")
    return {"team": team, "bs": a_worker(db, team, username="bs.one"),
            "cm": a_worker(db, team, role="cm", username="cm.one")}


@pytest.fixture
def run(data_dir, clock, world):
    """The CLI on the tests' data directory, its clock fixed, the support workers' cap 2."""
    runner = CliRunner()
    env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
    env |= {"FALTSTOD_DATA": str(data_dir), "FALTSTOD_SUPPORT_CASELOAD_CAP": CAP}

    def invoke(*args):
        return runner.invoke(main, list(args), env=env, obj={"clock": clock})

    assert invoke("district", "add", "Södermalm").exit_code == 0
    return invoke


def import_file(run, path, *options, tmp_path=None):
    """Run the import; returns (click result, the report it wrote)."""
    report = Path(tmp_path or path.parent) / f"report-{os.getpid()}-{path.name}.json"
    result = run("import", "orders", str(path), "--report", str(report), *options)
    assert report.exists(), result.output
    return result, json.loads(report.read_text(encoding="utf-8"))


def rejections(report) -> list[tuple]:
    return [(r["index"], r["order_ref"], r["reason"]) for r in report["rejected"]]


def index_rows(db) -> list[tuple]:
    return db.execute("SELECT type, id, version, seq FROM sync_records ORDER BY type, id").fetchall()


def dump(db) -> list[str]:
    """Everything in the database, as SQL."""
    return list(db.conn.iterdump())


def with_orders(tmp_path, orders: list[dict], name="orders.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"orders": orders}, ensure_ascii=False), encoding="utf-8")
    return path


def good_order(**changes) -> dict:
    orders = json.loads((ORDERS / "good_and_bad.json").read_text(encoding="utf-8"))["orders"]
    return orders[0] | changes


# --- a file of good and bad orders -------------------------------------------------------------

@pytest.mark.parametrize("name", GOOD_AND_BAD)
def test_the_good_orders_land_once_and_the_report_names_each_bad_one_with_its_reason(
        run, db, world, tmp_path, name):
    result, report = import_file(run, ORDERS / name, tmp_path=tmp_path)
    assert result.exit_code == 1, result.output
    assert (report["imported"], report["updated"], report["unchanged"]) == (4, 0, 0)
    assert rejections(report) == EXPECTED_REJECTIONS
    assert all(r["message"] for r in report["rejected"])
    refs = {row[0] for row in db.execute("SELECT order_ref FROM orders")}
    assert refs == GOOD_REFS
    # Each order landed whole or not at all: the clients are the good orders' only.
    clients = {row[0] for row in db.execute("SELECT ref FROM clients")}
    assert clients == {"K-1001", "K-1002", "K-1003", "K-1009"}
    assert db.execute("SELECT count(*) FROM sync_records").fetchone()[0] == 8
    assert "Imported 4, updated 0, unchanged 0, rejected 9." in result.output


@pytest.mark.parametrize("name", GOOD_AND_BAD)
def test_a_second_import_of_the_same_file_changes_nothing(run, db, tmp_path, name):
    import_file(run, ORDERS / name, tmp_path=tmp_path)
    before, rows = index_rows(db), dump(db)
    result, report = import_file(run, ORDERS / name, tmp_path=tmp_path)
    assert (report["imported"], report["updated"], report["unchanged"]) == (0, 0, 4)
    assert rejections(report) == EXPECTED_REJECTIONS
    assert index_rows(db) == before  # no new version, no index write
    assert dump(db) == rows


@pytest.mark.parametrize("name", GOOD_AND_BAD)
def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing(run, db, tmp_path, name):
    before = dump(db)
    result, dry = import_file(run, ORDERS / name, "--dry-run", tmp_path=tmp_path)
    assert result.exit_code == 1
    assert "Dry run, nothing written" in result.output
    assert dump(db) == before
    _, real = import_file(run, ORDERS / name, tmp_path=tmp_path)
    assert dry == real


def test_the_same_orders_read_from_csv_are_unchanged_after_the_json_import(run, tmp_path):
    import_file(run, ORDERS / "good_and_bad.json", tmp_path=tmp_path)
    _, report = import_file(run, ORDERS / "good_and_bad.csv", tmp_path=tmp_path)
    assert (report["imported"], report["updated"], report["unchanged"]) == (0, 0, 4)


def test_an_order_with_a_worker_assigns_the_client_from_the_time_of_the_import(
        run, db, world, clock, tmp_path):
    import_file(run, ORDERS / "good_and_bad.json", tmp_path=tmp_path)
    rows = db.execute(
        "SELECT c.ref, a.worker_id, a.starts_at, c.team_id FROM assignments a "
        "JOIN clients c ON c.id = a.client_id ORDER BY c.ref").fetchall()
    now = "2026-11-23T08:00:00Z"  # the clock's Monday 09:00 in Stockholm
    assert rows == [("K-1001", world["bs"]["id"], now, world["team"]),
                    ("K-1002", world["cm"]["id"], now, world["team"]),
                    ("K-1009", world["bs"]["id"], now, world["team"])]
    # Without a worker the client is in the named team, assigned later.
    assert db.execute("SELECT team_id FROM clients WHERE ref = 'K-1003'").fetchone()[0] == world["team"]


def test_neither_the_output_nor_the_report_names_a_client(run, tmp_path):
    for name in GOOD_AND_BAD:
        result, report = import_file(run, ORDERS / name, tmp_path=tmp_path)
        assert "Testperson" not in result.output + json.dumps(report, ensure_ascii=False)


def test_no_progress_bar_when_stderr_is_not_a_terminal(run, tmp_path):
    result, _ = import_file(run, ORDERS / "good_and_bad.json", tmp_path=tmp_path)
    assert result.stderr == ""


def test_an_import_with_every_order_landed_exits_0(run, tmp_path):
    result, report = import_file(run, with_orders(tmp_path, [good_order()]), tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    assert report == {"imported": 1, "updated": 0, "unchanged": 0, "rejected": []}


def import_entries(data_dir) -> list[dict]:
    return [e for e in access_log.entries(data_dir) if e["purpose"] == "import"]


def test_each_order_that_wrote_is_an_access_log_write_by_the_operator(run, db, data_dir,
                                                                      tmp_path):
    import_file(run, ORDERS / "good_and_bad.json", "--dry-run", tmp_path=tmp_path)
    assert import_entries(data_dir) == []
    import_file(run, ORDERS / "good_and_bad.json", tmp_path=tmp_path)
    entries = import_entries(data_dir)
    clients = {row[0] for row in db.execute("SELECT id FROM clients")}
    assert {e["client_id"] for e in entries} == clients and len(entries) == 4
    assert {(e["action"], e["detail"]["by"], e["detail"]["outcome"]) for e in entries} == {
        ("write", "operator", "imported")}
    import_file(run, ORDERS / "good_and_bad.json", tmp_path=tmp_path)  # unchanged: no write
    assert len(import_entries(data_dir)) == 4


# --- updates, ids, what phones pull ------------------------------------------------------------

def order_record(phone: Phone, order_ref: str) -> dict:
    found = [change for (kind, _), change in phone.records.items()
             if kind == "order" and change["data"]["order_ref"] == order_ref]
    assert len(found) == 1
    return found[0]


def test_an_updated_order_is_a_new_version_that_the_phone_pulls(run, client, world, tmp_path):
    import_file(run, with_orders(tmp_path, [good_order()]), tmp_path=tmp_path)
    phone = Phone(client, world["bs"])
    phone.sync()
    first = order_record(phone, "SOD-2026-0001")
    assert first["version"] == 1
    data = first["data"]
    assert (data["orderer"], data["district"], data["service"], data["hours_per_month"],
            data["period_start"], data["period_end"]) == (
        ORDERER, "Södermalm", "housing_support", 4, "2026-11-01", "2027-04-30")
    assert [a["ref"] for a in data["activities"]] == ["A1", "A2", "A3"]

    updated = good_order(hours_per_month=6)
    result, report = import_file(run, with_orders(tmp_path, [updated]), tmp_path=tmp_path)
    assert report["updated"] == 1 and result.exit_code == 0
    pages = phone.sync()
    pulled = [c for page in pages for c in page["changes"] if c["type"] == "order"]
    assert len(pulled) == 1
    assert pulled[0]["version"] == 2 and pulled[0]["data"]["hours_per_month"] == 6
    assert pulled[0]["data"]["hours_band"] == "1-7"


def test_a_changed_client_name_reaches_the_phone(run, client, world, tmp_path):
    import_file(run, with_orders(tmp_path, [good_order()]), tmp_path=tmp_path)
    phone = Phone(client, world["bs"])
    phone.sync()
    renamed = good_order(client={"ref": "K-1001", "name": "Testperson Ett Andra"})
    _, report = import_file(run, with_orders(tmp_path, [renamed]), tmp_path=tmp_path)
    assert report["updated"] == 1
    changes = [c for page in phone.sync() for c in page["changes"]]
    names = [c["data"]["name"] for c in changes if c["type"] == "client"]
    assert names == ["Testperson Ett Andra"]


def test_a_reimport_keeps_every_goal_subgoal_and_activity_id(run, db, tmp_path):
    import_file(run, with_orders(tmp_path, [good_order()]), tmp_path=tmp_path)
    before = stored_ids(db)
    changed = good_order()
    changed["goals"][0]["text"] = "Behålla lägenheten och trivas"
    changed["activities"].append({"ref": "A4", "name": "Inköp"})
    _, report = import_file(run, with_orders(tmp_path, [changed]), tmp_path=tmp_path)
    assert report["updated"] == 1
    after = stored_ids(db)
    assert {ref: after[ref] for ref in before} == before
    assert set(after) - set(before) == {"A4"}
    assert after["A4"] == item_id(ORDERER, "SOD-2026-0001", "A4")


def stored_ids(db) -> dict[str, str]:
    goals, activities = db.execute("SELECT goals, activities FROM orders").fetchone()
    ids = {}
    for goal in json.loads(goals):
        ids[goal["ref"]] = goal["id"]
        ids |= {sub["ref"]: sub["id"] for sub in goal["subgoals"]}
    return ids | {a["ref"]: a["id"] for a in json.loads(activities)}


def test_an_existing_order_stays_with_its_client(run, db, tmp_path):
    import_file(run, with_orders(tmp_path, [good_order()]), tmp_path=tmp_path)
    moved = good_order(client={"ref": "K-7777", "name": "Testperson Sju"})
    result, report = import_file(run, with_orders(tmp_path, [moved]), tmp_path=tmp_path)
    assert rejections(report) == [(1, "SOD-2026-0001", "bad_value")]
    assert db.execute("SELECT count(*) FROM clients").fetchone()[0] == 1


def test_a_rejected_order_leaves_nothing_behind(run, db, tmp_path):
    """The cap is found before the client would be made; and if assigning fails later the
    transaction takes the new client back with it."""
    orders = [good_order(order_ref=f"SOD-X-{n}", client={"ref": f"K-X{n}", "name": "Testperson Ett"})
              for n in range(3)]
    _, report = import_file(run, with_orders(tmp_path, orders), tmp_path=tmp_path)
    assert rejections(report) == [(3, "SOD-X-2", "over_caseload_cap")]
    assert db.execute("SELECT count(*) FROM clients WHERE ref = 'K-X2'").fetchone()[0] == 0


# --- files that cannot be read ---------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "message"), [
    ("orders.json", b"{not json", "not JSON"),
    ("orders.json", b'{"order": []}', 'no "orders" list'),
    ("orders.json", b"[]", 'no "orders" list'),
    ("orders.json", b"[" * 100_000, "nested too deeply"),
    ("orders.txt", b"{}", ".json or .csv"),
    ("orders.csv", b"order_ref,orderer\n1,2\n", "unknown columns"),
    ("orders.csv", "\xe5\xe4\xf6".encode("latin-1"), "not UTF-8"),
    ("orders.csv", b"", "no header row"),
])
def test_a_file_that_cannot_be_read_exits_2_with_one_clear_line(run, tmp_path, name, content,
                                                                  message):
    path = tmp_path / name
    path.write_bytes(content)
    result = run("import", "orders", str(path))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_a_missing_file_exits_2(run, tmp_path):
    result = run("import", "orders", str(tmp_path / "absent.json"))
    assert result.exit_code == 2 and "there is no file" in result.stderr


# --- districts --------------------------------------------------------------------------------

def test_district_list_shows_the_known_districts_and_an_unknown_one_is_added(run):
    assert run("district", "list").output == "Södermalm\n"
    assert run("district", "add", "Farsta").exit_code == 0
    assert run("district", "list").output == "Farsta\nSödermalm\n"
    again = run("district", "add", "Farsta")
    assert again.exit_code == 1 and "already known" in again.output


def test_seed_demo_makes_stockholms_districts_known(tmp_path, clock):
    runner = CliRunner()
    env = {name: None for name in os.environ if name.startswith("FALTSTOD_")}
    env |= {"FALTSTOD_DATA": str(tmp_path / "demo")}
    assert runner.invoke(main, ["seed-demo"], env=env, obj={"clock": clock}).exit_code == 0
    listed = runner.invoke(main, ["district", "list"], env=env, obj={"clock": clock}).output
    for district in ("Bromma", "Enskede-Årsta-Vantör", "Farsta", "Hägersten-Älvsjö",
                     "Hässelby-Vällingby", "Järva", "Kungsholmen", "Norra innerstaden",
                     "Skarpnäck", "Skärholmen", "Södermalm",
                     "Socialförvaltningens område hemlöshet"):
        # Each with its number for reports of concern, from the range kept for fiction.
        assert f"{district}\t08-465 004 " in listed


# --- the real command ------------------------------------------------------------------------

def test_the_real_faltstod_command_imports_the_file_and_exits_1_for_the_rejected(
        data_dir, world, tmp_path):
    executable = Path(sys.executable).with_name("faltstod")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FALTSTOD_")}
    env |= {"FALTSTOD_DATA": str(data_dir), "FALTSTOD_SUPPORT_CASELOAD_CAP": CAP}
    subprocess.run([executable, "district", "add", "Södermalm"], env=env, check=True,
                   capture_output=True)
    report = tmp_path / "report.json"
    done = subprocess.run([executable, "import", "orders", str(ORDERS / "good_and_bad.csv"),
                           "--report", str(report)], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1, done.stderr
    assert rejections(json.loads(report.read_text(encoding="utf-8"))) == EXPECTED_REJECTIONS
    assert done.stderr == "" and "Traceback" not in done.stdout


# --- checking one order (pure) ---------------------------------------------------------------

def reason_for(raw) -> str:
    with pytest.raises(Rejected) as rejected:
        check(raw)
    return rejected.value.reason


@pytest.mark.parametrize(("changes", "reason"), [
    ({"hours_per_month": None}, "missing_field"),
    ({"hours_per_month": 0}, "bad_value"),
    ({"hours_per_month": "four"}, "bad_value"),
    ({"hours_per_month": True}, "bad_value"),
    ({"service": "cleaning"}, "bad_value"),
    ({"worker": None}, "missing_field"),  # and no team
    ({"period": {"end": "2027-01-01"}}, "missing_field"),
    ({"period": {"start": "1/11/2026"}}, "bad_date"),
    ({"period": {"start": 20261101}}, "bad_date"),
    ({"goals": [{"ref": "G1", "life_area": "weather", "text": "…"}]}, "bad_value"),
    ({"goals": [{"ref": "G1", "life_area": "housing"}]}, "missing_field"),
    ({"activities": []}, "bad_value"),
    ({"activities": [{"ref": "G1", "name": "Tvätt"}]}, "bad_value"),  # the goal's ref again
    ({"client": "K-1"}, "bad_value"),
    ({"order_ref": " "}, "missing_field"),
    ({"orderer": 12}, "bad_value"),
])
def test_an_order_is_rejected_for_the_first_problem_found(changes, reason):
    assert reason_for(good_order(**changes)) == reason


def test_an_order_that_is_not_an_object_is_a_bad_value():
    assert reason_for(["SOD-1"]) == "bad_value"


def test_a_message_never_holds_the_clients_name():
    with pytest.raises(Rejected) as rejected:
        check(good_order(client={"ref": "K-1", "name": "Testperson Ett" * 50}))
    assert rejected.value.reason == "bad_value" and "Testperson" not in rejected.value.message


def test_the_ids_of_the_items_derive_from_the_order_and_the_ref():
    order = check(good_order())
    assert isinstance(order, ImportedOrder)
    goal = order.stored_goals()[0]
    assert goal["id"] == item_id(ORDERER, "SOD-2026-0001", "G1")
    assert goal["subgoals"][0]["id"] == item_id(ORDERER, "SOD-2026-0001", "G1.1")
    assert item_id(ORDERER, "SOD-2026-0002", "G1") != goal["id"]
    assert check(good_order()).stored_activities() == order.stored_activities()


CSV_HEADER = ("order_ref;orderer;district;service;client_ref;client_name;team;period_start;"
              "goals;activities;hours_per_month\r\n")


def test_a_csv_row_reads_as_the_json_order_it_stands_for():
    row = ("SOD-1;Farsta stadsdelsförvaltning;Farsta;housing_support;K-1;Testperson Ett;Team;"
           "2026-11-01;G1:economy:Ha koll: på räkningar|G1.1::Öppna posten;"
           "A1:Ekonomi: post och räkningar|A2:Tvätt;4,5\r\n;;;;;;;;;;\r\n")
    [raw] = read_orders("export.csv", (CSV_HEADER + row).encode("utf-8"))
    order = check(raw)
    assert order.hours_per_month == 4.5 and order.period_end is None and order.worker is None
    assert order.goals == ({"ref": "G1", "life_area": "economy", "text": "Ha koll: på räkningar",
                            "subgoals": [{"ref": "G1.1", "text": "Öppna posten"}]},)
    assert [a["name"] for a in order.activities] == ["Ekonomi: post och räkningar", "Tvätt"]


@pytest.mark.parametrize("goals", ["G1.1::Utan mål", "G1-housing-Text"])
def test_a_csv_goal_cell_that_cannot_be_read_is_a_bad_value(goals):
    row = f"SOD-1;O;Farsta;housing_support;K-1;Testperson Ett;Team;2026-11-01;{goals};A1:Tvätt;4\r\n"
    [raw] = read_orders("export.csv", (CSV_HEADER + row).encode("utf-8"))
    assert reason_for(raw) == "bad_value"


def test_a_csv_header_without_a_required_column_is_unreadable():
    with pytest.raises(UnreadableFile, match="missing columns client_ref"):
        read_orders("x.csv", CSV_HEADER.replace("client_ref;", "").encode("utf-8"))


def test_the_documented_csv_example_reads_as_the_documented_json_order():
    """docs/order-import.md: its CSV example's first row is its JSON example."""
    text = (Path(__file__).parents[3] / "docs" / "order-import.md").read_text(encoding="utf-8")
    csv_example = "order_ref;" + text.split("\n```\norder_ref;")[1].split("\n```")[0] + "\n"
    json_example = text.split("```json\n")[1].split("\n```")[0]
    first, second = (check(raw) for raw in read_orders("example.csv", csv_example.encode()))
    assert first == check(json.loads(json_example))
    assert second.service == "cm" and second.hours_per_month is None and second.team == "Team Söder"


# --- CSV and JSON are one format (Hypothesis) --------------------------------------------------

REFS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", min_size=1, max_size=8)
# Any text a cell can hold: `;`, quotes, colons, line breaks and non-ASCII included; not `|`,
# which joins the items of a list (docs/order-import.md).
TEXTS = st.text(alphabet=st.characters(blacklist_characters="|", blacklist_categories=("Cs",)),
                min_size=1, max_size=30).filter(lambda text: text.strip())


@st.composite
def json_orders(draw) -> dict:
    refs = iter(draw(st.lists(REFS, min_size=12, max_size=12, unique=True)))
    goals = [{"ref": next(refs), "life_area": draw(st.sampled_from(LIFE_AREAS)),
              "text": draw(TEXTS),
              "subgoals": [{"ref": next(refs), "text": draw(TEXTS)}
                           for _ in range(draw(st.integers(0, 2)))]}
             for _ in range(draw(st.integers(0, 2)))]
    activities = [{"ref": next(refs), "name": draw(TEXTS)} for _ in range(draw(st.integers(1, 3)))]
    service = draw(st.sampled_from(["housing_support", "cm"]))
    order = {"order_ref": draw(TEXTS), "orderer": draw(TEXTS), "district": draw(TEXTS),
             "service": service, "client": {"ref": draw(TEXTS), "name": draw(TEXTS)},
             "team": draw(TEXTS), "period": {"start": "2026-11-01",
                                            "end": draw(st.sampled_from([None, "2027-04-30"]))},
             "goals": goals, "activities": activities}
    if service == "housing_support":
        order["hours_per_month"] = draw(st.sampled_from([1, 4, 7.5, 19, 40]))
    return order


def as_csv(order: dict) -> bytes:
    """The order as one CSV row, the way docs/order-import.md says an export writes it."""
    goals = "|".join(
        "|".join([f"{g['ref']}:{g['life_area']}:{g['text']}",
                  *(f"{s['ref']}::{s['text']}" for s in g["subgoals"])]) for g in order["goals"])
    hours = order.get("hours_per_month")
    cells = [order["order_ref"], order["orderer"], order["district"], order["service"],
             order["client"]["ref"], order["client"]["name"], order["team"],
             order["period"]["start"], order["period"]["end"] or "",
             "" if hours is None else str(hours).replace(".", ","), goals,
             "|".join(f"{a['ref']}:{a['name']}" for a in order["activities"])]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["order_ref", "orderer", "district", "service", "client_ref", "client_name",
                     "team", "period_start", "period_end", "hours_per_month", "goals",
                     "activities"])
    writer.writerow(cells)
    return out.getvalue().encode("utf-8")


@given(json_orders())
def test_an_order_written_as_a_csv_row_is_the_same_order_as_its_json(order):
    [row] = read_orders("orders.csv", as_csv(order))
    from_csv, from_json = check(row), check(order)
    assert from_csv == from_json
    assert from_csv.content_hash == from_json.content_hash


def test_upgrading_an_instance_makes_its_teams_districts_known(tmp_path):
    db = connect(tmp_path / "old.db")
    schema.migrations.apply(db, stop_before="m010_order_import")
    db.execute("INSERT INTO teams (id, name, district) VALUES ('t1', 'Team Söder', 'Södermalm'), "
               "('t2', 'Team Söder 2', ' Södermalm '), ('t3', 'Team Farsta', 'Farsta')")
    schema.migrations.apply(db)
    assert [row[0] for row in db.execute("SELECT name FROM districts ORDER BY name")] == [
        "Farsta", "Södermalm"]
    db.conn.close()


def test_the_progress_bar_goes_to_stderr_when_it_is_a_terminal(data_dir, world, tmp_path):
    executable = Path(sys.executable).with_name("faltstod")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FALTSTOD_")}
    env |= {"FALTSTOD_DATA": str(data_dir)}
    main_fd, terminal = pty.openpty()
    try:
        done = subprocess.run([executable, "import", "orders", str(ORDERS / "good_and_bad.json"),
                               "--dry-run"], env=env, stdout=subprocess.PIPE, stderr=terminal,
                              text=True, timeout=60)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main_fd)
    assert done.returncode == 1
    assert b"Importing orders" in shown and b"100%" in shown
    assert "Importing orders" not in done.stdout and "Dry run" in done.stdout

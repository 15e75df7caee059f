"""The monthly report (`supervision.md`, "The monthly report") of the hand-made team for
October 2026 (`fixture.py` works out every figure): rows, columns, order, totals, the
orderer's filter, CSV byte for byte, the printable page, and late work after approval."""

from pathlib import Path

from tests.errors import assert_error_shape
from tests.server.supervision import fixture
from tests.server.supervision.reporting import late_work_about_october, login, push

EXPECTED = Path(__file__).parent / "expected"
OCTOBER = "/api/reports/monthly/2026-10"
HEMLOSHET = "Socialförvaltningens område hemlöshet"

# (orderer, order_ref, client, service, worker, hours_granted, band, hours_delivered,
#  visits_done, client_cancelled, client_late_cancel, no_show, staff_cancelled,
#  booked_hours_cancelled, activities_done, goals_followed_up, late_corrections),
# before any late work: the figures of fixture.py.
OCTOBER_ROWS = [
    ("Farsta", "FA-77", "Émile Ek", "housing_support", "Lars Berg", 19.0, "19+", 1.75,
     2, 0, 0, 1, 0, 1.0, 1, 0, 0),
    # A visit and a contact each: the contact's minutes are delivered time, not a visit.
    (HEMLOSHET, "", "Olle Zander", "cm", "Karin Ek", None, "", 1.83, 1, 0, 0, 0, 0, 0.0, 1, 0, 0),
    (HEMLOSHET, "", "åke Strand", "cm", "Karin Ek", None, "", 1.08, 1, 0, 0, 0, 0, 0.0, 0, 0, 0),
    ("Södermalm", "SÖ;2026;7", 'Nils "Nisse" Öhman', "housing_support", "Lars Berg", 4.0, "1-7",
     0.0, 0, 0, 0, 0, 0, 0.0, 0, 0, 0),
    ("Södermalm", "SÖ-2026-101", "Åsa Lind", "housing_support", "Lars Berg", 7.0, "1-7", 1.52,
     2, 0, 0, 0, 0, 0.0, 3, 0, 0),
    ("Södermalm", "", "Älva Nord", "housing_support", "Mona Holm", 18.0, "8-18", 1.92,
     2, 0, 0, 0, 0, 0.0, 3, 0, 0),
    ("Södermalm", "", "Östen Ahl", "housing_support", "Lars Berg", 7.5, "8-18", 0.5,
     1, 1, 1, 1, 1, 1.75, 1, 0, 0),
]
COLUMNS = ("orderer", "order_ref", "client", "service", "worker", "hours_granted", "band",
           "hours_delivered", "visits_done", "client_cancelled", "client_late_cancel",
           "no_show", "staff_cancelled", "booked_hours_cancelled", "activities_done",
           "goals_followed_up", "late_corrections")


def columns_of(row: dict) -> tuple:
    return tuple(row[name] for name in COLUMNS)


def test_october_has_a_row_per_team_client_with_an_order_in_force_with_every_column_as_worked_out_by_hand(
        client, world, sara):
    report = client.get(OCTOBER, headers=sara).get_json()
    assert [columns_of(row) for row in report["rows"]] == OCTOBER_ROWS
    # Bertil Ek (order ended 30 Sep), Anna Annan (Team Annan), Cecilia Ny (order from 5 Nov)
    # are not in it.
    assert [row["client_id"] for row in report["rows"]] == [
        world.clients[key]["id"] for key in ("C4", "C5", "C6", "C7", "C1", "C3", "C2")]
    assert (report["month"], report["team_id"]) == ("2026-10", world.team)
    assert (report["approved_at"], report["approved_by"], report["corrections"]) == (None, None, [])


def test_the_totals_are_the_sums_of_the_numeric_columns_as_the_rows_show_them(client, world, sara):
    totals = client.get(OCTOBER, headers=sara).get_json()["totals"]
    # hours granted 19 + 4 + 7 + 18 + 7.5 (CM has none); delivered 1.75 + 1.83 + 1.08 + 0
    # + 1.52 + 1.92 + 0.50; booked 1.00 + 1.75; visits 2+1+1+0+2+2+1; activities 1+1+0+0+3+3+1.
    assert totals == {"hours_granted": 55.5, "hours_delivered": 8.6, "booked_hours_cancelled": 2.75,
                      "visits_done": 9, "client_cancelled": 1, "client_late_cancel": 1, "no_show": 2,
                      "staff_cancelled": 1, "activities_done": 9, "goals_followed_up": 0,
                      "late_corrections": 0}


def test_the_orderer_filter_gives_one_district_its_own_clients_and_their_totals(client, world, sara):
    report = client.get(OCTOBER, headers=sara, query_string={"orderer": "Södermalm"}).get_json()
    # Émile Ek's first order was Södermalm's, but Farsta's is in force on 31 October.
    assert [row["client"] for row in report["rows"]] == [
        'Nils "Nisse" Öhman', "Åsa Lind", "Älva Nord", "Östen Ahl"]
    assert report["totals"]["hours_granted"] == 4 + 7 + 18 + 7.5
    assert report["totals"]["hours_delivered"] == 0 + 1.52 + 1.92 + 0.5
    assert report["orderer"] == "Södermalm"
    nobody = client.get(OCTOBER, headers=sara, query_string={"orderer": "Bromma"}).get_json()
    assert nobody["rows"] == [] and nobody["totals"]["visits_done"] == 0


def test_the_october_csv_equals_the_hand_checked_file_byte_for_byte_after_approval_and_late_work(
        client, world, sara):
    assert client.post(f"{OCTOBER}/approve", headers=sara).status_code == 200
    late_work_about_october(client, world)
    response = client.get(OCTOBER, headers=sara, query_string={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data == (EXPECTED / "monthly-2026-10.csv").read_bytes()


def test_the_csv_has_a_byte_order_mark_semicolons_crlf_the_header_exactly_and_no_totals_line(
        client, world, sara):
    body = client.get(OCTOBER, headers=sara, query_string={"format": "csv"}).data
    assert body.startswith(b"\xef\xbb\xbforderer;order_ref;client;service;worker;hours_granted;band;"
                           b"hours_delivered;visits_done;client_cancelled;client_late_cancel;"
                           b"no_show;staff_cancelled;booked_hours_cancelled;activities_done;"
                           b"goals_followed_up;late_corrections\r\n")
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == "" and len(lines) == 1 + len(OCTOBER_ROWS) + 1
    assert "\n" not in body.decode("utf-8-sig").replace("\r\n", "")
    assert "Åsa Lind;housing_support;Lars Berg;7,00;1-7;1,52;2;" in body.decode("utf-8")


def test_late_work_after_approval_is_counted_in_october_and_listed_in_novembers_corrections(
        client, world, sara):
    approved = client.post(f"{OCTOBER}/approve", headers=sara).get_json()
    new_visit = late_work_about_october(client, world)
    october = client.get(OCTOBER, headers=sara).get_json()
    asa = next(row for row in october["rows"] if row["client"] == "Åsa Lind")
    assert (asa["hours_delivered"], asa["visits_done"], asa["client_cancelled"],
            asa["activities_done"], asa["late_corrections"]) == (2.27, 3, 1, 4, 2)
    assert october["totals"]["late_corrections"] == 2
    assert (october["approved_at"], october["approved_by"]) == (
        approved["approved_at"], world.workers["lead"]["id"])
    assert october["approved_at"] == "2026-11-02T09:00:00Z"
    assert october["corrections"] == []  # September's, of which there are none

    november = client.get("/api/reports/monthly/2026-11", headers=sara).get_json()
    assert [(c["client"], c["visit_id"], c["change"], c["mutation_name"], c["fields"])
            for c in november["corrections"]] == [
        ("Åsa Lind", new_visit, "created", "visit.log", []),
        ("Åsa Lind", world.visits["v3"], "changed", "visit.cancel",
         ["status", "cancel_reason", "cancelled_at"])]
    assert {(c["month"], c["client_id"], c["recorded_at"]) for c in november["corrections"]} == {
        ("2026-10", world.clients["C1"]["id"], "2026-11-02T09:00:00Z")}
    assert november["corrections"][1]["visit_at"] == "2026-10-19T10:00:00+02:00"
    # Farsta's November report lists none of Södermalm's corrections.
    farsta = client.get("/api/reports/monthly/2026-11", headers=sara,
                        query_string={"orderer": "Farsta"}).get_json()
    assert farsta["corrections"] == []


def test_the_printable_page_has_swedish_headings_the_rows_and_totals_and_no_script(client, world, sara):
    client.post(f"{OCTOBER}/approve", headers=sara)
    late_work_about_october(client, world)
    response = client.get(OCTOBER, headers=sara, query_string={"format": "html"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert '<html lang="sv">' in page and "Månadsrapport oktober 2026" in page
    for heading in ("Beställare", "Brukare", "Medarbetare", "Beviljade timmar", "Utförda timmar",
                    "Sen avbokning", "Uteblev", "Bokad tid avbokad (h)", "Summa"):
        assert f">{heading}<" in page, heading
    assert "Godkänd 2026-11-02 10:00 av Sara Lund" in page
    assert "Nils &#34;Nisse&#34; Öhman" in page  # escaped
    assert ">2,27<" in page and ">9,35<" in page  # Åsa Lind's hours; the total delivered
    assert "@media print" in page and "<script" not in page.lower()
    november = client.get("/api/reports/monthly/2026-11", headers=sara,
                          query_string={"format": "html"}).get_data(as_text=True)
    assert "Sena rättelser av oktober 2026" in november and "nytt besök (visit.log)" in november


def test_a_month_without_clients_is_an_empty_report_not_an_error(client, world, sara):
    report = client.get("/api/reports/monthly/2025-01", headers=sara).get_json()
    assert report["rows"] == [] and report["totals"]["hours_delivered"] == 0
    csv = client.get("/api/reports/monthly/2025-01", headers=sara, query_string={"format": "csv"})
    assert csv.data.count(b"\r\n") == 1


def test_a_bad_month_or_an_unknown_format_is_a_clear_422(client, world, sara):
    for month in ("2026-13", "oktober", "2026-1", "26-10"):
        body = assert_error_shape(client.get(f"/api/reports/monthly/{month}", headers=sara), 422)
        assert body["reason"] == "invalid_month", month
    body = assert_error_shape(client.get(OCTOBER, headers=sara, query_string={"format": "pdf"}), 422)
    assert "format" in body["errors"]["query"]


def test_a_team_the_supervisor_does_not_lead_or_that_does_not_exist_is_403(client, world, sara):
    for team_id in (world.other_team, "no-such-team"):
        body = assert_error_shape(client.get(OCTOBER, headers=sara, query_string={"team_id": team_id}), 403)
        assert body["reason"] == "forbidden"


def test_a_contact_recorded_about_october_after_its_approval_is_a_late_correction_of_its_client(
        client, world, sara):
    """After approval, Karin's phone logs a contact in person with Olle Zander on 30 October,
    20 minutes: (75 + 35 + 20) / 60 = 2.1666… -> 2.17 h, still 1 visit, 1 late correction;
    November's report lists it as a new contact."""
    client.post(f"{OCTOBER}/approve", headers=sara)
    contact_id = "5d3f1b2a-8c4e-4f6a-9b1d-2e3f4a5b6c7e"
    push(client, login(client, "fx.karin"), {"name": "contact.log", "args": {
        "id": contact_id, "client_id": world.clients["C5"]["id"],
        "started_at": fixture.local(10, 30, 11).isoformat(), "minutes": 20, "channel": "in_person",
        "place_type": "day_centre", "actions": ["motivational_talk"]}})

    october = client.get(OCTOBER, headers=sara).get_json()
    olle = next(row for row in october["rows"] if row["client"] == "Olle Zander")
    assert (olle["hours_delivered"], olle["visits_done"], olle["late_corrections"]) == (2.17, 1, 1)
    november = client.get("/api/reports/monthly/2026-11", headers=sara).get_json()
    [correction] = november["corrections"]
    assert (correction["record_type"], correction["contact_id"], correction["visit_id"],
            correction["change"], correction["mutation_name"]) == (
        "contact", contact_id, None, "created", "contact.log")
    assert correction["contact_at"] == "2026-10-30T11:00:00+01:00"
    page = client.get("/api/reports/monthly/2026-11", headers=sara,
                      query_string={"format": "html"}).get_data(as_text=True)
    assert "ny kontakt (contact.log)" in page and "2026-10-30 11:00" in page

"""The workload dashboard (`supervision.md`, "Workload") of the hand-made team for October
2026 (`fixture.py` works out every figure), on Monday 2 November 10:00, with the caps set to
3 and 3 so that one worker is at the cap and one over it."""

import pytest

from server.settings import load
from tests.errors import assert_error_shape
from tests.server.supervision.reporting import late_work_about_october, login, push

WORKLOAD = "/api/dashboard/workload"
NO_CANCELS = {"client_cancelled": 0, "client_late_cancel": 0, "no_show": 0, "staff_cancelled": 0}


@pytest.fixture
def settings(data_dir):
    return load(environ={}, DATA=str(data_dir), CM_CASELOAD_CAP=3, SUPPORT_CASELOAD_CAP=3)


def by_name(dashboard) -> dict:
    return {client["client_name"]: client for client in dashboard["clients"]}


def test_each_workers_caseload_now_is_shown_against_the_cap_of_their_role_from_the_settings(
        client, world, sara):
    dashboard = client.get(WORKLOAD, headers=sara, query_string={"month": "2026-10"}).get_json()
    assert dashboard["caps"] == {"cm": 3, "support_worker": 3}
    assert [(w["worker_name"], w["role"], w["caseload"], w["cap"], w["at_cap"], w["over_cap"])
            for w in dashboard["workers"]] == [
        ("Karin Ek", "cm", 3, 3, True, False),  # C5, C6 and C10 (assigned this morning)
        ("Lars Berg", "support_worker", 4, 3, True, True),  # C1, C2, C4, C7
        ("Mona Holm", "support_worker", 1, 3, False, False),  # C3, handed over from Lars
    ]


def test_each_clients_month_is_as_worked_out_by_hand(client, world, sara):
    clients = by_name(client.get(WORKLOAD, headers=sara, query_string={"month": "2026-10"}).get_json())
    figures = {name: (c["worker_name"], c["hours_granted"], c["hours_delivered"], c["band"],
                      c["visits"]["planned"], c["visits"]["done"],
                      c["late_cancels_and_no_shows_90d"], c["days_since_last_met"])
               for name, c in clients.items()}
    assert figures == {
        "Åsa Lind": ("Lars Berg", 7.0, 1.52, "1-7", 1, 2, 0, 1),
        "Östen Ahl": ("Lars Berg", 7.5, 0.5, "8-18", 0, 1, 3, 2),
        "Älva Nord": ("Mona Holm", 18.0, 1.92, "8-18", 0, 2, 0, 7),
        "Émile Ek": ("Lars Berg", 19.0, 1.75, "19+", 0, 2, 1, 8),
        # A contact by phone is delivered time, not meeting; one in person is both.
        "Olle Zander": ("Karin Ek", None, 1.83, "", 0, 1, 0, 24),
        "åke Strand": ("Karin Ek", None, 1.08, "", 0, 1, 0, 2),
        'Nils "Nisse" Öhman': ("Lars Berg", 4.0, 0.0, "1-7", 0, 0, 0, None),
        # Assigned now, no order in October: on the dashboard, not in the report.
        "Cecilia Ny": ("Karin Ek", None, 0.0, "", 0, 0, 0, None),
    }
    assert clients["Östen Ahl"]["visits"]["cancelled"] == {
        "client_cancelled": 1, "client_late_cancel": 1, "no_show": 1, "staff_cancelled": 1}
    assert clients["Émile Ek"]["visits"]["cancelled"] == {**NO_CANCELS, "no_show": 1}
    assert clients["Åsa Lind"]["visits"]["cancelled"] == NO_CANCELS
    assert "Bertil Ek" not in clients and "Anna Annan" not in clients


def test_three_late_cancellations_or_no_shows_in_90_days_flag_the_once_a_month_pattern(
        client, world, sara):
    clients = by_name(client.get(WORKLOAD, headers=sara, query_string={"month": "2026-10"}).get_json())
    # Östen Ahl: 15 Sep, 20 Oct, 27 Oct; the no-show of 20 July is more than 90 days ago.
    assert "late_cancels_and_no_shows" in clients["Östen Ahl"]["flags"]
    assert "late_cancels_and_no_shows" not in clients["Émile Ek"]["flags"]  # one


def test_a_plan_diverging_from_its_order_is_flagged_with_what_differs(client, world, sara):
    clients = by_name(client.get(WORKLOAD, headers=sara, query_string={"month": "2026-10"}).get_json())
    flagged = {name for name, c in clients.items() if "plan_diverges_from_order" in c["flags"]}
    assert flagged == {"Östen Ahl", "Älva Nord", "Émile Ek"}
    # No notice to the orderer is recorded about any of them.
    assert {name for name, c in clients.items() if "plan_diverges_without_dialogue" in c["flags"]} == flagged
    assert clients["Östen Ahl"]["plan_divergence"]["dialogue"] == {
        "notices": 0, "last_notice_on": None, "last_reply_on": None, "last_outcome": None}
    dropped = clients["Östen Ahl"]["plan_divergence"]
    assert [a["name"] for a in dropped["order_activities_not_in_plan"]] == ["Veckoplanering"]
    assert dropped["plan_activities_not_in_order"] == []
    added = clients["Älva Nord"]["plan_divergence"]
    assert added["order_activities_not_in_plan"] == []
    assert [(a["name"], a["order_activity_id"]) for a in added["plan_activities_not_in_order"]] == [
        ("Promenad", None)]
    # The plan still follows Södermalm's order; Farsta's is in force at the end of October.
    old = clients["Émile Ek"]["plan_divergence"]
    assert [a["name"] for a in old["order_activities_not_in_plan"]] == ["Städning", "Ekonomi: budget"]
    assert [a["name"] for a in old["plan_activities_not_in_order"]] == ["Städning"]
    assert clients["Åsa Lind"]["plan_divergence"] is None


def test_the_team_totals_add_up_the_workers_and_the_clients(client, world, sara):
    totals = client.get(WORKLOAD, headers=sara, query_string={"month": "2026-10"}).get_json()["totals"]
    assert totals == {
        "workers": 3, "caseload": 3 + 4 + 1, "cap": 9, "workers_over_cap": 1, "clients": 8,
        "hours_granted": 7 + 7.5 + 18 + 19 + 4,
        "hours_delivered": 8.6,  # 1.52 + 0.50 + 1.92 + 1.75 + 1.83 + 1.08 + 0 + 0
        "visits": {"planned": 1, "done": 9, "cancelled": {
            "client_cancelled": 1, "client_late_cancel": 1, "no_show": 2, "staff_cancelled": 1}},
        "contacts": 2,
        # The fixture's orders have no goals: none is due (tests/server/casework/test_followup_figures.py).
        "followups_due": 0, "followups_overdue": 0,
        "clients_flagged": {"late_cancels_and_no_shows": 1, "consent_missing_or_stale": 1,
                            "plan_diverges_from_order": 3, "plan_diverges_without_dialogue": 3,
                            "followup_overdue": 0},
    }


def test_the_month_defaults_to_the_current_one(client, world, sara, clock):
    dashboard = client.get(WORKLOAD, headers=sara).get_json()
    assert dashboard["month"] == "2026-11" and dashboard["team_id"] == world.team
    # November so far: Åsa Lind's visit at 00:15 on the 1st, åke Strand's call at 00:10.
    assert by_name(dashboard)["Åsa Lind"]["hours_delivered"] == 1.0
    strand = by_name(dashboard)["åke Strand"]
    assert (strand["hours_delivered"], strand["contacts"]) == (0.25, 1)


def test_late_work_about_an_approved_month_shows_on_the_dashboard_too(client, world, sara):
    client.post("/api/reports/monthly/2026-10/approve", headers=sara)
    late_work_about_october(client, world)
    october = client.get(WORKLOAD, headers=sara, query_string={"month": "2026-10"}).get_json()
    asa = by_name(october)["Åsa Lind"]
    assert (asa["hours_delivered"], asa["visits"]["planned"], asa["visits"]["done"],
            asa["visits"]["cancelled"]["client_cancelled"]) == (2.27, 0, 3, 1)


def test_a_bad_month_is_422_and_a_team_not_led_is_403(client, world, sara):
    for month in ("2026-13", "november", ""):
        body = assert_error_shape(client.get(WORKLOAD, headers=sara, query_string={"month": month}), 422)
        assert body["reason"] == "invalid_month"
    body = assert_error_shape(client.get(WORKLOAD, headers=sara,
                                         query_string={"team_id": world.other_team}), 403)
    assert body["reason"] == "forbidden"


def test_the_months_contacts_are_counted_beside_the_visits(client, world, sara):
    clients = by_name(client.get(WORKLOAD, headers=sara, query_string={"month": "2026-10"}).get_json())
    assert {name: c["contacts"] for name, c in clients.items() if c["contacts"]} == {
        "Olle Zander": 1, "åke Strand": 1}


def test_a_party_contacted_with_only_a_stale_consent_flags_the_client(client, world, sara):
    clients = by_name(client.get(WORKLOAD, headers=sara, query_string={"month": "2026-10"}).get_json())
    flagged = {name for name, c in clients.items() if "consent_missing_or_stale" in c["flags"]}
    assert flagged == {"Olle Zander"}
    assert clients["Olle Zander"]["consent_warnings"] == [
        {"party": "Psykiatrin Södermalm", "stale": True, "record_type": "contact",
         "last_at": "2026-10-20T14:00:00+02:00"}]
    assert clients["åke Strand"]["consent_warnings"] == []


def test_an_appointment_to_come_with_a_party_without_consent_flags_the_client_a_cancelled_one_not(
        client, world, sara):
    karin = login(client, "fx.karin")
    appointment = {"id": "5d3f1b2a-8c4e-4f6a-9b1d-2e3f4a5b6c7f", "client_id": world.clients["C6"]["id"],
                   "starts_at": "2026-11-10T10:00:00+01:00", "kind": "enforcement", "with": "Kronofogden",
                   "accompany": False}
    push(client, karin, {"name": "appointment.add", "args": appointment})

    strand = by_name(client.get(WORKLOAD, headers=sara).get_json())["åke Strand"]
    assert "consent_missing_or_stale" in strand["flags"]
    assert strand["consent_warnings"] == [{"party": "Kronofogden", "stale": False,
                                           "record_type": "appointment",
                                           "last_at": "2026-11-10T10:00:00+01:00"}]

    push(client, karin, {"name": "appointment.cancel", "base_version": 1, "args": {"id": appointment["id"]}})
    assert by_name(client.get(WORKLOAD, headers=sara).get_json())["åke Strand"]["consent_warnings"] == []


def test_work_with_a_consented_party_is_not_flagged(client, world, sara):
    karin = login(client, "fx.karin")
    c6 = world.clients["C6"]["id"]
    push(client, karin,
         {"name": "consent.record", "args": {"id": "5d3f1b2a-8c4e-4f6a-9b1d-2e3f4a5b6c80", "client_id": c6,
                                             "party": "Kronofogden", "signed_on": "2026-10-01"}},
         {"name": "contact.log", "args": {"id": "5d3f1b2a-8c4e-4f6a-9b1d-2e3f4a5b6c81", "client_id": c6,
                                          "started_at": "2026-11-02T09:00:00+01:00", "minutes": 10,
                                          "channel": "phone", "party": "kronofogden",
                                          "actions": ["phoned_care"]}})

    assert by_name(client.get(WORKLOAD, headers=sara).get_json())["åke Strand"]["flags"] == []

"""A case manager's casework on the phone (issue 10, casework.md), in real Chromium against the
real server: every casework mutation the phone sends is made from its screen and lands on the
server as the record it describes; street outreach done without network (a contact with its
coordination actions, an appointment with a party the client has no consent for, new
whereabouts) stays on the phone until the network is back and then lands exactly once.
Screenshots of the casework screens at 360 px go to test-artifacts/e2e/casework-*.png.
"""

import json
import re
from datetime import date, datetime, time, timedelta

import pytest
from playwright.sync_api import expect

from sync.times import utc_text
from tests import factories
from tests.e2e.phone import SLOW_MS
from tests.e2e.world import STOCKHOLM, an_outreach_caseload

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

CONSENTED = "Psykiatrin Södermalm"
UNCONSENTED = "Kronofogden"
# The client's whereabouts as the office entered them (tests/factories.py).
OFFICE_WHEREABOUTS = "Härbärget Test"
NEW_WHEREABOUTS = "Sover under Skanstullsbron, norra fästet"
# A number set aside for fiction (PTS: 070-1740605 to 070-1740699).
FICTIONAL_PHONE = "070-174 06 50"
# A record's version in the sync index (each applied change adds one).
VERSION = "SELECT version FROM sync_records WHERE type = ? AND id = ?"


@pytest.fixture
def outreach(server, server_db):
    return an_outreach_caseload(server_db)


def stockholm_utc(day: date, at: str) -> str:
    """A Stockholm wall-clock time on `day` as the server stores it (UTC text)."""
    return utc_text(datetime.combine(day, time.fromisoformat(at), STOCKHOLM))


def days_from_today(days: int) -> date:
    return datetime.now(STOCKHOLM).date() + timedelta(days=days)


# --- what the case manager does, by the screens' Swedish labels ----------------------------

def open_client(phone, client):
    phone.clients()
    phone.page.get_by_test_id(f"client-{client.id}").click()
    expect(phone.page.get_by_role("heading", level=1)).to_have_text(client.name)


def fill_contact(phone, channel, actions, minutes, place=None, party=None, note=None):
    """Fill Ny kontakt (opened) without saving it."""
    page = phone.page
    expect(page.get_by_role("heading", name="Ny kontakt")).to_be_visible()
    phone.choose("Hur hade ni kontakt?", channel)
    if place:
        phone.choose("Var?", place)
    for action in actions:
        phone.choose("Vad gjorde du?", action)
    if party:
        page.get_by_label("Med vem, om inte bara brukaren? (frivillig)").fill(party)
    quick = page.get_by_role("group", name="Snabbval för minuter")
    quick.get_by_role("button", name=f"{minutes} min").click()
    if note:
        page.get_by_label("Anteckning (frivillig)").fill(note)


def fill_appointment(phone, kind, party, day, start, accompany, end=None, place=None, note=None,
                     participants=()):
    """Fill Ny tid (opened from the client page) without saving it."""
    page = phone.page
    expect(page.get_by_role("heading", name="Ny tid")).to_be_visible()
    page.get_by_label("Vad för tid?").select_option(label=kind)
    page.get_by_label("Hos vem?").fill(party)
    page.get_by_label("Datum", exact=True).fill(day.isoformat())
    phone.fill_time("Starttid", start)
    if end:
        phone.fill_time("Sluttid (frivillig)", end)
    if place:
        page.get_by_label("Plats (frivillig)").fill(place)
    phone.choose("Följer du med?", "Ja, jag följer med" if accompany else "Nej, jag påminner brukaren")
    for n, (role, org) in enumerate(participants):
        page.get_by_role("button", name="Lägg till deltagare").click()
        page.locator(f"#participant-{n}-role").fill(role)
        page.locator(f"#participant-{n}-org").fill(org)
    if note:
        page.get_by_label("Anteckning (frivillig)").fill(note)


def new_appointment(phone):
    """Ny tid from the client page's action bar."""
    phone.page.locator(".action-bar").get_by_role("link", name="Ny tid").click()


def appointment_on_client_page(phone, text) -> str:
    """The id of the appointment whose row on the client page shows `text`."""
    row = phone.page.locator("[data-testid^='appointment-']").filter(has_text=text)
    expect(row).to_have_count(1)
    return row.get_attribute("data-testid").removeprefix("appointment-")


def pushed_ids(proxy) -> list[str]:
    """The id of every mutation in every push that reached the server, as often as sent."""
    return [m["id"] for r in proxy.sent("POST", "/api/sync/push") for m in json.loads(r.body)["mutations"]]


def one(server_db, sql, *params) -> tuple:
    """The one row a query finds."""
    return server_db.execute(sql, params).fetchone()


def notes_about(server_db, column, record_id) -> list[str]:
    return [text for (text,) in server_db.execute(
        f"SELECT text FROM notes WHERE {column} = ? ORDER BY written_at, rowid", [record_id])]


# --- the tests -------------------------------------------------------------------------------

def test_every_casework_mutation_is_made_from_its_screen_and_lands_on_the_server(phone, outreach, server_db):
    """Nytt samtycke, Ny kontakt, Ny tid (twice), Hur gick det?, Ändra eller flytta, Avboka
    tiden, Återkalla, Ändra uppgifter and Flytta besöket each send their mutation
    (consent.record, contact.log, appointment.add, appointment.outcome, appointment.update,
    appointment.cancel, consent.withdraw, client.update, visit.reschedule), and the server
    applies each as the record the screen showed, notes included."""
    client, page = outreach.client, phone.page
    today, tomorrow = days_from_today(0), days_from_today(1)
    phone.open("/")
    phone.log_in(outreach.username, factories.PASSWORD)
    open_client(phone, client)

    # Nytt samtycke.
    page.get_by_role("link", name="Nytt samtycke").click()
    expect(page.get_by_role("heading", name="Nytt samtycke")).to_be_visible()
    page.get_by_label("Vem får uppgifter delas med?").fill(CONSENTED)
    page.get_by_label("Undertecknat", exact=True).fill(days_from_today(-30).isoformat())
    page.get_by_label("Giltigt till (frivillig)").fill(days_from_today(335).isoformat())
    page.get_by_label("Anteckning (frivillig)").fill("Gäller journaluppgifter och vårdplanering.")
    page.get_by_role("button", name="Spara samtycket").click()
    consent = page.locator("[data-testid^='consent-']").filter(has_text=CONSENTED)
    expect(consent).to_contain_text("Gäller")
    consent_id = consent.get_attribute("data-testid").removeprefix("consent-")

    # Ny kontakt from the client page: a party the consent covers (named loosely) asks nothing.
    page.locator(".action-bar").get_by_role("link", name="Ny kontakt").click()
    fill_contact(phone, "Telefon", ["Ringde vården"], 15, party="  psykiatrin södermalm ",
                 note="Bokade återbesök hos läkaren.")
    page.get_by_role("button", name="Spara kontakten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.name)
    expect(page.get_by_test_id("consent-warning")).to_have_count(0)
    contact = page.locator("[data-testid^='contact-']")
    expect(contact).to_contain_text("Telefon · 15 min")
    contact_id = contact.get_attribute("data-testid").removeprefix("contact-")

    # Ny tid, twice: a psychiatry appointment tomorrow, and today's SIP meeting.
    new_appointment(phone)
    fill_appointment(phone, "Psykiatrin", CONSENTED, tomorrow, "10:00", accompany=True, end="11:00",
                     place="Ringvägen 52", note="Ta med frikortet.")
    page.get_by_role("button", name="Spara tiden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.name)
    # "Psykiatrin Södermalm" names its kind: the row says it once.
    moved = appointment_on_client_page(phone, CONSENTED)
    new_appointment(phone)
    # At 00:00, so it has begun whenever the test runs: how it went is asked from then on.
    fill_appointment(phone, "SIP-möte", CONSENTED, today, "00:00", accompany=False,
                     participants=[("Läkare", "Psykiatrin"), ("Biståndshandläggare", "Socialtjänsten")])
    phone.screenshot_whole("casework-new-appointment-sip")
    page.get_by_role("button", name="Spara tiden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.name)
    sip = appointment_on_client_page(phone, "SIP-möte · ")
    phone.screenshot_whole("casework-client-page")

    # Hur gick det? on the SIP meeting's screen.
    page.get_by_test_id(f"appointment-{sip}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CONSENTED)
    expect(page.locator("main")).to_contain_text("Biståndshandläggare, Socialtjänsten")
    phone.screenshot_whole("casework-appointment")
    phone.choose("Hur gick det?", "Brukaren kom")
    page.get_by_label("Vad bestämdes? (frivillig)").fill("Gemensam plan, uppföljning om fyra veckor.")
    page.get_by_role("button", name="Spara hur det gick").click()
    expect(page.get_by_role("heading", name="Idag")).to_be_visible()

    # Ändra eller flytta, then Avboka tiden, on tomorrow's appointment.
    open_client(phone, client)
    page.get_by_test_id(f"appointment-{moved}").click()
    page.get_by_role("link", name="Ändra eller flytta").click()
    expect(page.get_by_role("heading", name="Ändra tiden")).to_be_visible()
    phone.fill_time("Starttid", "11:15")
    phone.fill_time("Sluttid (frivillig)", "12:15")
    page.get_by_label("Plats (frivillig)").fill("Psykiatrimottagningen, Ringvägen 52")
    page.get_by_role("button", name="Spara ändringarna").click()
    expect(page.locator("main")).to_contain_text("11:15")
    page.get_by_role("button", name="Avboka tiden").click()
    page.get_by_label("Varför? (frivillig)").fill("Mottagningen ställde in.")
    page.get_by_role("button", name="Ja, avboka").click()
    expect(page).to_have_url(re.compile(f"#/today/{tomorrow.isoformat()}$"))

    # Återkalla and Ändra uppgifter on the client page.
    open_client(phone, client)
    page.get_by_role("button", name=f"Återkalla samtycket för {CONSENTED}").click()
    page.get_by_role("button", name="Återkalla samtycket", exact=True).click()
    expect(consent).to_contain_text("Återkallat")
    page.get_by_role("link", name="Ändra uppgifter").click()
    expect(page.get_by_role("heading", name="Ändra uppgifter")).to_be_visible()
    page.get_by_label("Var brukaren finns").fill(NEW_WHEREABOUTS)
    page.get_by_label("Telefon", exact=True).fill(FICTIONAL_PHONE)
    page.get_by_role("button", name="Spara uppgifterna").click()
    expect(page.locator("main")).to_contain_text(NEW_WHEREABOUTS)

    # Flytta besöket, from the visit screen.
    (visit,) = client.visits
    phone.today()
    phone.visit_row(visit).click()
    page.get_by_role("link", name="Flytta besöket").click()
    expect(page.get_by_role("heading", name="Flytta besöket")).to_be_visible()
    page.get_by_label("Nytt datum").fill(tomorrow.isoformat())
    phone.fill_time("Ny starttid", "14:30")
    page.get_by_role("button", name="Spara ny tid").click()
    expect(page.locator("main")).to_contain_text("14:30")
    phone.expect_pending(0)

    sent = server_db.execute("SELECT name, status FROM sync_mutations WHERE user_id = ? ORDER BY device_seq",
                             [outreach.worker["id"]]).fetchall()
    assert sent == [(name, "applied") for name in (
        "consent.record", "contact.log", "appointment.add", "appointment.add", "appointment.outcome",
        "appointment.update", "appointment.cancel", "consent.withdraw", "client.update", "visit.reschedule")]
    worker_id = outreach.worker["id"]
    assert server_db.execute(
        "SELECT client_id, worker_id, party, signed_on, valid_until, withdrawn_on FROM consents WHERE id = ?",
        [consent_id]).fetchone() == (client.id, worker_id, CONSENTED, days_from_today(-30).isoformat(),
                                     days_from_today(335).isoformat(), today.isoformat())
    assert notes_about(server_db, "consent_id", consent_id) == ["Gäller journaluppgifter och vårdplanering."]
    row = one(server_db, "SELECT client_id, worker_id, channel, place_type, party, actions, minutes, "
              "consent_id, consent_warning FROM contacts WHERE id = ?", contact_id)
    assert row[:5] == (client.id, worker_id, "phone", None, "psykiatrin södermalm")
    assert (json.loads(row[5]), row[6], row[7], row[8]) == (["phoned_care"], 15, consent_id, 0)
    assert notes_about(server_db, "contact_id", contact_id) == ["Bokade återbesök hos läkaren."]
    columns = "status, kind, with_party, starts_at, ends_at, place, accompany, participants, consent_warning"
    appointments = {r[0]: r[1:] for r in server_db.execute(
        f"SELECT id, {columns} FROM appointments WHERE client_id = ?", [client.id])}
    assert appointments[moved] == (
        "cancelled", "psychiatry", CONSENTED, stockholm_utc(tomorrow, "11:15"),
        stockholm_utc(tomorrow, "12:15"), "Psykiatrimottagningen, Ringvägen 52", 1, None, 0)
    assert notes_about(server_db, "appointment_id", moved) == [
        "Ta med frikortet.", "Mottagningen ställde in."]
    assert appointments[sip][:7] == (
        "attended", "sip", CONSENTED, stockholm_utc(today, "00:00"), None, None, 0)
    assert json.loads(appointments[sip][7]) == [
        {"role": "Läkare", "org": "Psykiatrin"}, {"role": "Biståndshandläggare", "org": "Socialtjänsten"}]
    assert appointments[sip][8] == 0
    assert notes_about(server_db, "appointment_id", sip) == ["Gemensam plan, uppföljning om fyra veckor."]
    assert one(server_db, "SELECT whereabouts, phone FROM clients WHERE id = ?", client.id) == \
        (NEW_WHEREABOUTS, FICTIONAL_PHONE)
    assert one(server_db, "SELECT status, starts_at, place FROM visits WHERE id = ?", visit) == \
        ("planned", stockholm_utc(tomorrow, "14:30"), "Hemma")


def test_street_outreach_offline_stays_on_the_phone_and_lands_exactly_once_back_online(
        phone, outreach, server_db, proxy):
    """Without network a case manager logs a street contact with two coordination actions,
    adds an appointment with a party the client has no consent for (asked "Samtycke saknas
    för Kronofogden: spara ändå?", answered Spara ändå) and updates the client's whereabouts:
    nothing reaches the server while offline; back online each mutation is pushed once and
    applied once, the appointment carries the server's consent_warning (shown on the phone),
    the contact its actions and minutes, the client its new whereabouts."""
    client, page = outreach.client, phone.page
    tomorrow = days_from_today(1)
    phone.open("/")
    phone.log_in(outreach.username, factories.PASSWORD)
    phone.go_offline()
    pushes_before = len(proxy.sent("POST", "/api/sync/push"))

    # Ny kontakt from Idag's action bar: met outside, two coordination actions.
    page.locator(".action-bar").get_by_role("link", name="Ny kontakt").click()
    page.get_by_label("Brukare", exact=True).select_option(client.id)
    fill_contact(phone, "Träffades", ["Ringde vården", "Bokade möte"], 45, place="Ute",
                 note="Träffades vid Skanstull, pratade om läkartiden.")
    phone.screenshot_whole("casework-new-contact")
    page.get_by_role("button", name="Spara kontakten").click()
    expect(page.get_by_role("heading", name="Idag")).to_be_visible()

    # Ny tid with Kronofogden, whom no consent covers: asked, and saved anyway.
    open_client(phone, client)
    new_appointment(phone)
    fill_appointment(phone, "Kronofogden", UNCONSENTED, tomorrow, "09:30", accompany=False)
    page.get_by_role("button", name="Spara tiden").click()
    warning = page.get_by_test_id("consent-warning")
    expect(warning).to_contain_text(f"Samtycke saknas för {UNCONSENTED}: spara ändå?")
    expect(page.get_by_role("button", name="Spara tiden")).to_be_disabled()
    phone.expect_pending(1)  # asking saved nothing
    phone.screenshot("casework-new-appointment-consent-warning")
    phone.screenshot_whole("casework-new-appointment-consent-warning-whole")
    warning.get_by_role("button", name="Spara ändå").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(client.name)
    appointment = appointment_on_client_page(phone, UNCONSENTED)

    # Ändra uppgifter: where the client sleeps now.
    page.get_by_role("link", name="Ändra uppgifter").click()
    page.get_by_label("Var brukaren finns").fill(NEW_WHEREABOUTS)
    page.get_by_role("button", name="Spara uppgifterna").click()
    expect(page.locator("main")).to_contain_text(NEW_WHEREABOUTS)
    phone.expect_pending(3)
    expect(page.get_by_test_id("pending-count")).to_contain_text("3 ändringar väntar")

    # Nothing was sent: no push got through, and the server knows none of it.
    outbox = {m["id"]: m["name"] for m in phone.stored("outbox")}
    assert sorted(outbox.values()) == ["appointment.add", "client.update", "contact.log"]
    assert len(proxy.sent("POST", "/api/sync/push")) == pushes_before
    marks = ", ".join("?" * len(outbox))
    assert one(server_db, f"SELECT count(*) FROM sync_mutations WHERE id IN ({marks})", *outbox) == (0,)
    assert one(server_db, "SELECT count(*) FROM contacts WHERE client_id = ?", client.id) == (0,)
    assert one(server_db, "SELECT count(*) FROM appointments WHERE client_id = ?", client.id) == (0,)
    assert one(server_db, "SELECT whereabouts FROM clients WHERE id = ?", client.id) == (OFFICE_WHEREABOUTS,)

    client_version = one(server_db, VERSION, "client", client.id)[0]

    phone.go_online()
    phone.expect_pending(0)
    expect(page.get_by_test_id("pending-count")).to_have_text("Allt är synkat")

    # Exactly once: each mutation went in one push, was applied, and changed its record once.
    sent = pushed_ids(proxy)
    assert sorted(sent) == sorted(outbox)
    assert server_db.execute("SELECT id, status FROM sync_mutations WHERE user_id = ? ORDER BY device_seq",
                             [outreach.worker["id"]]).fetchall() == [(m, "applied") for m in sent]
    (contact_id, channel, place_type, party, actions, minutes, warned) = one(
        server_db, "SELECT id, channel, place_type, party, actions, minutes, consent_warning FROM contacts "
        "WHERE client_id = ?", client.id)
    assert one(server_db, VERSION, "contact", contact_id) == (1,)
    assert one(server_db, VERSION, "appointment", appointment) == (1,)
    assert one(server_db, VERSION, "client", client.id) == (client_version + 1,)

    assert (channel, place_type, party, json.loads(actions), minutes, warned) == \
        ("in_person", "street", None, ["phoned_care", "booked_meeting"], 45, 0)
    assert notes_about(server_db, "contact_id", contact_id) == [
        "Träffades vid Skanstull, pratade om läkartiden."]
    assert one(server_db, "SELECT kind, with_party, starts_at, accompany, status, consent_warning, "
               "consent_stale FROM appointments WHERE id = ?", appointment) == \
        ("enforcement", UNCONSENTED, stockholm_utc(tomorrow, "09:30"), 0, "planned", 1, 0)
    assert one(server_db, "SELECT whereabouts FROM clients WHERE id = ?", client.id) == (NEW_WHEREABOUTS,)

    # The server's verdict comes back to the phone: the appointment is marked, confirmed.
    phone.sync_now()
    row = page.get_by_test_id(f"appointment-{appointment}")
    expect(row.get_by_test_id("record-state")).to_have_attribute("data-state", "confirmed", timeout=SLOW_MS)
    expect(page.get_by_test_id(f"contact-{contact_id}")).to_contain_text("Ringde vården, Bokade möte")
    phone.screenshot_whole("casework-client-page-after-outreach")
    row.click()
    expect(page.locator("main")).to_contain_text("Utan giltigt samtycke")
    expect(page.locator("main")).to_contain_text("Brukaren går själv: ring och påminn hen.")
    phone.screenshot_whole("casework-appointment-without-consent")


def test_the_tiles_of_ny_kontakt_and_ny_tid_break_words_only_at_a_space_or_hyphen_at_360_px(phone, outreach):
    """At a small phone's width every tile of Ny kontakt (how, where, what was done) and of
    Ny tid (going along or not) wraps between words or at a hyphen, never inside a word."""
    page = phone.page
    phone.open("/")
    phone.log_in(outreach.username, factories.PASSWORD)
    page.locator(".action-bar").get_by_role("link", name="Ny kontakt").click()
    phone.choose("Hur hade ni kontakt?", "Träffades")  # where they met is asked too
    expect(page.locator("main .choice")).to_have_count(4 + 7 + 12)
    assert phone.words_broken_mid_word("main .choice > span") == []
    open_client(phone, outreach.client)
    new_appointment(phone)
    expect(page.locator("main .choice")).to_have_count(2)
    assert phone.words_broken_mid_word("main .choice > span") == []


# What the worker would see: the service worker registration's notifications.
NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
}"""


def test_the_open_app_reminds_of_a_client_s_appointment_without_names_and_closes_it_once_cancelled(
        phone, outreach, context, proxy):
    """The phone's own reminder while the app is open (a phone without push): an appointment
    20 minutes ahead that the case manager does not go along to rings at once, as the server's
    push would word it ("Försäkringskassan HH:MM", "Ring och påminn brukaren · K.N."), with
    neither the client's name nor whom it is with; a tap leads to the appointment's day.
    Cancelled, its notification closes."""
    page = phone.page
    client = outreach.client
    context.grant_permissions(["notifications"], origin=proxy.url)
    phone.open("/")
    phone.log_in(outreach.username, factories.PASSWORD)
    starts = (datetime.now(STOCKHOLM) + timedelta(minutes=20)).replace(second=0, microsecond=0)

    open_client(phone, client)
    new_appointment(phone)
    fill_appointment(phone, "Försäkringskassan", "Försäkringskassan Farsta", starts.date(),
                     f"{starts:%H:%M}", accompany=False)
    page.get_by_role("button", name="Spara tiden").click()
    page.get_by_test_id("consent-warning").get_by_role("button", name="Spara ändå").click()
    appointment_id = appointment_on_client_page(phone, "Försäkringskassan Farsta")

    tag = f"appointment:{appointment_id}"
    phone.poll(f"({NOTIFICATIONS})().then((all) => all.some((n) => n.tag === {json.dumps(tag)}))",
               "the phone's own reminder of the appointment")
    [shown] = [n for n in page.evaluate(NOTIFICATIONS) if n["tag"] == tag]
    today = datetime.now(STOCKHOLM).date()
    when = f"{starts:%H:%M}" if starts.date() == today else f"i morgon {starts:%H:%M}"
    assert shown == {"title": f"Försäkringskassan {when}", "body": "Ring och påminn brukaren · K.N.",
                     "tag": tag, "data": {"appointment_id": appointment_id,
                                          "url": f"/#/today/{starts.date().isoformat()}"}}
    assert not re.search(r"Kim|Nordin|Farsta", json.dumps(shown, ensure_ascii=False))

    page.get_by_test_id(f"appointment-{appointment_id}").click()
    page.get_by_role("button", name="Avboka tiden").click()
    page.get_by_role("button", name="Ja, avboka").click()
    phone.poll(f"({NOTIFICATIONS})().then((all) => !all.some((n) => n.tag === {json.dumps(tag)}))",
               "the cancelled appointment's notification to close")

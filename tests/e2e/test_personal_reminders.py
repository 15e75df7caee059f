"""Personal reminders and reminder settings on the phone (issue 4): a reminder made without
network survives a reload, reaches the server when the network is back and is marked done;
its notification on the lock screen shows the time and initials, never its text; the
worker's settings are saved at the server only online, and the form keeps them offline; a
supervisor sees the team's workers whom no push can reach, and when no scheduler runs."""

import json
import time
import uuid
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from sync.store import write_transaction
from tests import factories
from tests.e2e.phone import SLOW_MS, unlock
from tests.e2e.world import STOCKHOLM, faltstod

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

# What the user would see: the service worker registration's notifications.
NOTIFICATIONS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
}"""


def a_time_on_idag(minutes: int) -> datetime:
    """`minutes` from now when that is still today in Stockholm, else as long before now
    (an overdue reminder): either way Idag lists it."""
    now = datetime.now(STOCKHOLM).replace(second=0, microsecond=0)
    later = now + timedelta(minutes=minutes)
    return later if later.date() == now.date() else now - timedelta(minutes=minutes)


def add_reminder(phone, client_id, text, at: datetime, screenshot=None):
    """From the client's page: "Ny påminnelse" (the client chosen), text, date and time."""
    page = phone.page
    phone.clients()
    page.get_by_test_id(f"client-{client_id}").click()
    page.get_by_role("link", name="Ny påminnelse").click()
    expect(page.get_by_role("heading", name="Ny påminnelse")).to_be_visible()
    page.get_by_label("Vad vill du bli påmind om?").fill(text)
    page.get_by_label("Datum").fill(f"{at:%Y-%m-%d}")
    page.get_by_label("Tid", exact=True).fill(f"{at:%H:%M}")
    if screenshot:
        phone.screenshot(screenshot)
    page.get_by_role("button", name="Spara påminnelsen").click()
    expect(page.get_by_role("heading", name="Mina påminnelser")).to_be_visible()


def eventually(check, what, timeout=SLOW_MS / 1000):
    """Wait until `check()` is true (the server's database, written by a sync)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def the_only_reminder_id(phone) -> str:
    ids = [r["id"] for r in phone.stored("records") if r["type"] == "reminder"]
    assert len(ids) == 1, ids
    return ids[0]


def test_a_reminder_added_offline_survives_a_reload_reaches_the_server_and_is_marked_done(
        phone, caseload, server_db):
    page = phone.page
    at = a_time_on_idag(90)
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)

    phone.go_offline()
    add_reminder(phone, caseload.first.id, "Ring Alva om tvättiden", at, screenshot="reminder-new")
    reminder_id = the_only_reminder_id(phone)
    row = page.get_by_test_id(f"reminder-{reminder_id}")
    expect(row).to_contain_text("Ring Alva om tvättiden")
    expect(row.get_by_test_id("record-state")).to_have_attribute("data-state", "saved")
    phone.expect_pending(1)

    page.reload()
    unlock(page)
    expect(page.get_by_test_id(f"reminder-{reminder_id}").get_by_test_id("record-state")) \
        .to_have_attribute("data-state", "saved")
    phone.expect_pending(1)
    assert server_db.execute("SELECT count(*) FROM personal_reminders WHERE id = ?",
                             [reminder_id]).fetchone() == (0,)

    phone.go_online()
    phone.expect_pending(0)
    expect(page.get_by_test_id(f"reminder-{reminder_id}").get_by_test_id("record-state")) \
        .to_have_attribute("data-state", "confirmed", timeout=SLOW_MS)
    worker_id, client_id, text, remind_at, status = server_db.execute(
        "SELECT worker_id, client_id, text, remind_at, status FROM personal_reminders WHERE id = ?",
        [reminder_id]).fetchone()
    assert (worker_id, client_id, text, status) == (
        caseload.worker["id"], caseload.first.id, "Ring Alva om tvättiden", "open")
    assert datetime.fromisoformat(remind_at) == at

    # Idag lists it with its time and text; Klar takes it off the list and to the server.
    phone.today()
    row = page.get_by_test_id(f"reminder-{reminder_id}")
    expect(row).to_contain_text(f"{at:%H:%M}")
    expect(row).to_contain_text("Ring Alva om tvättiden")
    row.scroll_into_view_if_needed()
    phone.screenshot("reminders-today")
    row.get_by_role("button", name="Klar").click()
    expect(row).to_have_count(0)
    eventually(lambda: server_db.execute(
        "SELECT status, done_at IS NOT NULL FROM personal_reminders WHERE id = ?",
        [reminder_id]).fetchone() == ("done", 1), "the reminder to be done at the server")
    phone.expect_pending(0)


def test_a_due_reminder_shows_time_and_initials_on_the_lock_screen_never_its_text_and_done_closes_it(
        phone, caseload, context, proxy):
    page = phone.page
    context.grant_permissions(["notifications"], origin=proxy.url)
    now = datetime.now(STOCKHOLM).replace(second=0, microsecond=0)  # due at once
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)

    add_reminder(phone, caseload.first.id, "Ring Alva Berglund om hyran", now)
    reminder_id = the_only_reminder_id(phone)
    tag = f"reminder:{reminder_id}"
    phone.poll(f"({NOTIFICATIONS})().then((all) => all.some((n) => n.tag === {json.dumps(tag)}))",
               "the phone's own reminder")
    shown = [n for n in page.evaluate(NOTIFICATIONS) if n["tag"] == tag]
    assert shown == [{"title": f"Påminnelse {now:%H:%M}", "body": "A.B.", "tag": tag,
                      "data": {"reminder_id": reminder_id}}]

    # Where the notification leads: Idag shows the reminder whose time has come at the top,
    # above the day's visits.
    phone.today()
    row = page.get_by_test_id("due-reminders").get_by_test_id(f"reminder-{reminder_id}")
    expect(row).to_contain_text("Ring Alva Berglund om hyran")
    assert row.bounding_box()["y"] < page.locator(".visit-list").bounding_box()["y"]
    row.get_by_role("button", name="Klar").click()
    phone.poll(f"({NOTIFICATIONS})().then((all) => !all.some((n) => n.tag === {json.dumps(tag)}))",
               "the done reminder's notification to close")
    expect(page.get_by_test_id("due-reminders")).to_have_count(0)


def test_reminder_settings_are_saved_at_the_server_online_and_kept_in_the_form_offline(
        phone, caseload, server_db):
    page = phone.page
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    page.get_by_role("link", name="Konto och utloggning").click()
    minutes = page.get_by_label("Påminn före besök")
    expect(minutes).to_have_value("30", timeout=SLOW_MS)  # the server's default, cached at login

    minutes.select_option("60")
    page.get_by_label("Påminn även dagen före").check()
    page.get_by_role("button", name="Spara inställningarna").click()
    expect(page.get_by_text("Inställningarna är sparade.")).to_be_visible()
    assert server_db.execute(
        "SELECT minutes_before, day_before, morning_digest FROM reminder_preferences WHERE worker_id = ?",
        [caseload.worker["id"]]).fetchone() == (60, 1, 0)

    phone.go_offline()
    page.get_by_label("Morgonsammanfattning").check()
    page.get_by_role("button", name="Spara inställningarna").click()
    expect(page.get_by_text("kan bara sparas när telefonen har nät")).to_be_visible()
    phone.screenshot("account-reminder-settings-offline")
    expect(page.get_by_label("Morgonsammanfattning")).to_be_checked()
    expect(minutes).to_have_value("60")
    assert server_db.execute("SELECT morning_digest FROM reminder_preferences WHERE worker_id = ?",
                             [caseload.worker["id"]]).fetchone() == (0,)

    phone.go_online()
    page.get_by_role("button", name="Spara inställningarna").click()
    expect(page.get_by_text("Inställningarna är sparade.")).to_be_visible()
    assert server_db.execute("SELECT morning_digest FROM reminder_preferences WHERE worker_id = ?",
                             [caseload.worker["id"]]).fetchone() == (1,)


def test_a_supervisor_sees_the_team_s_workers_without_push_and_a_stopped_scheduler(
        phone, caseload, server_db, server_data_dir):
    supervisor = factories.a_worker(server_db, caseload.worker["team_id"], role="supervisor",
                                    username=f"e2e.lead.{uuid.uuid4().hex[:8]}")
    with write_transaction(server_db):  # no scheduler has run (another test may have run one)
        server_db.execute("DELETE FROM scheduler_heartbeats")
    phone.open("/")
    phone.log_in(supervisor["username"], factories.PASSWORD, supervisor=True)
    phone.page.get_by_role("link", name="Konto och utloggning").click()
    team = phone.page.get_by_test_id("team-push")
    expect(team).to_contain_text("Utan fungerande push", timeout=SLOW_MS)
    expect(team).to_contain_text(f"Testare {caseload.username}")
    expect(team).not_to_contain_text("Push är avstängd på servern")
    expect(phone.page.get_by_test_id("scheduler-trouble")).to_contain_text(
        "Påminnelser skickas inte just nu")
    team.scroll_into_view_if_needed()
    phone.screenshot("account-team-push")

    faltstod(server_data_dir, "scheduler", "--once")  # a scheduler runs again
    phone.page.reload()
    unlock(phone.page)
    expect(team).to_contain_text("Utan fungerande push", timeout=SLOW_MS)
    expect(phone.page.get_by_test_id("scheduler-trouble")).to_have_count(0)

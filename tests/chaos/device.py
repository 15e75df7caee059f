"""A phone in Python that speaks the sync protocol over real HTTP (`docs/sync-protocol.md`), for
the chaos tests: the server is a real `faltstod serve` in a subprocess, often behind a proxy
that loses, doubles and reorders requests, and is killed now and then.

It keeps its state as the PWA must (the phone's own outbox is tested in Chromium, tests/e2e):
- the outbox: mutations queued with `device_seq` one above the last, never changed once
  queued; a push sends a prefix of it, in order, at most one push in flight; a mutation leaves
  the outbox only with a final result (`applied`, `rejected`, `conflict`); `deferred` stays;
- a failed request (refused, cut, timed out, 5xx) changes nothing: the same mutations, with
  the same ids, are sent again later;
- a pull page is stored purge first, then changes, and its cursor only after the page; a
  failed page is asked again with the cursor held (a first sync resumes at the page it lost);
- `410 cursor_expired`: a replacement sync (a full pull into fresh tables, swapped in whole).

Every answer the device ever got is kept (`answers`), so a test can check that each mutation
has exactly one final result, the same on every delivery.
"""

import http.client
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.factories import PASSWORD
from tests.sync.devices import store_page

FINAL = ("applied", "rejected", "conflict")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Unreachable(Exception):
    """The request failed as a whole: nothing answered, or a 5xx. Try again later."""

    def __init__(self, message, status=None, body=None, headers=None):
        super().__init__(message)
        self.status, self.body, self.headers = status, body, headers or {}


class Device:
    def __init__(self, url: str, username: str, *, name="Kaostelefon", app_version="1.0.0",
                 clock_offset=timedelta(0), timeout=30.0):
        self.url, self.username, self.name = url, username, name
        self.app_version, self.clock_offset, self.timeout = app_version, clock_offset, timeout
        self.token = self.device_id = self.user = None
        self.outbox: list[dict] = []
        self.queued: dict[str, dict] = {}  # every mutation ever queued, by id
        self.answers: dict[str, list[dict]] = {}  # every result ever received, by id
        self.next_device_seq = 1
        self.records: dict[tuple[str, str], dict] = {}  # (type, id) -> {"version", "data"}
        self.cursor: str | None = None
        self.epoch: str | None = None
        self.min_app_version: str | None = None
        self.failures = 0  # requests that failed as a whole

    # --- the device's clock (which may be wrong) ----------------------------------------------

    def now(self) -> datetime:
        return (datetime.now(UTC) + self.clock_offset).astimezone(STOCKHOLM).replace(microsecond=0)

    # --- HTTP -----------------------------------------------------------------------------

    def request(self, method: str, path: str, body=None, timeout=None) -> tuple[int, dict]:
        """One request on a connection of its own; `Unreachable` for a failure as a whole."""
        host, _, port = self.url.removeprefix("http://").partition(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout or self.timeout)
        headers = {"Content-Type": "application/json", "Connection": "close"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            conn.request(method, path, body=None if body is None else json.dumps(body).encode(),
                         headers=headers)
            response = conn.getresponse()
            status, raw, answer_headers = response.status, response.read(), dict(response.getheaders())
        except (OSError, http.client.HTTPException) as err:  # refused, reset, cut, timed out
            self.failures += 1
            raise Unreachable(f"{method} {path}: {err!r}") from None
        finally:
            conn.close()
        payload = json.loads(raw) if raw else {}
        if status >= 500:
            self.failures += 1
            raise Unreachable(f"{method} {path}: {status}", status, payload, answer_headers)
        return status, payload

    def login(self):
        body = {"username": self.username, "password": PASSWORD, "device_name": self.name}
        if self.device_id:
            body["device_id"] = self.device_id
        status, session = self.request("POST", "/api/auth/login", body)
        assert status == 200, session
        self.token, self.device_id, self.user = session["token"], session["device_id"], session["user"]
        return self

    # --- the outbox --------------------------------------------------------------------------

    def queue(self, name: str, args: dict, occurred_at: datetime | None = None, **base) -> dict:
        """Queue a mutation done now by the device's clock (or at `occurred_at`); `base` is
        `base_version=` or `base_mutation_id=` for an edit."""
        mutation = {"id": str(uuid.uuid4()), "device_seq": self.next_device_seq, "name": name,
                    "occurred_at": (occurred_at or self.now()).isoformat(), "args": args, **base}
        self.next_device_seq += 1
        self.outbox.append(mutation)
        self.queued[mutation["id"]] = mutation
        return mutation

    def push(self, limit=500, timeout=None) -> list[dict]:
        """Send the outbox's first `limit` mutations once; settle the final results."""
        batch = self.outbox[:limit]
        body = {"mutations": batch, "outbox_size": len(self.outbox), "app_version": self.app_version,
                "device_time": self.now().isoformat()}
        if self.outbox:
            body["outbox_oldest_at"] = self.outbox[0]["occurred_at"]
        status, payload = self.request("POST", "/api/sync/push", body, timeout)
        assert status == 200, payload
        results = payload["results"]
        assert [r["id"] for r in results] == [m["id"] for m in batch], "one result each, in order"
        for result in results:
            self.answers.setdefault(result["id"], []).append(result)
        final = {r["id"] for r in results if r["status"] in FINAL}
        self.outbox = [m for m in self.outbox if m["id"] not in final]
        return results

    def push_all(self, limit=500, attempts=50, between=None) -> None:
        """Push until the outbox is empty or only deferred mutations remain; after a failed
        request, `between(error)` (a test restarts the server there) and try again. Once a
        push empties the outbox, one more with no mutations tells the dashboard it is empty."""
        sent = False
        for _ in range(attempts):
            try:
                before = len(self.outbox)
                if not self.outbox:
                    if sent:
                        self.push(limit)  # `outbox_size: 0`, as the phone does
                    return
                results = self.push(limit)
                sent = True
                if len(self.outbox) == before and all(r["status"] == "deferred" for r in results):
                    return
            except Unreachable as err:
                if between:
                    between(err)
                else:
                    time.sleep(0.05)
        raise AssertionError(f"{len(self.outbox)} mutations still unsent after {attempts} attempts")

    # --- pulling -----------------------------------------------------------------------------

    def pull_page(self, limit=None, timeout=None) -> dict:
        query = "&".join(f"{k}={v}" for k, v in (("cursor", self.cursor), ("limit", limit))
                         if v is not None)
        status, page = self.request("GET", "/api/sync/pull" + (f"?{query}" if query else ""),
                                    timeout=timeout)
        if status == 410 and page.get("reason") == "cursor_expired":
            self.replacement_sync(limit)
            return {"has_more": False, "changes": [], "purge": [], "replaced": True}
        assert status == 200, page
        keys = [(c["type"], c["id"]) for c in page["changes"]]
        assert len(keys) == len(set(keys)), "a record appears at most once in a response"
        self.store(page)
        return page

    def pull_all(self, limit=None, attempts=50, between=None) -> int:
        """Pull pages until `has_more` is false; returns the number of pages stored."""
        pages = 0
        for _ in range(attempts):
            try:
                page = self.pull_page(limit)
            except Unreachable as err:
                if between:
                    between(err)
                else:
                    time.sleep(0.05)
                continue
            pages += 1
            if not page["has_more"]:
                return pages
        raise AssertionError(f"the pull did not finish in {attempts} requests")

    def sync(self, limit=500, pull_limit=None, between=None) -> None:
        """What the phone does when it comes online: push everything, then pull."""
        self.push_all(limit, between=between)
        self.pull_all(pull_limit, between=between)

    def store(self, page: dict) -> None:
        if self.epoch is not None:
            assert page["epoch"] == self.epoch, "the epoch changes only with a restore"
        self.epoch, self.min_app_version = page["epoch"], page["min_app_version"]
        store_page(self.records, page)
        self.cursor = page["cursor"]

    def replacement_sync(self, limit=None) -> None:
        fresh = self.snapshot(limit)
        self.records, self.cursor = fresh.records, fresh.cursor

    def snapshot(self, limit=2000) -> "Device":
        """A fresh full pull by this login, into a device of its own (this one unchanged)."""
        other = Device(self.url, self.username, name=self.name, timeout=self.timeout)
        other.token, other.device_id, other.user = self.token, self.device_id, self.user
        other.pull_all(limit)
        return other

    # --- what a test reads -----------------------------------------------------------------

    def held(self, record_type: str) -> dict[str, dict]:
        return {i: r for (t, i), r in self.records.items() if t == record_type}

    def final_result(self, mutation_id: str) -> dict | None:
        return next((r for r in self.answers.get(mutation_id, []) if r["status"] in FINAL), None)


# --- mutations a phone makes ------------------------------------------------------------------

def new_id() -> str:
    return str(uuid.uuid4())


def plan_visit(device: Device, client_id: str, starts_at: datetime, occurred_at=None) -> dict:
    return device.queue("visit.plan", {"id": new_id(), "client_id": client_id,
                                       "starts_at": starts_at.isoformat(), "place": "Hemma"},
                        occurred_at)


def complete_visit(device: Device, plan: dict, activity_ids, occurred_at=None) -> dict:
    """Completes the visit `plan` queued, building on that mutation (it may be unanswered)."""
    starts = datetime.fromisoformat(plan["args"]["starts_at"])
    return device.queue("visit.complete", {
        "id": plan["args"]["id"], "started_at": starts.isoformat(),
        "ended_at": (starts + timedelta(minutes=45)).isoformat(),
        "activities": [{"activity_id": a, "done": True, "support_level": "start_together"}
                       for a in activity_ids]}, occurred_at, base_mutation_id=plan["id"])


def add_note(device: Device, client_id: str, text: str, occurred_at=None) -> dict:
    return device.queue("note.add", {"id": new_id(), "client_id": client_id, "text": text},
                        occurred_at)


def some_work(device: Device, client: dict, count: int, start: datetime, step: timedelta) -> list[dict]:
    """`count` mutations of a worker's days, the k-th done at `start + k * step`: a visit
    planned, then completed by an edit that builds on the (maybe unanswered) plan, then a note."""
    queued = []
    for k in range(count):
        at = start + k * step
        if k % 3 == 0:
            queued.append(plan_visit(device, client["id"], at, at))
        elif k % 3 == 1:
            queued.append(complete_visit(device, queued[-1], client["activity_ids"][:2], at))
        else:
            queued.append(add_note(device, client["id"], f"Anteckning {k}", at))
    return queued

"""A simulated offline phone for the convergence test: an outbox, the records it has pulled and
a cursor, spoken to the server only through the HTTP contract (`docs/sync-protocol.md`).

It keeps its local state the way the PWA must: mutations are queued with `device_seq` one
above the last and never changed once queued; a push sends a prefix of the outbox in order,
and a mutation leaves the outbox only with a final result; a pull page is stored purge first,
then changes, and its cursor only after the page.
"""

from sync.digest import digest_lines

FINAL_STATUSES = ("applied", "rejected", "conflict")


def store_page(records: dict, page: dict) -> None:
    """A pull page into `records` ({(type, id): {version, data}}) as the phone stores it:
    purge first (a client with everything about them), then the changes, none older than
    what is held (the caller stores the cursor after)."""
    for entry in page["purge"]:
        forget(records, entry["type"], entry["id"])
    for change in page["changes"]:
        key = (change["type"], change["id"])
        if change["deleted"]:
            records.pop(key, None)
            continue
        held = records.get(key)
        assert held is None or change["version"] >= held["version"], (
            f"{key} came back at version {change['version']}, the phone held {held['version']}")
        records[key] = {"version": change["version"], "data": change["data"]}


def forget(records: dict, record_type: str, record_id: str) -> None:
    """A purged client takes everything about them along."""
    records.pop((record_type, record_id), None)
    if record_type == "client":
        for key, record in list(records.items()):
            if record["data"].get("client_id") == record_id:
                del records[key]

# The record each mutation creates or changes: (record type, name of the arg holding its id).
RECORD_OF = {
    "visit.plan": ("visit", "id"),
    "visit.log": ("visit", "id"),
    "visit.complete": ("visit", "id"),
    "visit.cancel": ("visit", "id"),
    "visit.reschedule": ("visit", "id"),
    "note.add": ("note", "id"),
    "client.update": ("client", "id"),
    "parked.resolve": ("parked", "parked_id"),
}


def record_of(mutation: dict) -> tuple[str, str]:
    record_type, id_arg = RECORD_OF[mutation["name"]]
    return record_type, mutation["args"][id_arg]


class SimDevice:
    """One phone of one worker."""

    def __init__(self, name: str, user_id: str, device_id: str, token: str):
        self.name, self.user_id, self.device_id, self.token = name, user_id, device_id, token
        self.outbox: list[dict] = []
        self.next_device_seq = 1
        self.records: dict[tuple[str, str], dict] = {}  # (type, id) -> {"version", "data"}
        self.cursor: str | None = None
        self.in_session = False  # a paged pull was left with `has_more`

    def __repr__(self):
        return self.name

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    # --- the outbox --------------------------------------------------------------------------

    def queue(self, mutation_id: str, name: str, args: dict, occurred_at: str, **base) -> dict:
        """Queue a mutation; `base` is `base_version=` or `base_mutation_id=` for an edit."""
        mutation = {"id": mutation_id, "device_seq": self.next_device_seq, "name": name,
                    "occurred_at": occurred_at, "args": args, **base}
        self.next_device_seq += 1
        self.outbox.append(mutation)
        return mutation

    def pending_about(self, key: tuple[str, str]) -> dict | None:
        """The latest mutation of this record still in the outbox (not yet answered)."""
        return next((m for m in reversed(self.outbox) if record_of(m) == key), None)

    def push(self, http, count: int, device_time: str) -> list[tuple[dict, dict]]:
        """Send the first `count` mutations of the outbox; (mutation, result) pairs."""
        batch = self.outbox[:count]
        return list(zip(batch, self.send(http, batch, device_time), strict=True))

    def send(self, http, mutations: list[dict], device_time: str) -> list[dict]:
        body = {"mutations": mutations, "outbox_size": len(self.outbox), "app_version": "1.0.0",
                "device_time": device_time}
        response = http.post("/api/sync/push", json=body, headers=self.headers)
        assert response.status_code == 200, response.get_json()
        results = response.get_json()["results"]
        assert [r["id"] for r in results] == [m["id"] for m in mutations], "one result each, in order"
        return results

    def settle(self, results: list[dict]) -> None:
        """Drop every mutation that got a final result from the outbox."""
        answered = {r["id"] for r in results if r["status"] in FINAL_STATUSES}
        self.outbox = [m for m in self.outbox if m["id"] not in answered]

    # --- pulling -----------------------------------------------------------------------------

    def pull_page(self, http, limit: int | None) -> dict:
        query = {k: v for k, v in (("cursor", self.cursor), ("limit", limit)) if v is not None}
        response = http.get("/api/sync/pull", query_string=query, headers=self.headers)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        keys = [(c["type"], c["id"]) for c in page["changes"]]
        assert len(keys) == len(set(keys)), "a record appears at most once in a response"
        self._store(page)
        return page

    def _store(self, page: dict) -> None:
        store_page(self.records, page)
        self.cursor = page["cursor"]
        self.in_session = page["has_more"]

    def holdings(self) -> dict[tuple[str, str], int]:
        return {key: record["version"] for key, record in self.records.items()}

    def digest(self) -> tuple[str, int]:
        return digest_lines((t, i, v) for (t, i), v in self.holdings().items())

    # --- what the worker sees on the phone ---------------------------------------------------

    def held_ids(self, record_type: str) -> list[str]:
        return [i for (t, i) in self.records if t == record_type]

    def plan_activity_ids(self, client_id: str) -> list[str]:
        return [activity["id"]
                for (t, _), record in self.records.items()
                if t == "plan" and record["data"]["client_id"] == client_id
                for activity in record["data"]["activities"]]

    def visits(self) -> list[tuple[str, str]]:
        """(visit id, client id) of every visit the phone knows: pulled, or made offline."""
        known = {i: record["data"]["client_id"]
                 for (t, i), record in self.records.items() if t == "visit"}
        for mutation in self.outbox:
            if mutation["name"] in ("visit.plan", "visit.log"):
                known.setdefault(mutation["args"]["id"], mutation["args"]["client_id"])
        return list(known.items())

    def open_parked(self) -> list[str]:
        return [i for (t, i), record in self.records.items()
                if t == "parked" and record["data"]["status"] == "open"]

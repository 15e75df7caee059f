"""POST /api/sync/push, as the numbered steps of `docs/sync-protocol.md` ("Push"; the contract
is the shared docs' page of the same name).

1. Refuse a broken envelope as a whole (not an object, no `mutations` list, > 500).
2. Apply the mutations in `device_seq` order; answer them in request order.
3. Per mutation, atomic with its bookkeeping: a savepoint of its own inside a `BEGIN
   IMMEDIATE` transaction that takes mutations in turn for up to TRANSACTION_MS:
   3.1 an id answered before: the same content from the same user gets the same answer,
       anything else is `id_reused` (not parked: the first one stands);
   3.2 judge it (`sync/judge.py`): known name, valid args, base, access at the time of the
       work, the conflict rule; a mutation that fails any of these is parked, never dropped;
   3.3 apply it and log the answer.
   Anything else that goes wrong with one mutation (a bug) rolls back its savepoint and
   parks it as `internal_error` in a savepoint of its own: one mutation never fails its
   batch, or the phone's outbox would be stuck behind it for good. A mutation that would be
   parked while its author is at the parked quota is `deferred` instead: its savepoint rolls
   back, nothing of it is kept, and the phone sends it again later. What is not one
   mutation's fault (the disk full) rolls back the transaction it happened in and fails the
   push; the phone sends it again, and what committed before is answered as before.
4. Record what the device reported (outbox size and oldest entry, app version, clock skew)
   and the gaps seen in its device_seq, in the last transaction.
"""

import json
import logging
import sqlite3
import time
import uuid
from collections import deque
from contextlib import contextmanager

from sync import protocol
from sync.errors import Problem
from sync.judge import Parked, judge
from sync.parked import ParkedQuota, park
from sync.store import write_transaction
from sync.times import parse_instant, utc_text

log = logging.getLogger(__name__)

# Longest mutation id accepted; ids are UUIDs (36 characters) but a client may add a prefix.
MAX_ID_LENGTH = 64
# Longest mutation name logged in `sync_mutations` (the catalogue's longest has 19).
MAX_NAME_LENGTH = 100
# How much one write transaction takes before it commits and the next begins: at most
# MUTATIONS_PER_TRANSACTION mutations (each in its own savepoint), and none more once it has
# held SQLite's write lock TRANSACTION_MS. A commit per mutation cost more than most
# mutations (a third of a push); one transaction for a whole batch of 500 would hold the
# lock for the whole batch, and every other writer (another phone's push, the scheduler)
# would wait that long, and a best-effort write (`last_seen_at`, which waits 50 ms) be
# skipped.
MUTATIONS_PER_TRANSACTION = 100
TRANSACTION_MS = 25


def push(engine, db, user: dict, device_id: str | None, body) -> dict:
    # 1. The envelope.
    envelope = protocol.parse_envelope(body)
    now = engine.clock.now()

    # 2. device_seq order; entries without a usable device_seq keep their place after them.
    def order(index):
        seq = _device_seq(envelope.mutations[index])
        return (seq is None, seq if seq is not None else 0, index)

    results = [None] * len(envelope.mutations)
    waiting = deque(sorted(range(len(envelope.mutations)), key=order))
    while True:
        with write_transaction(db):
            # 3. One mutation, one savepoint, as many as one transaction takes.
            _apply_some(engine, db, user, device_id, envelope.mutations, waiting, results, now)
            # 4. The device's report, for the sync dashboard, with the last mutations.
            if not waiting and device_id is not None:
                _record_device_report(db, user, device_id, envelope, now)
        if not waiting:
            return {"results": results, "server_time": utc_text(now)}


def _apply_some(engine, db, user, device_id, mutations, waiting: deque, results, now) -> None:
    """The next mutations in line, in the transaction open, until it has taken its share."""
    began, taken = time.monotonic(), 0
    while waiting and taken < MUTATIONS_PER_TRANSACTION and (
            time.monotonic() - began) * 1000 < TRANSACTION_MS:
        index = waiting.popleft()
        results[index] = push_safely(engine, db, user, device_id, mutations[index], now)
        taken += 1


@contextmanager
def savepoint(db):
    """One mutation's writes, all or nothing, inside the push's transaction."""
    db.conn.execute("SAVEPOINT mutation")
    try:
        yield
    except BaseException:
        # A failure that ended the whole transaction (SQLite rolls back by itself on some
        # errors, the disk full among them) leaves no savepoint to go back to.
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK TO mutation")
            db.conn.execute("RELEASE mutation")
        raise
    db.conn.execute("RELEASE mutation")


def push_safely(engine, db, user, device_id, raw, now) -> dict:
    """`push_one`, or, when it fails in a way nobody foresaw, the mutation parked by itself;
    `deferred` when it would be parked and its author is at the parked quota."""
    try:
        with savepoint(db):
            return push_one(engine, db, user, device_id, raw, now)
    except ParkedQuota as quota:
        return _deferred(raw, quota)
    except (Problem, sqlite3.OperationalError):
        # Not this mutation's fault (the database is locked, the disk full): the push fails
        # as a whole and the phone sends it again later, nothing parked.
        raise
    except Exception:
        # Without the data: it may name a client.
        log.exception("push of one mutation failed; parking it as internal_error")
        try:
            with savepoint(db):
                return _park_failed(engine, db, user, device_id, raw, now)
        except ParkedQuota as quota:
            return _deferred(raw, quota)


def _deferred(raw, quota: ParkedQuota) -> dict:
    """The answer to a mutation that is not taken now (its transaction rolled back): not
    remembered, so the same mutation sent again is judged again."""
    mutation_id = raw.get("id") if isinstance(raw, dict) else None
    return {"id": mutation_id if isinstance(mutation_id, str) else None,
            "status": protocol.DEFERRED, "retry_after": quota.retry_after,
            "error": {"code": quota.code, "message": quota.message}}


def _park_failed(engine, db, user, device_id, raw, now) -> dict:
    mutation_id = raw.get("id") if isinstance(raw, dict) else None
    mutation_id = mutation_id if _usable_id(mutation_id) else None
    error = {"code": "internal_error", "message": "The server could not apply this mutation."}
    mutation = raw if isinstance(raw, dict) else {"value": raw}
    parked_id = park(engine, db, user, device_id, mutation_id, mutation, now,
                     error["code"], error["message"])
    result = {"id": mutation_id, "status": protocol.REJECTED, "parked_id": parked_id,
              "error": error}
    if mutation_id is not None and db.execute(
            "SELECT 1 FROM sync_mutations WHERE id = ?", [mutation_id]).fetchone() is None:
        # Remembered, so the same mutation sent again is answered the same, not parked twice.
        _log_answer(db, user, device_id, raw, protocol.content_hash(raw), None, result, None,
                    None, None, now)
    return result


def push_one(engine, db, user, device_id, raw, now) -> dict:
    mutation_id = raw.get("id") if isinstance(raw, dict) else None
    if not _usable_id(mutation_id):
        # Without a usable id the answer cannot be remembered; park it so nothing is lost.
        mutation = raw if isinstance(raw, dict) else {"value": raw}
        parked_id = park(engine, db, user, device_id, None, mutation, now,
                         protocol.VALIDATION, "A mutation needs an `id` (a UUID).",
                         {"id": ["Missing or not a UUID."]})
        return {"id": mutation_id if isinstance(mutation_id, str) else None,
                "status": protocol.REJECTED, "parked_id": parked_id,
                "error": {"code": protocol.VALIDATION, "message": "A mutation needs an `id` (a UUID).",
                          "fields": {"id": ["Missing or not a UUID."]}}}

    content_hash = protocol.content_hash(raw)
    # 3.1 Answered before?
    prior = db.execute(
        "SELECT user_id, content_hash, result FROM sync_mutations WHERE id = ?", [mutation_id]
    ).fetchone()
    if prior is not None:
        if prior[0] == user["id"] and prior[1] == content_hash:
            return json.loads(prior[2])
        return {"id": mutation_id, "status": protocol.REJECTED,
                "error": {"code": protocol.ID_REUSED,
                          "message": "This mutation id was already used for another mutation."}}

    # 3.2 Judge and apply, or park.
    occurred_at = parse_instant(raw.get("occurred_at"))
    record_type = record_id = None
    produced_version = None
    try:
        record_type, record_id, produced_version, server_seq = judge(
            engine, db, user, device_id, raw, occurred_at, now
        )
        result = {"id": mutation_id, "status": protocol.APPLIED, "server_seq": server_seq}
    except Parked as parked:
        record_type, record_id = parked.record_type, parked.record_id
        parked_id = park(engine, db, user, device_id, mutation_id, raw, now, parked.code,
                         parked.message, parked.fields, server_values=parked.server_values,
                         record_type=record_type, record_id=record_id)
        if parked.conflict:
            result = {"id": mutation_id, "status": protocol.CONFLICT, "parked_id": parked_id,
                      "fields": list(parked.fields)}
        else:
            error = {"code": parked.code, "message": parked.message}
            if parked.fields:
                error["fields"] = parked.fields
            result = {"id": mutation_id, "status": protocol.REJECTED, "parked_id": parked_id,
                      "error": error}

    # 3.3 Log the answer with the change, in the same transaction.
    _log_answer(db, user, device_id, raw, content_hash, occurred_at, result, record_type,
                record_id, produced_version, now)
    return result


def _log_answer(db, user, device_id, raw, content_hash, occurred_at, result, record_type,
                record_id, produced_version, now) -> None:
    db.execute(
        "INSERT INTO sync_mutations (id, user_id, device_id, device_seq, name, content_hash, "
        "occurred_at, received_at, status, server_seq, parked_id, record_type, record_id, "
        "produced_version, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result["id"], user["id"], device_id, _device_seq(raw),
         protocol.storable_text(raw.get("name"), MAX_NAME_LENGTH), content_hash,
         utc_text(occurred_at) if occurred_at else None, utc_text(now),
         result["status"], result.get("server_seq"), result.get("parked_id"),
         record_type, record_id, produced_version, json.dumps(result)],
    )


def _device_seq(raw):
    seq = raw.get("device_seq") if isinstance(raw, dict) else None
    return seq if protocol.is_count(seq) else None


def _usable_id(value) -> bool:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID_LENGTH:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _record_device_report(db, user, device_id, envelope, now) -> None:
    """What the device said about itself, as it said it (its outbox, its app, its clock), and
    what the server saw: gaps in its `device_seq` (when the last one appeared: the dashboard
    shows a gap for 7 days) and the time of this push. The outbox it reports is taken only
    from a push that is not older than one already seen (its highest `device_seq` not below
    the last): a copy the phone gave up on, arriving after the phone sent it all again and
    said its outbox was empty, would otherwise show the old outbox on the dashboard."""
    seqs = sorted({s for s in (_device_seq(m) for m in envelope.mutations) if s is not None})
    device_time = parse_instant(envelope.device_time)
    skew = (device_time - now).total_seconds() if device_time else None
    row = db.execute(
        "SELECT last_device_seq, seq_gaps FROM sync_devices WHERE device_id = ?", [device_id]
    ).fetchone()
    last, gaps = (row[0], row[1]) if row else (None, 0)
    stale = bool(seqs) and last is not None and seqs[-1] < last
    gaps_before = gaps
    for seq in seqs:
        if last is not None and seq > last + 1:
            gaps += seq - last - 1
        if last is None or seq > last:
            last = seq
    db.execute(
        "INSERT INTO sync_devices (device_id, user_id, last_device_seq, seq_gaps, outbox_size, "
        "outbox_oldest_at, app_version, clock_skew_seconds, last_push_at, last_gap_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (device_id) DO UPDATE SET last_device_seq = excluded.last_device_seq, "
        "seq_gaps = excluded.seq_gaps, "
        "outbox_size = CASE WHEN ? THEN outbox_size ELSE excluded.outbox_size END, "
        "outbox_oldest_at = CASE WHEN ? THEN outbox_oldest_at ELSE excluded.outbox_oldest_at END, "
        "app_version = coalesce(excluded.app_version, app_version), "
        "clock_skew_seconds = coalesce(excluded.clock_skew_seconds, clock_skew_seconds), "
        "last_push_at = excluded.last_push_at, "
        "last_gap_at = coalesce(excluded.last_gap_at, last_gap_at)",
        [device_id, user["id"], last, gaps, envelope.outbox_size, envelope.outbox_oldest_at,
         envelope.app_version, skew, utc_text(now),
         utc_text(now) if gaps > gaps_before else None, stale, stale],
    )

/**
 * The phone's database (Dexie over IndexedDB), and the only way into it: no other module
 * imports Dexie or holds the handle (test/db.test.js fails when one does). Every read and
 * write goes through the functions below, table by table (records, staging, outbox, sent,
 * drafts, meta), plus `transaction` (several writes together, all or none) and `liveQuery`
 * (a query the UI re-runs when what it read changes). So there is one place to change how
 * data rests on the phone (e.g. encrypted).
 *
 * Tables:
 *   records  every record the phone holds, of every type (client, order, plan, visit, note,
 *            parked, reminder), keyed [type+id]. One table rather than one per type because
 *            the sync code treats records alike (a pull page mixes types, a client purge
 *            deletes "everything with this client_id" in one indexed delete, the digest reads
 *            them all), while screens read through three small indexes: `client_id` (a
 *            client's page, the purge), `[type+day]` (a day's visits, the Stockholm date of
 *            started_at or starts_at; a day's personal reminders, the date of remind_at) and
 *            `about` ("type:id" that an open parked item names: attention). For 15 clients
 *            and ~500 visits every screen is one or two index range reads. A personal
 *            reminder tied to a client has its client_id (the client page lists it) but
 *            belongs to the worker's scope, not the client's: a client purge keeps it
 *            (sync/page.js).
 *            A row is {type, id, version, server, data, client_id?, day?, about?,
 *            applied_mutation_id?}: `server` is the server's copy as last pulled (null for a
 *            record made here and not yet pulled), `data` the local view (server copy plus
 *            the effects of the mutations still in the outbox). See records.js.
 *   staging  a replacement sync's pages, swapped into `records` only when complete.
 *   outbox   mutations not yet given a final result, keyed by id, sent in device_seq order;
 *            `keys` ("type:id" of every record a mutation touches) is multi-entry indexed;
 *            `queued_at` (not indexed, so no new version: rows queued before it have none)
 *            is when the phone queued it, reported to the server as `outbox_oldest_at`.
 *   sent     applied mutations, kept 14 days so they can be sent again if the server's
 *            epoch changes (a restore from backup).
 *   drafts   local-only state of a visit in progress (started, not yet completed).
 *   meta     key/value: token, user, device_id, device_seq, cursor, session, replacement,
 *            epoch, min_app_version, last_confirmed_at, last_sync_at, digest_checked_at,
 *            reported_outbox_size (the outbox size the server last heard of, push.js).
 *
 * AT REST (sealed.js, docs/phone-security.md): every function below seals what it writes and
 * opens what it reads, so callers see plain rows while IndexedDB holds, per row, only the
 * clear fields sealed.js names (keys, index fields, bookkeeping that names no one) and one
 * AES-GCM seal of the rest. Decryption waits inside the caller's transaction (Dexie.waitFor,
 * which keeps it alive). `keep` of `deleteOfClient` and Dexie's own filters see only the
 * clear fields. While the app is locked a sealed row cannot be read (LockedError) and a
 * sealed meta value reads as absent.
 *
 * SCHEMA CHANGES: a new app version can activate at any moment, with an outbox full of
 * work done offline. So never edit or remove a released version below: add
 * `db.version(n + 1).stores({...changed tables only...}).upgrade(tx => ...)` that
 * transforms rows in place. Never delete or clear the `outbox` (nor `sent`, nor meta's
 * device_id / device_seq) in an upgrade: they are the only copy of unsent work. Records
 * may be dropped in an upgrade only together with the cursor (meta `cursor`), which makes
 * the next sync a full one. An upgrade runs before the app is unlocked: it may change clear
 * fields only (or drop records with the cursor).
 */
import Dexie, { liveQuery as dexieLiveQuery } from 'dexie';
import { CLEAR_FIELDS, forgetKey, keyState, onlyClear, openNow, openRow, sealRow } from './sealed.js';

// Dexie 4.4.7 calls a helper it never defines: a live query whose answer arrives while
// another Dexie promise is still settling in its zone is handed to `enqueueNativeMicroTask`,
// and the page gets "enqueueNativeMicroTask is not defined" (an uncaught error in most runs
// of tests/e2e/test_device_wipe.py since the lock's timing changed with the passkey). What
// Dexie means by it is a microtask outside its zones: the browser's own.
globalThis.enqueueNativeMicroTask ??= (callback) => queueMicrotask(callback);

export const DB_NAME = 'faltstod';

const db = new Dexie(DB_NAME);

db.version(1).stores({
  records: '[type+id], client_id, [type+day], about',
  staging: '[type+id], client_id',
  outbox: 'id, device_seq, *keys',
  sent: 'id, answered_at',
  drafts: 'visit_id',
  meta: 'key',
});

/**
 * Run `fn` in one transaction over the tables named ('records', 'outbox', …): its writes
 * land together or not at all. Inside, call only this module's functions and no network
 * (awaiting anything else ends a Dexie transaction).
 */
export function transaction(mode, tables, fn) {
  return db.transaction(mode, tables, fn);
}

/** An observable of `query()`'s result, run again whenever a table it read changes (a save,
 * a pull, another tab). */
export function liveQuery(query) {
  return dexieLiveQuery(query);
}

/** The rows as the app sees them: opened at once when they are in clear or opened before,
 * else decrypted while the transaction waits. */
function openRows(name, rows) {
  const out = new Array(rows.length);
  const waiting = [];
  rows.forEach((row, i) => {
    const now = openNow(name, row);
    if (!row || now !== undefined) out[i] = now;
    else waiting.push(i);
  });
  if (!waiting.length) return out;
  return Dexie.waitFor(Promise.all(waiting.map((i) => openRow(name, rows[i])))).then((opened) => {
    waiting.forEach((i, n) => {
      out[i] = opened[n];
    });
    return out;
  });
}

/** The rows as they are stored (sealed), while the transaction waits. */
const sealRows = (name, rows) => Dexie.waitFor(Promise.all(rows.map((row) => sealRow(name, row))));

/** Reads and writes of one table through the seal. */
function sealedTable(table) {
  const name = table.name;
  const read = (query) => query.then((rows) => openRows(name, rows));
  return {
    read,
    get: (key) => table.get(key).then((row) => openRows(name, [row])).then(([row]) => row),
    bulkGet: (keys) => read(table.bulkGet(keys)),
    put: (row) => sealRows(name, [row]).then(([stored]) => table.put(stored)),
    bulkPut: (rows) => sealRows(name, rows).then((stored) => table.bulkPut(stored)),
    add: (row) => sealRows(name, [row]).then(([stored]) => table.add(stored)),
    all: () => read(table.toArray()),
  };
}

/** A table of record rows, keyed [type, id] (see above): records, or a replacement sync's
 * staging. */
function recordTable(table) {
  const sealed = sealedTable(table);
  return {
    get: sealed.get,
    bulkGet: sealed.bulkGet,
    put: sealed.put,
    bulkPut: sealed.bulkPut,
    /** Change some fields of a held row (clear ones in place; others through the seal). */
    update: async (key, changes) => {
      if (onlyClear(table.name, changes)) return table.update(key, changes);
      const row = await sealed.get(key);
      if (!row) return 0;
      await sealed.put({ ...row, ...changes });
      return 1;
    },
    delete: (key) => table.delete(key),
    bulkDelete: (keys) => table.bulkDelete(keys),
    all: sealed.all,
    count: () => table.count(),
    clear: () => table.clear(),
    /** Delete the rows with this client_id, except those `keep(row)` spares (a client purge;
     * `keep` sees the row's clear fields). */
    deleteOfClient: (clientId, keep) =>
      table.where('client_id').equals(clientId).filter((row) => !keep(row)).delete(),
  };
}

const recordsTable = sealedTable(db.records);

/** The records the phone holds, with the reads screens and sync need (one index each). */
export const records = {
  ...recordTable(db.records),
  /** Every row of a type. */
  ofType: (type) => recordsTable.read(db.records.where('[type+id]').between([type, Dexie.minKey], [type, Dexie.maxKey]).toArray()),
  /** Rows of a type whose `day` is from `fromDay` (null: any earlier) to `toDay`, both included. */
  onDays: (type, fromDay, toDay) =>
    recordsTable.read(db.records.where('[type+day]').between([type, fromDay ?? Dexie.minKey], [type, toDay], true, true).toArray()),
  /** Every row about a client (its own row included). */
  ofClient: (clientId) => recordsTable.read(db.records.where('client_id').equals(clientId).toArray()),
  /** The open parked items (only they have `about`), by the record they name. */
  openParked: () => recordsTable.read(db.records.orderBy('about').toArray()),
  /** The open parked items naming any of these "type:id" keys. */
  parkedAbout: (keys) => recordsTable.read(db.records.where('about').anyOf(keys).toArray()),
};

/** A replacement sync's pages until they are swapped in. */
export const staging = recordTable(db.staging);

// The outbox's size when it was last counted. A wipe ordered by the server comes with
// `Clear-Site-Data`, which makes the browser delete this database before the app reads the
// answer: the count taken before the request is then the only way to tell the worker how
// many unsent changes were lost (session.js, wipeLocalData).
let lastCounted = 0;

const outboxTable = sealedTable(db.outbox);

/** Mutations not yet given a final result (outbox.js says what a row holds). */
export const outbox = {
  add: outboxTable.add,
  bulkPut: outboxTable.bulkPut,
  delete: (id) => db.outbox.delete(id),
  count: async () => {
    lastCounted = await db.outbox.count();
    return lastCounted;
  },
  /** What the last `count()` found (no database read: the database may be gone). */
  lastCounted: () => lastCounted,
  all: outboxTable.all,
  /** In device_seq order (the order they are sent), at most `limit`, after `afterSeq`. */
  inOrder: (limit = Infinity, afterSeq = null) => {
    const ordered = afterSeq === null ? db.outbox.orderBy('device_seq') : db.outbox.where('device_seq').above(afterSeq);
    return outboxTable.read((Number.isFinite(limit) ? ordered.limit(limit) : ordered).toArray());
  },
  /** Each mutation touching any of these "type:id" keys, once. */
  touching: (keys) => outboxTable.read(db.outbox.where('keys').anyOf(keys).distinct().toArray()),
  /** Mark these mutations as part of a push awaiting its answer (1) or not (0). */
  setInFlight: (ids, value) => db.outbox.where('id').anyOf(ids).modify({ in_flight: value }),
  /** Clear every in-flight mark (a push that never got its answer). */
  clearInFlight: () => db.outbox.filter((m) => m.in_flight).modify({ in_flight: 0 }),
};

const sentTable = sealedTable(db.sent);

/** Applied mutations, kept to be sent again after a server restore. */
export const sent = {
  get: sentTable.get,
  put: sentTable.put,
  all: sentTable.all,
  count: () => db.sent.count(),
  clear: () => db.sent.clear(),
  /** Forget those answered before `iso`. */
  deleteAnsweredBefore: (iso) => db.sent.where('answered_at').below(iso).delete(),
};

/** Visits in progress on this phone ({visit_id, started_at}). */
export const drafts = {
  get: (visitId) => db.drafts.get(visitId),
  put: (draft) => db.drafts.put(draft),
  delete: (visitId) => db.drafts.delete(visitId),
  bulkGet: (visitIds) => db.drafts.bulkGet(visitIds),
  bulkDelete: (visitIds) => db.drafts.bulkDelete(visitIds),
  all: () => db.drafts.toArray(),
};

const metaTable = sealedTable(db.meta);

/** The meta value stored under `key`, or undefined (also for a sealed one while locked: a
 * locked phone holds no token). */
export async function getMeta(key) {
  const row = await db.meta.get(key);
  if (row?.sealed !== undefined && keyState() !== 'open') return undefined;
  return (await openRows('meta', [row]))[0]?.value;
}

/** Store a meta value; `undefined` or `null` deletes the key. */
export async function setMeta(key, value) {
  if (value === undefined || value === null) await db.meta.delete(key);
  else await metaTable.put({ key, value });
}

/** How many rows each table holds, by table name (no contents: for diagnostics and tests). */
export async function tableSizes() {
  const counts = await Promise.all(db.tables.map((table) => table.count()));
  return Object.fromEntries(db.tables.map((table, i) => [table.name, counts[i]]));
}

/** Meta keys that survive a logout: the device keeps its identity and its seq counter, so the
 * server sees one device with no gap in device_seq when the worker logs in again. */
export const DEVICE_KEYS = ['device_id', 'device_seq'];

/**
 * Delete local data: every table, and every meta key except `keepMeta`.
 * Used by logout (keeping the device identity) and by a wipe (keeping nothing). Without the
 * vault (meta `vault`) the data key is forgotten too: nothing it sealed is left.
 */
export async function clearLocalData({ keepMeta = [] } = {}) {
  await db.transaction('rw', db.tables, async () => {
    const kept = await db.meta.bulkGet(keepMeta);
    await Promise.all(db.tables.map((table) => table.clear()));
    await db.meta.bulkPut(kept.filter(Boolean));
  });
  if (!keepMeta.includes('vault')) forgetKey('none');
}

const SEALED_TABLES = Object.keys(CLEAR_FIELDS);

/** Store every row again through the seal: what was written in clear before the vault
 * existed (an app without encryption, a login before its PIN) is sealed now. One
 * transaction: all or nothing. */
export async function resealAll() {
  await db.transaction('rw', SEALED_TABLES, async () => {
    for (const name of SEALED_TABLES) {
      const table = sealedTable(db.table(name));
      const rows = await table.all();
      await table.bulkPut(rows);
    }
  });
}

/** Whether any row lies sealed (a vault's data) — read without a key. */
export async function holdsSealedRows() {
  for (const name of SEALED_TABLES) {
    if (await db.table(name).filter((row) => row.sealed !== undefined).count()) return true;
  }
  return false;
}

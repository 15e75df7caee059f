/**
 * The phone's database (Dexie over IndexedDB).
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
 *            `keys` ("type:id" of every record a mutation touches) is multi-entry indexed.
 *   sent     applied mutations, kept 14 days so they can be sent again if the server's
 *            epoch changes (a restore from backup).
 *   drafts   local-only state of a visit in progress (started, not yet completed).
 *   meta     key/value: token, user, device_id, device_seq, cursor, session, replacement,
 *            epoch, min_app_version, last_confirmed_at, last_sync_at, digest_checked_at.
 *
 * SCHEMA CHANGES: a new app version can activate at any moment, with an outbox full of
 * work done offline. So never edit or remove a released version below: add
 * `db.version(n + 1).stores({...changed tables only...}).upgrade(tx => ...)` that
 * transforms rows in place. Never delete or clear the `outbox` (nor `sent`, nor meta's
 * device_id / device_seq) in an upgrade: they are the only copy of unsent work. Records
 * may be dropped in an upgrade only together with the cursor (meta `cursor`), which makes
 * the next sync a full one.
 */
import Dexie from 'dexie';

export const DB_NAME = 'faltstod';

export const db = new Dexie(DB_NAME);

db.version(1).stores({
  records: '[type+id], client_id, [type+day], about',
  staging: '[type+id], client_id',
  outbox: 'id, device_seq, *keys',
  sent: 'id, answered_at',
  drafts: 'visit_id',
  meta: 'key',
});

/** The meta value stored under `key`, or undefined. */
export async function getMeta(key) {
  const row = await db.meta.get(key);
  return row?.value;
}

/** Store a meta value; `undefined` or `null` deletes the key. */
export async function setMeta(key, value) {
  if (value === undefined || value === null) await db.meta.delete(key);
  else await db.meta.put({ key, value });
}

/** Meta keys that survive a logout: the device keeps its identity and its seq counter, so the
 * server sees one device with no gap in device_seq when the worker logs in again. */
export const DEVICE_KEYS = ['device_id', 'device_seq'];

/**
 * Delete local data: every table, and every meta key except `keepMeta`.
 * Used by logout (keeping the device identity) and by a wipe (keeping nothing).
 */
export async function clearLocalData({ keepMeta = [] } = {}) {
  await db.transaction('rw', db.tables, async () => {
    const kept = await db.meta.bulkGet(keepMeta);
    await Promise.all(db.tables.map((table) => table.clear()));
    await db.meta.bulkPut(kept.filter(Boolean));
  });
}

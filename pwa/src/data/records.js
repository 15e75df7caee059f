/**
 * Record rows: the server's copy and the local view side by side.
 *
 * A row keeps `server` (the data as last pulled, null for a record made on this phone and
 * not yet pulled) and `data` (what screens show: the server copy with the local effects of
 * the mutations still in the outbox laid over it). Keeping the server copy is what lets the
 * phone take back a guess: when the server rejects a mutation, or a pull brings a newer
 * server copy, the view is recomputed from the server copy and what is still pending
 * (`rebase`), instead of leaving a local guess the server never accepted.
 */
import { getMeta, outbox, records } from './db.js';
import { parseKey, recordKey, replay } from './effects.js';
import { localDate } from './time.js';

/** The row for a record, with the index fields derived from its (local) data. */
export function toRow(type, id, { version = 0, server = null, data, applied_mutation_id } = {}) {
  const row = { type, id, version, server, data };
  const clientId = type === 'client' ? id : data?.client_id;
  // A client's own row carries its id as client_id, so purging a client is one indexed delete.
  if (clientId) row.client_id = clientId;
  if (type === 'visit') {
    const at = data?.started_at ?? data?.starts_at;
    if (at) row.day = localDate(at);
  }
  // A personal reminder's day is the date it is due (Idag lists today's and the overdue).
  if (type === 'reminder' && data?.remind_at) row.day = localDate(data.remind_at);
  if (type === 'parked' && data?.status === 'open') {
    // An open item names the record it concerns; one about no record (a mutation the
    // server could not read) names itself, so it is still found and shown.
    row.about = data.record_type && data.record_id ? recordKey(data.record_type, data.record_id) : recordKey(type, id);
  }
  if (applied_mutation_id) row.applied_mutation_id = applied_mutation_id;
  return row;
}

/** The row of a server copy just pulled (its view is the copy until rebased). */
export function serverRow(type, id, version, data) {
  return toRow(type, id, { version, server: data, data });
}

export function keyOfRow(row) {
  return recordKey(row.type, row.id);
}

/** Who the local effects write as (the logged-in user). Inside a transaction over meta. */
export async function effectContext() {
  const user = await getMeta('user');
  return { userId: user?.id ?? null };
}

/**
 * Recompute the local view of the records named by `keys` (and of any other record the
 * pending mutations about them touch) from their server copies and the outbox. Only
 * records the phone holds are written: a pending mutation about a purged client is still
 * sent, but does not bring the client's records back. A held record whose view comes out
 * empty (made here, then rejected; or deleted on the server under a pending edit) is
 * deleted. Call inside a rw transaction over records, outbox and meta.
 */
export async function rebase(keys) {
  if (!keys.length) return;
  const pending = await outbox.touching(keys);
  const allKeys = [...new Set([...keys, ...pending.flatMap((m) => m.keys)])];
  const rows = await records.bulkGet(allKeys.map(parseKey));
  const base = Object.fromEntries(allKeys.map((key, i) => [key, rows[i]?.server ?? null]));
  const view = replay(base, pending, await effectContext());
  const puts = [];
  const deletes = [];
  allKeys.forEach((key, i) => {
    const row = rows[i];
    if (!row) return;
    if (view[key]) puts.push(toRow(row.type, row.id, { ...row, data: view[key] }));
    else deletes.push([row.type, row.id]);
  });
  await records.bulkPut(puts);
  await records.bulkDelete(deletes);
}

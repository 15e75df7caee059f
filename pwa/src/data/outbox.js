/**
 * The outbox (utkorg): mutations not yet given a final result by the server.
 *
 * A mutation is queued in the same Dexie transaction as its local effect and the device_seq
 * counter, so a crash leaves either all three or none. Once queued its content is never
 * changed (the server recognises a re-sent mutation by the hash of name, args and base);
 * the row also carries local bookkeeping that is not sent: `keys` (the records it touches),
 * `note_id` (the id of the note it appends), `in_flight` (part of a push awaiting its
 * answer: the record shows as 'sent') and `queued_at` (when it was queued: the push reports
 * the oldest one as `outbox_oldest_at`, so a supervisor sees work that waits too long).
 */
import { getMeta, outbox, records, setMeta } from './db.js';
import { MUTATIONS, applyEffect, parseKey, recordKey, touches } from './effects.js';
import { effectContext, toRow } from './records.js';
import { isoWithOffset } from './time.js';

/** An action that cannot be saved; `code` is for the UI to translate. */
export class ActionError extends Error {
  constructor(code, message = code) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
  }
}

/**
 * What an edit builds on (sync-protocol.md, "Versions and conflicts"): this device's latest
 * mutation of the record still in the outbox (`base_mutation_id`, the server then uses the
 * version that mutation produced); else one already applied but whose result the phone
 * has not pulled yet (the held version predates it, so building on it would conflict with
 * the device's own write); else the version the device holds.
 * @param {{version: number, applied_mutation_id?: string}} row the record's row
 * @param {Array<{id: string, device_seq: number}>} pending outbox mutations of the record
 */
export function chooseBase(row, pending) {
  const last = [...pending].sort((a, b) => a.device_seq - b.device_seq).at(-1);
  if (last) return { base_mutation_id: last.id };
  if (row.applied_mutation_id) return { base_mutation_id: row.applied_mutation_id };
  return { base_version: row.version };
}

/** The mutation as the server receives it (the row minus local bookkeeping). */
export function toWire(row) {
  const wire = {
    id: row.id,
    device_seq: row.device_seq,
    name: row.name,
    occurred_at: row.occurred_at,
    args: row.args,
  };
  if (row.base_version !== undefined) wire.base_version = row.base_version;
  if (row.base_mutation_id !== undefined) wire.base_mutation_id = row.base_mutation_id;
  return wire;
}

/** The outbox row of a mutation (wire fields plus bookkeeping). */
export function outboxRow(mutation) {
  const row = { ...toWire(mutation), keys: touches(mutation), in_flight: 0 };
  if (mutation.note_id) row.note_id = mutation.note_id;
  if (mutation.queued_at) row.queued_at = mutation.queued_at;
  return row;
}

/** When a row was queued. Rows queued before `queued_at` existed (app 1.0.0) have none; their
 * `occurred_at` was set in the same moment (queueMutation), so it stands in. Pure. */
export function queuedAt(row) {
  return row.queued_at ?? row.occurred_at ?? null;
}

/**
 * Queue one mutation and apply its local effect. Call inside a rw transaction over records,
 * outbox and meta (actions.js does). `note_id` must be derived before the transaction.
 * @returns the queued outbox row
 */
export async function queueMutation({ id, name, args, note_id }, now = new Date()) {
  const spec = MUTATIONS[name];
  if (!spec) throw new ActionError('unknown_mutation', name);
  const [type, recordId] = spec.record(args);
  const key = recordKey(type, recordId);
  const held = await records.get([type, recordId]);
  const mutation = { id, name, args, occurred_at: isoWithOffset(now), queued_at: isoWithOffset(now) };
  if (note_id) mutation.note_id = note_id;
  if (spec.kind === 'edit') {
    if (!held) throw new ActionError('not_found');
    const pending = await outbox.touching([key]);
    Object.assign(mutation, chooseBase(held, pending));
  } else if (spec.kind === 'create' && held) {
    throw new ActionError('already_exists');
  }
  // The counter moves in this transaction: a mutation that is not saved uses no number, so
  // the server sees no gap (a gap on its dashboard means a lost change).
  mutation.device_seq = ((await getMeta('device_seq')) ?? 0) + 1;
  await setMeta('device_seq', mutation.device_seq);
  const row = outboxRow(mutation);
  await outbox.add(row);

  const rows = await records.bulkGet(row.keys.map(parseKey));
  const before = Object.fromEntries(row.keys.map((k, i) => [k, rows[i]?.data ?? null]));
  const after = applyEffect(before, row, await effectContext());
  const puts = row.keys
    .map((k, i) => [k, rows[i]])
    .filter(([k]) => after[k] && after[k] !== before[k])
    .map(([k, existing]) => toRow(...parseKey(k), { ...existing, data: after[k] }));
  await records.bulkPut(puts);
  return row;
}

/**
 * A record's sync state for the UI: 'attention' when an open parked item names it, else
 * 'sent' when one of its pending mutations is in a push awaiting the answer, 'saved' when
 * it has pending mutations, 'confirmed' when it has none.
 */
export function stateOf(pending, attention) {
  if (attention) return 'attention';
  if (pending.some((m) => m.in_flight)) return 'sent';
  if (pending.length) return 'saved';
  return 'confirmed';
}

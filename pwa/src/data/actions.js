/**
 * What the worker does. Each action is ONE Dexie transaction that writes the local records
 * (the screen shows the change at once) and appends the mutation to the outbox; sync sends
 * it later. Each returns the id of the record it is about.
 */
import { db } from './db.js';
import { newId, noteIdFor } from './ids.js';
import { ActionError, queueMutation } from './outbox.js';

export { ActionError };

export const CANCEL_REASONS = ['client_cancelled', 'client_late_cancel', 'no_show', 'staff_cancelled'];
export const RESOLVE_ACTIONS = ['discard', 'apply', 'apply_data'];

const savedListeners = new Set();

/** Call `fn` after every saved action (the sync engine syncs when online). Returns an
 * unsubscribe function. */
export function onSaved(fn) {
  savedListeners.add(fn);
  return () => savedListeners.delete(fn);
}

/** Arguments without the keys left undefined (what the caller did not give). */
function compact(args) {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

async function perform(name, args, { now } = {}) {
  const id = newId();
  const note_id = args.note ? await noteIdFor(id) : undefined;
  const row = await db.transaction('rw', db.records, db.outbox, db.meta, db.drafts, async () => {
    const queued = await queueMutation({ id, name, args: compact(args), note_id }, now);
    if (name === 'visit.complete' || name === 'visit.cancel') await db.drafts.delete(args.id);
    return queued;
  });
  for (const fn of savedListeners) fn(row);
  return row;
}

function requireOrder(from, to, code) {
  if (from && to && Date.parse(to) < Date.parse(from)) throw new ActionError(code);
}

/** A planned visit. */
export async function planVisit({ client_id, starts_at, ends_at, place }, options) {
  requireOrder(starts_at, ends_at, 'ends_before_start');
  const id = newId();
  await requireClient(client_id);
  await perform('visit.plan', { id, client_id, starts_at, ends_at, place }, options);
  return id;
}

/** Mark a planned visit as started, on this phone only: nothing is sent until it is
 * completed (the completion carries started_at). */
export async function startVisit(id, at) {
  if (!(await db.records.get(['visit', id]))) throw new ActionError('not_found');
  await db.drafts.put({ visit_id: id, started_at: at });
  return id;
}

/** A planned visit done, with its activities. */
export async function completeVisit({ id, started_at, ended_at, minutes, activities, note }, options) {
  requireOrder(started_at, ended_at, 'ends_before_start');
  await perform('visit.complete', { id, started_at, ended_at, minutes, activities, note }, options);
  return id;
}

/** A planned visit cancelled, with who cancelled. */
export async function cancelVisit({ id, reason, note }, options) {
  if (!CANCEL_REASONS.includes(reason)) throw new ActionError('invalid_reason');
  await perform('visit.cancel', { id, reason, note }, options);
  return id;
}

/** An unplanned visit, recorded after the fact. */
export async function logVisit({ client_id, started_at, ended_at, activities, minutes, place, note }, options) {
  requireOrder(started_at, ended_at, 'ends_before_start');
  const id = newId();
  await requireClient(client_id);
  await perform('visit.log', { id, client_id, started_at, ended_at, activities, minutes, place, note }, options);
  return id;
}

/** A note about a client (optionally about one of their visits). */
export async function addNote({ client_id, visit_id, text }, options) {
  if (!text || !text.trim()) throw new ActionError('empty_note');
  const id = newId();
  await requireClient(client_id);
  await perform('note.add', { id, client_id, visit_id, text }, options);
  return id;
}

/** End a parked item: discard it, apply it as it was, or apply it with corrected `data`. */
export async function resolveParked({ parked_id, action, data }, options) {
  if (!RESOLVE_ACTIONS.includes(action)) throw new ActionError('invalid_action');
  if (action === 'apply_data' && !data) throw new ActionError('data_required');
  const parked = await db.records.get(['parked', parked_id]);
  // Known from a push answer but not yet pulled: there is no version to build on yet.
  if (parked && !parked.server) throw new ActionError('not_synced_yet');
  await perform('parked.resolve', { parked_id, action, data }, options);
  return parked_id;
}

async function requireClient(clientId) {
  if (!(await db.records.get(['client', clientId]))) throw new ActionError('unknown_client');
}

/**
 * What the worker does. Each action is ONE Dexie transaction that writes the local records
 * (the screen shows the change at once) and appends the mutation to the outbox; sync sends
 * it later (perform.js). Each returns the id of the record it is about. The casework of
 * casework.md (contact details, consents, contacts, appointments) is casework-actions.js,
 * exported from here too.
 */
import { CANCEL_REASONS, REMINDER_TEXT_MAX, RESOLVE_ACTIONS } from './contract.js';
import { drafts, getMeta, records } from './db.js';
import { newId } from './ids.js';
import { ActionError, cleaned, onSaved, perform, requireClient, requireInstant, requireOrder } from './perform.js';

export { ActionError, onSaved };
export * from './casework-actions.js';

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
  if (!(await records.get(['visit', id]))) throw new ActionError('not_found');
  await drafts.put({ visit_id: id, started_at: at });
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

/** A planned visit moved to another time (and place: the server writes `place` with every
 * move, so the one held is sent unless another is given; '' clears it). */
export async function rescheduleVisit({ id, starts_at, ends_at, place }, options) {
  requireInstant(starts_at);
  requireOrder(starts_at, ends_at, 'ends_before_start');
  const row = await records.get(['visit', id]);
  if (!row) throw new ActionError('not_found');
  if (row.data.status !== 'planned') throw new ActionError('not_planned');
  const where = place === undefined ? (row.data.place ?? null) : cleaned(place);
  await perform('visit.reschedule', { id, starts_at, ends_at: ends_at ?? null, place: where }, options);
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
  const parked = await records.get(['parked', parked_id]);
  // Known from a push answer but not yet pulled: there is no version to build on yet.
  if (parked && !parked.server) throw new ActionError('not_synced_yet');
  await perform('parked.resolve', { parked_id, action, data }, options);
  return parked_id;
}

/** The logged-in worker's reminder (the worker's own; the server refuses anyone else's). */
async function requireOpenReminder(id) {
  const row = await records.get(['reminder', id]);
  if (!row) throw new ActionError('not_found');
  if (row.data.status !== 'open') throw new ActionError('reminder_done');
}

/** A personal reminder (påminnelse) at `remind_at`, optionally about one of the worker's
 * clients. Its author is the logged-in worker. */
export async function addReminder({ text, remind_at, client_id }, options) {
  const trimmed = (text ?? '').trim();
  if (!trimmed) throw new ActionError('empty_text');
  if (trimmed.length > REMINDER_TEXT_MAX) throw new ActionError('text_too_long');
  requireInstant(remind_at);
  const worker_id = (await getMeta('user'))?.id;
  if (!worker_id) throw new ActionError('not_logged_in');
  const id = newId();
  const args = { id, worker_id, text: trimmed, remind_at, client_id: client_id || undefined };
  await perform('reminder.add', args, options, () => client_id && requireClient(client_id));
  return id;
}

/** A personal reminder taken care of. */
export async function doneReminder(id, options) {
  await perform('reminder.done', { id }, options, () => requireOpenReminder(id));
  return id;
}

/** A personal reminder moved to `until` (only while it is open). */
export async function snoozeReminder(id, until, options) {
  requireInstant(until);
  await perform('reminder.snooze', { id, until }, options, () => requireOpenReminder(id));
  return id;
}

/**
 * What the worker does. Each action is ONE Dexie transaction that writes the local records
 * (the screen shows the change at once) and appends the mutation to the outbox; sync sends
 * it later. Each returns the id of the record it is about.
 */
import {
  CANCEL_REASONS, CHANNELS, CLIENT_PHONE_MAX, CONTACT_ACTIONS, CONTACT_NOTES_MAX, CONTACT_PLACE_TYPES, MAX_CONTACT_MINUTES,
  PARTY_MAX, REMINDER_TEXT_MAX, RESOLVE_ACTIONS, WHEREABOUTS_MAX,
} from './contract.js';
import { consentCheck } from './consents.js';
import { drafts, getMeta, records, transaction } from './db.js';
import { newId, noteIdFor } from './ids.js';
import { ActionError, queueMutation } from './outbox.js';

export { ActionError };

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

/** Queue mutation `name` with its local effect, in one transaction; `guard` (optional)
 * checks what the action needs inside that transaction, so no other tab can change it
 * between the check and the write. */
async function perform(name, args, { now } = {}, guard = null) {
  const id = newId();
  const note_id = args.note ? await noteIdFor(id) : undefined;
  const row = await transaction('rw', ['records', 'outbox', 'meta', 'drafts'], async () => {
    if (guard) await guard();
    const queued = await queueMutation({ id, name, args: compact(args), note_id }, now);
    if (name === 'visit.complete' || name === 'visit.cancel') await drafts.delete(args.id);
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

function requireInstant(iso) {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) throw new ActionError('invalid_time');
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

async function requireClient(clientId) {
  if (!(await records.get(['client', clientId]))) throw new ActionError('unknown_client');
}

// The contact fields of a client the phone edits, with the longest text the server takes.
const CONTACT_FIELDS = { whereabouts: WHEREABOUTS_MAX, phone: CLIENT_PHONE_MAX, contact_notes: CONTACT_NOTES_MAX };

/** Text as the server should keep it: trimmed, and an empty one is none (null). */
const cleaned = (text) => (typeof text === 'string' && text.trim() ? text.trim() : null);

/**
 * A client's whereabouts and contact details (`client.update`): only the fields that differ
 * from what the phone holds are sent, so two workers editing different fields at once do
 * not conflict (the server's field-level rule). An empty field is cleared.
 */
export async function updateClient({ id, ...fields }, options) {
  const row = await records.get(['client', id]);
  if (!row) throw new ActionError('unknown_client');
  const changed = {};
  for (const [field, max] of Object.entries(CONTACT_FIELDS)) {
    if (!(field in fields)) continue;
    const value = cleaned(fields[field]);
    if (value && value.length > max) throw new ActionError('too_long');
    if (value !== (row.data[field] ?? null)) changed[field] = value;
  }
  if (!Object.keys(changed).length) throw new ActionError('nothing_changed');
  await perform('client.update', { id, ...changed }, options);
  return id;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function requireDate(day) {
  if (typeof day !== 'string' || !DATE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new ActionError('invalid_date');
}

/** A consent the client signed: whom it covers, the day signed, optionally until when. */
export async function recordConsent({ client_id, party, signed_on, valid_until, note }, options) {
  const name = cleaned(party);
  if (!name) throw new ActionError('empty_party');
  if (name.length > PARTY_MAX) throw new ActionError('too_long');
  requireDate(signed_on);
  if (valid_until) {
    requireDate(valid_until);
    if (valid_until < signed_on) throw new ActionError('until_before_signed');
  }
  const id = newId();
  const args = { id, client_id, party: name, signed_on, valid_until: valid_until || undefined, note: cleaned(note) ?? undefined };
  await perform('consent.record', args, options, () => requireClient(client_id));
  return id;
}

/** A consent withdrawn by the client, from a day on (not before it was signed). */
export async function withdrawConsent({ id, withdrawn_on }, options) {
  requireDate(withdrawn_on);
  const row = await records.get(['consent', id]);
  if (!row) throw new ActionError('not_found');
  if (row.data.withdrawn_on) throw new ActionError('already_withdrawn');
  if (withdrawn_on < row.data.signed_on) throw new ActionError('withdrawn_before_signed');
  await perform('consent.withdraw', { id, withdrawn_on }, options);
  return id;
}

/** The consents the phone holds of a client. */
async function consentsOf(clientId) {
  return (await records.ofClient(clientId)).filter((row) => row.type === 'consent').map((row) => row.data);
}

/**
 * Whether work with `party` at `at` is covered by the client's consents, by the rule the
 * server applies (consents.js): {consent_warning, consent_stale, consent}. A screen asks
 * before saving a contact or an appointment with a party, and warns when it is not.
 */
export async function consentFor(clientId, party, at) {
  return consentCheck(await consentsOf(clientId), party, at);
}

/**
 * A contact (a case manager's outreach or coordination, after the fact): when, how long,
 * how (channel), where (in person), with whom besides the client (`party`), what was done
 * (`actions`, codes), a note. Its minutes count as delivered time. With a party covered by
 * a consent the phone holds, the contact names that consent (`consent_id`).
 */
export async function logContact({ client_id, started_at, minutes, channel, place_type, party, actions = [], note }, options) {
  requireInstant(started_at);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_CONTACT_MINUTES) throw new ActionError('invalid_minutes');
  if (!CHANNELS.includes(channel)) throw new ActionError('invalid_channel');
  if (place_type && !CONTACT_PLACE_TYPES.includes(place_type)) throw new ActionError('invalid_place');
  if (!actions.every((code) => CONTACT_ACTIONS.includes(code))) throw new ActionError('invalid_contact_action');
  const name = cleaned(party);
  if (name && name.length > PARTY_MAX) throw new ActionError('too_long');
  await requireClient(client_id);
  const covering = name ? (await consentFor(client_id, name, started_at)).consent : null;
  const id = newId();
  const args = {
    id, client_id, started_at, minutes, channel, place_type: place_type || undefined, party: name ?? undefined,
    actions: [...new Set(actions)], consent_id: covering?.id, note: cleaned(note) ?? undefined,
  };
  await perform('contact.log', args, options);
  return id;
}

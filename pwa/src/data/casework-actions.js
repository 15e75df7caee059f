/**
 * The casework a worker records (casework.md), each action as actions.js describes them: a
 * client's whereabouts and contact details, consents, contacts and appointments. The screens
 * import them from actions.js.
 */
import {
  APPOINTMENT_KINDS, APPOINTMENT_WITH_MAX, CHANNELS, CLIENT_PHONE_MAX, CONTACT_ACTIONS, CONTACT_NOTES_MAX,
  CONTACT_PLACE_TYPES, MAX_CONTACT_MINUTES, OUTCOMES, PARTICIPANTS_MAX, PARTY_MAX, PLACE_MAX, WHEREABOUTS_MAX,
} from './contract.js';
import { consentCheck } from './consents.js';
import { records } from './db.js';
import { newId } from './ids.js';
import { ActionError, cleaned, perform, requireClient, requireInstant, requireOrder } from './perform.js';

// The contact fields of a client the phone edits, with the longest text the server takes.
const CONTACT_FIELDS = { whereabouts: WHEREABOUTS_MAX, phone: CLIENT_PHONE_MAX, contact_notes: CONTACT_NOTES_MAX };

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

/** Participants of a SIP or network meeting as the server takes them: [{role, org}], rows
 * without a role left out; null for none. */
function participantsOf(list) {
  if (!Array.isArray(list)) return null;
  const rows = list.map((p) => ({ role: cleaned(p?.role), org: cleaned(p?.org) })).filter((p) => p.role);
  if (rows.length > PARTICIPANTS_MAX) throw new ActionError('too_many_participants');
  return rows.length ? rows : null;
}

/** An appointment's fields checked and cleaned as the server takes them (those given). */
function appointmentFields({ starts_at, ends_at, kind, with: party, place, accompany, participants }) {
  const fields = {};
  if (starts_at !== undefined) {
    requireInstant(starts_at);
    fields.starts_at = starts_at;
  }
  if (ends_at !== undefined) fields.ends_at = ends_at || null;
  if (kind !== undefined) {
    if (!APPOINTMENT_KINDS.includes(kind)) throw new ActionError('invalid_kind');
    fields.kind = kind;
  }
  if (party !== undefined) {
    fields.with = cleaned(party);
    if (!fields.with) throw new ActionError('empty_with');
    if (fields.with.length > APPOINTMENT_WITH_MAX) throw new ActionError('too_long');
  }
  if (place !== undefined) {
    fields.place = cleaned(place);
    if (fields.place && fields.place.length > PLACE_MAX) throw new ActionError('too_long');
  }
  if (accompany !== undefined) {
    if (typeof accompany !== 'boolean') throw new ActionError('accompany_required');
    fields.accompany = accompany;
  }
  if (participants !== undefined) fields.participants = participantsOf(participants);
  return fields;
}

/**
 * A client's appointment (psychiatry, Kronofogden, a SIP meeting…): when, what kind, with
 * whom, where, whether the worker goes along (`accompany`; if not, the worker reminds the
 * client), participants by role and organisation (SIP and network meetings), a note.
 */
export async function addAppointment({ client_id, note, ...given }, options) {
  const fields = appointmentFields(given);
  if (!fields.starts_at) throw new ActionError('invalid_time');
  if (!fields.kind) throw new ActionError('invalid_kind');
  if (!fields.with) throw new ActionError('empty_with');
  if (fields.accompany === undefined) throw new ActionError('accompany_required');
  requireOrder(fields.starts_at, fields.ends_at, 'ends_before_start');
  const id = newId();
  const args = { id, client_id, ...fields, ends_at: fields.ends_at || undefined, place: fields.place || undefined, participants: fields.participants || undefined, note: cleaned(note) ?? undefined };
  await perform('appointment.add', args, options, () => requireClient(client_id));
  return id;
}

async function plannedAppointment(id) {
  const row = await records.get(['appointment', id]);
  if (!row) throw new ActionError('not_found');
  if (row.data.status !== 'planned') throw new ActionError('not_planned');
  return row.data;
}

const TIMES = ['starts_at', 'ends_at'];

/** Whether a field's new value is what the phone holds (times as instants: offsets differ). */
function same(name, a, b) {
  if (TIMES.includes(name) && a && b) return Date.parse(a) === Date.parse(b);
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** A planned appointment moved or changed: only what differs from what the phone holds is
 * sent (a colleague's change of another field then stands). */
export async function updateAppointment({ id, ...given }, options) {
  const held = await plannedAppointment(id);
  const fields = appointmentFields(given);
  const changed = Object.fromEntries(Object.entries(fields).filter(([name, value]) => !same(name, value, held[name])));
  if (!Object.keys(changed).length) throw new ActionError('nothing_changed');
  requireOrder(changed.starts_at ?? held.starts_at, 'ends_at' in changed ? changed.ends_at : held.ends_at, 'ends_before_start');
  await perform('appointment.update', { id, ...changed }, options);
  return id;
}

/** A planned appointment cancelled (by the client, the worker or the other party). */
export async function cancelAppointment({ id, note }, options) {
  await plannedAppointment(id);
  await perform('appointment.cancel', { id, note: cleaned(note) ?? undefined }, options);
  return id;
}

/** How a planned appointment went: `attended` or `missed`, and a note of what was decided. */
export async function recordOutcome({ id, outcome, note }, options) {
  if (!OUTCOMES.includes(outcome)) throw new ActionError('invalid_outcome');
  await plannedAppointment(id);
  await perform('appointment.outcome', { id, outcome, note: cleaned(note) ?? undefined }, options);
  return id;
}

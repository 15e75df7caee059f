/**
 * The local effects of the casework of casework.md (effects.js explains effects): a client's
 * contact details, consents, contacts and appointments, plans, concerns, deviations and
 * the follow-ups of goals. Pure; effects.js puts them in its
 * tables (`CASEWORK_WRITES`, `CASEWORK_EFFECTS`). A create never overwrites a record held; an
 * edit of one not held changes nothing. A `note` given with one is a note record naming it.
 */
import { given, recordKey, withNote } from './effect-parts.js';

/** What each casework edit writes: exactly the catalogue's `writes`; a field the edit does
 * not name is undefined (left as it is: `given`). */
export const CASEWORK_WRITES = {
  'client.update': ({ args }) => ({ whereabouts: args.whereabouts, phone: args.phone, contact_notes: args.contact_notes }),
  'consent.withdraw': ({ args }) => ({ withdrawn_on: args.withdrawn_on }),
  'appointment.update': ({ args }) => ({
    starts_at: args.starts_at, ends_at: args.ends_at, kind: args.kind, with: args.with?.trim(), place: args.place, accompany: args.accompany,
  }),
  'appointment.cancel': () => ({ status: 'cancelled' }),
  'appointment.outcome': ({ args }) => ({ status: args.outcome }),
  'plan.update': ({ args }) => ({ activities: args.activities }),
};

const writes = (m) => given(CASEWORK_WRITES[m.name](m));

/** client.update: the contact fields it names, the others as they were. */
function clientUpdate(view, m) {
  const key = recordKey('client', m.args.id);
  const client = view[key];
  if (!client) return view;
  return { ...view, [key]: { ...client, ...writes(m) } };
}

/** A create: the record `make(args, ctx)` unless one is held, and the note it carries
 * (naming it by `link`, e.g. consent_id). */
const create = (type, link, make) => (view, m, ctx) => {
  const key = recordKey(type, m.args.id);
  const next = view[key] ? view : { ...view, [key]: make(m.args, ctx, m) };
  return withNote(next, m, ctx, m.args.client_id, { [link]: m.args.id });
};

/** An edit of a held record: its writes, when `allowed(record)`, and the note it carries. */
const edit = (type, link, allowed = () => true) => (view, m, ctx) => {
  const key = recordKey(type, m.args.id);
  const record = view[key];
  if (!record || !allowed(record)) return view;
  return withNote({ ...view, [key]: { ...record, ...writes(m) } }, m, ctx, record.client_id, { [link]: record.id });
};

const consentRecord = create('consent', 'consent_id', (args, ctx) => ({
  id: args.id,
  client_id: args.client_id,
  worker_id: ctx.userId ?? null,
  party: args.party.trim(),
  signed_on: args.signed_on,
  valid_until: args.valid_until ?? null,
  withdrawn_on: null,
}));

// A concern, a deviation, a goal's follow-up: as the server will hold them (casework.md).
const concernAdd = create('concern', 'concern_id', (args, ctx, m) => ({
  id: args.id, client_id: args.client_id, category: args.category, text: args.text, worker_id: ctx.userId ?? null, recorded_at: m.occurred_at,
}));
const deviationAdd = create('deviation', 'deviation_id', (args, ctx, m) => ({
  id: args.id, client_id: args.client_id ?? null, category: args.category, occurred_on: args.occurred_on, text: args.text,
  author_id: ctx.userId ?? null, recorded_at: m.occurred_at,
}));
// The order it follows up is the server's to name (the one with the goal); until its copy
// is pulled the phone knows the goal.
const followupRecord = create('followup', 'followup_id', (args, ctx, m) => ({
  id: args.id, client_id: args.client_id, order_id: null, goal_id: args.goal_id, subgoal_id: args.subgoal_id ?? null, result: args.result,
  measure: args.measure ?? null, worker_id: ctx.userId ?? null, recorded_at: m.occurred_at,
}));

// An entry of the plan's dialogue with the orderer; the order it concerns is the server's to
// name (the plan's), until its copy is pulled.
const planDialogue = create('plan_dialogue', 'plan_dialogue_id', (args, ctx, m) => ({
  id: args.id, client_id: args.client_id, plan_id: args.plan_id, order_id: null, kind: args.kind, text: args.text,
  points: args.points ?? null, outcome: args.outcome ?? null, author_id: ctx.userId ?? null, written_at: m.occurred_at,
}));

// What the server checks when it applies a contact or an appointment with a party; until
// its copy is pulled the phone does not know it (the screen warned from its own check).
const UNCHECKED = { consent_warning: null, consent_stale: null };

const contactLog = create('contact', 'contact_id', (args, ctx) => ({
  id: args.id,
  client_id: args.client_id,
  worker_id: ctx.userId ?? null,
  started_at: args.started_at,
  minutes: args.minutes,
  channel: args.channel,
  place_type: args.place_type ?? null,
  party: args.party?.trim() || null,
  actions: [...new Set(args.actions)],
  consent_id: args.consent_id ?? null,
  ...UNCHECKED,
  late: false,
}));

const appointmentAdd = create('appointment', 'appointment_id', (args, ctx) => ({
  id: args.id,
  client_id: args.client_id,
  worker_id: ctx.userId ?? null,
  status: 'planned',
  starts_at: args.starts_at,
  ends_at: args.ends_at ?? null,
  kind: args.kind,
  with: args.with.trim(),
  place: args.place ?? null,
  accompany: args.accompany,
  participants: args.participants ?? null,
  ...UNCHECKED,
}));

// Only a planned appointment changes (the server refuses the others, invalid_state).
const planned = (appointment) => appointment.status === 'planned';
const appointmentEnd = edit('appointment', 'appointment_id', planned);

/** appointment.update: what it names, and the participants when it gives them. */
function appointmentUpdate(view, m, ctx) {
  const next = appointmentEnd(view, m, ctx);
  const key = recordKey('appointment', m.args.id);
  if (next === view || !('participants' in m.args)) return next;
  return { ...next, [key]: { ...next[key], participants: m.args.participants } };
}

export const CASEWORK_EFFECTS = {
  'contact.log': contactLog,
  'appointment.add': appointmentAdd,
  'appointment.update': appointmentUpdate,
  'appointment.cancel': appointmentEnd,
  'appointment.outcome': appointmentEnd,
  'client.update': clientUpdate,
  'consent.record': consentRecord,
  'consent.withdraw': edit('consent', 'consent_id'),
  'plan.update': edit('plan', 'plan_id'),
  'concern.add': concernAdd,
  'deviation.add': deviationAdd,
  'followup.record': followupRecord,
  'plan.dialogue': planDialogue,
};

/**
 * Local effects: what each mutation does to the records on the phone before the server has
 * answered, so a screen shows the work the moment it is saved.
 *
 * One pure function per mutation name: `(view, mutation, ctx) => view`, where a view maps
 * "type:id" to record data (null when the phone does not hold it) and `ctx` is {userId}.
 * The same function runs when an action saves (on the local records) and when a pull brings
 * the server's copy of a record that still has mutations in the outbox (on the server copy,
 * replaying every pending mutation in device_seq order): the screen never flips back to the
 * old state while the outbox waits. The server's answer replaces the guess once pulled.
 *
 * What an edit writes (`writesOf`) is the server's rule, field by field, and the same for
 * the local effect and the conflict card's "mine": contract/vectors/edits.json pins it. The
 * kind, record and record-id argument of each mutation come from the contract's catalogue
 * (`MUTATIONS`); only the effects are code.
 *
 * An effect never creates what an edit names but the phone does not hold (a visit of a
 * client purged from the phone stays gone; its mutation is still sent), and a create never
 * overwrites a server copy already held (the server's version wins).
 */
import { CASEWORK_EFFECTS, CASEWORK_WRITES } from './casework-effects.js';
import { JOURNAL_EFFECTS } from './journal-effects.js';
import { MUTATION_SPECS } from './contract.js';
import { parseKey, recordKey, withNote as noteWith } from './effect-parts.js';
import { minutesBetween } from './time.js';

export { parseKey, recordKey };

function visitKey(mutation) {
  return recordKey('visit', mutation.args.id);
}

/** The shape the server gives activities in a visit. */
function activitiesOf(list = []) {
  return list.map((a) => ({
    activity_id: a.activity_id,
    done: a.done,
    support_level: a.support_level ?? null,
    not_done_reason: a.not_done_reason ?? null,
  }));
}

/** The minutes the worker gave, else the server's count from the times. */
function minutesOf(args) {
  if (args.minutes !== undefined && args.minutes !== null) return args.minutes;
  return minutesBetween(args.started_at, args.ended_at);
}

/** What each edit writes to the record it is about: exactly the fields of the catalogue's
 * `writes`, derived ones (status, minutes) included. */
const WRITES = {
  'visit.complete': ({ args }) => ({
    status: 'done',
    started_at: args.started_at,
    ended_at: args.ended_at,
    minutes: minutesOf(args),
    activities: activitiesOf(args.activities),
  }),
  'visit.cancel': ({ args, occurred_at }) => ({ status: 'cancelled', cancel_reason: args.reason, cancelled_at: occurred_at }),
  'parked.resolve': ({ id, args }, ctx) => {
    const resolution = { action: args.action, by: ctx.userId ?? null, mutation_id: id };
    if (args.action === 'apply_data') resolution.data = args.data;
    return { status: 'resolved', resolution };
  },
  'visit.reschedule': ({ args }) => ({ starts_at: args.starts_at, ends_at: args.ends_at ?? null, place: args.place ?? null }),
  'reminder.done': ({ occurred_at }) => ({ status: 'done', done_at: occurred_at }),
  'reminder.snooze': ({ args }) => ({ remind_at: args.until }),
};

/** {field: value} an edit writes (null for a mutation that is not an edit this app knows). */
export function writesOf(mutation, ctx = {}) {
  const writes = WRITES[mutation?.name] ?? CASEWORK_WRITES[mutation?.name];
  return writes ? writes(mutation, ctx) : null;
}

const withNote = (view, m, ctx, clientId, visitId) => noteWith(view, m, ctx, clientId, { visit_id: visitId });

function emptyVisit(args, ctx) {
  return {
    id: args.id,
    client_id: args.client_id,
    worker_id: ctx.userId ?? null,
    status: 'planned',
    starts_at: null,
    ends_at: null,
    started_at: null,
    ended_at: null,
    minutes: null,
    activities: [],
    place: args.place ?? null,
    cancel_reason: null,
    cancelled_at: null,
  };
}

function visitPlan(view, m, ctx) {
  const key = visitKey(m);
  if (view[key]) return view;
  const visit = { ...emptyVisit(m.args, ctx), starts_at: m.args.starts_at, ends_at: m.args.ends_at ?? null };
  return { ...view, [key]: visit };
}

function visitLog(view, m, ctx) {
  const key = visitKey(m);
  let next = view;
  if (!view[key]) {
    const visit = {
      ...emptyVisit(m.args, ctx),
      status: 'done',
      started_at: m.args.started_at,
      ended_at: m.args.ended_at,
      minutes: minutesOf(m.args),
      activities: activitiesOf(m.args.activities),
    };
    next = { ...view, [key]: visit };
  }
  return withNote(next, m, ctx, m.args.client_id, m.args.id);
}

/** A visit edit (complete, cancel): its writes, and the note it carries. */
function visitEdit(view, m, ctx) {
  const key = visitKey(m);
  const visit = view[key];
  if (!visit) return view;
  return withNote({ ...view, [key]: { ...visit, ...writesOf(m, ctx) } }, m, ctx, visit.client_id, visit.id);
}

/** visit.reschedule: a planned visit's new time and place (the server refuses to move any
 * other, invalid_state, and parks the attempt). */
function visitMove(view, m, ctx) {
  const key = visitKey(m);
  const visit = view[key];
  if (!visit || visit.status !== 'planned') return view;
  return { ...view, [key]: { ...visit, ...writesOf(m, ctx) } };
}

function noteAdd(view, m, ctx) {
  const key = recordKey('note', m.args.id);
  if (view[key]) return view;
  const note = {
    id: m.args.id,
    client_id: m.args.client_id,
    visit_id: m.args.visit_id ?? null,
    author_id: ctx.userId ?? null,
    text: m.args.text,
    written_at: m.occurred_at,
  };
  return { ...view, [key]: note };
}

function parkedResolve(view, m, ctx) {
  const key = recordKey('parked', m.args.parked_id);
  const parked = view[key];
  if (!parked) return view;
  return { ...view, [key]: { ...parked, ...writesOf(m, ctx) } };
}

/** A personal reminder (påminnelse), the worker's own: open until marked done. */
function reminderAdd(view, m) {
  const key = recordKey('reminder', m.args.id);
  if (view[key]) return view;
  const reminder = {
    id: m.args.id,
    worker_id: m.args.worker_id,
    client_id: m.args.client_id ?? null,
    text: m.args.text,
    remind_at: m.args.remind_at,
    status: 'open',
    done_at: null,
  };
  return { ...view, [key]: reminder };
}

/** reminder.done and reminder.snooze: only an open reminder changes (the server refuses
 * the edit of a done one, invalid_state, and parks the attempt). */
function reminderEdit(view, m, ctx) {
  const key = recordKey('reminder', m.args.id);
  const reminder = view[key];
  if (!reminder || reminder.status !== 'open') return view;
  return { ...view, [key]: { ...reminder, ...writesOf(m, ctx) } };
}

// The local effect of each mutation this phone makes.
const EFFECTS = {
  'visit.plan': visitPlan,
  'visit.log': visitLog,
  'visit.complete': visitEdit,
  'visit.cancel': visitEdit,
  'visit.reschedule': visitMove,
  'note.add': noteAdd,
  'parked.resolve': parkedResolve,
  'reminder.add': reminderAdd,
  'reminder.done': reminderEdit,
  'reminder.snooze': reminderEdit,
  ...CASEWORK_EFFECTS,
  ...JOURNAL_EFFECTS,
};

/**
 * The mutations this phone makes, as the catalogue describes them: `kind` (a `create`
 * needs no base; an `edit` carries base_version or base_mutation_id), `type` and
 * `record(args)` (the record it is about, by its record-id argument), and its local effect.
 */
export const MUTATIONS = Object.fromEntries(
  Object.entries(EFFECTS).map(([name, effect]) => {
    const spec = MUTATION_SPECS[name];
    if (!spec) throw new Error(`the contract has no mutation ${name}`);
    const idArg = spec.record_id ?? 'id';
    return [name, { kind: spec.kind, type: spec.record, record: (args) => [spec.record, args[idArg]], effect }];
  }),
);

/** [type, id] of the record a mutation is about (null for a name this app does not know). */
export function recordOf(mutation) {
  const spec = MUTATIONS[mutation.name];
  return spec ? spec.record(mutation.args) : null;
}

/** "type:id" of every record the mutation's local effect may write (the record it is about
 * first, then a note it appends). */
export function touches(mutation) {
  const record = recordOf(mutation);
  if (!record) return [];
  const keys = [recordKey(...record)];
  if (mutation.args.note && mutation.note_id) keys.push(recordKey('note', mutation.note_id));
  return keys;
}

/** The view after one mutation (a new object; the input is not changed). */
export function applyEffect(view, mutation, ctx = {}) {
  const spec = MUTATIONS[mutation.name];
  return spec ? spec.effect(view, mutation, ctx) : view;
}

/** The view after the mutations, in device_seq order: how a pulled server copy is rebased. */
export function replay(view, mutations, ctx = {}) {
  return [...mutations]
    .sort((a, b) => a.device_seq - b.device_seq)
    .reduce((current, mutation) => applyEffect(current, mutation, ctx), view);
}

// The phone against the contract (../contract, its README): the mutation catalogue says
// what the phone may send, and every golden vector is a fact the phone must reproduce, as
// tests/contract/ makes the server do. A vector failing here means the phone and the server
// now disagree: fix the side that moved, never the vector alone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  addNote, addReminder, cancelVisit, completeVisit, doneReminder, logVisit, planVisit, resolveParked, snoozeReminder,
  addAppointment, cancelAppointment, logContact, recordConsent, recordOutcome, rescheduleVisit, updateAppointment, updateClient,
  withdrawConsent,
} from '../src/data/actions.js';
import { consentCheck } from '../src/data/consents.js';
import { departs, divergence, notice } from '../src/data/divergence.js';
import { correctNote } from '../src/data/journal.js';
import { addDialogue, updatePlan } from '../src/data/plan-actions.js';
import { addConcern, addDeviation } from '../src/data/report-actions.js';
import { recordFollowup } from '../src/data/followup-actions.js';
import { followupsDue } from '../src/data/followups.js';
import { outbox, records, setMeta } from '../src/data/db.js';
import { MUTATIONS, applyEffect, recordKey, writesOf } from '../src/data/effects.js';
import { noteIdFor } from '../src/data/ids.js';
import { serverRow } from '../src/data/records.js';
import { DEFAULT_PREFERENCES, reminderTimes } from '../src/data/reminder-rules.js';
import common from '../src/strings/sv/common.js';
import { digestOf } from '../src/sync/digest.js';
import { startReplacement, storePage, storeStagingPage } from '../src/sync/page.js';
import { compareVersions } from '../src/sync/status.js';
import { mineValue } from '../src/ui/parts/parked.js';
import { appointmentMessage, initials, reminderMessage, visitMessage, whenText } from '../src/ui/reminders.js';

const read = (path) => JSON.parse(readFileSync(new URL(`../../contract/${path}`, import.meta.url), 'utf8'));
const catalogue = read('mutations.json');
const reminderRules = read('reminders.json');
const vectors = Object.fromEntries(
  ['reminder-times', 'lock-screen', 'initials', 'note-ids', 'digest', 'scope', 'edits', 'app-versions', 'consents', 'divergence', 'followups'].map((name) => [name, read(`vectors/${name}.json`)]),
);
const phoneMutations = Object.entries(catalogue.mutations).filter(([, spec]) => spec.phone);
const ms = (iso) => Date.parse(iso);
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

// --- a validator of arguments, driven by the catalogue's specs ---------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isPlainObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const TYPES = {
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  instant: (v) => typeof v === 'string' && TIME.test(v) && !Number.isNaN(ms(v)),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)),
  text: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  object: isPlainObject,
  list: Array.isArray,
};

/** What is wrong with `args` by the specs (a mutation's args or an object's fields): [] when
 * the server's schema would accept them. Unknown arguments count as wrong: the phone must
 * send nothing the catalogue does not name. */
function problems(args, specs, path = '') {
  if (!isPlainObject(args)) return [`${path || 'args'}: not an object`];
  const found = Object.keys(args).filter((name) => !(name in specs)).map((name) => `${path}${name}: unknown`);
  for (const [name, spec] of Object.entries(specs)) {
    const at = `${path}${name}`;
    if (!(name in args)) {
      if (spec.required) found.push(`${at}: missing`);
      continue;
    }
    const value = args[name];
    if (value === null) {
      if (!spec.nullable) found.push(`${at}: null`);
      continue;
    }
    if (!TYPES[spec.type](value)) {
      found.push(`${at}: not ${spec.type}`);
      continue;
    }
    // Length of a text (in characters, as Python counts them), value of an integer, items of a list.
    const size = spec.type === 'text' ? [...value].length : spec.type === 'list' ? value.length : value;
    if (spec.min !== undefined && size < spec.min) found.push(`${at}: below ${spec.min}`);
    if (spec.max !== undefined && size > spec.max) found.push(`${at}: above ${spec.max}`);
    if (spec.enum && !catalogue.enums[spec.enum].includes(value)) found.push(`${at}: not one of ${spec.enum}`);
    if (spec.items) value.forEach((item, i) => found.push(...problems(item, catalogue.objects[spec.items], `${at}[${i}].`)));
    if (spec.items_type) {
      value.forEach((item, i) => {
        if (!TYPES[spec.items_type](item)) found.push(`${at}[${i}]: not ${spec.items_type}`);
      });
    }
    if (spec.items_enum) {
      value.forEach((item, i) => {
        if (!catalogue.enums[spec.items_enum].includes(item)) found.push(`${at}[${i}]: not one of ${spec.items_enum}`);
      });
    }
  }
  return found;
}

const argProblems = (name, args) => problems(args, catalogue.mutations[name].args);

// --- the catalogue ------------------------------------------------------------------------

describe('the phone speaks the mutation catalogue', () => {
  it('the phone makes exactly the mutations the catalogue marks phone: true, with their kind, record and record id', () => {
    expect(Object.keys(MUTATIONS).sort()).toEqual(phoneMutations.map(([name]) => name).sort());
    for (const [name, spec] of phoneMutations) {
      expect(MUTATIONS[name], name).toMatchObject({ kind: spec.kind, type: spec.record });
      const idArg = spec.record_id ?? 'id';
      expect(MUTATIONS[name].record({ [idArg]: 'the-id' }), name).toEqual([spec.record, 'the-id']);
    }
  });

  it('each edit the phone makes writes exactly the fields the catalogue names', () => {
    const edits = phoneMutations.filter(([, spec]) => spec.kind === 'edit');
    expect(edits.length).toBeGreaterThan(0);
    for (const [name, spec] of edits) {
      const writes = writesOf({ id: 'm', name, occurred_at: '2026-11-23T10:00:00+01:00', args: {} }, {});
      expect(Object.keys(writes).sort(), name).toEqual([...spec.writes].sort());
    }
  });

  it('every support level, cancellation reason and service has a Swedish label', () => {
    for (const level of catalogue.enums.support_level) expect(common.supportLevels[level], level).toBeTruthy();
    for (const reason of catalogue.enums.cancel_reason) expect(common.cancelReasons[reason], reason).toBeTruthy();
    for (const service of catalogue.enums.service) expect(common.services[service], service).toBeTruthy();
  });
});

describe('the argument validator', () => {
  const plan = { id: '3f0c8a5e-2b1d-4c3e-9f7a-1d2e3f4a5b6c', client_id: '5b0e6f0a-1c2d-4e3f-8a4b-5c6d7e8f9a01', starts_at: '2026-11-23T10:00:00+01:00' };
  const check = { activity_id: 'b1000000-0000-4000-8000-000000000001', done: true, support_level: 'reminder' };
  const log = { ...plan, started_at: plan.starts_at, ended_at: '2026-11-23T11:00:00+01:00', activities: [check] };
  delete log.starts_at;

  it('accepts arguments as the catalogue describes them', () => {
    expect(argProblems('visit.plan', plan)).toEqual([]);
    expect(argProblems('visit.log', { ...log, minutes: 60, place: null })).toEqual([]);
  });

  it.each([
    ['a missing required argument', 'visit.plan', { ...plan, client_id: undefined }, 'client_id: missing'],
    ['null where the catalogue allows none', 'visit.plan', { ...plan, starts_at: null }, 'starts_at: null'],
    ['a malformed uuid', 'visit.plan', { ...plan, id: 'v1' }, 'id: not uuid'],
    ['a time without an offset', 'visit.plan', { ...plan, starts_at: '2026-11-23T10:00:00' }, 'starts_at: not instant'],
    ['a value outside its enum', 'visit.cancel', { id: plan.id, reason: 'weather' }, 'reason: not one of cancel_reason'],
    ['a text too long', 'reminder.add', { id: plan.id, worker_id: plan.id, remind_at: plan.starts_at, text: 'x'.repeat(501) }, 'text: above 500'],
    ['an empty text where one character is the least', 'note.add', { id: plan.id, client_id: plan.id, text: '' }, 'text: below 1'],
    ['an integer out of range', 'visit.log', { ...log, minutes: 961 }, 'minutes: above 960'],
    ['a fraction where an integer is due', 'visit.log', { ...log, minutes: 1.5 }, 'minutes: not integer'],
    ['a list item without a required field', 'visit.log', { ...log, activities: [{ activity_id: check.activity_id }] }, 'activities[0].done: missing'],
    ['an argument the catalogue does not name', 'visit.plan', { ...plan, colour: 'blue' }, 'colour: unknown'],
  ])('rejects %s', (_, name, args, problem) => {
    const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    expect(argProblems(name, given)).toContain(problem);
  });
});

describe('every action queues arguments the catalogue accepts', () => {
  const ids = {
    worker: 'a1b2c3d4-0000-4000-8000-00000000000a',
    client: '5b0e6f0a-1c2d-4e3f-8a4b-5c6d7e8f9a01',
    visit: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d1',
    other: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d2',
    parked: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d8',
    reminder: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5',
    activity: 'b1000000-0000-4000-8000-000000000001',
    skipped: 'b1000000-0000-4000-8000-000000000002',
    order: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4e1',
    plan: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4e2',
    note: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4e3',
    ordered: ['d1000000-0000-4000-8000-000000000001', 'd1000000-0000-4000-8000-000000000002'],
    goal: 'e1000000-0000-4000-8000-000000000001',
    subgoal: 'e1000000-0000-4000-8000-000000000002',
  };
  const visit = (id) => ({ id, client_id: ids.client, status: 'planned', starts_at: '2026-11-23T10:00:00+01:00', ends_at: null });
  const activities = [
    { activity_id: ids.activity, done: true, support_level: 'start_together' },
    { activity_id: ids.skipped, done: false, support_level: null, not_done_reason: 'Orkade inte' },
  ];
  const times = { started_at: '2026-11-23T10:02:00+01:00', ended_at: '2026-11-23T10:47:00+01:00' };

  it('each action, with and without its optional arguments', async () => {
    await setMeta('user', { id: ids.worker, name: 'Ada' });
    await records.bulkPut([
      serverRow('client', ids.client, 1, { id: ids.client, name: 'Anna Berg', whereabouts: 'Härbärget', phone: null, contact_notes: null }),
      serverRow('visit', ids.visit, 1, visit(ids.visit)),
      serverRow('visit', ids.other, 1, visit(ids.other)),
      serverRow('parked', ids.parked, 1, { id: ids.parked, status: 'open', record_type: 'visit', record_id: ids.visit }),
      serverRow('reminder', ids.reminder, 1, { id: ids.reminder, worker_id: ids.worker, text: 'Ring', remind_at: '2026-11-23T09:00:00+01:00', status: 'open' }),
      serverRow('note', ids.note, 1, { id: ids.note, client_id: ids.client, visit_id: null, author_id: ids.worker, text: 'Ny adress', written_at: '2026-11-22T09:00:00+01:00' }),
      serverRow('order', ids.order, 1, {
        id: ids.order, client_id: ids.client, hours_per_month: 4, period_start: '2026-05-01', activities: ids.ordered.map((id, i) => ({ id, name: `Insats ${i}` })),
        goals: [{ id: ids.goal, life_area: 'housing', text: 'Behålla lägenheten', subgoals: [{ id: ids.subgoal, text: 'Betala hyran i tid' }] }],
      }),
      serverRow('plan', ids.plan, 1, {
        id: ids.plan, client_id: ids.client, order_id: ids.order,
        activities: [{ id: ids.activity, name: 'Tvätt', how: 'Tillsammans', frequency: 'varje vecka', support_level: 'start_together', order_activity_id: ids.ordered[0], active: true }],
      }),
    ]);
    await planVisit({ client_id: ids.client, starts_at: '2026-11-24T09:00:00+01:00' });
    await planVisit({ client_id: ids.client, starts_at: '2026-11-24T09:00:00+01:00', ends_at: '2026-11-24T10:00:00+01:00', place: 'Hemma' });
    await rescheduleVisit({ id: ids.other, starts_at: '2026-11-24T13:00:00+01:00' });
    await rescheduleVisit({ id: ids.other, starts_at: '2026-11-24T13:00:00+01:00', ends_at: '2026-11-24T14:00:00+01:00', place: '' });
    await completeVisit({ id: ids.visit, ...times, minutes: 45, activities, note: 'Gick bra' });
    await cancelVisit({ id: ids.other, reason: 'client_late_cancel', note: 'Ringde' });
    await cancelVisit({ id: ids.other, reason: 'no_show' });
    await logVisit({ client_id: ids.client, ...times, activities: [] });
    await logVisit({ client_id: ids.client, ...times, activities, minutes: 40, place: 'Kafé', note: 'Fika' });
    await addNote({ client_id: ids.client, text: 'Ny adress' });
    await addNote({ client_id: ids.client, visit_id: ids.visit, text: 'Om besöket' });
    await resolveParked({ parked_id: ids.parked, action: 'apply_data', data: { ended_at: '2026-11-23T11:00:00+01:00' } });
    await resolveParked({ parked_id: ids.parked, action: 'discard' });
    await addReminder({ text: '  Ring hyresvärden  ', remind_at: '2026-11-24T09:00:00+01:00' });
    await addReminder({ text: 'Följ med', remind_at: '2026-11-24T09:00:00+01:00', client_id: ids.client });
    await snoozeReminder(ids.reminder, '2026-11-23T13:00:00+01:00');
    await doneReminder(ids.reminder);
    await updateClient({ id: ids.client, whereabouts: 'Stadsmissionen, Fristad' });
    await updateClient({ id: ids.client, whereabouts: '', phone: '070-123 45 67', contact_notes: 'Syster: 070-765 43 21' });
    const consent = await recordConsent({ client_id: ids.client, party: 'Psykiatrin Södermalm', signed_on: '2026-11-23' });
    await recordConsent({ client_id: ids.client, party: ' Kronofogden ', signed_on: '2026-11-01', valid_until: '2027-11-01', note: 'Gäller skuldsanering' });
    await withdrawConsent({ id: consent, withdrawn_on: '2026-11-24' });
    await logContact({ client_id: ids.client, started_at: '2026-11-23T10:00:00+01:00', minutes: 20, channel: 'phone' });
    await logContact({
      client_id: ids.client, started_at: '2026-11-23T11:00:00+01:00', minutes: 45, channel: 'in_person', place_type: 'street',
      party: 'Kronofogden', actions: ['accompanied', 'bank_matter', 'accompanied'], note: 'Avbetalningsplan klar',
    });
    const appointment = await addAppointment({
      client_id: ids.client, starts_at: '2026-11-25T10:00:00+01:00', kind: 'psychiatry', with: 'Psykiatrin Södermalm', accompany: true,
    });
    const sip = await addAppointment({
      client_id: ids.client, starts_at: '2026-11-26T13:00:00+01:00', ends_at: '2026-11-26T14:30:00+01:00', kind: 'sip', with: ' Socialtjänsten ',
      place: 'Mottagningen', accompany: false, note: 'Kallelse skickad',
      participants: [{ role: 'Case manager', org: 'Fältstöd' }, { role: 'Läkare', org: 'Psykiatrin' }, { role: 'Brukaren' }, { role: ' ' }],
    });
    await updateAppointment({ id: appointment, starts_at: '2026-11-25T11:00:00+01:00', place: 'Mottagning 3', accompany: false });
    await updateAppointment({ id: sip, ends_at: null, kind: 'network_meeting', with: 'Socialtjänsten Södermalm', participants: [] });
    await recordOutcome({ id: appointment, outcome: 'attended', note: 'Ny tid om en månad' });
    await cancelAppointment({ id: sip });
    await addConcern({ client_id: ids.client, category: 'children', text: 'Barnen var ensamma hemma' });
    await correctNote({ note_id: ids.note, text: 'Ny adress: Stadsmissionen, Fristad' });
    await addDeviation({ category: 'safety', occurred_on: '2026-11-23', text: 'Dörren till trapphuset gick inte att låsa' });
    await addDeviation({ client_id: ids.client, category: 'medication', occurred_on: '2026-11-22', text: 'Dosett saknades' });
    await updatePlan({ id: ids.plan, activities: [{ id: ids.activity, name: 'Tvätt och städning', support_level: 'reminder', order_activity_ids: ids.ordered, minutes_per_month: 120 }] });
    await updatePlan({
      id: ids.plan,
      activities: [
        { id: ids.activity, name: 'Tvätt och städning', support_level: 'reminder', order_activity_ids: ids.ordered, minutes_per_month: 120, active: false },
        { id: ids.skipped, name: ' Promenad ', how: 'Runt kvarteret', frequency: 'varannan vecka', support_level: 'throughout', order_activity_ids: [] },
      ],
    });
    await addDialogue({ plan_id: ids.plan, kind: 'notice', text: ' Brukaren vill göra tvätt och städning samma dag. ', points: ['Aktivitet 0 och Aktivitet 1 görs tillsammans.'] });
    await addDialogue({ plan_id: ids.plan, kind: 'reply', text: 'Handläggaren godtar planen.', outcome: 'accepted' });
    await addDialogue({ plan_id: ids.plan, kind: 'note', text: 'Ringde handläggaren.' });
    await recordFollowup({ client_id: ids.client, goal_id: ids.goal, result: 'reached' });
    await recordFollowup({
      client_id: ids.client, goal_id: ids.goal, result: 'partly', subgoals: { [ids.subgoal]: 'not_reached' }, measure: { name: 'audit', value: '12' }, note: ' Hyran betald två av tre månader ',
    });
    await recordFollowup({ client_id: ids.client, goal_id: ids.goal, result: 'partly', measure: { name: 'motivation_stage', value: 'preparation' } });

    const queued = await outbox.inOrder();
    expect(new Set(queued.map((m) => m.name))).toEqual(new Set(phoneMutations.map(([name]) => name)));
    for (const m of queued) {
      expect(argProblems(m.name, m.args), `${m.name} ${JSON.stringify(m.args)}`).toEqual([]);
      expect(m.occurred_at).toMatch(TIME);
    }
  });
});

// --- the golden vectors -------------------------------------------------------------------

describe('reminder times (vectors/reminder-times.json)', () => {
  it('before the server has answered, the phone goes by the contract\'s default settings', () => {
    expect(DEFAULT_PREFERENCES).toEqual({ ...reminderRules.preferences.defaults, working_hours: reminderRules.preferences.working_hours });
  });

  it.each(vectors['reminder-times'].cases.map((c) => [c.name, c]))('%s', (_, c) => {
    const preferences = { ...c.preferences, working_hours: c.working_hours ?? reminderRules.preferences.working_hours };
    const due = reminderTimes(c.event_at, preferences);
    expect(Object.keys(due).sort()).toEqual(Object.keys(c.due).sort());
    for (const [kind, at] of Object.entries(c.due)) expect(new Date(due[kind]).toISOString(), kind).toBe(new Date(at).toISOString());
  });

  it.each(vectors['reminder-times'].appointment_cases.map((c) => [c.name, c]))('a client\'s appointment: %s', (_, c) => {
    const preferences = { ...c.preferences, working_hours: c.working_hours ?? reminderRules.preferences.working_hours };
    const due = reminderTimes(c.event_at, preferences, { remindClient: !c.accompany });
    expect(Object.keys(due).sort()).toEqual(Object.keys(c.due).sort());
    for (const [kind, at] of Object.entries(c.due)) expect(new Date(due[kind]).toISOString(), kind).toBe(new Date(at).toISOString());
  });
});

describe('the lock screen (vectors/lock-screen.json)', () => {
  const screen = vectors['lock-screen'];
  it.each(screen.when_text.map((c) => [c.name, c]))('when: %s', (_, c) => {
    expect(whenText(c.event_at, c.zone, ms(c.now))).toBe(c.text);
  });

  it.each(screen.visit_messages.map((c) => [c.name, c]))('a visit: %s', (_, c) => {
    const { title, body, tag } = visitMessage({ ...c.visit, client: c.client }, c.zone, ms(c.now));
    expect({ title, body, tag }).toEqual(c.message);
  });

  it.each(screen.reminder_messages.map((c) => [c.name, c]))('a personal reminder: %s', (_, c) => {
    const { title, body, tag } = reminderMessage({ ...c.reminder, client: c.client }, c.zone);
    expect({ title, body, tag }).toEqual(c.message);
  });

  it.each(screen.appointment_messages.map((c) => [c.name, c]))('a client\'s appointment: %s', (_, c) => {
    const { title, body, tag, url } = appointmentMessage({ ...c.appointment, client: c.client }, c.zone, ms(c.now));
    expect({ title, body, tag, url }).toEqual(c.message);
  });

  it.each(vectors.initials.cases.map((c) => [JSON.stringify(c.name), c]))('initials of %s', (_, c) => {
    expect(initials(c.name)).toBe(c.initials);
  });
});

describe('ids and the digest (vectors/note-ids.json, vectors/digest.json)', () => {
  it.each(vectors['note-ids'].cases.map((c) => [c.mutation_id, c]))('the note a visit mutation %s carries gets the server\'s id', async (_, c) => {
    expect(await noteIdFor(c.mutation_id)).toBe(c.note_id);
  });

  it.each(vectors.digest.cases.map((c) => [c.name, c]))('digest: %s', async (_, c) => {
    expect(await digestOf(c.records)).toEqual({ digest: c.digest, count: c.count });
  });
});

describe('consents cover work with a party (vectors/consents.json)', () => {
  it.each(vectors.consents.cases.map((c) => [c.name, c]))('%s', (_, c) => {
    const { consent_warning, consent_stale } = consentCheck(c.consents, c.party, c.at, { zone: c.zone, staleMonths: c.stale_months });
    expect({ consent_warning, consent_stale }).toEqual(c.result);
  });
});

describe('app versions against min_app_version (vectors/app-versions.json)', () => {
  it.each(vectors['app-versions'].cases.map((c) => [JSON.stringify(c.version), JSON.stringify(c.minimum), c]))('%s vs %s', (_, __, c) => {
    expect(compareVersions(c.version, c.minimum)).toBe(c.compare);
  });
});

describe('a client purge removes what the server files under the client (vectors/scope.json)', () => {
  const { client_id: clientId, cases } = vectors.scope;
  const page = { changes: cases.map((c, i) => ({ type: c.type, id: c.data.id, version: i + 1, deleted: false, data: c.data })), cursor: 'c1', has_more: false };
  const purge = { changes: [], purge: [{ type: 'client', id: clientId }], cursor: 'c2', has_more: false };
  const held = async () => new Set((await records.all()).map((row) => recordKey(row.type, row.id)));
  const kept = cases.filter((c) => !c.purged_with_client).map((c) => recordKey(c.type, c.data.id));

  it('in an incremental pull', async () => {
    await storePage(page);
    expect((await held()).size).toBe(cases.length);
    await storePage(purge);
    expect([...(await held())].sort()).toEqual(kept.sort());
  });

  it('in a replacement sync', async () => {
    await startReplacement();
    await storeStagingPage({ ...page, has_more: true });
    await storeStagingPage(purge);
    expect([...(await held())].sort()).toEqual(kept.sort());
  });
});

describe('what an edit writes (vectors/edits.json)', () => {
  const edits = vectors.edits;
  const sameValue = (actual, expected) => {
    if (typeof expected === 'string' && TIME.test(expected)) return expect(ms(actual)).toBe(ms(expected));
    return expect(actual).toEqual(expected);
  };
  const cases = [
    ...edits.writes.map((c) => [c.name, c, edits.visit]),
    ...edits.reminder_writes.map((c) => [c.name, c, edits.reminder]),
  ];

  it.each(cases)('the local effect: %s', (_, c, record) => {
    const mutation = { id: 'm1', device_seq: 1, ...c.mutation };
    const [type] = MUTATIONS[mutation.name].record(mutation.args);
    const key = recordKey(type, record.id);
    const after = applyEffect({ [key]: record }, mutation, { userId: 'u1' })[key];
    for (const [field, value] of Object.entries(c.after)) sameValue(after[field], value);
  });

  it.each(cases)('the conflict card\'s "mine": %s', (_, c) => {
    const parked = { mutation: { id: 'm1', ...c.mutation } };
    for (const [field, value] of Object.entries(c.after)) sameValue(mineValue(parked, field), value);
  });
});

describe('when a goal is due for follow-up (vectors/followups.json)', () => {
  for (const c of vectors.followups.cases) {
    it(c.name, () => {
      expect(followupsDue(c.order, c.followups, c.today, c.months, c.zone)).toEqual(c.result);
    });
  }
});

describe('how a plan departs from its order (vectors/divergence.json)', () => {
  for (const c of vectors.divergence.cases) {
    it(c.name, () => {
      const found = divergence(c.order, c.plan);
      expect(found).toEqual(c.divergence);
      expect(departs(found)).toBe(c.any);
      expect(notice(c.order, found)).toEqual(c.notice);
    });
  }
});

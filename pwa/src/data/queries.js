/**
 * What screens read. Plain async functions over the local database; the UI wraps them in
 * a live query (db.js `liveQuery`) so a screen updates when a save, a pull or another tab
 * changes what it shows. Each is one or two index reads plus the outbox (small) for the
 * record states, so they stay fast for a caseload of 15 clients and ~500 visits.
 *
 * Visits come with `state` ('saved' | 'sent' | 'confirmed' | 'attention', see outbox.js)
 * and `local_started_at` (started on this phone, not yet completed). Records are returned as
 * their local view (data), i.e. with the worker's unsent changes.
 */
import { drafts, getMeta, outbox, records } from './db.js';
import { recordKey } from './effects.js';
import { consentState, partyKey } from './consents.js';
import { namesakeHints } from './namesakes.js';
import { stateOf } from './outbox.js';
import { instantMs, localDate, localMonth } from './time.js';

function visitTime(visit) {
  return instantMs(visit.started_at ?? visit.starts_at);
}

/** The sync state of many records at once: one read of the outbox and one of the open
 * parked items naming them. Returns a function key → state. */
async function statesFor(keys) {
  if (!keys.length) return () => 'confirmed';
  const [pending, attention] = await Promise.all([
    outbox.touching(keys),
    records.parkedAbout(keys),
  ]);
  const pendingBy = new Map();
  for (const m of pending) for (const k of m.keys) pendingBy.set(k, [...(pendingBy.get(k) ?? []), m]);
  const named = new Set(attention.map((row) => row.about));
  return (key) => stateOf(pendingBy.get(key) ?? [], named.has(key));
}

/** What tells each client with a namesake apart (namesakes.js), by client id. */
async function hints() {
  return namesakeHints((await records.ofType('client')).map((row) => row.data));
}

/** A client as lists show them; `hint` (only for a client with a namesake) tells them apart. */
function clientSummary(client, hint) {
  if (!client) return null;
  const summary = { id: client.id, name: client.name, protected_identity: Boolean(client.protected_identity) };
  if (hint) summary.hint = hint;
  return summary;
}

/** The clients of these ids as lists show them (with namesakes' hints), by id. */
export async function clientSummaries(ids) {
  const unique = [...new Set(ids)];
  const [clients, hintOf] = await Promise.all([records.bulkGet(unique.map((id) => ['client', id])), hints()]);
  return new Map(unique.map((id, i) => [id, clientSummary(clients[i]?.data, hintOf.get(id))]));
}

/** The client's own record, with its `hint` when it has a namesake. */
const withHint = (client, hintOf) => (hintOf.has(client.id) ? { ...client, hint: hintOf.get(client.id) } : client);

/** Visits with their client, record state and local start, in time order. */
async function decorateVisits(rows, { onlyWorker } = {}) {
  const visits = rows.map((row) => row.data).filter((v) => !onlyWorker || v.worker_id === onlyWorker);
  visits.sort((a, b) => visitTime(a) - visitTime(b));
  const keys = visits.map((v) => recordKey('visit', v.id));
  const clientIds = [...new Set(visits.map((v) => v.client_id))];
  const [state, clients, started, hintOf] = await Promise.all([
    statesFor(keys),
    records.bulkGet(clientIds.map((id) => ['client', id])),
    drafts.bulkGet(visits.map((v) => v.id)),
    hints(),
  ]);
  const clientById = new Map(clientIds.map((id, i) => [id, clientSummary(clients[i]?.data, hintOf.get(id))]));
  return visits.map((visit, i) => ({
    ...visit,
    client: clientById.get(visit.client_id) ?? null,
    state: state(keys[i]),
    local_started_at: started[i]?.started_at ?? null,
  }));
}

/** Records of a type with their sync `state`. */
export async function withStates(type, list) {
  const keys = list.map((r) => recordKey(type, r.id));
  const state = await statesFor(keys);
  return list.map((r, i) => ({ ...r, state: state(keys[i]) }));
}

async function myId() {
  return (await getMeta('user'))?.id ?? null;
}

/**
 * The worker's visits on a date (Europe/Stockholm; `dateISO` is 'YYYY-MM-DD' or an instant):
 * planned ones by starts_at, done ones by started_at, in time order.
 */
export async function visitsOn(dateISO) {
  const day = localDate(dateISO);
  // Read together: inside a liveQuery, reads after a nested `await` are not observed, and the
  // outbox (a visit's sync state) is read after this one (e2e: test_record_states).
  const [rows, me] = await Promise.all([
    records.onDays('visit', day, day),
    myId(),
  ]);
  return decorateVisits(rows, { onlyWorker: me });
}

/** The worker's visits from one date to another, both included (dates as in visitsOn). */
export async function visitsBetween(fromISO, toISO) {
  const [rows, me] = await Promise.all([
    records.onDays('visit', localDate(fromISO), localDate(toISO)),
    myId(),
  ]);
  return decorateVisits(rows, { onlyWorker: me });
}

/**
 * One visit by id, whoever's it is (a supervisor opens any visit of the team): the visit as
 * visitsOn gives it, plus `mine` (the logged-in worker's own) and `worker` ({id, name}: the
 * name from the team directory, null where the phone has none). Null when not held.
 */
export async function visitById(id) {
  const [row, me, directory] = await Promise.all([records.get(['visit', id]), myId(), teamDirectory()]);
  if (!row) return null;
  const [visit] = await decorateVisits([row]);
  return { ...visit, mine: visit.worker_id === me, worker: personOf(directory, visit.worker_id) };
}

/** Personal reminders with their client (if tied to one), record state and `overdue`
 * (open and its time has passed at `now`), in time order. */
async function decorateReminders(rows, { onlyWorker, now = new Date() } = {}) {
  const reminders = rows
    .map((row) => row.data)
    .filter((r) => !onlyWorker || r.worker_id === onlyWorker)
    .sort((a, b) => instantMs(a.remind_at) - instantMs(b.remind_at));
  const keys = reminders.map((r) => recordKey('reminder', r.id));
  const clientIds = [...new Set(reminders.map((r) => r.client_id).filter(Boolean))];
  const [state, clients, hintOf] = await Promise.all([
    statesFor(keys),
    records.bulkGet(clientIds.map((id) => ['client', id])),
    hints(),
  ]);
  const clientById = new Map(clientIds.map((id, i) => [id, clientSummary(clients[i]?.data, hintOf.get(id))]));
  const nowMs = now.getTime();
  return reminders.map((r, i) => ({
    ...r,
    client: (r.client_id && clientById.get(r.client_id)) ?? null,
    state: state(keys[i]),
    overdue: r.status === 'open' && instantMs(r.remind_at) < nowMs,
  }));
}

const remindersFromTo = (fromDay, toDay) => records.onDays('reminder', fromDay, toDay);
// Later than any day a reminder is set for.
const LAST_DAY = '9999-12-31';

/**
 * The worker's open personal reminders for Idag: today's (Europe/Stockholm), earlier or
 * later, and the overdue ones of earlier days, in time order.
 */
export async function todaysReminders({ now = new Date() } = {}) {
  const [rows, me] = await Promise.all([remindersFromTo(null, localDate(now)), myId()]);
  return decorateReminders(rows.filter((row) => row.data.status === 'open'), { onlyWorker: me, now });
}

/** The worker's open personal reminders due after today (Europe/Stockholm), in time order:
 * Idag lists them as coming, so a reminder set for another day is seen before its day. */
export async function upcomingReminders({ now = new Date() } = {}) {
  const day = localDate(now);
  const [rows, me] = await Promise.all([remindersFromTo(day, LAST_DAY), myId()]);
  return decorateReminders(rows.filter((row) => row.data.status === 'open' && row.day > day), { onlyWorker: me, now });
}

/** The worker's personal reminders, open and done, due from one date to another (both
 * included; dates as in visitsOn): what the phone's own notifications watch. */
export async function remindersBetween(fromISO, toISO, { now = new Date() } = {}) {
  const [rows, me] = await Promise.all([remindersFromTo(localDate(fromISO), localDate(toISO)), myId()]);
  return decorateReminders(rows, { onlyWorker: me, now });
}

/** The reminders held of these ids (e.g. to close the notification of one done since). */
export async function remindersByIds(ids, { now = new Date() } = {}) {
  const rows = await records.bulkGet(ids.map((id) => ['reminder', id]));
  return decorateReminders(rows.filter(Boolean), { now });
}

/**
 * Open parked items (only they have `about`), each with the row of the record it names
 * (if held) and the id of the client it concerns: the one a create names, else the named
 * record's client.
 */
async function openParked() {
  const parked = (await records.openParked()).map((row) => row.data);
  const named = await records.bulkGet(parked.map((p) => [p.record_type ?? '', p.record_id ?? '']));
  return parked.map((item, i) => ({
    parked: item,
    row: named[i] ?? null,
    clientId: item.mutation?.args?.client_id ?? named[i]?.client_id ?? (item.record_type === 'client' ? item.record_id : null),
  }));
}

/**
 * A supervisor's team directory as last fetched from the server (sync/supervision.js keeps
 * it in meta `team_directory`), or null (a field worker's phone has none): `workers` {id:
 * {name, role}}, `clients` {client id: [worker id…]} (who serves each now), `devices` {id:
 * {name, worker_id}}.
 */
export async function teamDirectory() {
  return (await getMeta('team_directory')) ?? null;
}

const personOf = (directory, id) => (id ? { id, name: directory?.workers?.[id]?.name ?? null } : null);

/** Who serves a client now, by the directory: [{id, name}] (null without a directory). */
function servingOf(directory, clientId) {
  if (!directory) return null;
  return (directory.clients?.[clientId] ?? []).map((id) => personOf(directory, id));
}

/**
 * The caseload: every client held, by name, with the next planned visit (from now), the
 * last done one, how many open parked items concern them, and on a supervisor's phone
 * `workers`: who serves them ([{id, name}], from the team directory; null elsewhere).
 */
export async function caseload({ now = new Date() } = {}) {
  const [clients, visitRows, parked, directory] = await Promise.all([
    records.ofType('client'),
    records.ofType('visit'),
    openParked(),
    teamDirectory(),
  ]);
  const nowMs = now.getTime();
  const by = new Map(clients.map((row) => [row.id, { next: null, last: null, attention: 0 }]));
  for (const { data: visit } of visitRows) {
    const entry = by.get(visit.client_id);
    if (!entry) continue;
    const at = visitTime(visit);
    if (visit.status === 'planned' && at >= nowMs && (!entry.next || at < visitTime(entry.next))) entry.next = visit;
    if (visit.status === 'done' && (!entry.last || at > visitTime(entry.last))) entry.last = visit;
  }
  for (const { clientId } of parked) {
    const entry = by.get(clientId);
    if (entry) entry.attention += 1;
  }
  const hintOf = namesakeHints(clients.map((row) => row.data));
  return clients
    .map((row) => ({
      client: withHint(row.data, hintOf), nextVisit: by.get(row.id).next, lastVisit: by.get(row.id).last, attention: by.get(row.id).attention,
      workers: servingOf(directory, row.id),
    }))
    .sort((a, b) => String(a.client.name).localeCompare(String(b.client.name), 'sv'));
}

/** When the client was last met (a done visit, a contact in person) and last in contact
 * (any contact or done visit), up to `now`: {lastMet, lastContact}, ISO or null. */
function lastSeen(visits, contacts, now) {
  const upTo = now.getTime();
  const latest = (times) => times.filter((at) => at && instantMs(at) <= upTo).sort((a, b) => instantMs(b) - instantMs(a))[0] ?? null;
  const met = visits.filter((v) => v.status === 'done').map((v) => v.started_at);
  return {
    lastMet: latest([...met, ...contacts.filter((c) => c.channel === 'in_person').map((c) => c.started_at)]),
    lastContact: latest([...met, ...contacts.map((c) => c.started_at)]),
  };
}

/** The order in force on `today` (the latest started), else the latest one. */
export function currentOrder(orders, today) {
  const running = orders.filter(
    (o) => (!o.period_start || o.period_start <= today) && (!o.period_end || o.period_end >= today),
  );
  const pick = running.length ? running : orders;
  return [...pick].sort((a, b) => String(b.period_start ?? '').localeCompare(String(a.period_start ?? '')))[0] ?? null;
}

/**
 * Everything about one client: the client, the current order, the plan and its dialogue
 * with the orderer (newest first), the follow-ups of
 * its goals (as held), visits (newest
 * first, with states), notes (newest first), open parked items concerning them, the
 * worker's open personal reminders about them (in time order, with states), the client's
 * consents (by party, newest first, with states and `standing` today: consents.js), the
 * contacts (newest first, with states), `lastMet` and `lastContact` (ISO or null), and hours
 * this calendar month (Europe/Stockholm): granted = the order's hours_per_month (null for
 * case management), used = minutes of done visits / 60.
 */
export async function clientPage(clientId, { now = new Date() } = {}) {
  const [rows, hintOf] = await Promise.all([records.ofClient(clientId), hints()]);
  const own = rows.find((row) => row.type === 'client')?.data ?? null;
  if (!own) return null;
  const client = withHint(own, hintOf);
  const of = (type) => rows.filter((row) => row.type === type);
  const today = localDate(now);
  const order = currentOrder(of('order').map((row) => row.data), today);
  const plan = of('plan').map((row) => row.data).sort((a, b) => String(b.updated_at ?? '').localeCompare(String(a.updated_at ?? '')))[0] ?? null;
  const visits = (await decorateVisits(of('visit'))).reverse();
  const followups = of('followup').map((row) => row.data);
  const dialogue = of('plan_dialogue').map((row) => row.data).sort((a, b) => instantMs(b.written_at) - instantMs(a.written_at));
  const notes = of('note')
    .map((row) => row.data)
    .sort((a, b) => instantMs(b.written_at) - instantMs(a.written_at));
  const parked = (await openParked()).filter((item) => item.clientId === clientId).map((item) => item.parked);
  const month = localMonth(now);
  const usedMinutes = visits
    .filter((v) => v.status === 'done' && v.started_at && localMonth(v.started_at) === month)
    .reduce((sum, v) => sum + (v.minutes ?? 0), 0);
  const granted = client.service === 'cm' ? null : (order?.hours_per_month ?? null);
  const reminders = await decorateReminders(of('reminder').filter((row) => row.data.status === 'open'), { now });
  const contacts = (await withStates('contact', of('contact').map((row) => row.data)))
    .sort((a, b) => instantMs(b.started_at) - instantMs(a.started_at));
  const consents = (await withStates('consent', of('consent').map((row) => row.data)))
    .map((c) => ({ ...c, standing: consentState(c, today) }))
    .sort((a, b) => partyKey(a.party).localeCompare(partyKey(b.party), 'sv') || b.signed_on.localeCompare(a.signed_on));
  return {
    client, order, plan, dialogue, followups, visits, notes, parked, reminders, consents, contacts, ...lastSeen(visits, contacts, now),
    hoursThisMonth: { granted, used: usedMinutes / 60 },
  };
}

/** This phone's device id (the server's name for it), or null before the first login. */
export async function thisDeviceId() {
  return (await getMeta('device_id')) ?? null;
}

/** Mutations waiting in the outbox. */
export function pendingCount() {
  return outbox.count();
}

/** 'saved' | 'sent' | 'confirmed' | 'attention' of one record. */
export async function recordState(type, id) {
  const key = recordKey(type, id);
  return (await statesFor([key]))(key);
}

/**
 * Open parked items, oldest first, each {parked, record (the local view of the record it
 * names, or null), client ({id, name, protected_identity} or null), state (of the parked
 * item: 'saved' while its resolution waits to be sent), own (the logged-in worker's own
 * change), author and device ({id, name}: whose change, from which phone; names from a
 * supervisor's team directory, null where unknown), currentWorkers (who serves the client
 * now, [{id, name}], or null without a directory)}.
 */
export async function attentionItems() {
  const [parkedItems, me, directory] = await Promise.all([openParked(), myId(), teamDirectory()]);
  const items = parkedItems.sort((a, b) => instantMs(a.parked.created_at) - instantMs(b.parked.created_at));
  const [clients, hintOf] = await Promise.all([records.bulkGet(items.map((item) => ['client', item.clientId ?? ''])), hints()]);
  const keys = items.map((item) => recordKey('parked', item.parked.id));
  const state = await statesFor(keys);
  return items.map((item, i) => {
    const { author_id: authorId, device_id: deviceId } = item.parked;
    return {
      parked: item.parked,
      record: item.row?.data ?? null,
      client: clientSummary(clients[i]?.data, hintOf.get(item.clientId)),
      state: state(keys[i]),
      own: !authorId || authorId === me,
      author: personOf(directory, authorId),
      device: deviceId ? { id: deviceId, name: directory?.devices?.[deviceId]?.name ?? null } : null,
      currentWorkers: item.clientId ? servingOf(directory, item.clientId) : null,
    };
  });
}

/**
 * What workers reported for the supervisor (concerns, deviations and the notices to orderers
 * that a plan departs from its order, as the phone holds them: on a supervisor's phone the
 * team's), newest first, each with its `kind`, its client as lists
 * show them (none for a deviation about no client) and its author from the team directory.
 */
export async function reportedItems() {
  const [concerns, deviations, dialogue, directory] = await Promise.all([
    records.ofType('concern'), records.ofType('deviation'), records.ofType('plan_dialogue'), teamDirectory(),
  ]);
  const items = [
    ...concerns.map((row) => ({ kind: 'concern', ...row.data, author: personOf(directory, row.data.worker_id) })),
    ...deviations.map((row) => ({ kind: 'deviation', ...row.data, author: personOf(directory, row.data.author_id) })),
    // A notice to an orderer that the plan departs from the order (plan.dialogue).
    ...dialogue.filter((row) => row.data.kind === 'notice')
      .map((row) => ({ ...row.data, kind: 'notice', recorded_at: row.data.written_at, author: personOf(directory, row.data.author_id) })),
  ];
  const clients = await clientSummaries(items.map((item) => item.client_id).filter(Boolean));
  items.sort((a, b) => String(b.recorded_at ?? '').localeCompare(String(a.recorded_at ?? '')));
  return items.map((item) => ({ ...item, client: item.client_id ? clients.get(item.client_id) : null }));
}

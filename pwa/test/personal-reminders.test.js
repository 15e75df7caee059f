// Personal reminders (påminnelser): local effects, actions, queries, and their trip through
// sync (stored by their day, kept when the client they name leaves the phone).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { addReminder, doneReminder, snoozeReminder } from '../src/data/actions.js';
import { outbox, records, setMeta } from '../src/data/db.js';
import { applyEffect, touches } from '../src/data/effects.js';
import { clientPage, recordState, remindersBetween, remindersByIds, todaysReminders, upcomingReminders } from '../src/data/queries.js';
import { serverRow } from '../src/data/records.js';
import { createSyncEngine } from '../src/sync/engine.js';
import { clientData, createFakeServer, reminderData, signIn, visitData } from './fake-server.js';

const ctx = { userId: 'u1' };
const mutation = (name, args, extra = {}) => ({ id: `m-${name}`, device_seq: 1, name, occurred_at: '2026-11-23T10:05:00+01:00', args, ...extra });
const open = { id: 'r1', ...reminderData({ client_id: 'c1' }) };

let version = 0;
async function seed(type, id, data) {
  version += 1;
  await records.put(serverRow(type, id, version, { id, ...data }));
}

beforeEach(async () => {
  await setMeta('user', { id: 'u1', name: 'Ada' });
  await seed('client', 'c1', clientData({ name: 'Karin Holm' }));
  await seed('client', 'c2', clientData({ name: 'Hemlig Person', protected_identity: true }));
});

describe('local effects of reminder mutations', () => {
  it('adding makes an open reminder with the given time, text, author and client', () => {
    const args = { id: 'r9', worker_id: 'u1', text: 'Ring psykiatrin', remind_at: '2026-11-24T09:00:00+01:00' };
    expect(applyEffect({}, mutation('reminder.add', args), ctx)['reminder:r9']).toEqual({
      ...args, client_id: null, status: 'open', done_at: null,
    });
    expect(touches(mutation('reminder.add', args))).toEqual(['reminder:r9']);
  });

  it('adding never overwrites the server copy already held', () => {
    const held = { ...open, id: 'r9', status: 'done' };
    const add = mutation('reminder.add', { id: 'r9', worker_id: 'u1', text: 'x', remind_at: 'y' });
    expect(applyEffect({ 'reminder:r9': held }, add, ctx)['reminder:r9']).toBe(held);
  });

  it('done marks it done at the time of the work', () => {
    const view = applyEffect({ 'reminder:r1': open }, mutation('reminder.done', { id: 'r1' }), ctx);
    expect(view['reminder:r1']).toEqual({ ...open, status: 'done', done_at: '2026-11-23T10:05:00+01:00' });
  });

  it('snooze moves an open reminder, and neither moves nor re-marks a done one (as the server refuses)', () => {
    const until = '2026-11-23T10:20:00+01:00';
    expect(applyEffect({ 'reminder:r1': open }, mutation('reminder.snooze', { id: 'r1', until }), ctx)['reminder:r1'])
      .toEqual({ ...open, remind_at: until });
    const done = { ...open, status: 'done', done_at: 'x' };
    const view = { 'reminder:r1': done };
    expect(applyEffect(view, mutation('reminder.snooze', { id: 'r1', until }), ctx)).toBe(view);
    expect(applyEffect(view, mutation('reminder.done', { id: 'r1' }), ctx)).toBe(view);
  });
});

describe('reminder actions', () => {
  it('addReminder queues reminder.add by the logged-in worker and shows it at once, as saved', async () => {
    const id = await addReminder({ text: '  Ring psykiatrin  ', remind_at: '2026-11-23T09:00:00+01:00', client_id: 'c1' });
    const [queued] = await outbox.all();
    expect(queued).toMatchObject({
      name: 'reminder.add',
      args: { id, worker_id: 'u1', text: 'Ring psykiatrin', remind_at: '2026-11-23T09:00:00+01:00', client_id: 'c1' },
    });
    expect(queued).not.toHaveProperty('base_version');
    const row = await records.get(['reminder', id]);
    expect(row).toMatchObject({ day: '2026-11-23', client_id: 'c1', data: { status: 'open' } });
    expect(await recordState('reminder', id)).toBe('saved');
  });

  it('a reminder about no client sends no client_id', async () => {
    await addReminder({ text: 'Beställ tolk', remind_at: '2026-11-23T09:00:00+01:00' });
    expect((await outbox.all())[0].args).not.toHaveProperty('client_id');
  });

  it('refuses empty text, too long text, a missing time and an unknown client, saving nothing', async () => {
    const at = '2026-11-23T09:00:00+01:00';
    await expect(addReminder({ text: '   ', remind_at: at })).rejects.toMatchObject({ code: 'empty_text' });
    await expect(addReminder({ text: 'x'.repeat(501), remind_at: at })).rejects.toMatchObject({ code: 'text_too_long' });
    await expect(addReminder({ text: 'Ring', remind_at: '' })).rejects.toMatchObject({ code: 'invalid_time' });
    await expect(addReminder({ text: 'Ring', remind_at: at, client_id: 'nobody' })).rejects.toMatchObject({ code: 'unknown_client' });
    expect(await outbox.count()).toBe(0);
    expect((await records.onDays('reminder', '2026-11-23', '2026-11-23')).length).toBe(0);
  });

  it('doneReminder and snoozeReminder edit the held reminder, built on the version held', async () => {
    await seed('reminder', 'r1', reminderData());
    await snoozeReminder('r1', '2026-11-23T09:15:00+01:00');
    await doneReminder('r1');
    const [snooze, done] = await outbox.inOrder();
    expect(snooze).toMatchObject({ name: 'reminder.snooze', args: { id: 'r1', until: '2026-11-23T09:15:00+01:00' }, base_version: version });
    expect(done).toMatchObject({ name: 'reminder.done', args: { id: 'r1' }, base_mutation_id: snooze.id });
    expect((await records.get(['reminder', 'r1'])).data).toMatchObject({ status: 'done', remind_at: '2026-11-23T09:15:00+01:00' });
  });

  it('a done reminder can be neither done again nor snoozed; an unknown one is not found', async () => {
    await seed('reminder', 'r1', reminderData({ status: 'done', done_at: '2026-11-23T09:01:00+01:00' }));
    await expect(doneReminder('r1')).rejects.toMatchObject({ code: 'reminder_done' });
    await expect(snoozeReminder('r1', '2026-11-23T10:00:00+01:00')).rejects.toMatchObject({ code: 'reminder_done' });
    await expect(snoozeReminder('r1', 'soon')).rejects.toMatchObject({ code: 'invalid_time' });
    await expect(doneReminder('nope')).rejects.toMatchObject({ code: 'not_found' });
    expect(await outbox.count()).toBe(0);
  });

  it('snoozing moves the reminder to the day it now falls on', async () => {
    await seed('reminder', 'r1', reminderData());
    await snoozeReminder('r1', '2026-11-24T09:00:00+01:00');
    expect((await records.get(['reminder', 'r1'])).day).toBe('2026-11-24');
  });
});

describe('reminder queries', () => {
  const now = new Date('2026-11-23T10:00:00+01:00');

  beforeEach(async () => {
    await seed('reminder', 'old', reminderData({ remind_at: '2026-11-20T08:00:00+01:00', text: 'Gammal' }));
    await seed('reminder', 'early', reminderData({ remind_at: '2026-11-23T08:00:00+01:00', client_id: 'c1' }));
    await seed('reminder', 'late', reminderData({ remind_at: '2026-11-23T23:30:00+01:00', client_id: 'c2' }));
    await seed('reminder', 'midnight', reminderData({ remind_at: '2026-11-23T23:30:00+00:00' })); // 00:30 on the 24th
    await seed('reminder', 'done', reminderData({ remind_at: '2026-11-23T07:00:00+01:00', status: 'done', client_id: 'c1' }));
    await seed('reminder', 'other', reminderData({ remind_at: '2026-11-23T09:00:00+01:00', worker_id: 'u2' }));
  });

  it('Idag lists the open reminders of today and the overdue ones of earlier days, in time order', async () => {
    const list = await todaysReminders({ now });
    expect(list.map((r) => [r.id, r.overdue])).toEqual([['old', true], ['early', true], ['late', false]]);
    expect(list[1].client).toEqual({ id: 'c1', name: 'Karin Holm', protected_identity: false });
    expect(list[2].client).toEqual({ id: 'c2', name: 'Hemlig Person', protected_identity: true });
    expect(list[0]).toMatchObject({ client: null, state: 'confirmed', text: 'Gammal' });
  });

  it('the coming ones are the open reminders of the days after today, the worker\'s own, in time order', async () => {
    await seed('reminder', 'week', reminderData({ remind_at: '2026-11-30T09:00:00+01:00' }));
    await seed('reminder', 'closed', reminderData({ remind_at: '2026-11-25T09:00:00+01:00', status: 'done' }));
    await seed('reminder', 'theirs', reminderData({ remind_at: '2026-11-25T09:00:00+01:00', worker_id: 'u2' }));
    expect((await upcomingReminders({ now })).map((r) => r.id)).toEqual(['midnight', 'week']);
  });

  it('a reminder snoozed to tomorrow leaves Idag', async () => {
    await snoozeReminder('early', '2026-11-24T09:00:00+01:00');
    expect((await todaysReminders({ now })).map((r) => r.id)).toEqual(['old', 'late']);
  });

  it('the client page lists the client\'s open reminders with their states', async () => {
    const id = await addReminder({ text: 'Fråga om hyran', remind_at: '2026-11-25T09:00:00+01:00', client_id: 'c1' });
    const page = await clientPage('c1', { now });
    expect(page.reminders.map((r) => [r.id, r.state])).toEqual([['early', 'confirmed'], [id, 'saved']]);
  });

  it('remindersBetween and remindersByIds give open and done ones (for notifications)', async () => {
    expect((await remindersBetween('2026-11-23', '2026-11-24', { now })).map((r) => r.id))
      .toEqual(['done', 'early', 'late', 'midnight']);
    expect((await remindersByIds(['done', 'gone'])).map((r) => [r.id, r.status])).toEqual([['done', 'done']]);
  });
});

describe('reminders through sync', () => {
  let server;
  const engine = () => createSyncEngine({ timers: { setTimeout: () => 0, clearTimeout: () => {} }, env: {} });

  beforeEach(async () => {
    await records.clear();
    server = createFakeServer();
    server.put('client', 'c1', clientData({ name: 'Karin Holm' }));
    server.put('visit', 'v1', visitData('c1'));
    server.put('reminder', 'r-server', reminderData({ client_id: 'c1', remind_at: '2026-11-23T23:30:00+00:00' }));
    await signIn(server, { vi });
  });

  it('a pulled reminder is stored under its Stockholm day with its client', async () => {
    await engine().syncNow();
    expect(await records.get(['reminder', 'r-server'])).toMatchObject({ day: '2026-11-24', client_id: 'c1', version: 1 });
  });

  it('one added and done on the phone reaches the server as the worker\'s and comes back confirmed', async () => {
    const sync = engine();
    await sync.syncNow();
    const id = await addReminder({ text: 'Ring soc', remind_at: '2026-11-23T09:00:00+01:00', client_id: 'c1' });
    await doneReminder(id);
    await sync.syncNow();
    expect(server.get('reminder', id).data).toMatchObject({ worker_id: 'u1', client_id: 'c1', text: 'Ring soc', status: 'done' });
    expect(server.pushed.map((m) => m.name)).toEqual(['reminder.add', 'reminder.done']);
    expect(await recordState('reminder', id)).toBe('confirmed');
    expect((await records.get(['reminder', id])).server.status).toBe('done');
  });

  it('a client leaving the phone takes their visits but not the worker\'s reminders about them', async () => {
    const sync = engine();
    await sync.syncNow();
    server.purgeClient('c1');
    await sync.syncNow();
    expect(await records.get(['client', 'c1'])).toBeUndefined();
    expect(await records.get(['visit', 'v1'])).toBeUndefined();
    expect(await records.get(['reminder', 'r-server'])).toBeDefined();
    expect(sync.getStatus().error).toBeNull();
  });
});

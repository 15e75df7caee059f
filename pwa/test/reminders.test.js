// The phone's own reminders (pure parts) and the service worker's notification routing.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES } from '../src/data/reminder-rules.js';
import { hashFor, notificationFor, shouldRenotify } from '../src/notify.js';
import {
  appointmentReminders, dueReminders, dueSelfReminders, dueSoon, initials, reminderMessage, reminderOutdated, visitMessage,
  visitReminders,
} from '../src/ui/reminders.js';

const at = (iso) => new Date(iso).getTime();
const visit = (id, startsAt, extra = {}) => ({
  id, status: 'planned', starts_at: startsAt, place: 'Hemma',
  client: { id: 'c', name: 'Anna Maria Berg', protected_identity: false }, ...extra,
});

describe('visit reminders', () => {
  const visits = [
    visit('v2', '2026-11-23T11:00:00+01:00'),
    visit('v1', '2026-11-23T09:00:00+01:00'),
    visit('done', '2026-11-23T10:00:00+01:00', { status: 'done' }),
    visit('cancelled', '2026-11-23T10:00:00+01:00', { status: 'cancelled' }),
  ];

  it('are due 30 minutes before each planned visit, in time order', () => {
    const due = visitReminders(visits, at('2026-11-23T07:00:00+01:00'));
    expect(due.map((r) => [r.visit_id, r.at])).toEqual([
      ['v1', at('2026-11-23T08:30:00+01:00')],
      ['v2', at('2026-11-23T10:30:00+01:00')],
    ]);
    const hour = { ...DEFAULT_PREFERENCES, minutes_before: 60 };
    expect(visitReminders(visits, at('2026-11-23T07:00:00+01:00'), hour)[0].at).toBe(at('2026-11-23T08:00:00+01:00'));
  });

  it('follow the server\'s night rule: a visit at 06:50 is reminded at 22:00 the evening before', () => {
    const early = [visit('e', '2026-11-24T06:50:00+01:00')];
    expect(dueReminders(early, at('2026-11-23T21:59:00+01:00'))).toEqual([]);
    expect(dueReminders(early, at('2026-11-23T22:00:00+01:00')).map((r) => r.visit_id)).toEqual(['e']);
    expect(dueSoon(early, at('2026-11-23T22:00:00+01:00')).map((r) => r.visit_id)).toEqual(['e']);
  });

  it('with the day-before choice, remind the day before too, one notification per visit at a time', () => {
    const both = { ...DEFAULT_PREFERENCES, day_before: true };
    const one = [visit('v', '2026-11-24T10:00:00+01:00')];
    expect(visitReminders(one, at('2026-11-23T08:00:00+01:00'), both).map((r) => [r.kind, r.at, r.tag])).toEqual([
      ['day_before', at('2026-11-23T10:00:00+01:00'), 'visit:v'],
      ['before', at('2026-11-24T09:30:00+01:00'), 'visit:v'],
    ]);
    expect(dueReminders(one, at('2026-11-23T10:00:00+01:00'), both).map((r) => r.kind)).toEqual(['day_before']);
    expect(dueReminders(one, at('2026-11-23T10:15:00+01:00'), both).map((r) => r.kind)).toEqual(['day_before']);
    // Hours later (planned after 10:00, or the push was put away): no ringing about tomorrow.
    expect(dueReminders(one, at('2026-11-23T10:16:00+01:00'), both)).toEqual([]);
    expect(dueReminders(one, at('2026-11-23T15:00:00+01:00'), both)).toEqual([]);
    expect(dueReminders(one, at('2026-11-24T09:31:00+01:00'), both).map((r) => r.kind)).toEqual(['before']);
    // "Snart dags" is about the short reminder only: not a day ahead.
    expect(dueSoon(one, at('2026-11-23T10:00:00+01:00'), both)).toEqual([]);
  });

  it('are due from their time until the visit starts, not after', () => {
    expect(dueReminders(visits, at('2026-11-23T08:29:00+01:00'))).toEqual([]);
    expect(dueReminders(visits, at('2026-11-23T08:45:00+01:00')).map((r) => r.visit_id)).toEqual(['v1']);
    expect(dueReminders(visits, at('2026-11-23T09:00:00+01:00'))).toEqual([]);
    expect(dueReminders([visit('s', '2026-11-23T09:00:00+01:00', { local_started_at: 'x' })],
      at('2026-11-23T08:45:00+01:00'))).toEqual([]);
  });

  it('show what the server push shows: time, place type, initials, the same tag', () => {
    expect(visitMessage(visit('v1', '2026-11-23T09:05:00+01:00'), 'Europe/Stockholm', at('2026-11-23T08:35:00+01:00'))).toEqual({
      title: 'Besök 09:05', body: 'Hemma · A.B.', tag: 'visit:v1', visit_id: 'v1',
    });
    expect(visitMessage(visit('v1', '2026-07-01T14:00:00+02:00', { place: 'Storgatan 5' })).body).toBe('A.B.');
    expect(initials('Bo-Erik Ek')).toBe('B.E.');
  });

  it('say the day as the server does when the visit is not today', () => {
    const zone = 'Europe/Stockholm';
    const monday = visit('v', '2026-11-23T06:50:00+01:00');
    expect(visitMessage(monday, zone, at('2026-11-22T22:00:00+01:00')).title).toBe('Besök i morgon 06:50');
    expect(visitMessage(monday, zone, at('2026-11-21T10:00:00+01:00')).title).toBe('Besök mån 23/11 06:50');
    expect(visitMessage(visit('v', '2026-12-01T10:00:00+01:00'), zone, at('2026-11-23T10:00:00+01:00')).title).toBe('Besök tis 1/12 10:00');
    expect(dueReminders([monday], at('2026-11-22T22:00:00+01:00'))[0].title).toBe('Besök i morgon 06:50');
  });

  it('never show a protected identity, not even initials', () => {
    const hidden = visit('p', '2026-11-23T09:00:00+01:00', {
      place: 'Storgatan 5', client: { id: 'c', name: 'Hemlig Person', protected_identity: true },
    });
    expect(visitMessage(hidden, 'Europe/Stockholm', at('2026-11-23T08:30:00+01:00'))).toMatchObject({ title: 'Besök 09:00', body: '' });
  });
});

describe("the phone's own reminders of a client's appointments", () => {
  const appointment = (id, startsAt, extra = {}) => ({
    id, status: 'planned', starts_at: startsAt, kind: 'psychiatry', with: 'Psykiatrin Södermalm', place: 'Ringvägen 52',
    accompany: true, client: { id: 'c', name: 'Kent Abdi', protected_identity: false }, ...extra,
  });

  it('ring 30 minutes before a planned one with its kind and initials, never whom it is with nor where, and open its day', () => {
    const due = dueReminders([], at('2026-11-23T09:40:00+01:00'), DEFAULT_PREFERENCES, [appointment('a', '2026-11-23T10:00:00+01:00')]);
    expect(due.map(({ kind, title, body, tag, url }) => ({ kind, title, body, tag, url }))).toEqual([
      { kind: 'before', title: 'Psykiatri 10:00', body: 'K.A.', tag: 'appointment:a', url: '/#/today/2026-11-23' },
    ]);
    expect(JSON.stringify(due)).not.toMatch(/Psykiatrin Södermalm|Ringvägen|Kent/);
  });

  it('not yet before their time, never for a cancelled one or one that has its outcome, and not once it has begun', () => {
    const ten = '2026-11-23T10:00:00+01:00';
    const list = [appointment('planned', ten), appointment('c', ten, { status: 'cancelled' }), appointment('m', ten, { status: 'missed' })];
    expect(dueReminders([], at('2026-11-23T09:29:00+01:00'), DEFAULT_PREFERENCES, list)).toEqual([]);
    expect(dueReminders([], at('2026-11-23T09:31:00+01:00'), DEFAULT_PREFERENCES, list).map((r) => r.tag)).toEqual(['appointment:planned']);
    expect(dueReminders([], at('2026-11-23T10:00:01+01:00'), DEFAULT_PREFERENCES, list)).toEqual([]);
  });

  it('of a moved one, at the new time only', () => {
    const moved = [appointment('a', '2026-11-23T14:00:00+01:00')];
    expect(dueReminders([], at('2026-11-23T09:40:00+01:00'), DEFAULT_PREFERENCES, moved)).toEqual([]);
    expect(appointmentReminders(moved, at('2026-11-23T09:40:00+01:00')).map((r) => r.at)).toEqual([at('2026-11-23T13:30:00+01:00')]);
  });

  it('when the worker does not go along: "Ring och påminn brukaren" at the start of working hours the day before too', () => {
    const alone = [appointment('a', '2026-11-24T10:00:00+01:00', { kind: 'enforcement', accompany: false })];
    const [morning] = dueReminders([], at('2026-11-23T07:05:00+01:00'), DEFAULT_PREFERENCES, alone);
    expect(morning).toMatchObject({ kind: 'day_before', title: 'Kronofogden i morgon 10:00', body: 'Ring och påminn brukaren · K.A.' });
    expect(appointmentReminders(alone, at('2026-11-23T06:00:00+01:00')).map((r) => r.kind)).toEqual(['day_before', 'before']);
  });

  it('share the day with visits, one notification per event, in time order', () => {
    const now = at('2026-11-23T09:45:00+01:00');
    const due = dueReminders([visit('v', '2026-11-23T10:05:00+01:00')], now, DEFAULT_PREFERENCES, [appointment('a', '2026-11-23T10:00:00+01:00')]);
    expect(due.map((r) => r.tag)).toEqual(['appointment:a', 'visit:v']);
  });
});

describe('personal reminders on the lock screen', () => {
  const reminder = (id, remindAt, extra = {}) => ({
    id, status: 'open', remind_at: remindAt, text: 'Ring Anna Berg om hyran',
    client: { id: 'c', name: 'Anna Maria Berg', protected_identity: false }, ...extra,
  });

  it('show the time and the client\'s initials as the server does, never the text', () => {
    const message = reminderMessage(reminder('r1', '2026-11-23T09:05:00+01:00'));
    expect(message).toEqual({ title: 'Påminnelse 09:05', body: 'A.B.', tag: 'reminder:r1', reminder_id: 'r1' });
    expect(JSON.stringify(message)).not.toContain('Ring');
    expect(reminderMessage(reminder('r2', '2026-07-01T14:00:00+02:00', { client: null })).body).toBe('');
    expect(reminderMessage(reminder('r3', '2026-11-23T09:00:00+01:00', {
      client: { id: 'h', name: 'Hemlig Person', protected_identity: true } })).body).toBe('');
  });

  it('are due at their time exactly and shown until an hour after, while open', () => {
    const list = [reminder('r1', '2026-11-23T09:00:00+01:00'), reminder('done', '2026-11-23T09:00:00+01:00', { status: 'done' })];
    expect(dueSelfReminders(list, at('2026-11-23T08:59:59+01:00'))).toEqual([]);
    expect(dueSelfReminders(list, at('2026-11-23T09:00:00+01:00')).map((r) => r.tag)).toEqual(['reminder:r1']);
    expect(dueSelfReminders(list, at('2026-11-23T09:59:00+01:00'))).toHaveLength(1);
    expect(dueSelfReminders(list, at('2026-11-23T10:00:00+01:00'))).toEqual([]);
  });

  it('are closed once done or snoozed to a later time', () => {
    const now = at('2026-11-23T09:10:00+01:00');
    expect(reminderOutdated(reminder('r', '2026-11-23T09:00:00+01:00'), now)).toBe(false);
    expect(reminderOutdated(reminder('r', '2026-11-23T09:00:00+01:00', { status: 'done' }), now)).toBe(true);
    expect(reminderOutdated(reminder('r', '2026-11-23T09:25:00+01:00'), now)).toBe(true);
    expect(reminderOutdated(undefined, now)).toBe(false);
  });
});

describe('the service worker', () => {
  it('rings again when a later reminder replaces one of the same visit, not when the same one meets itself', () => {
    const now = at('2026-11-24T09:30:00+01:00');
    expect(shouldRenotify([], now)).toBe(false); // nothing replaced: a new notification rings anyway
    expect(shouldRenotify([{ timestamp: at('2026-11-23T10:00:00+01:00') }], now)).toBe(true); // the day before
    expect(shouldRenotify([{ timestamp: now - 30_000 }], now)).toBe(false); // the phone's own, just shown
    expect(shouldRenotify([{}], now)).toBe(false); // no time known: treated as the same
  });

  it('opens the visit a tapped reminder is about', () => {
    expect(hashFor({ visit_id: 'a1b2' })).toBe('#/visit/a1b2');
    expect(hashFor({ visit_id: 'a b', url: '/#/today' })).toBe('#/visit/a%20b');
  });

  it('opens the hash route the payload names, else Idag', () => {
    expect(hashFor({ url: '/#/today' })).toBe('#/today');
    expect(hashFor({ url: 'https://evil.example/#/x' })).toBe('#/today');
    expect(hashFor(null)).toBe('#/today');
    expect(hashFor({})).toBe('#/today');
  });

  it('shows the payload as the notification, keeping what routing needs', () => {
    const [title, options] = notificationFor(
      { title: 'Besök 09:00', body: 'Hemma', tag: 'visit:v', visit_id: 'v', url: '/#/visit/v' }, 'Fältstöd');
    expect(title).toBe('Besök 09:00');
    expect(options).toMatchObject({ body: 'Hemma', tag: 'visit:v', data: { visit_id: 'v', url: '/#/visit/v' } });
    expect(hashFor(options.data)).toBe('#/visit/v');
    expect(notificationFor({}, 'Fältstöd')[0]).toBe('Fältstöd');
  });

  it('opens Idag for a personal reminder, pushed or the phone\'s own', () => {
    const [, options] = notificationFor(
      { title: 'Påminnelse 09:00', body: '', tag: 'reminder:r', reminder_id: 'r', url: '/#/today' }, 'Fältstöd');
    expect(options.data).toEqual({ visit_id: null, url: '/#/today', reminder_id: 'r' });
    expect(hashFor(options.data)).toBe('#/today');
    expect(hashFor({ reminder_id: 'r' })).toBe('#/today');
  });
});

// The phone's own reminders (pure parts) and the service worker's notification routing.
import { describe, expect, it } from 'vitest';
import { hashFor, notificationFor } from '../src/notify.js';
import { dueReminders, initials, visitMessage, visitReminders } from '../src/ui/reminders.js';

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
    expect(visitReminders(visits, at('2026-11-23T07:00:00+01:00'), 60)[0].at).toBe(at('2026-11-23T08:00:00+01:00'));
  });

  it('are due from their time until the visit starts, not after', () => {
    expect(dueReminders(visits, at('2026-11-23T08:29:00+01:00'))).toEqual([]);
    expect(dueReminders(visits, at('2026-11-23T08:45:00+01:00')).map((r) => r.visit_id)).toEqual(['v1']);
    expect(dueReminders(visits, at('2026-11-23T09:00:00+01:00'))).toEqual([]);
    expect(dueReminders([visit('s', '2026-11-23T09:00:00+01:00', { local_started_at: 'x' })],
      at('2026-11-23T08:45:00+01:00'))).toEqual([]);
  });

  it('show what the server push shows: time, place type, initials, the same tag', () => {
    expect(visitMessage(visit('v1', '2026-11-23T09:05:00+01:00'))).toEqual({
      title: 'Besök 09:05', body: 'Hemma · A.B.', tag: 'visit:v1', visit_id: 'v1',
    });
    expect(visitMessage(visit('v1', '2026-07-01T14:00:00+02:00', { place: 'Storgatan 5' })).body).toBe('A.B.');
    expect(initials('Bo-Erik Ek')).toBe('B.E.');
  });

  it('never show a protected identity, not even initials', () => {
    const hidden = visit('p', '2026-11-23T09:00:00+01:00', {
      place: 'Storgatan 5', client: { id: 'c', name: 'Hemlig Person', protected_identity: true },
    });
    expect(visitMessage(hidden)).toMatchObject({ title: 'Besök 09:00', body: '' });
  });
});

describe('the service worker', () => {
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
});

// The phone's own reminders while the app is open (for a phone without push, and as a
// backstop): a local notification per planned visit of today or tomorrow (a visit just after
// midnight is reminded before it), LEAD_MINUTES before it, with the
// same tag, title and body as the server's push (server/reminders/sources.py), so a push and
// a local one replace each other instead of ringing twice. The lock screen shows the time,
// the place type and the client's initials at most, and no initials for a protected identity.
import { liveQuery } from 'dexie';
import { visitsBetween } from '../data/queries.js';
import { addDays, formatTime, today } from './time.js';

export const LEAD_MINUTES = 30;

/** The visits a reminder may be due for now: today's and tomorrow's. */
export const upcomingVisits = () => visitsBetween(today(), addDays(today(), 1));
const CHECK_MS = 30_000;

// As the server's PLACE_TYPES: a place typed on the phone shows only as its kind.
const PLACE_TYPES = {
  hemma: 'Hemma', 'tvättstugan': 'Tvättstugan', 'mataffären': 'Mataffären', apoteket: 'Apoteket',
  'vårdcentralen': 'Vårdcentralen', dagverksamheten: 'Dagverksamheten', 'kafé': 'Kafé',
  socialkontoret: 'Socialkontoret', 'psykiatrisk mottagning': 'Mottagning',
  beroendemottagningen: 'Mottagning', 'försäkringskassans servicekontor': 'Myndighet',
  'utanför tunnelbanan': 'Ute',
};

/** "Anna Berg" → "A.B." (first and last name only), as the server does. */
export function initials(name) {
  const words = String(name || '').replace(/-/g, ' ').split(/\s+/).filter((w) => /^\p{L}/u.test(w));
  const picked = words.length <= 1 ? words : [words[0], words[words.length - 1]];
  return picked.map((w) => `${w[0].toUpperCase()}.`).join('');
}

/** What the notification for a visit shows: {title, body, tag, visit_id}. */
export function visitMessage(visit) {
  const client = visit.client || {};
  const details = [
    PLACE_TYPES[String(visit.place || '').trim().toLowerCase()] || '',
    client.protected_identity ? '' : initials(client.name),
  ];
  return {
    title: `Besök ${formatTime(visit.starts_at)}`,
    body: details.filter(Boolean).join(' · '),
    tag: `visit:${visit.id}`,
    visit_id: visit.id,
  };
}

/**
 * Pure: the reminders for these visits, [{at (ms), startsAt (ms), ...visitMessage}] in time
 * order, for planned visits that have not begun at `now` (a reminder whose time has passed
 * is still due until the visit starts).
 */
export function visitReminders(visits, now = Date.now(), leadMinutes = LEAD_MINUTES) {
  return visits
    .filter((v) => v.status === 'planned' && v.starts_at && !v.local_started_at)
    .map((v) => {
      const startsAt = new Date(v.starts_at).getTime();
      return { at: startsAt - leadMinutes * 60_000, startsAt, ...visitMessage(v) };
    })
    .filter((r) => r.startsAt > now)
    .sort((a, b) => a.at - b.at);
}

/** Pure: the reminders due at `now` (their time has come, the visit has not started). */
export const dueReminders = (visits, now = Date.now(), leadMinutes = LEAD_MINUTES) =>
  visitReminders(visits, now, leadMinutes).filter((r) => r.at <= now);

async function showDue(shown, visits) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const registration = await navigator.serviceWorker?.getRegistration?.();
  if (!registration) return;
  // A visit cancelled or done since: its reminder (local or pushed) is no longer true.
  for (const visit of visits.filter((v) => v.status !== 'planned')) {
    for (const old of await registration.getNotifications({ tag: `visit:${visit.id}` })) old.close();
  }
  for (const reminder of dueReminders(visits)) {
    if (shown.has(reminder.tag)) continue;
    shown.add(reminder.tag);
    // A push for this visit is already on the screen: the same tag would only replace it.
    const already = await registration.getNotifications({ tag: reminder.tag });
    if (already.length) continue;
    await registration.showNotification(reminder.title, {
      body: reminder.body,
      tag: reminder.tag,
      lang: 'sv',
      icon: '/icons/icon-192.png',
      badge: '/icons/maskable-192.png',
      data: { visit_id: reminder.visit_id },
    });
  }
}

/** Check whenever today's visits change (a plan, a sync) and every half minute while the
 * app is open; returns the stop function. */
export function startLocalReminders() {
  const shown = new Set();
  const tick = (visits) =>
    (visits ? Promise.resolve(visits) : upcomingVisits())
      .then((current) => showDue(shown, current))
      .catch((error) => console.error(error));
  const watching = liveQuery(() => upcomingVisits()).subscribe({ next: tick, error: (e) => console.error(e) });
  const timer = setInterval(() => tick(), CHECK_MS);
  return () => {
    clearInterval(timer);
    watching.unsubscribe();
  };
}

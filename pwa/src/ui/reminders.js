// The phone's own reminders while the app is open (for a phone without push, and as a
// backstop), due when the server's push would be (the same rules and the worker's settings,
// data/reminder-rules.js) and with the same tag, title and body as the push (worded from the
// contract's lock_screen templates; contract/vectors/lock-screen.json pins both sides), so a
// push and a local one replace each other instead of ringing twice:
// - a planned visit: `visit:<id>`, "Besök HH:MM", place type and client initials at most;
//   the short reminder (minutes_before) and, if chosen, the one the day before;
// - a client's planned appointment: `appointment:<id>`, "Psykiatri HH:MM", "Ring och påminn
//   brukaren" when the worker does not go along, the client's initials at most (never whom
//   it is with nor where); the short reminder and the day-before one (always, at the start
//   of working hours, when the worker is to remind the client); it opens the day's Idag;
// - a personal reminder: `reminder:<id>`, "Påminnelse HH:MM", the client's initials or
//   nothing, at its time exactly and up to an hour after (personal_useful_for_minutes);
//   its text stays in the app. Done or snoozed, its notification is closed.
// Never a name on the lock screen, and no initials for a client with protected identity.
import { LOCK_SCREEN, PERSONAL_USEFUL_FOR_MS, PLACE_TYPES } from '../data/contract.js';
import { liveQuery } from '../data/db.js';
import { appointmentsBetween } from '../data/casework-queries.js';
import { remindersBetween, remindersByIds, visitsBetween } from '../data/queries.js';
import { BEFORE, DAY_BEFORE, DEFAULT_PREFERENCES, reminderTimes, wallClock } from '../data/reminder-rules.js';
import { SAME_REMINDER_SLACK_MS, shouldRenotify } from '../notify.js';
import { cachedPreferences } from '../sync/preferences.js';
import { href } from './routes.js';
import { addDays, today } from './time.js';

/** The visits a reminder may be due for now: today's and tomorrow's (a day-before reminder
 * or a visit just after midnight). */
export const upcomingVisits = () => visitsBetween(today(), addDays(today(), 1));

/** The clients' appointments a reminder may be due for now: today's and tomorrow's. */
const upcomingAppointments = () => appointmentsBetween(today(), addDays(today(), 1));

// How long after its time a personal reminder is still shown (the contract says).
export { PERSONAL_USEFUL_FOR_MS };
// How long after its time the open app still shows a day-before reminder itself.
export const DAY_BEFORE_SHOWN_FOR_MS = 15 * 60_000;
// How often the open app looks for what is due (a timer also fires at the next due time).
const CHECK_MS = 30_000;

const clocks = new Map();

/** "HH:MM" of an instant in the server's zone (the push's title uses it). */
function clockIn(iso, zone) {
  if (!clocks.has(zone)) {
    clocks.set(zone, new Intl.DateTimeFormat('sv-SE', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }));
  }
  return clocks.get(zone).format(new Date(iso));
}

/** A lock-screen template with its {placeholders} filled in. */
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => values[name]);

/** As the server's when_text: "10:00" today, "i morgon 10:00" tomorrow, else
 * "tis 1/12 10:00" (in the server's zone, today as of `now`). */
export function whenText(iso, zone, now = Date.now()) {
  const day = wallClock(Date.parse(iso), zone).date;
  const today = wallClock(now, zone).date;
  const clock = clockIn(iso, zone);
  if (day === today) return clock;
  if (day === addDays(today, 1)) return fill(LOCK_SCREEN.tomorrow, { clock });
  const [y, m, d] = day.split('-').map(Number);
  const weekday = LOCK_SCREEN.weekdays[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7];
  return fill(LOCK_SCREEN.other_day, { weekday, day: d, month: m, clock });
}

const zoneOf = (preferences) => preferences?.working_hours?.timezone || DEFAULT_PREFERENCES.working_hours.timezone;

/** "Anna Berg" → "A.B." (first and last name only), as the server does. */
export function initials(name) {
  const words = String(name || '').replace(/-/g, ' ').split(/\s+/).filter((w) => /^\p{L}/u.test(w));
  const picked = words.length <= 1 ? words : [words[0], words[words.length - 1]];
  return picked.map((w) => `${w[0].toUpperCase()}.`).join('');
}

const clientInitials = (client) => (!client || client.protected_identity ? '' : initials(client.name));

/** What the notification for a visit shows at `now`: {title, body, tag, visit_id}. */
export function visitMessage(visit, zone = zoneOf(null), now = Date.now()) {
  const details = [PLACE_TYPES[String(visit.place || '').trim().toLowerCase()] || '', clientInitials(visit.client)];
  return {
    title: fill(LOCK_SCREEN.visit_title, { when: whenText(visit.starts_at, zone, now) }),
    body: details.filter(Boolean).join(LOCK_SCREEN.separator),
    tag: `visit:${visit.id}`,
    visit_id: visit.id,
  };
}

/** What the notification for a client's appointment shows at `now`: {title, body, tag,
 * appointment_id, url}. The kind of appointment, never whom it is with nor where. */
export function appointmentMessage(appointment, zone = zoneOf(null), now = Date.now()) {
  const details = [appointment.accompany ? '' : LOCK_SCREEN.remind_client, clientInitials(appointment.client)];
  const title = fill(LOCK_SCREEN.appointment_title, {
    kind: LOCK_SCREEN.appointment_kinds[appointment.kind] ?? LOCK_SCREEN.appointment_kinds.other,
    when: whenText(appointment.starts_at, zone, now),
  });
  return {
    title,
    body: details.filter(Boolean).join(LOCK_SCREEN.separator),
    tag: `appointment:${appointment.id}`,
    appointment_id: appointment.id,
    url: `/${href.today(wallClock(Date.parse(appointment.starts_at), zone).date)}`,
  };
}

/** What the notification for a personal reminder shows: {title, body, tag, reminder_id}.
 * Never its text (the worker's own words may name people). */
export function reminderMessage(reminder, zone = zoneOf(null)) {
  return {
    title: fill(LOCK_SCREEN.reminder_title, { clock: clockIn(reminder.remind_at, zone) }),
    body: clientInitials(reminder.client),
    tag: `reminder:${reminder.id}`,
    reminder_id: reminder.id,
  };
}

/** Pure: the reminders of planned events that have not begun at `now`, [{kind, at (ms),
 * startsAt (ms), ...message}] in time order, by the server's rules and the worker's settings.
 * `event(x)` gives {startsAt (ms), message, remindClient} of each. */
function eventReminders(events, now, preferences, event) {
  return events
    .map(event)
    .filter(({ startsAt }) => startsAt > now)
    .flatMap(({ startsAt, message, remindClient }) =>
      Object.entries(reminderTimes(startsAt, preferences, { remindClient })).map(([kind, at]) => ({ kind, at, startsAt, ...message })),
    )
    .sort((a, b) => a.at - b.at);
}

/**
 * Pure: every reminder of these visits, [{kind, at (ms), startsAt (ms), ...visitMessage}]
 * in time order, for planned visits that have not begun at `now`, by the server's rules
 * and the worker's settings. The message is worded as of `now` (when it is shown), as the
 * server words a push as of when it sends it.
 */
export function visitReminders(visits, now = Date.now(), preferences = DEFAULT_PREFERENCES) {
  const zone = zoneOf(preferences);
  return eventReminders(visits.filter((v) => v.status === 'planned' && v.starts_at && !v.local_started_at), now, preferences, (v) => ({
    startsAt: Date.parse(v.starts_at), message: visitMessage(v, zone, now), remindClient: false,
  }));
}

/** Pure: every reminder of these appointments (planned, not begun at `now`), as
 * visitReminders gives a visit's; one the worker does not go along to is also reminded at
 * the start of the day before's working hours (to call the client). */
export function appointmentReminders(appointments, now = Date.now(), preferences = DEFAULT_PREFERENCES) {
  const zone = zoneOf(preferences);
  return eventReminders(appointments.filter((a) => a.status === 'planned' && a.starts_at), now, preferences, (a) => ({
    startsAt: Date.parse(a.starts_at), message: appointmentMessage(a, zone, now), remindClient: !a.accompany,
  }));
}

/** Pure: what a notification should show now, one per event: its latest reminder whose
 * time has come, while the event has not begun. The day-before one only within
 * DAY_BEFORE_SHOWN_FOR_MS of its time: opened hours later (the worker planned the visit
 * after that time, or saw the push and put it away), the app does not ring about tomorrow.
 * `appointments` (optional) are the clients' appointments, reminded likewise. */
export function dueReminders(visits, now = Date.now(), preferences = DEFAULT_PREFERENCES, appointments = []) {
  const latest = new Map();
  const all = [...visitReminders(visits, now, preferences), ...appointmentReminders(appointments, now, preferences)].sort((a, b) => a.at - b.at);
  for (const r of all) {
    if (r.at > now) continue;
    if (r.kind === DAY_BEFORE && now - r.at > DAY_BEFORE_SHOWN_FOR_MS) continue;
    latest.set(r.tag, r);
  }
  return [...latest.values()].sort((a, b) => a.at - b.at);
}

/** Pure: Idag's "Snart dags": the visits whose short reminder has come and that have not
 * begun, in time order. */
export const dueSoon = (visits, now = Date.now(), preferences = DEFAULT_PREFERENCES) =>
  visitReminders(visits, now, preferences).filter((r) => r.kind === BEFORE && r.at <= now);

/** Pure: the personal reminders due now (open, from their time until an hour after), each
 * {at, ...reminderMessage}, in time order. */
export function dueSelfReminders(reminders, now = Date.now(), preferences = DEFAULT_PREFERENCES) {
  return reminders
    .filter((r) => r.status === 'open' && r.remind_at)
    .map((r) => ({ at: Date.parse(r.remind_at), ...reminderMessage(r, zoneOf(preferences)) }))
    .filter((r) => r.at <= now && now < r.at + PERSONAL_USEFUL_FOR_MS)
    .sort((a, b) => a.at - b.at);
}

/** Pure: whether the notification of a personal reminder is no longer true (done, or moved
 * to a later time). A reminder the phone does not hold is left alone. */
export const reminderOutdated = (reminder, now = Date.now()) =>
  Boolean(reminder) && (reminder.status !== 'open' || Date.parse(reminder.remind_at) > now);

/** The next time something becomes due (ms), or null: when to look again. */
function nextDue({ visits, appointments, reminders, preferences }, now) {
  const times = [
    ...visitReminders(visits, now, preferences).map((r) => r.at),
    ...appointmentReminders(appointments, now, preferences).map((r) => r.at),
    ...reminders.filter((r) => r.status === 'open').map((r) => Date.parse(r.remind_at)),
  ].filter((at) => at > now);
  return times.length ? Math.min(...times) : null;
}

/** What the reminders watch: the visits and the clients' appointments of today and
 * tomorrow, the personal reminders of yesterday to tomorrow, and the settings. */
export async function watched() {
  const [visits, appointments, reminders, preferences] = await Promise.all([
    upcomingVisits(),
    upcomingAppointments(),
    remindersBetween(addDays(today(), -1), addDays(today(), 1)),
    cachedPreferences(),
  ]);
  return { visits, appointments, reminders, preferences };
}

async function closeOutdated(registration, { visits, appointments, reminders }, now) {
  // A visit or an appointment cancelled or over since: its reminder (local or pushed) is
  // no longer true.
  const ended = [
    ...visits.filter((v) => v.status !== 'planned').map((v) => `visit:${v.id}`),
    ...appointments.filter((a) => a.status !== 'planned').map((a) => `appointment:${a.id}`),
  ];
  for (const tag of ended) {
    for (const old of await registration.getNotifications({ tag })) old.close();
  }
  const shown = (await registration.getNotifications()).filter((n) => String(n.tag).startsWith('reminder:'));
  if (!shown.length) return;
  const byId = new Map(reminders.map((r) => [r.id, r]));
  const missing = shown.map((n) => n.tag.slice('reminder:'.length)).filter((id) => !byId.has(id));
  for (const r of missing.length ? await remindersByIds(missing) : []) byId.set(r.id, r);
  for (const n of shown) if (reminderOutdated(byId.get(n.tag.slice('reminder:'.length)), now)) n.close();
}

async function showDue(shown, current, now = Date.now()) {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const registration = await navigator.serviceWorker?.getRegistration?.();
  if (!registration) return;
  await closeOutdated(registration, current, now);
  const due = [
    ...dueReminders(current.visits, now, current.preferences, current.appointments).map((r) => [
      r,
      r.visit_id ? { visit_id: r.visit_id } : { appointment_id: r.appointment_id, url: r.url },
    ]),
    ...dueSelfReminders(current.reminders, now, current.preferences).map((r) => [r, { reminder_id: r.reminder_id }]),
  ];
  for (const [reminder, data] of due) {
    const key = `${reminder.tag}@${reminder.at}`;
    if (shown.has(key)) continue;
    shown.add(key);
    // The push for this reminder came already: the same tag would only replace it. (One
    // shown before this reminder's time, e.g. yesterday's, is replaced, as a push would.)
    // A notification with this tag shown at most SAME_REMINDER_SLACK_MS before this
    // reminder's time is this reminder (a push whose clock ran a little ahead).
    const already = await registration.getNotifications({ tag: reminder.tag });
    if (already.some((n) => !n.timestamp || n.timestamp >= reminder.at - SAME_REMINDER_SLACK_MS)) continue;
    await registration.showNotification(reminder.title, {
      body: reminder.body,
      tag: reminder.tag,
      renotify: shouldRenotify(already, now),
      lang: 'sv',
      icon: '/icons/icon-192.png',
      badge: '/icons/maskable-192.png',
      data,
    });
  }
}

/** Check whenever what is watched changes (a plan, a sync, a setting), every half minute
 * while the app is open, and at the next due time; returns the stop function. */
export function startLocalReminders() {
  const shown = new Set();
  let soon = null;
  const tick = (current) =>
    (current ? Promise.resolve(current) : watched())
      .then(async (state) => {
        await showDue(shown, state);
        const next = nextDue(state, Date.now());
        clearTimeout(soon);
        if (next !== null && next - Date.now() < CHECK_MS) soon = setTimeout(() => tick(), next - Date.now() + 50);
      })
      .catch((error) => console.error(error));
  const watching = liveQuery(() => watched()).subscribe({ next: tick, error: (e) => console.error(e) });
  const timer = setInterval(() => tick(), CHECK_MS);
  return () => {
    clearInterval(timer);
    clearTimeout(soon);
    watching.unsubscribe();
  };
}

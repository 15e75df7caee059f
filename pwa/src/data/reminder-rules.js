/**
 * When a visit's reminders are due: the server's rules (server/reminders/rules.py) ported
 * line for line, so the phone's own reminders and the "due soon" list say what the push
 * says, also offline (contract/vectors/reminder-times.json pins both). Pure functions: every instant is passed in (milliseconds), the
 * worker's settings and working hours come from the server's answer (sync/preferences.js).
 *
 * - `before`: a reminder `minutes_before` the event;
 * - `day_before`: optionally, one the day before at the event's wall-clock time;
 * - a client's appointment the worker does not go along to (`remindClient`): the worker is
 *   to remind the client, so its day-before reminder is at the start of the day before's
 *   working hours, whatever `day_before` says;
 * - no reminder at night: one due outside working hours goes out at the start of working
 *   hours when that is still before the event, else at the end of the previous working day;
 *   a day-before reminder that would not come before the short one is dropped.
 *
 * Events are instants, so "30 minutes before" is 30 real minutes, also across a clock
 * change. Wall-clock times (working hours, the day before) are read in the server's zone
 * with Intl, as Python's zoneinfo reads them with fold=0: a time that does not exist (02:30
 * on the spring-forward night) takes the offset before the change (it lands at 03:30), an
 * ambiguous one (02:30 on the fall-back night) is its first occurrence.
 */
import { DEFAULT_PREFERENCES } from './contract.js';

// What the server answers before a worker has chosen anything (the contract's defaults).
export { DEFAULT_PREFERENCES };

export const BEFORE = 'before';
export const DAY_BEFORE = 'day_before';

const DAY_MS = 24 * 3600_000;
const formatters = new Map();

function formatterFor(zone) {
  if (!formatters.has(zone)) {
    formatters.set(zone, new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    }));
  }
  return formatters.get(zone);
}

/** The wall clock of an instant in `zone`: {date: 'YYYY-MM-DD', seconds (of the day)}. */
export function wallClock(ms, zone) {
  const p = {};
  for (const { type, value } of formatterFor(zone).formatToParts(new Date(ms))) p[type] = value;
  return { date: `${p.year}-${p.month}-${p.day}`, seconds: +p.hour * 3600 + +p.minute * 60 + +p.second };
}

/** Milliseconds `zone` is ahead of UTC at an instant. */
function offsetAt(ms, zone) {
  const whole = Math.floor(ms / 1000) * 1000;
  const { date, seconds } = wallClock(whole, zone);
  return dateMs(date) + seconds * 1000 - whole;
}

/** Midnight UTC of a 'YYYY-MM-DD' (the arithmetic base of wall-clock times). */
function dateMs(dateText) {
  const [y, m, d] = dateText.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function addDays(dateText, days) {
  return new Date(dateMs(dateText) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Seconds of the day of "HH:MM" (or "HH:MM:SS"). */
export function clockSeconds(text) {
  const [h, m, s = 0] = String(text).split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

/**
 * The instant (ms) of a wall-clock time on a local day in `zone`, read as zoneinfo reads
 * it with fold=0 (see the module comment). Assumes at most one offset change within a day
 * either side, which holds for every real zone.
 */
export function wallClockInstant(dateText, seconds, zone) {
  const wall = dateMs(dateText) + seconds * 1000;
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  if (before === after) return wall - before;
  const early = wall - before; // read with the offset before the change
  const late = wall - after;
  // Only the offset after the change gives back this wall-clock time: it is after the
  // change. Otherwise (before the change, ambiguous, or in the gap) the earlier offset.
  if (offsetAt(late, zone) === after && offsetAt(early, zone) !== before) return late;
  return early;
}

/** Working hours from the server's `{start, end, timezone}` ("HH:MM", IANA zone). */
export function workingHours({ start, end, timezone } = DEFAULT_PREFERENCES.working_hours) {
  const hours = { start: clockSeconds(start), end: clockSeconds(end), zone: timezone };
  if (!(hours.start < hours.end)) throw new RangeError('working hours must start before they end');
  return hours;
}

/** Whether an instant is inside working hours (both ends included). */
export function contains(ms, hours) {
  const { date } = wallClock(ms, hours.zone);
  return wallClockInstant(date, hours.start, hours.zone) <= ms && ms <= wallClockInstant(date, hours.end, hours.zone);
}

/** Move a wanted reminder time out of the night: to the start of the next working hours if
 * that is still before the event, else to the end of the last working hours before it. */
export function withinWorkingHours(wanted, eventAt, hours) {
  if (contains(wanted, hours)) return wanted;
  const day = wallClock(wanted, hours.zone).date;
  const startToday = wallClockInstant(day, hours.start, hours.zone);
  let nextStart;
  let lastEnd;
  if (wanted < startToday) {
    // early morning
    nextStart = startToday;
    lastEnd = wallClockInstant(addDays(day, -1), hours.end, hours.zone);
  } else {
    // late evening
    nextStart = wallClockInstant(addDays(day, 1), hours.start, hours.zone);
    lastEnd = wallClockInstant(day, hours.end, hours.zone);
  }
  return nextStart < eventAt ? nextStart : lastEnd;
}

/**
 * The due time (ms) of each reminder of an event, by kind: {before, day_before?}. Always
 * before the event. `preferences` is the server's answer (DEFAULT_PREFERENCES's shape);
 * `remindClient`: an appointment the worker does not go along to (see above).
 */
export function reminderTimes(eventAt, preferences = DEFAULT_PREFERENCES, { remindClient = false } = {}) {
  const event = typeof eventAt === 'number' ? eventAt : Date.parse(eventAt);
  if (Number.isNaN(event)) throw new RangeError('eventAt must be an instant');
  const hours = workingHours(preferences.working_hours ?? DEFAULT_PREFERENCES.working_hours);
  const lead = (preferences.minutes_before ?? DEFAULT_PREFERENCES.minutes_before) * 60_000;
  const due = { [BEFORE]: withinWorkingHours(event - lead, event, hours) };
  if (preferences.day_before || remindClient) {
    const local = wallClock(event, hours.zone);
    const wanted = wallClockInstant(addDays(local.date, -1), remindClient ? hours.start : local.seconds, hours.zone);
    const dayBefore = withinWorkingHours(wanted, event, hours);
    // A day-before reminder that would come after (or with) the short one adds nothing.
    if (dayBefore < due[BEFORE]) due[DAY_BEFORE] = dayBefore;
  }
  return due;
}

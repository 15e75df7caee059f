/**
 * Times on the phone. Instants travel as ISO 8601 with the device's offset (the server keeps
 * the writer's offset); calendar questions ("today", "this month") are asked in the
 * service's zone, whatever zone the phone is set to.
 */

import { USERS_ZONE } from './contract.js';

export const TIME_ZONE = USERS_ZONE;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const stockholmDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** 'YYYY-MM-DD' in Europe/Stockholm of an instant (ISO text or Date); a date is kept as is. */
export function localDate(instant) {
  if (typeof instant === 'string' && DATE_ONLY.test(instant)) return instant;
  const parts = Object.fromEntries(
    stockholmDate.formatToParts(new Date(instant)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** 'YYYY-MM' in Europe/Stockholm. */
export function localMonth(instant) {
  return localDate(instant).slice(0, 7);
}

/** ISO 8601 of `date` with the device's UTC offset, to the second: 2026-11-23T10:02:00+01:00. */
export function isoWithOffset(date = new Date()) {
  const offset = -date.getTimezoneOffset();
  const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

/** Whole minutes from one instant to another, as the server counts a visit's minutes when
 * none are given: half a minute rounds to the even minute (Python's round: 44.5 is 44, 45.5
 * is 46; contract/vectors/edits.json). */
export function minutesBetween(from, to) {
  const exact = (Date.parse(to) - Date.parse(from)) / 60_000;
  const nearest = Math.round(exact);
  return Math.abs(exact % 1) === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}

/** Milliseconds since the epoch of an ISO instant, for sorting (offsets differ). */
export function instantMs(iso) {
  return iso ? Date.parse(iso) : NaN;
}

// Times as the users live them: Europe/Stockholm, Swedish words, 24-hour clock.
// The data layer stores ISO 8601 strings with an offset; this module turns a wall-clock date
// and time typed on the phone into such a string (with the right summer or winter offset) and
// back. Pure functions over Intl, so they behave the same on every phone whatever its own zone.

import { TIME_ZONE } from '../data/time.js';

export const ZONE = TIME_ZONE;

const wallClock = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const clock = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' });
const dayLong = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long' });
const dayShort = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, weekday: 'short', day: 'numeric', month: 'short' });
const dateLong = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });
const monthName = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, month: 'long' });
const decimal = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 });

function parts(date) {
  const out = {};
  for (const { type, value } of wallClock.formatToParts(date)) out[type] = value;
  return out;
}

/** Minutes Stockholm is ahead of UTC at this instant (60 in winter, 120 in summer). */
export function offsetMinutes(date) {
  const p = parts(date);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

/** An instant as Stockholm wall-clock time with its offset: 2026-11-23T10:02:00+01:00. */
export function toZonedISO(date) {
  const p = parts(date);
  const offset = offsetMinutes(date);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${sign}${hh}:${mm}`;
}

export const nowISO = () => toZonedISO(new Date());

/** A date (YYYY-MM-DD) and a time (HH:MM) on a Stockholm wall clock, as an ISO instant. */
export function fromLocal(dateText, timeText) {
  const [y, m, d] = dateText.split('-').map(Number);
  const [h, min] = timeText.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, h, min);
  let instant = wall - offsetMinutes(new Date(wall)) * 60000;
  const corrected = wall - offsetMinutes(new Date(instant)) * 60000;
  if (corrected !== instant) instant = corrected; // the guess crossed a DST change
  return toZonedISO(new Date(instant));
}

/** An ISO instant as {date: 'YYYY-MM-DD', time: 'HH:MM'} on the Stockholm wall clock. */
export function toLocal(iso) {
  const p = parts(new Date(iso));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** Today's date in Stockholm, YYYY-MM-DD. */
export const today = (now = new Date()) => toLocal(now.toISOString()).date;

/** A date (YYYY-MM-DD) moved by whole days. */
export function addDays(dateText, days) {
  const [y, m, d] = dateText.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// A date alone is formatted at noon Stockholm time, safely inside that day.
const noonOf = (dateText) => new Date(fromLocal(dateText, '12:00'));

export const formatTime = (iso) => (iso ? clock.format(new Date(iso)) : '');
export const formatDay = (dateText) => dayLong.format(noonOf(dateText));
export const formatDayShort = (iso) => dayShort.format(new Date(iso));
export const formatDate = (dateOrIso) =>
  dateLong.format(/^\d{4}-\d{2}-\d{2}$/.test(dateOrIso) ? noonOf(dateOrIso) : new Date(dateOrIso));
export const formatMonth = (date = new Date()) => monthName.format(date);
export const formatNumber = (n) => decimal.format(n);

/** "09:30–10:30", or "09:30" when there is no end. */
export function formatSpan(startIso, endIso) {
  return endIso ? `${formatTime(startIso)}–${formatTime(endIso)}` : formatTime(startIso);
}

/** Whole minutes from one instant to another (never negative). */
export function minutesBetween(startIso, endIso) {
  return Math.max(0, Math.round((new Date(endIso) - new Date(startIso)) / 60000));
}

/** The sync time as the status bar shows it: "09:42" today, "22 nov 09:42" another day. */
export function formatWhen(iso, now = new Date()) {
  if (!iso) return '';
  const sameDay = toLocal(iso).date === today(now);
  return sameDay ? formatTime(iso) : `${formatDayShort(iso)} ${formatTime(iso)}`;
}

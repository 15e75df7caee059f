// The port of server/reminders/rules.py: the same due times as the server, DST nights included.
import { describe, expect, it } from 'vitest';
import {
  BEFORE, DAY_BEFORE, DEFAULT_PREFERENCES, contains, reminderTimes, wallClockInstant, workingHours,
} from '../src/data/reminder-rules.js';
import { fromLocal, toZonedISO } from '../src/ui/time.js';

const ZONE = 'Europe/Stockholm';
const prefs = ({ lead = 30, dayBefore = false, start = '07:00', end = '22:00' } = {}) => ({
  minutes_before: lead, day_before: dayBefore, morning_digest: false,
  working_hours: { start, end, timezone: ZONE },
});
/** An event given as a Stockholm wall-clock "YYYY-MM-DDTHH:MM", due times as ISO in Stockholm. */
function due(event, options) {
  const [date, time] = event.split('T');
  const times = reminderTimes(fromLocal(date, time), prefs(options));
  return Object.fromEntries(Object.entries(times).map(([kind, ms]) => [kind, toZonedISO(new Date(ms))]));
}

describe('a visit\'s reminder times', () => {
  it('come minutes_before the visit inside working hours', () => {
    expect(due('2026-11-23T10:00')).toEqual({ [BEFORE]: '2026-11-23T09:30:00+01:00' });
    expect(due('2026-11-23T10:00', { lead: 90 })).toEqual({ [BEFORE]: '2026-11-23T08:30:00+01:00' });
  });

  it.each(['2026-03-29', '2026-10-25'])('at 08:00 on the night the clocks change (%s) are at 07:30 local', (day) => {
    expect(due(`${day}T08:00`)[BEFORE]).toMatch(new RegExp(`^${day}T07:30:00`));
  });

  it('are 30 real minutes before, so a visit at 03:30 on the spring night is reminded the evening before', () => {
    expect(due('2026-03-29T03:30')).toEqual({ [BEFORE]: '2026-03-28T22:00:00+01:00' });
  });

  it('move an early reminder to the start of working hours while that is before the visit', () => {
    // The server's rule (rules.py, tests/server/test_reminder_rules.py): 06:40 is night, and
    // 07:00 still comes before a visit at 07:10.
    expect(due('2026-11-23T07:10')).toEqual({ [BEFORE]: '2026-11-23T07:00:00+01:00' });
  });

  it('move it to 22:00 the evening before when working hours start too late', () => {
    expect(due('2026-11-23T06:50')).toEqual({ [BEFORE]: '2026-11-22T22:00:00+01:00' });
    expect(due('2026-11-23T07:00')).toEqual({ [BEFORE]: '2026-11-22T22:00:00+01:00' });
  });

  it('move a late one to the end of working hours', () => {
    expect(due('2026-11-23T23:00')).toEqual({ [BEFORE]: '2026-11-23T22:00:00+01:00' });
  });

  it('add one the day before at the visit\'s wall-clock time, also across the fall-back night', () => {
    expect(due('2026-11-23T10:00', { dayBefore: true })).toEqual({
      [BEFORE]: '2026-11-23T09:30:00+01:00', [DAY_BEFORE]: '2026-11-22T10:00:00+01:00' });
    expect(due('2026-10-26T09:00', { dayBefore: true })[DAY_BEFORE]).toBe('2026-10-25T09:00:00+01:00');
    expect(due('2026-03-30T09:00', { dayBefore: true })[DAY_BEFORE]).toBe('2026-03-29T09:00:00+02:00');
  });

  it('drop the day-before one when it would not come before the short one', () => {
    // 06:30 Monday: the short one moves to 22:00 Sunday, the day-before one (06:30 Sunday) to
    // 07:00 Sunday, still first...
    expect(due('2026-11-23T06:30', { dayBefore: true })).toEqual({
      [BEFORE]: '2026-11-22T22:00:00+01:00', [DAY_BEFORE]: '2026-11-22T07:00:00+01:00' });
    // ...and a lead of a day or more would put the short one at or before the day-before one.
    expect(reminderTimes('2026-11-23T10:00:00+01:00', { ...prefs({ dayBefore: true }), minutes_before: 24 * 60 }))
      .toEqual({ [BEFORE]: Date.parse('2026-11-22T10:00:00+01:00') });
  });

  // Computed with server/reminders/rules.py (reminder_times, WorkingHours in Stockholm).
  it.each([
    ['2026-03-29T03:30', 30, true, '07:00', '22:00', '2026-03-28T22:00:00+01:00', '2026-03-28T07:00:00+01:00'],
    ['2026-03-30T02:30', 30, true, '02:00', '22:00', '2026-03-30T02:00:00+02:00', '2026-03-29T03:30:00+02:00'],
    ['2026-10-26T02:30', 60, true, '02:00', '23:00', '2026-10-26T02:00:00+01:00', '2026-10-25T02:30:00+02:00'],
    ['2026-11-23T06:50', 30, true, '07:00', '22:00', '2026-11-22T22:00:00+01:00', '2026-11-22T07:00:00+01:00'],
    ['2026-11-23T23:00', 240, true, '07:00', '22:00', '2026-11-23T19:00:00+01:00', '2026-11-23T07:00:00+01:00'],
    ['2026-06-15T12:00', 120, true, '09:30', '16:00', '2026-06-15T10:00:00+02:00', '2026-06-14T12:00:00+02:00'],
    ['2026-06-15T09:40', 15, true, '09:30', '16:00', '2026-06-15T09:30:00+02:00', '2026-06-14T09:40:00+02:00'],
    ['2026-12-31T23:59', 10, true, '00:00', '23:59', '2026-12-31T23:49:00+01:00', '2026-12-30T23:59:00+01:00'],
  ])('for %s (lead %i, day before %s, hours %s–%s) are the server\'s', (event, lead, dayBefore, start, end, before, dayBeforeAt) => {
    expect(due(event, { lead, dayBefore, start, end })).toEqual({ [BEFORE]: before, [DAY_BEFORE]: dayBeforeAt });
  });

  it('are always before the visit and inside working hours (a year of events)', () => {
    const hours = workingHours({ start: '07:00', end: '22:00', timezone: ZONE });
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 400; i += 1) {
      const event = Date.parse('2026-01-01T00:00:00Z') + Math.floor(random() * 365 * 24 * 60) * 60_000;
      const options = { ...DEFAULT_PREFERENCES, minutes_before: 5 + Math.floor(random() * 236), day_before: random() < 0.5 };
      const times = reminderTimes(event, options);
      for (const at of Object.values(times)) {
        expect(at).toBeLessThan(event);
        expect(contains(at, hours)).toBe(true);
      }
      if (times[DAY_BEFORE] !== undefined) expect(times[DAY_BEFORE]).toBeLessThan(times[BEFORE]);
    }
  });
});

describe('wall-clock times in the server\'s zone', () => {
  it('read a time that does not exist with the offset before the change (an hour later)', () => {
    expect(new Date(wallClockInstant('2026-03-29', 2.5 * 3600, ZONE)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('read an ambiguous time as its first occurrence (summer time)', () => {
    expect(new Date(wallClockInstant('2026-10-25', 2.5 * 3600, ZONE)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(wallClockInstant('2026-10-25', 3.5 * 3600, ZONE)).toISOString()).toBe('2026-10-25T02:30:00.000Z');
  });

  it('follow the zone the server names, not the phone\'s', () => {
    expect(new Date(wallClockInstant('2026-07-01', 9 * 3600, 'America/New_York')).toISOString()).toBe('2026-07-01T13:00:00.000Z');
    const helsinki = { ...DEFAULT_PREFERENCES, working_hours: { start: '07:00', end: '22:00', timezone: 'Europe/Helsinki' } };
    // 06:45 in Helsinki is 05:45 in Stockholm: the reminder (06:15 Helsinki) is night there.
    expect(reminderTimes('2026-11-23T06:45:00+02:00', helsinki)[BEFORE]).toBe(Date.parse('2026-11-22T22:00:00+02:00'));
  });

  it('refuse working hours that end before they start', () => {
    expect(() => workingHours({ start: '22:00', end: '07:00', timezone: ZONE })).toThrow(RangeError);
  });
});

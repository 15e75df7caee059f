/**
 * The worker's reminder settings (issue 4) and the server's working hours:
 *
 *   GET /api/reminders/preferences → {minutes_before, day_before, morning_digest,
 *                                     working_hours: {start, end, timezone}}
 *   PUT /api/reminders/preferences   {minutes_before (5..240), day_before, morning_digest}
 *                                   → the same shape; 422 (the error shape) on bad values
 *
 * The server's answer is kept in meta `reminder_preferences`, so the phone's own reminders
 * follow the server's rules offline too (data/reminder-rules.js). It is fetched after a
 * successful sync, at most every PREFERENCES_MAX_AGE_MS (so also by the first sync after a
 * login or an app start), and stored again from every successful save. Saving needs a
 * connection: it throws, and the form keeps its values.
 */
import { getMeta, setMeta } from '../data/db.js';
import { DEFAULT_PREFERENCES, workingHours } from '../data/reminder-rules.js';
import { api } from './api.js';

// A change made on another phone (or by the office) reaches this one within this time
// while the app is open; more often would add a request to every sync for nothing.
export const PREFERENCES_MAX_AGE_MS = 5 * 60_000;

const KEY = 'reminder_preferences';
const FETCHED_KEY = 'reminder_preferences_at';

/** The server's answer made whole, or null when it is not usable (e.g. not our server). */
export function usablePreferences(answer) {
  if (!answer || typeof answer !== 'object') return null;
  const merged = {
    ...DEFAULT_PREFERENCES,
    ...answer,
    working_hours: { ...DEFAULT_PREFERENCES.working_hours, ...(answer.working_hours || {}) },
  };
  if (!Number.isFinite(merged.minutes_before) || merged.minutes_before <= 0) return null;
  try {
    workingHours(merged.working_hours);
    new Intl.DateTimeFormat('en', { timeZone: merged.working_hours.timezone });
  } catch {
    return null;
  }
  return merged;
}

/** The settings the phone goes by: the server's last answer, else the server's defaults. */
export async function cachedPreferences() {
  return (await getMeta(KEY)) ?? DEFAULT_PREFERENCES;
}

async function store(answer, now) {
  const usable = usablePreferences(answer);
  if (!usable) return null;
  await setMeta(KEY, usable);
  await setMeta(FETCHED_KEY, now.toISOString());
  return usable;
}

/**
 * Fetch the settings when the cached ones are older than PREFERENCES_MAX_AGE_MS (or
 * `force`). Never throws: offline, or a server without the API, keeps what is cached.
 * @returns the settings now held
 */
export async function refreshPreferences({ now = new Date(), force = false } = {}) {
  const fetchedAt = await getMeta(FETCHED_KEY);
  if (!force && fetchedAt && now.getTime() - Date.parse(fetchedAt) < PREFERENCES_MAX_AGE_MS) {
    return cachedPreferences();
  }
  try {
    return (await store(await api.reminderPreferences(), now)) ?? cachedPreferences();
  } catch {
    return cachedPreferences();
  }
}

/**
 * Save the worker's choices at the server and cache its answer. Throws the api's
 * NetworkError (offline) or ApiError (422 with the server's message, …).
 * @returns the settings as the server now holds them
 */
export async function savePreferences({ minutes_before, day_before, morning_digest }, { now = new Date() } = {}) {
  const answer = await api.saveReminderPreferences({ minutes_before, day_before, morning_digest });
  return (await store(answer, now)) ?? cachedPreferences();
}

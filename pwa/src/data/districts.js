/**
 * The districts the instance knows, each with the number of its social services for a report
 * of concern (`GET /api/districts`; `faltstod district phone`). "Anmäl oro" names the
 * client's district's number at once for a concern about children: the law does not let the
 * report wait for a sync, so the phone keeps the last answer (meta `districts`) and reads it
 * offline. Fetched after every sync with the phone's settings (phone-settings.js); names no one.
 */
import { request } from '../sync/api.js';
import { getMeta, setMeta } from './db.js';

const KEY = 'districts';

/** The answer as the phone keeps it: each {name, concern_phone} with text where text belongs,
 * anything else left out (an answer garbled on the way keeps nothing false). Pure. */
export function believedDistricts(answer) {
  if (!Array.isArray(answer)) return null;
  return answer
    .filter((d) => typeof d?.name === 'string' && d.name)
    .map((d) => ({ name: d.name, concern_phone: typeof d.concern_phone === 'string' && d.concern_phone ? d.concern_phone : null }));
}

/** Ask the server and keep its answer when it changed. Never throws (offline, a server
 * without the route: the last answer stays). */
export async function fetchDistricts() {
  try {
    const answer = believedDistricts(await request('GET', '/api/districts'));
    if (answer && JSON.stringify(answer) !== JSON.stringify(await getMeta(KEY))) await setMeta(KEY, answer);
  } catch {
    // Kept as they were.
  }
}

/** The number for a report of concern in the district named `name`, or null (unknown, none
 * given, never fetched). */
export async function concernPhone(name) {
  if (!name) return null;
  return ((await getMeta(KEY)) ?? []).find((d) => d.name === name)?.concern_phone ?? null;
}

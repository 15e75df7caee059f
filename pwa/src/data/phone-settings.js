/**
 * The lock's settings as the city sets them (`GET /api/phone/settings`, server/settings.py's
 * FALTSTOD_PHONE_*; docs/phone-security.md): minutes without use before the app locks, days
 * offline before unlocking leads to an online login, the fewest digits of a PIN; and the months
 * between follow-ups of a goal (FALTSTOD_FOLLOWUP_MONTHS: data/followups.js).
 *
 * The phone fetches them after a login and after its syncs and keeps the last answer in meta
 * `phone_settings` (sealed like every meta value, though they name no one: they are only
 * read while the data key is in memory: at a login, at an unlock, while unlocked). Until
 * the first answer, and for a value the phone cannot believe, it uses the server's defaults.
 * `phoneSettings()` is what applies now; it is loaded at every unlock (`loadPhoneSettings`).
 */
import { request } from '../sync/api.js';
import { FOLLOWUP_RULE } from './contract.js';
import { getMeta, setMeta } from './db.js';
import { fetchDistricts } from './districts.js';

/** The server's defaults, and the bounds it validates at start (server/settings.py). */
export const DEFAULT_SETTINGS = { lock_minutes: 5, max_offline_days: 7, pin_min: 6, followup_months: FOLLOWUP_RULE.months };
export const BOUNDS = { lock_minutes: [1, 60], max_offline_days: [1, 30], pin_min: [6, 12], followup_months: [1, 36] };
const KEY = 'phone_settings';

let current = { ...DEFAULT_SETTINGS };

/** Each value of `answer` within its bounds, else the default: a server older than the
 * route, or an answer garbled on the way, never weakens the lock below what the phone
 * knows. Pure. */
export function believed(answer) {
  const out = {};
  for (const [name, [lowest, highest]] of Object.entries(BOUNDS)) {
    const value = answer?.[name];
    out[name] = Number.isInteger(value) && value >= lowest && value <= highest ? value : DEFAULT_SETTINGS[name];
  }
  return out;
}

/** The settings that apply now (the defaults before the first answer). */
export const phoneSettings = () => current;

/** Read the last answer kept on the phone (at an unlock, a login). Never throws. */
export async function loadPhoneSettings() {
  try {
    current = believed(await getMeta(KEY));
  } catch {
    current = { ...DEFAULT_SETTINGS };
  }
  return current;
}

const same = (a, b) => Object.keys(BOUNDS).every((name) => a?.[name] === b?.[name]);

/** Ask the server, keep and apply its answer. Never throws (offline, a server without the
 * route: the last known values stay); returns what applies. Written to the phone only when
 * it changed: asked after every sync, it rarely does, and a write at the moment a sync's
 * writes re-run the screens' queries is one more for IndexedDB to order. */
export async function fetchPhoneSettings() {
  try {
    const answer = believed(await request('GET', '/api/phone/settings'));
    if (!same(answer, await getMeta(KEY))) await setMeta(KEY, answer);
    current = answer;
  } catch {
    // Kept as they were.
  }
  return current;
}

/** Fetch after every successful sync the engine's status shows (`subscribe` is its status
 * subscription), with the districts' numbers for reports of concern (districts.js). Returns
 * the unsubscribe function. */
export function fetchAfterSyncs(subscribe) {
  let seen;
  return subscribe((status) => {
    if (!status?.lastSyncAt || status.error || status.inFlight || status.lastSyncAt === seen) return;
    seen = status.lastSyncAt;
    fetchPhoneSettings();
    fetchDistricts();
  });
}

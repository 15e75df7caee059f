/**
 * The phone's report on itself after its syncs (`POST /api/device/report`,
 * docs/phone-security.md): its storage (the records it holds, and what the browser counts
 * as the app's: `navigator.storage.estimate`) for its data budget and the supervisor's sync
 * dashboard, and the protected details it showed its worker (data/protected.js) for the
 * server's access log. The answer (the budget, whether the phone is over it) is kept in meta
 * `storage_report`, which the phone's notice reads (ui/parts/BudgetNotice.jsx).
 */
import { getMeta, records, setMeta } from '../data/db.js';
import { shownQueue, shownReported } from '../data/protected.js';
import { request } from './api.js';

// Storage changes slowly: a report at most this often, unless details were shown since
// (those go at the next sync, for the access log).
export const REPORT_INTERVAL_MS = 15 * 60_000;
const KEY = 'storage_report';

const count = (n) => (Number.isSafeInteger(n) && n >= 0 ? n : null);

async function estimate(env) {
  try {
    return (await env.navigator?.storage?.estimate?.()) ?? null;
  } catch {
    return null;
  }
}

/** Report when due. Never throws (offline, or a server without the route: next time);
 * returns what is kept in meta, or null. */
export async function reportDevice({ now = new Date(), env = globalThis } = {}) {
  try {
    const [last, shown] = await Promise.all([getMeta(KEY), shownQueue()]);
    if (!shown.length && last && now.getTime() - Date.parse(last.reported_at) < REPORT_INTERVAL_MS) return last;
    const browser = await estimate(env);
    const storage = { records: await records.count(), bytes_used: count(browser?.usage), bytes_quota: count(browser?.quota) };
    const answer = await request('POST', '/api/device/report', { body: { storage, shown } });
    if (shown.length) await shownReported(shown.length);
    const kept = { ...storage, budget: answer?.budget ?? null, over_budget: answer?.over_budget === true, reported_at: now.toISOString() };
    await setMeta(KEY, kept);
    return kept;
  } catch {
    return null;
  }
}

/** What the last report said (null before the first). */
export const lastReport = async () => (await getMeta(KEY)) ?? null;

/** Report after every successful sync the engine's status shows (`subscribe` is its
 * status subscription). Returns the unsubscribe function. */
export function reportAfterSyncs(subscribe) {
  let seen;
  return subscribe((status) => {
    if (!status?.lastSyncAt || status.error || status.inFlight || status.lastSyncAt === seen) return;
    seen = status.lastSyncAt;
    reportDevice();
  });
}

// The sync dashboard's alerts (supervision.md: stable codes) as a supervisor reads them:
// what is wrong, in Swedish with the worker's name and the figures ("Ring Anna: 3 ändringar
// har inte skickats på 26 timmar"), what to do, and since when, so that the newest problems
// come first. Pure.
import t from '../../strings/sv/dashboard.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const at = (iso) => (iso ? Date.parse(iso) : null);

export const firstName = (device) => String(device.worker_name || '').split(' ')[0] || device.worker_name || '';

/** Whole hours from an instant to now (null for none). */
export const hoursSince = (iso, now) => (iso ? Math.max(0, Math.floor((now - at(iso)) / HOUR_MS)) : null);

/** When the device was last heard from (its latest push or pull). */
export function lastContact(device) {
  const times = [device.last_push_at, device.last_pull_at].filter(Boolean);
  return times.length ? times.reduce((a, b) => (at(a) > at(b) ? a : b)) : null;
}

/** Each alert of a device: {code, text, todo, since (ms: when the problem began)}. */
export function alertsOf(device, now = Date.now()) {
  const first = firstName(device);
  const contact = lastContact(device);
  return (device.alerts || []).map((code) => {
    switch (code) {
      case 'unsent_over_24h':
        return {
          code,
          text: t.alert.unsent_over_24h(first, device.outbox_size, t.duration(hoursSince(device.outbox_oldest_at, now))),
          todo: t.todo.unsent_over_24h(first),
          since: at(device.outbox_oldest_at) + DAY_MS,
        };
      case 'silent_24h':
        return {
          code,
          text: t.alert.silent_24h(first, contact ? t.duration(hoursSince(contact, now)) : t.never),
          todo: t.todo.silent_24h(first),
          since: contact ? at(contact) + DAY_MS : 0,
        };
      case 'clock_skew': {
        const seconds = device.clock_skew_seconds || 0;
        return {
          code,
          text: t.alert.clock_skew(first, Math.round(Math.abs(seconds) / 60), seconds > 0),
          todo: t.todo.clock_skew(first),
          since: at(device.last_push_at) ?? 0,
        };
      }
      case 'old_app':
        return { code, text: t.alert.old_app(first, device.app_version), todo: t.todo.old_app(first), since: at(device.last_push_at) ?? 0 };
      case 'seq_gap':
        return { code, text: t.alert.seq_gap(first), todo: t.todo.seq_gap(first), since: at(device.last_push_at) ?? 0 };
      case 'over_budget':
        return { code, text: t.alert.over_budget(first, device.storage_records), todo: t.todo.over_budget(first), since: at(device.storage_reported_at) ?? 0 };
      default:
        return { code, text: t.unknownAlert(first), todo: t.unknownTodo, since: 0 };
    }
  });
}

/** The devices in the order the dashboard lists them: those with problems first, the newest
 * problem first; then the rest by worker and device name. */
export function byNewestProblem(devices, now = Date.now()) {
  const newest = new Map(devices.map((d) => [d, Math.max(-Infinity, ...alertsOf(d, now).map((a) => a.since))]));
  return [...devices].sort((a, b) => {
    const pa = newest.get(a);
    const pb = newest.get(b);
    if (pa !== pb) return pb - pa;
    return String(a.worker_name).localeCompare(String(b.worker_name), 'sv') || String(a.device_name).localeCompare(String(b.device_name), 'sv');
  });
}

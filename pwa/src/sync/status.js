/**
 * The sync status every screen shows (always visible: the worker must be able to trust
 * that what they saved is on its way). A small observable: `subscribe(fn)` calls `fn` now
 * and on every change.
 *
 * {pending        mutations in the outbox,
 *  inFlight       a sync is running,
 *  lastConfirmedAt  when a sync last completed leaving the outbox empty (ISO),
 *  lastSyncAt     when a sync last completed (ISO),
 *  firstSync      {done, remaining} while a first or replacement sync pages in, else null,
 *  error          null or a code: 'offline', 'server', 'login_required', 'device_revoked', …,
 *  retryAt        when the next retry after an error is due (ISO) or null,
 *  epoch          the server's epoch,
 *  minAppVersion  the server's min_app_version,
 *  updateRequired this app is older than minAppVersion (ask for an update once pending is 0),
 *  wiped          {lost} after the server revoked this device and local data was deleted}
 */

export const INITIAL_STATUS = Object.freeze({
  pending: 0,
  inFlight: false,
  lastConfirmedAt: null,
  lastSyncAt: null,
  firstSync: null,
  error: null,
  retryAt: null,
  epoch: null,
  minAppVersion: null,
  updateRequired: false,
  wiped: null,
});

/** -1, 0 or 1 comparing dotted versions numerically ('1.10.0' > '1.9.2'). Pure. */
export function compareVersions(a, b) {
  const pa = String(a).split('.').map((x) => parseInt(x, 10) || 0);
  const pb = String(b).split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

export function createStatus() {
  let status = { ...INITIAL_STATUS };
  const listeners = new Set();
  return {
    get: () => status,
    set(patch) {
      const next = { ...status, ...patch };
      if (Object.keys(next).every((k) => Object.is(next[k], status[k]))) return;
      status = Object.freeze(next);
      for (const fn of listeners) fn(status);
    },
    subscribe(fn) {
      listeners.add(fn);
      fn(status);
      return () => listeners.delete(fn);
    },
  };
}

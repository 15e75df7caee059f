// When the app locks, and locking it: after the city's minutes (FALTSTOD_PHONE_LOCK_MINUTES,
// fetched by data/phone-settings.js; LOCK_AFTER_MS by default) without a touch, a key or a scroll
// (a page hidden that long has had none either: it locks when it is shown again, even if
// its timers were held back meanwhile). Locking stops the sync, waits for a sync in flight
// to finish (it reads sealed rows and the token), then forgets the data key (vault.js).
import { phoneSettings } from '../data/phone-settings.js';
import { lock } from '../data/vault.js';
import { endSync, syncStatus } from './sync-status.js';

// Five minutes: long enough not to lock while a worker talks with a client between two
// taps, short enough that a phone left on a table is locked before it is picked up.
export const LOCK_AFTER_MS = 5 * 60_000;
/** The city's time without use before the lock, as now known (ms). */
export const lockAfterMs = () => phoneSettings().lock_minutes * 60_000;

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'];

/** Call `onIdle` once, after `ms` without activity (a number, or a function asked at each
 * check: settings fetched meanwhile apply from the next one). Returns a function that stops
 * watching. */
export function watchIdle(onIdle, { ms = lockAfterMs, env = globalThis } = {}) {
  const limit = typeof ms === 'function' ? ms : () => ms;
  let last = Date.now();
  let timer = null;
  let stopped = false;
  const touch = () => {
    last = Date.now();
  };
  const check = () => {
    if (stopped) return;
    const idle = Date.now() - last;
    if (idle >= limit()) {
      stop();
      onIdle();
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(check, limit() - idle);
  };
  const shown = () => {
    if (env.document?.visibilityState === 'visible') check();
  };
  for (const type of ACTIVITY) env.addEventListener?.(type, touch, { capture: true, passive: true });
  env.document?.addEventListener?.('visibilitychange', shown);
  timer = setTimeout(check, limit());
  function stop() {
    stopped = true;
    clearTimeout(timer);
    for (const type of ACTIVITY) env.removeEventListener?.(type, touch, { capture: true });
    env.document?.removeEventListener?.('visibilitychange', shown);
  }
  return stop;
}

let settled = Promise.resolve();

function syncIdle() {
  return new Promise((resolve) => {
    const done = (status) => {
      if (status?.inFlight) return false;
      resolve();
      return true;
    };
    if (done(syncStatus.get())) return;
    const stop = syncStatus.subscribe((status) => {
      if (done(status)) stop();
    });
  });
}

/** Lock: no more syncs, the one in flight finished, then the key forgotten. */
export function lockApp() {
  settled = settled.then(async () => {
    endSync();
    await syncIdle();
    endSync(); // a retry the last sync scheduled
    lock();
  });
  return settled;
}

/** Resolves when a lock under way is complete (unlock only after it). */
export const lockSettled = () => settled;

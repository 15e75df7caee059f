/**
 * When to sync, and the status the screens show.
 *
 * A sync is: drain the outbox, then pull to the server's cursor (then, if an epoch change
 * put applied mutations back in the outbox, push and pull once more; then, when due, the
 * digest check; then, at most every few minutes, the reminder settings; then, once the
 * token is a day old, a new one: session.js). It runs on app start, on `online`, when the
 * page becomes visible, after each save while online, and on a timer; all of them go
 * through `syncNow`, which runs one sync at a time in this page (a call during a sync runs
 * one more after it, however many calls) and holds the cross-tab Web Lock while it talks to
 * the server.
 *
 * Errors: network and 5xx retry with backoff (no sooner than a `Retry-After`); 401 asks
 * for a login (keeping data and outbox); 401 with `wipe` deletes all local data and reports
 * how many unsent changes were lost: at once for a revoked device (lost: nothing more is
 * accepted), after sending what it holds for a retired one (replaced: the server takes its
 * pushes for a while).
 */
import { onSaved } from '../data/actions.js';
import { getMeta, liveQuery, outbox, setMeta } from '../data/db.js';
import { dropToken, rotateTokenWhenDue, wipeLocalData } from '../data/session.js';
import { APP_VERSION, ApiError, isRetryable } from './api.js';
import { Backoff } from './backoff.js';
import { checkDigest } from './digest.js';
import { withSyncLock } from './lock.js';
import { pull } from './pull.js';
import { drainOutbox } from './push.js';
import { refreshPreferences } from './preferences.js';
import { compareVersions, createStatus } from './status.js';

// A sync every 5 minutes while the app is open catches what others changed (a plan, a new
// visit) without a push channel; shorter drains phone batteries for little gain.
export const SYNC_INTERVAL_MS = 5 * 60_000;

/**
 * An engine with its own status, timer and backoff. The app uses the default one (the
 * functions exported below); tests make their own with fake timers and clock.
 */
export function createSyncEngine({
  now = () => new Date(),
  random = Math.random,
  timers = globalThis,
  env = globalThis,
  locks,
  pullLimit,
  intervalMs = SYNC_INTERVAL_MS,
} = {}) {
  const status = createStatus();
  const backoff = new Backoff({ random });
  let timer = null;
  let running = null;
  let queued = null;
  let cleanups = null;

  function schedule(ms) {
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = null;
      syncNow();
    }, ms);
  }

  function cancelTimer() {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  }

  async function refreshStatus() {
    const [pending, lastConfirmedAt, lastSyncAt, epoch, minAppVersion, session, replacement] = await Promise.all([
      outbox.count(),
      getMeta('last_confirmed_at'),
      getMeta('last_sync_at'),
      getMeta('epoch'),
      getMeta('min_app_version'),
      getMeta('session'),
      getMeta('replacement'),
    ]);
    const firstSync = replacement?.cursor
      ? { done: replacement.done, remaining: replacement.remaining }
      : (session ?? null);
    status.set({
      pending,
      lastConfirmedAt: lastConfirmedAt ?? null,
      lastSyncAt: lastSyncAt ?? null,
      epoch: epoch ?? null,
      minAppVersion: minAppVersion ?? null,
      updateRequired: Boolean(minAppVersion) && compareVersions(APP_VERSION, minAppVersion) < 0,
      firstSync,
    });
  }

  async function pullAll() {
    return pull({ limit: pullLimit, onProgress: (progress) => status.set({ firstSync: progress }) });
  }

  /** One sync, holding the lock. Resolves with what the server deferred (or null). */
  async function syncOnce() {
    let { deferred } = await drainOutbox({ now });
    const pulled = await pullAll();
    if (pulled.requeued) {
      // The server was restored: send again what it may have lost, then read the result.
      ({ deferred } = await drainOutbox({ now }));
      await pullAll();
    }
    if ((await outbox.count()) === 0 && (await checkDigest({ now: now() })) === 'mismatch') {
      await pullAll();
    }
    return deferred;
  }

  /** The server told this phone to delete its data (`device_revoked`, `device_retired`). */
  async function wipe(err) {
    // The outbox before the answer that said so (which may have emptied the database).
    let known = outbox.lastCounted();
    if (err.reason === 'device_retired') {
      // Replaced, not lost: send what is left (push is still accepted for a while) and say
      // the outbox is empty, then wipe. A refusal (401) means the time for that is over.
      try {
        await withSyncLock(
          () => drainOutbox({ now, report: true, onOutboxSize: (n) => { known = n; } }),
          locks ?? env.navigator?.locks,
        );
        known = 0;
      } catch (last) {
        // Offline or a server error: keep everything and try again later.
        if (!(last instanceof ApiError && last.status === 401)) return retryLater(last);
      }
    }
    cancelTimer();
    const lost = await wipeLocalData({ known });
    // One code for the screens (the login screen tells how many changes were lost).
    status.set({ error: 'device_revoked', wiped: { lost, reason: err.reason }, retryAt: null });
  }

  async function handleError(err) {
    if (err instanceof ApiError && err.status === 401 && err.wipe) return wipe(err);
    if (err instanceof ApiError && err.status === 401) {
      cancelTimer();
      await dropToken();
      status.set({ error: 'login_required', retryAt: null });
      return;
    }
    return retryLater(err);
  }

  function retryLater(err) {
    if (!isRetryable(err)) console.warn('sync failed', err);
    // Retry later either way: a 4xx for a whole request is a bug that an app update fixes,
    // and hammering the server will not.
    const delay = backoff.next(err?.retryAfterMs ?? 0);
    schedule(delay);
    status.set({ error: err?.code ?? 'unexpected', retryAt: new Date(now().getTime() + delay).toISOString() });
  }

  async function cycle() {
    if (!(await getMeta('token'))) {
      if (!status.get().error) status.set({ error: 'login_required' });
      await refreshStatus();
      return;
    }
    // What the phone already knows (its last sync, its outbox, a first sync under way) is
    // read before talking to the server: on a slow network the first attempt of a start
    // may take a minute, and an already synced phone must not say "not synced yet" meanwhile.
    await refreshStatus();
    status.set({ inFlight: true });
    try {
      const deferred = await withSyncLock(syncOnce, locks ?? env.navigator?.locks);
      // The reminder settings ride along (throttled; never throws): the phone's own
      // reminders follow them offline.
      await refreshPreferences({ now: now() });
      // A day-old token is exchanged for a new one (never throws), holding the lock so no
      // other tab's sync is using the token meanwhile (session.js).
      await rotateTokenWhenDue({ now: now(), exclusive: (fn) => withSyncLock(fn, locks ?? env.navigator?.locks) });
      backoff.reset();
      const at = now().toISOString();
      await setMeta('last_sync_at', at);
      if ((await outbox.count()) === 0) await setMeta('last_confirmed_at', at);
      if (deferred) {
        // A sync that worked, with mutations the server will take only later (its parked
        // quota): say why they wait, and send them again when it asked, not before.
        const delay = Math.max(intervalMs, deferred.retryAfterMs);
        status.set({ error: deferred.code, retryAt: new Date(now().getTime() + delay).toISOString(), wiped: null });
        schedule(delay);
      } else {
        status.set({ error: null, retryAt: null, wiped: null });
        schedule(intervalMs);
      }
    } catch (err) {
      await handleError(err);
    } finally {
      await refreshStatus();
      status.set({ inFlight: false });
    }
  }

  function start() {
    running = cycle().finally(() => {
      running = null;
    });
    return running;
  }

  /** Sync now (or right after the sync in progress). Resolves when that sync is done. */
  function syncNow() {
    if (queued) return queued;
    if (running) {
      queued = running.then(() => {
        queued = null;
        return start();
      });
      return queued;
    }
    return start();
  }

  function listen(target, type, fn) {
    if (!target?.addEventListener) return;
    target.addEventListener(type, fn);
    cleanups.push(() => target.removeEventListener(type, fn));
  }

  /** Install the triggers (idempotent) and sync. Call once at app start and after login. */
  function startSync() {
    if (!cleanups) {
      cleanups = [];
      listen(env, 'online', () => {
        backoff.reset();
        syncNow();
      });
      listen(env.document, 'visibilitychange', () => {
        if (env.document.visibilityState === 'visible') syncNow();
      });
      cleanups.push(
        onSaved(() => {
          refreshStatus().catch(() => {});
          if (env.navigator?.onLine !== false) syncNow();
        }),
      );
      // The outbox count across tabs (Dexie's liveQuery sees other tabs' writes).
      const pending = liveQuery(() => outbox.count()).subscribe({
        next: (n) => status.set({ pending: n }),
        error: () => {},
      });
      cleanups.push(() => pending.unsubscribe());
    }
    return syncNow();
  }

  /** Remove the triggers and the timer (tests; a logout). */
  function stopSync() {
    for (const fn of cleanups ?? []) fn();
    cleanups = null;
    cancelTimer();
  }

  return {
    startSync,
    stopSync,
    syncNow,
    refreshStatus,
    subscribe: status.subscribe,
    getStatus: status.get,
  };
}

const engine = createSyncEngine();

/** Install the sync triggers and sync now (idempotent; call at app start and after login). */
export const startSync = () => engine.startSync();
/** Remove the triggers and timers. */
export const stopSync = () => engine.stopSync();
/** Sync now; resolves when done (errors are reported in the status, never thrown). */
export const syncNow = () => engine.syncNow();
/** `fn(status)` now and on every change; returns an unsubscribe function. */
export const subscribe = (fn) => engine.subscribe(fn);
/** The current status. */
export const getStatus = () => engine.getStatus();

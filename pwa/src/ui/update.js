// New app versions: the service worker is registered with vite-plugin-pwa's prompt mode, so
// a new version installs in the background and then waits. The page never reloads itself
// under the user while the outbox holds unsent changes:
//
// 1. onNeedRefresh: a new worker is waiting → `updateState.waiting` → UpdatePrompt shows
//    "Ny version finns"; its button stays disabled while changes are pending.
// 2. The user presses Uppdatera → applyUpdate() reads the outbox count from the database
//    (not the last status) and only when it is 0 sends {type: 'SKIP_WAITING'} to the waiting
//    worker (registerSW's updateSW does the postMessage).
// 3. The new worker activates and takes control → onNeedReload → reload, because this page
//    asked for it. If another tab asked, this page only offers "Ladda om" (same rule).
import { registerSW } from 'virtual:pwa-register';
import { pendingCount } from '../data/queries.js';
import { createStore } from './store.js';

// A long-open app (phones keep PWAs alive for days) looks for a new version this often.
const UPDATE_CHECK_MS = 60 * 60 * 1000;
// If the new worker has not taken control this long after SKIP_WAITING, reload anyway
// (still only with an empty outbox): the worker may have activated unseen.
const TAKEOVER_TIMEOUT_MS = 10 * 1000;

export const updateState = createStore({ waiting: false, activatedElsewhere: false, updating: false });

let updateServiceWorker = null;
let registration = null;
let requested = false;

export function registerUpdates() {
  if (!('serviceWorker' in navigator)) return;
  updateServiceWorker = registerSW({
    onNeedRefresh: () => updateState.set((s) => ({ ...s, waiting: true })),
    onNeedReload: () => {
      if (requested) location.reload();
      else updateState.set((s) => ({ ...s, waiting: false, activatedElsewhere: true }));
    },
    onRegisteredSW: (_url, registration) => registration && keepChecking(registration),
    onRegisterError: (error) => console.error('service worker registration failed', error),
  });
  // A notification click in the service worker asks an open window to show a visit.
  navigator.serviceWorker.addEventListener('message', (event) => {
    const { type, hash } = event.data || {};
    if (type === 'OPEN' && typeof hash === 'string' && hash.startsWith('#/')) location.hash = hash;
  });
}

/** Look for a new version now (the server said this one is too old: updateRequired). */
export function checkForUpdate() {
  return registration ? registration.update().catch(() => {}) : Promise.resolve();
}

function keepChecking(found) {
  registration = found;
  const check = () => {
    if (navigator.onLine) registration.update().catch(() => {});
  };
  setInterval(check, UPDATE_CHECK_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
}

/** Activate the waiting version; false (and nothing done) while changes are unsent. */
export async function applyUpdate() {
  if ((await pendingCount()) > 0) return false;
  const { activatedElsewhere } = updateState.get();
  requested = true;
  updateState.set((s) => ({ ...s, updating: true }));
  if (activatedElsewhere || !updateServiceWorker) {
    location.reload();
    return true;
  }
  // Workbox reports a takeover as an update only when a worker controlled the page at
  // registration; in the page that installed the app it did not, so listen ourselves.
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  await updateServiceWorker(true);
  setTimeout(async () => {
    if ((await pendingCount()) === 0) location.reload();
    else updateState.set((s) => ({ ...s, updating: false }));
  }, TAKEOVER_TIMEOUT_MS);
  return true;
}

// The sync engine's status for every screen (src/sync/status.js documents it): {pending,
// inFlight, lastConfirmedAt, firstSync: {done, remaining} | null, error (a code or null),
// updateRequired, wiped: {lost} | null, …}.
import { startSync, stopSync, subscribe } from '../sync/engine.js';
import { createStore } from './store.js';

export const syncStatus = createStore(null);
let watching = false;

/** Install the engine's triggers and sync (idempotent; at start and after each login). */
export function beginSync() {
  if (!watching) {
    watching = true;
    subscribe((status) => syncStatus.set(status));
  }
  startSync();
}

/** After logout: no timer, no triggers, until the next login. */
export function endSync() {
  stopSync();
}

/** True until this phone has finished its first sync (nothing to show yet is not "nothing"). */
export const neverSynced = (status) => Boolean(status && !status.lastSyncAt && !status.error);

/** Sync errors after which the phone holds no usable token: back to the login screen. */
export const SESSION_ENDED = ['login_required', 'device_revoked'];

/** The error code the user may have to act on, or null. */
export const errorCode = (status) => status?.error || null;

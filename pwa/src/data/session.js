/**
 * Login, logout and the device's identity (sync-protocol.md, "Auth and devices").
 *
 * The token, the user and the device id live in meta (IndexedDB), not in localStorage, so
 * the service worker and every tab read the same ones. The device id survives logout: a
 * re-login sends it, so the server sees the same device (same outbox, no device_seq gap).
 * Local data belongs to one user: logging in as someone else first deletes it, and never
 * silently drops unsent work. The token and the user are sealed with the vault's data key
 * (vault.js): a login on a phone without a vault makes the key, and the worker then
 * chooses the PIN that wraps it. A login through the city's identity provider ends with a
 * one-time ticket (`loginWithTicket`), which the server exchanges for the same answer.
 *
 * Rotation (`rotateTokenWhenDue`): after a sync, a token older than a day is exchanged for a
 * new one of the same login (`POST /api/auth/rotate`). The server keeps the current token
 * valid until the new one is first used, so an answer lost on the way costs nothing: the
 * phone goes on with the old one and asks again after a later sync. A rotation never logs
 * the worker out nor fails a sync; the login's absolute lifetime is the server's.
 */
import { api, ApiError, request } from '../sync/api.js';
import { DEVICE_KEYS, clearLocalData, getMeta, outbox, setMeta, transaction } from './db.js';
import { clearDrafts } from './form-drafts.js';
import { beginVault } from './vault.js';

// A token is exchanged for a new one after a sync once it is this old. Shorter, and every
// sync of the day rotates (a write on the server each time); longer, and a token copied off
// a phone stays usable for longer.
export const ROTATE_AFTER_MS = 24 * 60 * 60_000;

export class SessionError extends Error {
  constructor(code, details = {}) {
    super(code);
    this.name = 'SessionError';
    this.code = code;
    Object.assign(this, details);
  }
}

// The server accepts up to 100 characters; the supervisor's device list shows it.
const DEVICE_NAME_MAX = 100;

function defaultDeviceName() {
  const nav = globalThis.navigator;
  const name = nav?.userAgentData?.platform || nav?.platform || nav?.userAgent || 'browser';
  return String(name).slice(0, DEVICE_NAME_MAX);
}

/** Ask the browser not to evict our storage under pressure (the outbox is the only copy
 * of unsent work). Missing in some browsers and in tests: then nothing happens. */
async function persistStorage() {
  try {
    await globalThis.navigator?.storage?.persist?.();
  } catch {
    // Refused or unsupported: the app works, eviction is just possible.
  }
}

/**
 * Delete all local data, the forms in progress and the device identity: the server revoked
 * the device (`device_revoked`), or retired it and it has sent what it could
 * (`device_retired`). The server's answer also told the browser to clear the site's storage
 * (`Clear-Site-Data`), which may already have emptied the database: the outbox as last
 * counted before that answer (`known`, by default the last count) then says how many
 * changes were lost.
 * @returns {Promise<number>} how many unsent mutations were lost
 */
export async function wipeLocalData({ known = outbox.lastCounted() } = {}) {
  let now = 0;
  try {
    now = await outbox.count();
  } catch {
    // The browser closed the database under us: nothing is left to count.
  }
  clearDrafts();
  await clearLocalData();
  await outbox.count(); // empty now: a later wipe must not count these again
  return Math.max(now, known);
}

/**
 * Log in. Sends the stored device id so the device keeps its identity; an id the server no
 * longer knows for this user registers a new device. Throws ApiError (401
 * invalid_credentials, …), or SessionError 'other_user_unsent' {lost} when another user's
 * unsent changes are on the phone (retry with `force: true` to drop them), or
 * 'device_revoked' {lost, reason} when the server revoked or retired this device (`reason`
 * `device_revoked` or `device_retired`; local data was deleted; the next login registers a
 * new device).
 * @returns the user {id, name, role, team_id}
 */
export async function login({ username, password, device_name = defaultDeviceName(), force = false }) {
  const deviceId = await getMeta('device_id');
  await outbox.count(); // before the request: its answer may clear the site's storage
  let session;
  try {
    session = await api.login({ username, password, device_name, ...(deviceId ? { device_id: deviceId } : {}) });
  } catch (err) {
    if (!(err instanceof ApiError) || !deviceId) throw err;
    // Revoked or retired: the code the login screen knows, with the server's reason.
    if (err.wipe) throw new SessionError('device_revoked', { lost: await wipeLocalData(), reason: err.reason });
    if (err.reason !== 'unknown_device') throw err;
    session = await api.login({ username, password, device_name });
  }
  return adoptSession(session, { force });
}

/** What the server says of the login through the city's identity provider: {enabled,
 * label, password_login}; offline or from an older server, null (the screen shows the
 * password login only). */
export async function oidcOffer() {
  try {
    const offer = await request('GET', '/api/auth/oidc', { auth: false });
    return offer?.enabled ? offer : null;
  } catch {
    return null;
  }
}

/** Where the login through the identity provider begins (a navigation of the whole page):
 * with the stored device id, so the device keeps its identity. */
export async function oidcStartUrl() {
  const deviceId = await getMeta('device_id');
  return `/api/auth/oidc/start${deviceId ? `?${new URLSearchParams({ device_id: deviceId })}` : ''}`;
}

// The session of a ticket already exchanged, while the worker is asked whether another
// user's unsent changes may go: a ticket works once, so "log in anyway" must not need it.
const exchanged = new Map();

/**
 * Log in with the one-time ticket the identity provider's login ended with
 * (`/#/login/oidc?ticket=`): the server's exchange gives the same answer as a login, and the
 * rest is as `login` does it, with the same errors (ApiError 401 `invalid_ticket` for a used
 * or expired ticket).
 * @returns the user {id, name, role, team_id}
 */
export async function loginWithTicket({ ticket, device_name = defaultDeviceName(), force = false }) {
  await outbox.count(); // before the request: its answer may clear the site's storage
  let session = exchanged.get(ticket);
  if (!session) {
    try {
      session = await request('POST', '/api/auth/oidc/exchange', { body: { ticket, device_name }, auth: false });
    } catch (err) {
      if (err instanceof ApiError && err.wipe) throw new SessionError('device_revoked', { lost: await wipeLocalData(), reason: err.reason });
      throw err;
    }
    exchanged.set(ticket, session);
  }
  const user = await adoptSession(session, { force });
  exchanged.delete(ticket);
  return user;
}

/** A login's answer becomes the phone's session: another user's data goes first (never
 * their unsent work without `force`), then the token is kept. */
async function adoptSession(session, { force }) {
  const held = await getMeta('user');
  if (held && held.id !== session.user.id) {
    const lost = await outbox.count();
    if (lost > 0 && !force) throw new SessionError('other_user_unsent', { lost });
    await clearLocalData({ keepMeta: DEVICE_KEYS });
  }
  await keepSession(session);
  return session.user;
}

/** Keep a session the server gave (a login's answer: {token, device_id, user}), sealed. */
async function keepSession(session) {
  await beginVault();
  const now = new Date().toISOString();
  await transaction('rw', ['meta'], async () => {
    await setMeta('token', session.token);
    await setMeta('token_issued_at', now);
    await setMeta('device_id', session.device_id);
    await setMeta('user', session.user);
    // The server was reached: the PIN may open the app offline for a while again (vault.js).
    await setMeta('online_at', now);
  });
  await persistStorage();
}

/**
 * After a successful sync: when the token is older than ROTATE_AFTER_MS, ask the server for
 * the next one and use it from now on. Never throws: offline, refused or lost, the current
 * token goes on working and the next sync asks again. A phone whose token has no issue time
 * (logged in before rotation existed) starts counting its day now. `exclusive(fn)` runs the
 * exchange itself (the engine holds the cross-tab sync lock for it, so no other tab's sync is
 * using, or rotating, the token meanwhile); it is asked only when a rotation is due.
 * @returns {Promise<boolean>} whether the phone now holds a new token
 */
export async function rotateTokenWhenDue({ now = new Date(), exclusive = (fn) => fn() } = {}) {
  const due = async () => {
    const [token, issuedAt] = await Promise.all([getMeta('token'), getMeta('token_issued_at')]);
    if (!token) return null;
    if (!issuedAt) {
      await setMeta('token_issued_at', now.toISOString());
      return null;
    }
    return now.getTime() - Date.parse(issuedAt) < ROTATE_AFTER_MS ? null : token;
  };
  try {
    if (!(await due())) return false;
    return await exclusive(async () => {
      const token = await due(); // another tab may have rotated while this one waited
      if (!token) return false;
      const answer = await request('POST', '/api/auth/rotate');
      if (typeof answer?.token !== 'string' || !answer.token) return false;
      // A login while the answer was on its way made a token of its own: keep that one.
      if ((await getMeta('token')) !== token) return false;
      await transaction('rw', ['meta'], async () => {
        await setMeta('token', answer.token);
        await setMeta('token_issued_at', now.toISOString());
      });
      return true;
    });
  } catch {
    // Offline, refused, locked meanwhile: the old token stays valid until the new one is used.
    return false;
  }
}

/**
 * No more pushes to this phone: the server forgets its subscription (while the token still
 * works) and the browser drops it. Best effort, both at once: offline, or without a
 * service worker, nothing happens and logout goes on (the server also drops a subscription
 * whose push service answers 410, and the next login subscribes afresh).
 */
async function endPush() {
  await Promise.allSettled([
    api.deletePushSubscriptions(),
    (async () => {
      const registration = await globalThis.navigator?.serviceWorker?.getRegistration?.();
      const subscription = await registration?.pushManager?.getSubscription();
      await subscription?.unsubscribe();
    })(),
  ]);
}

/**
 * Log out. With unsent changes and no `force`, refuses: {loggedOut: false, lost: n} (the
 * UI warns that n changes would be lost). Otherwise ends push to this phone and the token
 * on the server (best effort: offline logout still works) and deletes local data, keeping
 * the device identity.
 * @returns {Promise<{loggedOut: boolean, lost: number}>}
 */
export async function logout({ force = false } = {}) {
  const lost = await outbox.count();
  if (lost > 0 && !force) return { loggedOut: false, lost };
  await endPush();
  try {
    await api.logout();
  } catch {
    // Offline or already logged out: the token dies with the local data either way.
  }
  clearDrafts();
  await clearLocalData({ keepMeta: DEVICE_KEYS });
  return { loggedOut: true, lost };
}

/** {user, device_id} when logged in (a token is held), else null. */
export async function getSession() {
  const [token, user, deviceId] = await Promise.all([getMeta('token'), getMeta('user'), getMeta('device_id')]);
  if (!token || !user) return null;
  return { user, device_id: deviceId };
}

/** Forget the token (the server refused it) but keep the user's data and outbox: logging in
 * again as the same user carries on where the phone was. */
export async function dropToken() {
  await setMeta('token', null);
}

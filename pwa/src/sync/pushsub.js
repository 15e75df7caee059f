/**
 * Web push subscription: the phone (re)sends its subscription at every start, so the server
 * always holds a fresh one (issue 4: "the phone re-sends its subscription at every start").
 *
 *   GET  /api/push/vapid-public-key  → {public_key}  (503 push_disabled: push is off)
 *   pushManager.subscribe({userVisibleOnly: true, applicationServerKey})
 *   POST /api/push/subscriptions      subscription.toJSON()
 *
 * Never asks for the notification permission by itself: `ask: true` only from a user gesture
 * (the account screen's "Slå på påminnelser"). Every failure is quiet and comes back as a
 * state for the UI; without push the app reminds while it is open (ui/reminders.js).
 *
 * A 409 `push_subscription_taken` (the browser's subscription is still another user's active
 * device's: a shared browser) is answered by subscribing anew, which gives a new endpoint,
 * and sending that one once.
 *
 * States: 'on' (subscribed and sent), 'ask' (permission not asked yet), 'denied',
 * 'unsupported', 'disabled' (the server has push off), 'offline' (try again later), 'failed'.
 */
import { getMeta } from '../data/db.js';

/** base64url (the server's key text) → the bytes `applicationServerKey` takes. */
export function keyBytes(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const raw = atob(b64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const held = new Uint8Array(buffer);
  return held.length === bytes.length && held.every((b, i) => b === bytes[i]);
}

async function call(method, path, body, token) {
  let response;
  try {
    response = await globalThis.fetch(path, {
      method,
      headers: {
        Accept: 'application/json',
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    return { status: 0, data: null };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    // an empty or non-JSON body: the status says enough
  }
  return { status: response.status, data };
}

/**
 * Make sure this phone's push subscription is at the server. `env` is for tests:
 * {navigator, Notification, getToken}.
 */
export async function ensurePushSubscription({ ask = false, env = {} } = {}) {
  const nav = env.navigator ?? globalThis.navigator;
  const Notif = env.Notification ?? globalThis.Notification;
  const getToken = env.getToken ?? (() => getMeta('token'));
  if (!nav?.serviceWorker || !Notif || !globalThis.PushManager) return 'unsupported';
  let permission = Notif.permission;
  if (permission === 'default' && ask) {
    try {
      permission = await Notif.requestPermission();
    } catch {
      permission = 'denied';
    }
  }
  if (permission === 'denied') return 'denied';
  if (permission !== 'granted') return 'ask';
  if (nav.onLine === false) return 'offline';
  const token = await getToken();
  if (!token) return 'failed';

  const key = await call('GET', '/api/push/vapid-public-key', null, token);
  if (key.status === 503 || key.data?.reason === 'push_disabled') return 'disabled';
  if (key.status === 0 || key.status >= 500) return 'offline';
  if (key.status !== 200 || !key.data?.public_key) return 'failed';

  let subscription;
  try {
    const registration = await nav.serviceWorker.ready;
    const applicationServerKey = keyBytes(key.data.public_key);
    subscription = await registration.pushManager.getSubscription();
    // Made for another server key (the instance's key was replaced): it cannot work.
    if (subscription && !sameKey(subscription.options?.applicationServerKey, applicationServerKey)) {
      await subscription.unsubscribe().catch(() => {});
      subscription = null;
    }
    if (!subscription) {
      subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey });
    }
  } catch (error) {
    return error?.name === 'NotAllowedError' ? 'denied' : 'unsupported';
  }

  let saved = await call('POST', '/api/push/subscriptions', subscription.toJSON(), token);
  if (saved.status === 409 && saved.data?.reason === 'push_subscription_taken') {
    try {
      const registration = await nav.serviceWorker.ready;
      await subscription.unsubscribe();
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(key.data.public_key),
      });
    } catch {
      return 'failed';
    }
    saved = await call('POST', '/api/push/subscriptions', subscription.toJSON(), token);
  }
  if (saved.status === 200) return 'on';
  if (saved.status === 503) return 'disabled';
  if (saved.status === 0 || saved.status >= 500) return 'offline';
  return 'failed';
}

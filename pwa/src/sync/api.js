/**
 * The server's HTTP API (sync-protocol.md), relative to the page's origin: bearer token
 * from meta, JSON in and out, and two error types the sync engine decides on:
 *   NetworkError  no usable answer (offline, timeout, a captive portal's HTML): retry later;
 *   ApiError      an HTTP error with the server's body: `status`, `reason` (device_revoked,
 *                 cursor_expired, token_expired, invalid_token, busy, …), `wipe`, and
 *                 `retryAfterMs` when the server said how long to wait (`Retry-After`: a
 *                 503 `busy` database, a 429 throttled login).
 * `fetch` is looked up on each call, so tests can stub it.
 */
import { getMeta } from '../data/db.js';

/** Sent with every push for the supervisor's dashboard and compared with the server's
 * `min_app_version`: package.json's version, which the build defines (scripts/project.mjs). */
export const APP_VERSION = __APP_VERSION__;

// A request that has not answered by then is treated as a network failure and retried.
// Long enough for a 500-mutation push or a 2000-record page on a slow mobile link.
const REQUEST_TIMEOUT_MS = 60_000;

export class NetworkError extends Error {
  constructor(message = 'network') {
    super(message);
    this.name = 'NetworkError';
    this.code = 'offline';
  }
}

export class ApiError extends Error {
  constructor(status, body, { retryAfterMs = null } = {}) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.reason = body?.reason ?? null;
    this.wipe = body?.wipe === true;
    this.body = body;
    this.code = this.reason ?? (status >= 500 ? 'server' : `http_${status}`);
    this.retryAfterMs = retryAfterMs;
  }
}

// A Retry-After beyond this is a mistake (a proxy's, a clock's): the phone waits no longer.
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** The wait a `Retry-After` header asks for, in ms (delay-seconds or an HTTP date), or null
 * when there is none or it cannot be read. Pure. */
export function retryAfterMs(value, now = Date.now()) {
  if (typeof value !== 'string' || !value.trim()) return null;
  const text = value.trim();
  let ms = null;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else if (/ GMT$/.test(text)) ms = Date.parse(text) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}

/** Whether trying again later can help: network failures, 5xx, 408 and 429. */
export function isRetryable(err) {
  if (err instanceof NetworkError) return true;
  return err instanceof ApiError && (err.status >= 500 || err.status === 408 || err.status === 429);
}

/** One call to the server. `raw`: the successful Response itself (a CSV or HTML answer),
 * not its JSON. */
export async function request(method, path, { body, query, auth = true, raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (auth) {
    const token = await getMeta('token');
    if (!token) throw new ApiError(401, { reason: 'not_logged_in', message: 'Not logged in.' });
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const params = query
    ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null))
    : null;
  const search = params ? String(params) : '';
  const url = search ? `${path}?${search}` : path;
  let response;
  try {
    response = await globalThis.fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout?.(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new NetworkError(err?.message);
  }
  if (response.status === 204) return null;
  if (raw && response.ok) return response;
  let data = null;
  try {
    data = await response.json();
  } catch {
    // A 2xx that is not JSON is not our server (a captive portal): as good as offline.
    if (response.ok) throw new NetworkError('not_json');
  }
  if (!response.ok) {
    throw new ApiError(response.status, data, { retryAfterMs: retryAfterMs(response.headers?.get?.('Retry-After') ?? null) });
  }
  return data;
}

export const api = {
  login: (body) => request('POST', '/api/auth/login', { body, auth: false }),
  logout: () => request('POST', '/api/auth/logout'),
  push: (body) => request('POST', '/api/sync/push', { body }),
  pull: ({ cursor, limit } = {}) => request('GET', '/api/sync/pull', { query: { cursor, limit } }),
  digest: () => request('GET', '/api/sync/digest'),
  reminderPreferences: () => request('GET', '/api/reminders/preferences'),
  saveReminderPreferences: (body) => request('PUT', '/api/reminders/preferences', { body }),
  deletePushSubscriptions: () => request('DELETE', '/api/push/subscriptions'),
  workersWithoutPush: () => request('GET', '/api/push/workers-without-push'),
};

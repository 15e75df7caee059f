import { beforeEach, describe, expect, it, vi } from 'vitest';
import { completeVisit } from '../src/data/actions.js';
import { ApiError, MAX_RETRY_AFTER_MS, api, isRetryable, retryAfterMs } from '../src/sync/api.js';
import { Backoff, BASE_MS } from '../src/sync/backoff.js';
import { createSyncEngine } from '../src/sync/engine.js';
import { outbox } from '../src/data/db.js';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';

const BUSY = { code: 503, status: 'Service Unavailable', message: 'The database is busy.', reason: 'busy' };

/** The fake server's fetch, but the next answer to `path` is `status` with `Retry-After`. */
function answerOnceWith(server, path, status, body, retryAfter) {
  let pending = true;
  vi.stubGlobal('fetch', async (url, init) => {
    if (pending && new URL(url, 'https://faltstod.test').pathname === path) {
      pending = false;
      server.requests.push({ method: init?.method ?? 'GET', path });
      return { ok: false, status, json: async () => body, headers: new Headers({ 'Retry-After': retryAfter }) };
    }
    return server.fetch(url, init);
  });
}

function fakeTimers() {
  const scheduled = [];
  return { scheduled, setTimeout: (fn, ms) => scheduled.push({ fn, ms }), clearTimeout: () => {} };
}

describe('Retry-After', () => {
  it('reads delay-seconds and an HTTP date, and nothing else', () => {
    const now = Date.parse('2026-11-23T09:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Mon, 23 Nov 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 23 Nov 2026 08:00:00 GMT', now)).toBe(0);
    for (const junk of [null, undefined, '', 'soon', '-3', '1.5e3']) expect(retryAfterMs(junk, now)).toBeNull();
  });

  it('never asks the phone to wait more than an hour', () => {
    expect(retryAfterMs('86400')).toBe(MAX_RETRY_AFTER_MS);
  });

  it('a backoff delay is never shorter than what the server asked for', () => {
    const backoff = new Backoff({ random: () => 1 });
    expect(backoff.next(30_000)).toBe(30_000);
    // ... and the failure still counts: the next one without a Retry-After has grown.
    expect(backoff.next()).toBe(2 * BASE_MS);
    expect(backoff.next(1)).toBe(4 * BASE_MS);
  });
});

describe('a busy server', () => {
  let server;

  beforeEach(async () => {
    server = createFakeServer();
    server.put('client', 'c1', clientData());
    server.put('visit', 'v1', visitData('c1'));
    await signIn(server, { vi });
  });

  it('a 503 busy is a retryable error carrying the wait the server asked for', async () => {
    answerOnceWith(server, '/api/sync/pull', 503, BUSY, '7');

    const error = await api.pull().catch((err) => err);

    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.reason, error.retryAfterMs]).toEqual([503, 'busy', 7000]);
    expect(isRetryable(error)).toBe(true);
  });

  it('the phone keeps its outbox, retries no sooner than Retry-After, and then sends it', async () => {
    const timers = fakeTimers();
    const engine = createSyncEngine({ timers, env: {}, random: () => 0 });
    await engine.syncNow();
    await completeVisit({ id: 'v1', started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:30:00+01:00', activities: [] });
    answerOnceWith(server, '/api/sync/push', 503, BUSY, '30');

    await engine.syncNow();

    expect(engine.getStatus().error).toBe('busy');
    expect(timers.scheduled.at(-1).ms).toBe(30_000);
    expect(await outbox.count()).toBe(1);
    await timers.scheduled.at(-1).fn();
    await vi.waitFor(async () => expect(await outbox.count()).toBe(0));
    expect(server.records.get('visit:v1').data.status).toBe('done');
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getMeta, setMeta } from '../src/data/db.js';
import { login, ROTATE_AFTER_MS, rotateTokenWhenDue } from '../src/data/session.js';
import { createSyncEngine } from '../src/sync/engine.js';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';

/**
 * The fake server with the real server's rotation rule (server/security/devices.py
 * `rotate`/`authenticate`): `POST /api/auth/rotate` makes a pending token; the current one
 * stays valid until the pending one is first used, which retires it.
 */
function withRotation(server) {
  const plain = server.fetch;
  const tokens = { current: server.token, pending: null, issued: 0, loseNextAnswer: false, refuseNext: null };
  const bearer = (init) => (init.headers?.Authorization ?? '').replace(/^Bearer /, '');
  server.fetch = async (url, init = {}) => {
    const path = new URL(url, 'https://faltstod.test').pathname;
    const held = bearer(init);
    if (held && held === tokens.pending) {
      tokens.current = held;
      tokens.pending = null;
    }
    // The fake's own check accepts the current token only.
    server.token = tokens.current;
    if (path !== '/api/auth/rotate' || held !== tokens.current) return plain(url, init);
    server.requests.push({ method: init.method, path, headers: init.headers ?? {} });
    if (tokens.refuseNext) {
      const { status, body } = tokens.refuseNext;
      tokens.refuseNext = null;
      return { ok: false, status, json: async () => body, headers: { get: () => null } };
    }
    tokens.issued += 1;
    tokens.pending = `token-rotated-${tokens.issued}`;
    if (tokens.loseNextAnswer) {
      tokens.loseNextAnswer = false;
      throw new TypeError('Failed to fetch'); // the server did it; the answer never came
    }
    return { ok: true, status: 200, json: async () => ({ token: tokens.pending }), headers: { get: () => null } };
  };
  vi.stubGlobal('fetch', server.fetch);
  return tokens;
}

/** A meta row as IndexedDB holds it, read without the app's code. */
async function storedMeta(key) {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('faltstod');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const row = await new Promise((resolve, reject) => {
    const request = db.transaction('meta').objectStore('meta').get(key);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return row;
}

const DAY_AND_A_BIT = ROTATE_AFTER_MS + 60_000;
const ago = (ms) => new Date(Date.now() - ms).toISOString();
const bearerOf = (request) => request.headers.Authorization;
const engine = () => createSyncEngine({ timers: { setTimeout: () => 0, clearTimeout: () => {} }, env: {} });

let server;
let tokens;

beforeEach(async () => {
  server = createFakeServer();
  server.put('client', 'c1', clientData());
  server.put('visit', 'v1', visitData('c1'));
  await signIn(server, { vi });
  tokens = withRotation(server);
});

describe('token rotation by the phone', () => {
  it('after a sync a day-old token is exchanged for a new one, which every later request uses', async () => {
    await setMeta('token_issued_at', ago(DAY_AND_A_BIT));
    const sync = engine();

    await sync.syncNow();

    expect(server.requestsTo('/api/auth/rotate')).toHaveLength(1);
    expect(await getMeta('token')).toBe('token-rotated-1');
    expect(Date.now() - Date.parse(await getMeta('token_issued_at'))).toBeLessThan(60_000);
    const before = server.requests.length;
    await sync.syncNow();
    const later = server.requests.slice(before);
    expect(later.length).toBeGreaterThan(0);
    expect(later.map(bearerOf)).toEqual(later.map(() => 'Bearer token-rotated-1'));
    expect(server.requestsTo('/api/auth/rotate')).toHaveLength(1); // a day to go again
    // The first use retired the old token: the server refuses it now.
    server.token = tokens.current;
    const refused = await server.fetch('/api/sync/digest', { headers: { Authorization: 'Bearer token-1' } });
    expect(refused.status).toBe(401);
    expect(sync.getStatus().error).toBeNull();
  });

  it('a token younger than a day is kept', async () => {
    await setMeta('token_issued_at', ago(ROTATE_AFTER_MS - 60_000));

    await engine().syncNow();

    expect(server.requestsTo('/api/auth/rotate')).toHaveLength(0);
    expect(await getMeta('token')).toBe('token-1');
  });

  it('a lost answer: the old token goes on working and the phone asks again after the next sync', async () => {
    await setMeta('token_issued_at', ago(DAY_AND_A_BIT));
    tokens.loseNextAnswer = true;
    const sync = engine();

    await sync.syncNow();
    expect(await getMeta('token')).toBe('token-1');
    expect(sync.getStatus().error).toBeNull();

    await sync.syncNow();
    expect(sync.getStatus().error).toBeNull();
    expect(server.requestsTo('/api/auth/rotate')).toHaveLength(2);
    expect(await getMeta('token')).toBe('token-rotated-2');
  });

  it.each([
    ['a server error', 500, { code: 500, message: 'boom' }],
    ['a refusal', 401, { code: 401, message: 'Not logged in.', reason: 'invalid_token' }],
    ['no such route (an older server)', 404, { code: 404, message: 'Not found' }],
  ])('%s when rotating neither logs the worker out nor fails the sync', async (_, status, body) => {
    await setMeta('token_issued_at', ago(DAY_AND_A_BIT));
    tokens.refuseNext = { status, body };
    const sync = engine();

    await sync.syncNow();

    expect(server.requestsTo('/api/auth/rotate')).toHaveLength(1);
    expect(await getMeta('token')).toBe('token-1');
    expect(await getMeta('last_sync_at')).toBeTruthy();
    expect(sync.getStatus().error).toBeNull();
  });

  it('a phone logged in before rotation existed starts counting its day at its first sync', async () => {
    await setMeta('token_issued_at', null);

    await engine().syncNow();

    expect(server.requestsTo('/api/auth/rotate')).toHaveLength(0);
    expect(Date.now() - Date.parse(await getMeta('token_issued_at'))).toBeLessThan(60_000);
  });

  it('the issue time is sealed with the rest of the session', async () => {
    await login({ username: 'ada', password: 'secret', device_name: 'Testtelefon' });
    const row = await storedMeta('token_issued_at');
    expect(row.value).toBeUndefined();
    expect(row.sealed).toBeInstanceOf(Uint8Array);
    expect(Date.now() - Date.parse(await getMeta('token_issued_at'))).toBeLessThan(60_000);
  });

  it('a rotation that returns while another login made a token keeps the login\u2019s', async () => {
    await setMeta('token_issued_at', ago(DAY_AND_A_BIT));
    const inner = server.fetch;
    vi.stubGlobal('fetch', async (url, init) => {
      const answer = await inner(url, init);
      if (String(url).endsWith('/api/auth/rotate')) await setMeta('token', 'token-of-a-new-login');
      return answer;
    });

    expect(await rotateTokenWhenDue()).toBe(false);
    expect(await getMeta('token')).toBe('token-of-a-new-login');
  });
});

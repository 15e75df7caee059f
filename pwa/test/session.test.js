import { beforeEach, describe, expect, it, vi } from 'vitest';
import { completeVisit } from '../src/data/actions.js';
import { getMeta, outbox, records, tableSizes } from '../src/data/db.js';
import { getSession, login, logout } from '../src/data/session.js';
import { createSyncEngine } from '../src/sync/engine.js';
import { clientData, createFakeServer, visitData } from './fake-server.js';

let server;

const credentials = { username: 'ada', password: 'secret', device_name: 'Testtelefon' };
const engine = () => createSyncEngine({ timers: { setTimeout: () => 0, clearTimeout: () => {} }, env: {} });
const done = (id) => ({
  id, started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:30:00+01:00', minutes: 30,
  activities: [{ activity_id: 'a1', done: true, support_level: 'reminder' }],
});

async function givenLoggedInWithWork(unsent = 2) {
  await login(credentials);
  await engine().syncNow();
  for (let i = 1; i <= unsent; i += 1) await completeVisit(done(`v${i}`));
}

beforeEach(() => {
  server = createFakeServer();
  server.put('client', 'c1', clientData());
  server.put('visit', 'v1', visitData('c1'));
  server.put('visit', 'v2', visitData('c1'));
  vi.stubGlobal('fetch', server.fetch);
});

describe('login', () => {
  it('stores the token, the user and the device id, and asks for persistent storage', async () => {
    const persist = vi.fn(async () => true);
    vi.stubGlobal('navigator', { storage: { persist } });
    const user = await login(credentials);
    expect(user).toEqual(server.user);
    expect(await getMeta('token')).toBe(server.token);
    expect(await getSession()).toEqual({ user: server.user, device_id: expect.any(String) });
    expect(persist).toHaveBeenCalledOnce();
    const [request] = server.requestsTo('/api/auth/login');
    expect(request.body).toEqual({ username: 'ada', password: 'secret', device_name: 'Testtelefon' });
  });

  it('works where the browser cannot persist storage', async () => {
    vi.stubGlobal('navigator', {});
    await expect(login(credentials)).resolves.toEqual(server.user);
  });

  it('a re-login sends the stored device id, so the device keeps its identity and its outbox', async () => {
    await givenLoggedInWithWork(1);
    const deviceId = await getMeta('device_id');
    await login(credentials);
    expect(server.requestsTo('/api/auth/login').at(-1).body.device_id).toBe(deviceId);
    expect(await getMeta('device_id')).toBe(deviceId);
    expect(await outbox.count()).toBe(1);
  });

  it('a device id the server does not know for this user registers a new device', async () => {
    await login(credentials);
    server.devices.clear();
    await login(credentials);
    const [, refused, fresh] = server.requestsTo('/api/auth/login');
    expect(refused.body.device_id).toBeDefined();
    expect(fresh.body).not.toHaveProperty('device_id');
  });

  it('wrong credentials store nothing', async () => {
    await expect(login({ ...credentials, password: 'nope' })).rejects.toMatchObject({ status: 401, reason: 'invalid_credentials' });
    expect(await getSession()).toBeNull();
  });

  it('another user cannot log in over unsent changes unless they are given up', async () => {
    await givenLoggedInWithWork(2);
    server.user = { ...server.user, id: 'u2', name: 'Bo' };
    await expect(login(credentials)).rejects.toMatchObject({ code: 'other_user_unsent', lost: 2 });
    expect(await outbox.count()).toBe(2);
    await login({ ...credentials, force: true });
    expect(await outbox.count()).toBe(0);
    expect(await records.count()).toBe(0);
    expect((await getSession()).user.id).toBe('u2');
  });
});

describe('logout', () => {
  it('refuses with unsent changes and says how many would be lost', async () => {
    await givenLoggedInWithWork(2);
    expect(await logout({ force: false })).toEqual({ loggedOut: false, lost: 2 });
    expect(await getSession()).not.toBeNull();
    expect(await outbox.count()).toBe(2);
    expect(server.requestsTo('/api/auth/logout')).toHaveLength(0);
  });

  it('when forced, ends the session and deletes local data but keeps the device identity', async () => {
    await givenLoggedInWithWork(2);
    const deviceId = await getMeta('device_id');
    expect(await logout({ force: true })).toEqual({ loggedOut: true, lost: 2 });
    expect(server.requestsTo('/api/auth/logout')).toHaveLength(1);
    expect(await getSession()).toBeNull();
    expect(await records.count()).toBe(0);
    expect(await outbox.count()).toBe(0);
    expect(await getMeta('device_id')).toBe(deviceId);
    expect(await getMeta('device_seq')).toBe(2);
  });

  it('ends push for this phone first: the server forgets the subscription, the browser drops it', async () => {
    const order = [];
    const unsubscribe = vi.fn(async () => order.push('unsubscribe'));
    const pushManager = { getSubscription: vi.fn(async () => ({ unsubscribe })) };
    vi.stubGlobal('navigator', { serviceWorker: { getRegistration: async () => ({ pushManager }) } });
    await givenLoggedInWithWork(0);
    expect(await logout()).toEqual({ loggedOut: true, lost: 0 });
    expect(unsubscribe).toHaveBeenCalledOnce();
    expect(server.pushSubscriptions).toBe(0);
    const paths = server.requests.map((r) => `${r.method} ${r.path}`);
    const deleted = paths.indexOf('DELETE /api/push/subscriptions');
    expect(deleted).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeLessThan(paths.indexOf('POST /api/auth/logout'));
    expect(server.requestsTo('/api/push/subscriptions')[0].headers.Authorization).toBe(`Bearer ${server.token}`);
  });

  it('logs out when push cannot be ended (offline, no service worker, the browser refuses)', async () => {
    const pushManager = { getSubscription: async () => ({ unsubscribe: async () => { throw new Error('no'); } }) };
    vi.stubGlobal('navigator', { serviceWorker: { getRegistration: async () => ({ pushManager }) } });
    await givenLoggedInWithWork(0);
    server.failNext('/api/push/subscriptions', 'network');
    server.failNext('/api/auth/logout', 'network');
    expect(await logout()).toEqual({ loggedOut: true, lost: 0 });
    expect(await getSession()).toBeNull();
    expect(server.pushSubscriptions).toBe(1);

    vi.stubGlobal('navigator', {});
    await givenLoggedInWithWork(0);
    expect(await logout()).toEqual({ loggedOut: true, lost: 0 });
  });

  it('refusing to log out over unsent changes keeps push on', async () => {
    await givenLoggedInWithWork(1);
    await logout();
    expect(server.requestsTo('/api/push/subscriptions')).toHaveLength(0);
  });

  it('with nothing unsent, logs out even when offline', async () => {
    await givenLoggedInWithWork(0);
    server.failNext('/api/auth/logout', 'network');
    expect(await logout()).toEqual({ loggedOut: true, lost: 0 });
    expect(await getSession()).toBeNull();
  });
});

describe('a device the server has revoked', () => {
  it('deletes all local data and reports how many unsent changes were lost', async () => {
    await givenLoggedInWithWork(2);
    server.failNext('/api/sync/push', 401, { code: 401, message: 'revoked', reason: 'device_revoked', wipe: true });
    const sync = engine();
    await sync.syncNow();
    expect(sync.getStatus()).toMatchObject({ error: 'device_revoked', wiped: { lost: 2 }, pending: 0 });
    for (const [table, rows] of Object.entries(await tableSizes())) expect(rows, table).toBe(0);
  });

  it('an expired token keeps the data and the outbox and asks for a login', async () => {
    await givenLoggedInWithWork(1);
    server.failNext('/api/sync/push', 401, { code: 401, message: 'expired', reason: 'token_expired' });
    const sync = engine();
    await sync.syncNow();
    expect(sync.getStatus()).toMatchObject({ error: 'login_required', pending: 1 });
    expect(await getSession()).toBeNull();
    expect(await records.count()).toBeGreaterThan(0);
    await login(credentials);
    await sync.syncNow();
    expect(sync.getStatus()).toMatchObject({ error: null, pending: 0 });
  });
});

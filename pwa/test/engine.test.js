import { beforeEach, describe, expect, it, vi } from 'vitest';
import { completeVisit } from '../src/data/actions.js';
import { setMeta } from '../src/data/db.js';
import { createSyncEngine, SYNC_INTERVAL_MS } from '../src/sync/engine.js';
import { compareVersions } from '../src/sync/status.js';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';

/** A window and document that record listeners, so a test can fire `online` and friends. */
function fakeEnv({ onLine = true } = {}) {
  const listeners = new Map();
  const target = () => ({
    addEventListener: (type, fn) => listeners.set(type, [...(listeners.get(type) ?? []), fn]),
    removeEventListener: (type, fn) => listeners.set(type, (listeners.get(type) ?? []).filter((f) => f !== fn)),
  });
  const env = { ...target(), navigator: { onLine }, document: { ...target(), visibilityState: 'visible' } };
  env.fire = (type) => (listeners.get(type) ?? []).forEach((fn) => fn());
  return env;
}

function fakeTimers() {
  const scheduled = [];
  return { scheduled, setTimeout: (fn, ms) => scheduled.push({ fn, ms }), clearTimeout: () => {} };
}

const done = (id) => ({
  id, started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:30:00+01:00', minutes: 30, activities: [],
});

let server;
let engines = [];

function makeEngine(options = {}) {
  const timers = fakeTimers();
  const env = fakeEnv(options);
  const engine = createSyncEngine({ timers, env });
  engines.push(engine);
  return { engine, timers, env };
}

beforeEach(async () => {
  for (const engine of engines) engine.stopSync();
  engines = [];
  server = createFakeServer();
  server.put('client', 'c1', clientData());
  server.put('visit', 'v1', visitData('c1'));
  await signIn(server, { vi });
});

const pulls = () => server.requestsTo('/api/sync/pull').length;

describe('when the phone syncs', () => {
  it('syncs on start, then again on the timer', async () => {
    const { engine, timers } = makeEngine();
    await engine.startSync();
    expect(pulls()).toBe(1);
    expect(timers.scheduled.at(-1).ms).toBe(SYNC_INTERVAL_MS);
    await timers.scheduled.at(-1).fn();
    await vi.waitFor(() => expect(pulls()).toBe(2));
  });

  it('syncs when the network comes back and when the app becomes visible', async () => {
    const { engine, env } = makeEngine();
    await engine.startSync();
    env.fire('online');
    await vi.waitFor(() => expect(pulls()).toBe(2));
    env.fire('visibilitychange');
    await vi.waitFor(() => expect(pulls()).toBe(3));
  });

  it('syncs after a save while online, and not while offline', async () => {
    const { engine } = makeEngine();
    await engine.startSync();
    await completeVisit(done('v1'));
    await vi.waitFor(() => expect(server.pushed).toHaveLength(1));
    engine.stopSync();

    const offline = makeEngine({ onLine: false });
    await offline.engine.startSync();
    const before = server.requests.length;
    await completeVisit({ ...done('v1'), minutes: 31 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests.length).toBe(before);
    expect(offline.engine.getStatus().pending).toBe(1);
  });

  it('stops listening once stopped', async () => {
    const { engine, env } = makeEngine();
    await engine.startSync();
    engine.stopSync();
    env.fire('online');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulls()).toBe(1);
  });
});

describe('the sync status', () => {
  it('tells subscribers about pending work, syncs in flight and the epoch', async () => {
    const { engine } = makeEngine();
    await engine.syncNow();
    const seen = [];
    engine.subscribe((status) => seen.push(status));
    await completeVisit(done('v1'));
    await engine.refreshStatus();
    expect(seen.at(-1).pending).toBe(1);
    await engine.syncNow();
    expect(seen.some((s) => s.inFlight)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ pending: 0, inFlight: false, epoch: 'epoch-1', error: null });
  });

  it('reads what the phone knows (its last sync) before the first attempt of a start answers', async () => {
    await setMeta('last_sync_at', '2026-11-23T08:00:00Z');
    await setMeta('last_confirmed_at', '2026-11-23T08:00:00Z');
    server.delayMs = 200;
    const { engine } = makeEngine();
    const started = engine.startSync();
    await vi.waitFor(() => expect(engine.getStatus().inFlight).toBe(true));
    expect(engine.getStatus()).toMatchObject({ lastSyncAt: '2026-11-23T08:00:00Z', lastConfirmedAt: '2026-11-23T08:00:00Z', firstSync: null });
    await started;
  });

  it('reports the progress of a paged first sync', async () => {
    for (let i = 0; i < 5; i += 1) server.put('visit', `x${i}`, visitData('c1'));
    const engine = createSyncEngine({ timers: fakeTimers(), env: {}, pullLimit: 3 });
    const progress = [];
    engine.subscribe((s) => progress.push(s.firstSync));
    await engine.syncNow();
    expect(progress).toContainEqual({ done: 3, remaining: 4 });
    expect(progress).toContainEqual({ done: 6, remaining: 1 });
    expect(engine.getStatus().firstSync).toBeNull();
  });

  it('asks for an update when the server requires a newer app', async () => {
    server.minAppVersion = '1.2.0';
    const { engine } = makeEngine();
    await engine.syncNow();
    expect(engine.getStatus()).toMatchObject({ minAppVersion: '1.2.0', updateRequired: true });
  });

  it('compares app versions numerically, part by part', () => {
    expect(compareVersions('1.10.0', '1.9.2')).toBe(1);
    expect(compareVersions('1.0.0', '1.0')).toBe(0);
    expect(compareVersions('1.0.0', '1.0.1')).toBe(-1);
  });
});

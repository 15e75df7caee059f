import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { completeVisit, planVisit } from '../src/data/actions.js';
import { MAX_MUTATIONS_PER_PUSH } from '../src/data/contract.js';
import { getMeta, outbox, records, sent } from '../src/data/db.js';
import { recordState } from '../src/data/queries.js';
import { APP_VERSION } from '../src/sync/api.js';
import { BASE_MS } from '../src/sync/backoff.js';
import { createSyncEngine } from '../src/sync/engine.js';
import { LOCK_NAME } from '../src/sync/lock.js';
import { KEEP_SENT_MS, drainOutbox, sortResults } from '../src/sync/push.js';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';

function fakeTimers() {
  const scheduled = [];
  return {
    scheduled,
    setTimeout: (fn, ms) => scheduled.push({ fn, ms }),
    clearTimeout: () => {},
  };
}

function engineFor(overrides = {}) {
  const timers = fakeTimers();
  const engine = createSyncEngine({ timers, env: {}, random: () => 1, ...overrides });
  return { engine, timers };
}

const done = (id) => ({
  id, started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:30:00+01:00', minutes: 30,
  activities: [{ activity_id: 'a1', done: true, support_level: 'reminder' }],
});

let server;

beforeEach(async () => {
  server = createFakeServer();
  server.put('client', 'c1', clientData());
  server.put('visit', 'v1', visitData('c1'));
  server.put('visit', 'v2', visitData('c1', { starts_at: '2026-11-23T13:00:00+01:00' }));
  await signIn(server, { vi });
  await engineFor().engine.syncNow();
  server.requests.length = 0;
});

describe('push', () => {
  it('sends the outbox in device_seq order with the app version, outbox size and device time', async () => {
    await completeVisit(done('v1'));
    await completeVisit(done('v2'));
    await drainOutbox();
    const [request] = server.requestsTo('/api/sync/push');
    expect(request.body.app_version).toBe(APP_VERSION);
    expect(request.body.outbox_size).toBe(2);
    expect(request.body.device_time).toMatch(/[+-]\d\d:\d\d$/);
    expect(request.body.mutations.map((m) => m.args.id)).toEqual(['v1', 'v2']);
    expect(Object.keys(request.body.mutations[0]).sort()).toEqual(['args', 'base_version', 'device_seq', 'id', 'name', 'occurred_at']);
    expect(request.headers.Authorization).toBe(`Bearer ${server.token}`);
  });

  it('the app version sent is package.json\'s (its only place)', () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(APP_VERSION).toBe(version);
  });

  it('two concurrent syncNow calls make one request at a time and send each mutation once', async () => {
    await completeVisit(done('v1'));
    const { engine } = engineFor();
    const first = engine.syncNow();
    await completeVisit(done('v2'));
    await Promise.all([first, engine.syncNow(), engine.syncNow()]);
    expect(server.maxActive).toBe(1);
    const ids = server.pushed.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(2);
    expect(await outbox.count()).toBe(0);
  });

  it('two tabs syncing at once keep one request in flight', async () => {
    await completeVisit(done('v1'));
    await completeVisit(done('v2'));
    server.maxActive = 0;
    await Promise.all([engineFor().engine.syncNow(), engineFor().engine.syncNow()]);
    expect(server.maxActive).toBe(1);
    expect(server.pushed).toHaveLength(2);
  });

  it('holds the faltstod-sync Web Lock while syncing when the browser has Web Locks', async () => {
    const requested = [];
    const locks = { request: async (name, fn) => { requested.push(name); return fn(); } };
    await engineFor({ env: { navigator: { locks } } }).engine.syncNow();
    expect(requested).toEqual([LOCK_NAME]);
    expect(LOCK_NAME).toBe('faltstod-sync');
  });

  it('a network error keeps the outbox and schedules a retry with backoff', async () => {
    await completeVisit(done('v1'));
    server.failNext('/api/sync/push', 'network');
    const { engine, timers } = engineFor();
    await engine.syncNow();
    expect(await outbox.count()).toBe(1);
    expect((await outbox.all())[0].in_flight).toBe(0);
    expect(engine.getStatus()).toMatchObject({ error: 'offline', pending: 1, inFlight: false });
    expect(timers.scheduled.at(-1).ms).toBe(BASE_MS);
    await timers.scheduled.at(-1).fn();
    await vi.waitFor(() => expect(engine.getStatus().pending).toBe(0));
    expect(engine.getStatus().error).toBeNull();
  });

  it('a 5xx keeps the outbox and backs off further with each failure', async () => {
    await completeVisit(done('v1'));
    server.failNext('/api/sync/push', 503, { code: 503, message: 'busy' });
    server.failNext('/api/sync/push', 502, { code: 502, message: 'busy' });
    const { engine, timers } = engineFor();
    await engine.syncNow();
    expect(engine.getStatus().error).toBe('server');
    await engine.syncNow();
    expect(await outbox.count()).toBe(1);
    expect(timers.scheduled.map((t) => t.ms)).toEqual([BASE_MS, 2 * BASE_MS]);
    expect(engine.getStatus().retryAt).not.toBeNull();
  });

  it('a response with mixed results removes exactly the final ones', async () => {
    const batch = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, device_seq: i + 1 }));
    const outcome = sortResults(batch, [
      { id: 'a', status: 'applied', server_seq: 9 },
      { id: 'b', status: 'rejected', parked_id: 'p', error: { code: 'validation' } },
      { id: 'c', status: 'conflict', parked_id: 'q', fields: ['ended_at'] },
      { id: 'd', status: 'deferred' },
    ]);
    expect(outcome.applied.map((x) => x.mutation.id)).toEqual(['a']);
    expect(outcome.parked.map((x) => x.mutation.id)).toEqual(['b', 'c']);
    expect(outcome.kept.map((m) => m.id)).toEqual(['d', 'e']);
  });

  it('after a push with mixed answers only the unanswered mutation stays in the outbox', async () => {
    await completeVisit(done('v1'));
    await completeVisit(done('v2'));
    const planned = await planVisit({ client_id: 'c1', starts_at: '2026-11-25T09:00:00+01:00' });
    const [m1, m2, m3] = await outbox.inOrder();
    server.verdict(m2.id, { status: 'conflict', fields: ['ended_at'] });
    const realFetch = server.fetch;
    // The server answers the first two and says nothing of the third.
    vi.stubGlobal('fetch', async (url, init) => {
      const res = await realFetch(url, init);
      const body = await res.json();
      return { ...res, json: async () => ({ ...body, results: body.results.filter((r) => r.id !== m3.id) }) };
    });
    await drainOutbox();
    expect((await outbox.all()).map((m) => m.id)).toEqual([m3.id]);
    expect((await sent.all()).map((m) => m.id)).toEqual([m1.id]);
    expect(await recordState('visit', planned)).toBe('saved');
  });

  it('a mutation the server defers (its parked quota) stays queued, the ones after it land, and the sync says why', async () => {
    const first = await planVisit({ client_id: 'c1', starts_at: '2026-11-25T09:00:00+01:00' });
    await completeVisit(done('v1'));
    const [held] = await outbox.inOrder();
    server.deferring = (m) => m.id === held.id;
    const { engine, timers } = engineFor();
    await engine.syncNow();
    expect((await outbox.all()).map((m) => m.id)).toEqual([held.id]);
    expect(server.get('visit', 'v1').data.status).toBe('done');
    expect(server.get('visit', first)).toBeUndefined();
    expect(engine.getStatus().error).toBe('parked_quota');
    // The next attempt waits as long as the server asked (900 s), not the usual interval.
    expect(timers.scheduled.at(-1).ms).toBe(900_000);
    server.deferring = () => false;
    await engine.syncNow();
    expect(await outbox.count()).toBe(0);
    expect(server.get('visit', first).data.status).toBe('planned');
    expect(engine.getStatus().error).toBe(null);
  });

  it('a whole batch deferred does not hold back the mutations queued after it', async () => {
    const ids = [];
    for (let i = 0; i < MAX_MUTATIONS_PER_PUSH + 2; i += 1) {
      ids.push(await planVisit({ client_id: 'c1', starts_at: '2026-11-25T09:00:00+01:00' }));
    }
    const deferred = new Set((await outbox.inOrder(MAX_MUTATIONS_PER_PUSH)).map((m) => m.id));
    server.deferring = (m) => deferred.has(m.id);
    const result = await drainOutbox();
    expect(result.deferred).toEqual({ count: MAX_MUTATIONS_PER_PUSH, code: 'parked_quota', retryAfterMs: 900_000 });
    expect(ids.slice(-2).map((id) => server.get('visit', id)?.data.status)).toEqual(['planned', 'planned']);
    expect(new Set((await outbox.all()).map((m) => m.id))).toEqual(deferred);
    // Each deferred mutation was sent once in this drain, not again and again.
    expect(server.pushed.filter((m) => deferred.has(m.id))).toHaveLength(MAX_MUTATIONS_PER_PUSH);
  });

  it('a conflicting edit stays visible on its record as attention, and the record shows the server\'s values', async () => {
    await completeVisit(done('v1'));
    const [mutation] = await outbox.all();
    server.verdict(mutation.id, { status: 'conflict', fields: ['ended_at'] });
    await drainOutbox();
    expect(await outbox.count()).toBe(0);
    expect(await recordState('visit', 'v1')).toBe('attention');
    expect((await records.get(['visit', 'v1'])).data.status).toBe('planned');
    const [parked] = await records.parkedAbout(['visit:v1']);
    expect(parked.data).toMatchObject({ status: 'open', reason: 'conflict', fields: ['ended_at'], mutation_id: mutation.id });
    // The pull brings the server's parked record, which replaces the provisional one.
    await engineFor().engine.syncNow();
    const pulled = await records.get(['parked', parked.id]);
    expect(pulled.version).toBe(1);
    expect(pulled.data.mutation.id).toBe(mutation.id);
    expect(await recordState('visit', 'v1')).toBe('attention');
  });

  it('a rejected create disappears from the records and its parked item names it', async () => {
    const id = await planVisit({ client_id: 'c1', starts_at: '2026-11-25T09:00:00+01:00' });
    const [mutation] = await outbox.all();
    server.verdict(mutation.id, { status: 'rejected', code: 'forbidden' });
    await engineFor().engine.syncNow();
    expect(await records.get(['visit', id])).toBeUndefined();
    expect(await recordState('visit', id)).toBe('attention');
    const [parked] = await records.parkedAbout([`visit:${id}`]);
    expect(parked.data.reason).toBe('forbidden');
  });

  it('applied mutations are kept as sent and forgotten after 14 days', async () => {
    await completeVisit(done('v1'));
    const [mutation] = await outbox.all();
    const t0 = new Date('2026-11-23T12:00:00Z');
    await drainOutbox({ now: () => t0 });
    expect(await sent.get(mutation.id)).toMatchObject({ answered_at: t0.toISOString(), server_seq: expect.any(Number) });
    await completeVisit(done('v2'));
    await drainOutbox({ now: () => new Date(t0.getTime() + KEEP_SENT_MS + 1000) });
    expect(await sent.get(mutation.id)).toBeUndefined();
    expect(await sent.count()).toBe(1);
  });

  it('an edit queued after an applied but not yet pulled create builds on that create', async () => {
    const id = await planVisit({ client_id: 'c1', starts_at: '2026-11-25T09:00:00+01:00' });
    const [plan] = await outbox.all();
    await drainOutbox();
    await completeVisit(done(id));
    const [complete] = await outbox.all();
    expect(complete.base_mutation_id).toBe(plan.id);
    await engineFor().engine.syncNow();
    expect(server.get('visit', id).data.status).toBe('done');
    expect(await outbox.count()).toBe(0);
    // Pulled: now the held version is the base.
    expect((await records.get(['visit', id])).applied_mutation_id).toBeUndefined();
  });

  it('a successful sync with an empty outbox sets lastConfirmedAt', async () => {
    const at = new Date('2026-11-23T15:00:00Z');
    const { engine } = engineFor({ now: () => at });
    await completeVisit(done('v1'));
    await engine.syncNow();
    expect(engine.getStatus()).toMatchObject({ pending: 0, lastConfirmedAt: at.toISOString(), error: null });
    expect(await getMeta('last_confirmed_at')).toBe(at.toISOString());
  });
});

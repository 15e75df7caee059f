// What a push tells the server about the phone's outbox, for the supervisor's sync dashboard
// (sync-protocol.md, "Push"; push.js step 5): when the oldest unsent change was queued, and
// that the outbox is empty once it is.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { completeVisit, planVisit } from '../src/data/actions.js';
import { outbox, setMeta } from '../src/data/db.js';
import { queuedAt } from '../src/data/outbox.js';
import { isoWithOffset } from '../src/data/time.js';
import { pull } from '../src/sync/pull.js';
import { drainOutbox } from '../src/sync/push.js';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';

const MONDAY_0800 = new Date('2026-11-23T07:00:00Z');
const SUNDAY_1500 = new Date('2026-11-22T14:00:00Z');
// As the phone writes times: ISO 8601 with the offset of its zone.
const SUNDAY = isoWithOffset(SUNDAY_1500);

const done = (id) => ({
  id, started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:30:00+01:00', minutes: 30,
  activities: [{ activity_id: 'a1', done: true, support_level: 'reminder' }],
});

let server;

beforeEach(async () => {
  server = createFakeServer();
  server.put('client', 'c1', clientData());
  server.put('visit', 'v1', visitData('c1'));
  server.put('visit', 'v2', visitData('c1'));
  await signIn(server, { vi });
  await pull();
  await setMeta('reported_outbox_size', 0);
  server.requests.length = 0;
});

const pushes = () => server.requestsTo('/api/sync/push').map((r) => r.body);

describe('the oldest unsent change', () => {
  it('a queued mutation remembers when it was queued, which is not sent as part of it', async () => {
    await completeVisit(done('v1'), { now: SUNDAY_1500 });
    const [row] = await outbox.all();
    expect(row.queued_at).toBe(SUNDAY);
    await drainOutbox();
    expect(Object.keys(pushes()[0].mutations[0])).not.toContain('queued_at');
  });

  it('every push says when the oldest mutation still in the outbox was queued', async () => {
    await completeVisit(done('v1'), { now: SUNDAY_1500 });
    await completeVisit(done('v2'), { now: MONDAY_0800 });
    await drainOutbox();
    expect(pushes()[0]).toMatchObject({ outbox_size: 2, outbox_oldest_at: SUNDAY });
  });

  it('a row queued by an app from before queued_at counts from its occurred_at (set when it was queued)', async () => {
    await completeVisit(done('v1'), { now: SUNDAY_1500 });
    const [row] = await outbox.all();
    const { queued_at: _, ...old } = row;
    await outbox.bulkPut([old]);
    expect(queuedAt(old)).toBe(SUNDAY);
    await drainOutbox();
    expect(pushes()[0].outbox_oldest_at).toBe(SUNDAY);
  });
});

describe('an empty outbox', () => {
  it('once the outbox is emptied, one push without mutations says so', async () => {
    await completeVisit(done('v1'));
    await completeVisit(done('v2'));
    await drainOutbox();
    expect(pushes().map((b) => [b.mutations.length, b.outbox_size])).toEqual([[2, 2], [0, 0]]);
    const report = pushes()[1];
    expect(report.outbox_oldest_at).toBeUndefined();
    expect(report.device_time).toMatch(/[+-]\d\d:\d\d$/);
  });

  it('an outbox the server already knows is empty is not reported again', async () => {
    await completeVisit(done('v1'));
    await drainOutbox();
    server.requests.length = 0;
    await drainOutbox();
    await drainOutbox();
    expect(pushes()).toEqual([]);
  });

  it('a phone that has not told this server about its outbox yet (a new login) reports it empty', async () => {
    await setMeta('reported_outbox_size', null);
    await drainOutbox();
    expect(pushes().map((b) => b.outbox_size)).toEqual([0]);
    await drainOutbox();
    expect(pushes()).toHaveLength(1);
  });

  it('a mutation left unanswered keeps the outbox non-empty: no empty report', async () => {
    await planVisit({ client_id: 'c1', starts_at: '2026-11-25T09:00:00+01:00' });
    const realFetch = server.fetch;
    vi.stubGlobal('fetch', async (url, init) => {
      const response = await realFetch(url, init);
      if (!String(url).includes('/api/sync/push')) return response;
      return new Response(JSON.stringify({ results: [], server_time: '2026-11-23T10:00:00Z' }), { status: 200 });
    });
    await drainOutbox();
    expect(pushes().map((b) => b.outbox_size)).toEqual([1]);
  });

  it('an empty report that did not arrive is sent again at the next sync', async () => {
    await completeVisit(done('v1'));
    const realFetch = server.fetch;
    vi.stubGlobal('fetch', async (url, init) => {
      if (String(url).includes('/api/sync/push') && !JSON.parse(init.body).mutations.length) {
        throw new TypeError('Failed to fetch');
      }
      return realFetch(url, init);
    });
    await expect(drainOutbox()).rejects.toThrow();
    expect(await outbox.count()).toBe(0);
    vi.stubGlobal('fetch', realFetch);

    await drainOutbox();

    expect(pushes().map((b) => [b.mutations.length, b.outbox_size])).toEqual([[1, 1], [0, 0]]);
  });
});

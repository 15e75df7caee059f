import { beforeEach, describe, expect, it, vi } from 'vitest';
import { completeVisit, planVisit } from '../src/data/actions.js';
import { getMeta, outbox, records } from '../src/data/db.js';
import { recordState } from '../src/data/queries.js';
import { planPage } from '../src/sync/page.js';
import { pull } from '../src/sync/pull.js';
import { drainOutbox } from '../src/sync/push.js';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';

let server;

beforeEach(async () => {
  server = createFakeServer();
  await signIn(server, { vi });
});

function givenCaseload() {
  server.put('client', 'c1', clientData({ name: 'Karin' }));
  server.put('client', 'c2', clientData({ name: 'Olle' }));
  server.put('visit', 'v1', visitData('c1'));
  server.put('visit', 'v2', visitData('c2'));
  server.put('note', 'n1', { client_id: 'c1', visit_id: null, text: 'Hej', written_at: '2026-11-20T10:00:00+01:00' });
}

const keys = async () => (await records.all()).map((r) => `${r.type}:${r.id}`).sort();
const done = (id) => ({
  id, started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:30:00+01:00', minutes: 30,
  activities: [{ activity_id: 'a1', done: true, support_level: 'reminder' }],
});

describe('the page size', () => {
  it("asks for the most records a page may hold (the contract's pull_limit_max), so a first sync over 3G is few round trips", async () => {
    givenCaseload();
    await pull();
    const asked = server.requestsTo('/api/sync/pull').map((r) => r.query.get('limit'));
    expect(asked).toEqual(['2000']);
  });
});

describe('planning a pull page', () => {
  it('purge comes before changes, so a record purged and brought back in one response stays', () => {
    const plan = planPage({
      purge: [{ type: 'client', id: 'c1' }, { type: 'note', id: 'n1' }, { type: 'visit', id: 'v9' }],
      changes: [
        { type: 'visit', id: 'v9', version: 2, deleted: false, data: { id: 'v9' } },
        { type: 'visit', id: 'v8', version: 3, deleted: true, data: null },
      ],
    });
    expect(plan.purgeClients).toEqual(['c1']);
    expect(plan.deletes).toEqual(['note:n1', 'visit:v8']);
    expect(plan.puts.map((c) => c.id)).toEqual(['v9']);
  });
});

describe('pull', () => {
  it('a first sync stores every record, the cursor, the epoch and the minimum app version', async () => {
    givenCaseload();
    await pull();
    expect(await keys()).toEqual(['client:c1', 'client:c2', 'note:n1', 'visit:v1', 'visit:v2']);
    expect(JSON.parse(await getMeta('cursor'))).toEqual({ e: 'epoch-1', seq: 5 });
    expect(await getMeta('epoch')).toBe('epoch-1');
    expect(await getMeta('min_app_version')).toBe('1.0.0');
    expect(server.requestsTo('/api/sync/pull')[0].query.has('cursor')).toBe(false);
  });

  it('a paged first sync reports its progress from the server\'s remaining count', async () => {
    givenCaseload();
    const progress = [];
    await pull({ limit: 2, onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([{ done: 2, remaining: 3 }, { done: 4, remaining: 1 }, null]);
    expect(await keys()).toHaveLength(5);
  });

  it('a client purge deletes the client and every record with its client_id, but not the outbox', async () => {
    givenCaseload();
    await pull();
    await completeVisit(done('v1'));
    const pending = await outbox.all();
    server.purgeClient('c1');
    await pull();
    expect(await keys()).toEqual(['client:c2', 'visit:v2']);
    expect(await outbox.all()).toEqual(pending);
    // The work about the purged client is still sent, and does not bring the client back.
    await drainOutbox();
    expect(server.pushed.map((m) => m.id)).toEqual([pending[0].id]);
    await pull();
    expect(await keys()).toEqual(['client:c2', 'visit:v2']);
  });

  it('a purge of a single record deletes only that record', async () => {
    givenCaseload();
    await pull();
    server.purges.push({ type: 'note', id: 'n1' });
    await pull();
    expect(await keys()).toEqual(['client:c1', 'client:c2', 'visit:v1', 'visit:v2']);
  });

  it('a client purged and brought back in the same response is held afterwards', async () => {
    givenCaseload();
    await pull();
    server.purges.push({ type: 'client', id: 'c1' });
    server.put('client', 'c1', clientData({ name: 'Karin B' }));
    await pull();
    expect((await records.get(['client', 'c1'])).data.name).toBe('Karin B');
    expect(await records.get(['visit', 'v1'])).toBeUndefined();
  });

  it('a tombstone deletes the record', async () => {
    givenCaseload();
    await pull();
    server.remove('visit', 'v2');
    await pull();
    expect(await records.get(['visit', 'v2'])).toBeUndefined();
  });

  it('the cursor is stored only with its page: a page that fails to store leaves the previous cursor', async () => {
    givenCaseload();
    const progress = [];
    // Page 2 holds a value IndexedDB cannot store, so its transaction fails.
    const realFetch = server.fetch;
    let pages = 0;
    vi.stubGlobal('fetch', async (url, init) => {
      if (String(url).startsWith('/api/sync/pull') && ++pages === 2) server.nextPageHook = (body) => {
        body.changes[0] = { ...body.changes[0], data: { ...body.changes[0].data, bad: () => {} } };
      };
      return realFetch(url, init);
    });
    await expect(pull({ limit: 2, onProgress: (p) => progress.push(p) })).rejects.toThrow();
    const firstCursor = JSON.parse(server.requestsTo('/api/sync/pull')[1].query.get('cursor'));
    expect(JSON.parse(await getMeta('cursor'))).toEqual(firstCursor);
    expect(await keys()).toEqual(['client:c1', 'client:c2']);
    expect(await getMeta('session')).toEqual({ done: 2, remaining: 3 });

    // The app restarts: the pull resumes at page 2 with the stored mid-session cursor.
    server.requests.length = 0;
    await pull({ limit: 2 });
    expect(JSON.parse(server.requestsTo('/api/sync/pull')[0].query.get('cursor'))).toEqual(firstCursor);
    expect(await keys()).toEqual(['client:c1', 'client:c2', 'note:n1', 'visit:v1', 'visit:v2']);
    expect(await getMeta('session')).toBeUndefined();
  });

  it('a first sync cut off by the network at page 2 goes on at page 2', async () => {
    givenCaseload();
    const realFetch = server.fetch;
    let pages = 0;
    vi.stubGlobal('fetch', async (url, init) => {
      if (String(url).startsWith('/api/sync/pull') && ++pages === 2) throw new TypeError('Failed to fetch');
      return realFetch(url, init);
    });
    await expect(pull({ limit: 2 })).rejects.toMatchObject({ code: 'offline' });
    const stored = await getMeta('cursor');
    expect(JSON.parse(stored)).toMatchObject({ high: 5, pos: 2 });
    server.requests.length = 0;
    await pull({ limit: 2 });
    const cursors = server.requestsTo('/api/sync/pull').map((r) => r.query.get('cursor'));
    expect(cursors[0]).toBe(stored);
    expect(cursors).toHaveLength(2);
    expect(await keys()).toHaveLength(5);
  });

  it('a pulled server copy of a record with pending mutations shows the server\'s changes with the pending ones on top', async () => {
    givenCaseload();
    await pull();
    await completeVisit(done('v1'));
    // Meanwhile the office moved the visit to another place.
    server.put('visit', 'v1', { ...server.get('visit', 'v1').data, place: 'Biblioteket' });
    await pull();
    const row = await records.get(['visit', 'v1']);
    expect(row.version).toBe(2);
    expect(row.server).toMatchObject({ status: 'planned', place: 'Biblioteket' });
    expect(row.data).toMatchObject({ status: 'done', minutes: 30, place: 'Biblioteket' });
    expect(await recordState('visit', 'v1')).toBe('saved');
  });

  it('once applied and pulled, a record shows the server\'s version and is confirmed', async () => {
    givenCaseload();
    await pull();
    const id = await planVisit({ client_id: 'c1', starts_at: '2026-11-25T09:00:00+01:00' });
    await drainOutbox();
    await pull();
    const row = await records.get(['visit', id]);
    expect(row.version).toBe(1);
    expect(row.server).toEqual(row.data);
    expect(await recordState('visit', id)).toBe('confirmed');
  });
});

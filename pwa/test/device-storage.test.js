// The phone's report on itself (sync/device-report.js, docs/phone-security.md): its storage
// for its data budget and the sync dashboard, and the protected details it showed, for the
// server's access log; at most every 15 minutes unless details were shown; never in the way.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getMeta, records } from '../src/data/db.js';
import { showProtected, shownQueue } from '../src/data/protected.js';
import { isoWithOffset } from '../src/data/time.js';
import { pull } from '../src/sync/pull.js';
import { REPORT_INTERVAL_MS, reportDevice } from '../src/sync/device-report.js';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';

const T0 = new Date('2026-11-23T09:00:00Z');
const later = (ms) => new Date(T0.getTime() + ms);
const env = { navigator: { storage: { estimate: async () => ({ usage: 3_500_000, quota: 900_000_000 }) } } };

let server;
let reports;
let answer;

beforeEach(async () => {
  server = createFakeServer();
  server.put('client', 'c1', clientData({ name: 'Karin', protected_identity: true, whereabouts: 'Tallbacken 4', phone: '070-123' }));
  server.put('visit', 'v1', visitData('c1'));
  await signIn(server, { vi });
  await pull();
  reports = [];
  answer = { status: 200, body: { budget: { records: 20000, megabytes: 100 }, over_budget: false } };
  const inner = server.fetch;
  vi.stubGlobal('fetch', async (url, init) => {
    if (String(url) !== '/api/device/report') return inner(url, init);
    reports.push(JSON.parse(init.body));
    return { ok: answer.status === 200, status: answer.status, json: async () => answer.body };
  });
});

describe('the storage report', () => {
  it('says how many records the phone holds and what the browser counts, and keeps the budget it is told', async () => {
    const kept = await reportDevice({ now: T0, env });
    expect(reports).toEqual([{ storage: { records: await records.count(), bytes_used: 3_500_000, bytes_quota: 900_000_000 }, shown: [] }]);
    expect(kept).toEqual({ records: 2, bytes_used: 3_500_000, bytes_quota: 900_000_000, budget: { records: 20000, megabytes: 100 }, over_budget: false, reported_at: T0.toISOString() });
    expect(await getMeta('storage_report')).toEqual(kept);
  });

  it('goes at most every 15 minutes', async () => {
    await reportDevice({ now: T0, env });
    await reportDevice({ now: later(REPORT_INTERVAL_MS - 1), env });
    expect(reports).toHaveLength(1);
    await reportDevice({ now: later(REPORT_INTERVAL_MS), env });
    expect(reports).toHaveLength(2);
  });

  it('a browser without storage estimates reports the records alone', async () => {
    await reportDevice({ now: T0, env: {} });
    expect(reports[0].storage).toEqual({ records: 2, bytes_used: null, bytes_quota: null });
  });

  it('over budget is kept for the phone to say so', async () => {
    answer.body = { budget: { records: 1, megabytes: 100 }, over_budget: true };
    expect((await reportDevice({ now: T0, env })).over_budget).toBe(true);
  });

  it('offline, or a server without the route, it says nothing and tries at the next sync', async () => {
    answer = { status: 404, body: { code: 404, message: 'Not found' } };
    await expect(reportDevice({ now: T0, env })).resolves.toBeNull();
    answer = { status: 200, body: { budget: { records: 20000, megabytes: 100 }, over_budget: false } };
    await reportDevice({ now: later(1000), env });
    expect(reports).toHaveLength(2);
  });
});

describe('protected details shown', () => {
  it('each showing goes with the next report, at once, and then is forgotten', async () => {
    await reportDevice({ now: T0, env });
    await showProtected('c1', { now: later(60_000) });
    await reportDevice({ now: later(120_000), env });
    expect(reports[1].shown).toEqual([{ client_id: 'c1', fields: ['whereabouts', 'phone'], at: isoWithOffset(later(60_000)) }]);
    expect(await shownQueue()).toEqual([]);
  });

  it('a report that did not arrive keeps them for the next', async () => {
    await showProtected('c1', { now: T0 });
    answer = { status: 503, body: { code: 503, message: 'Busy', reason: 'busy' } };
    await reportDevice({ now: T0, env });
    expect(await shownQueue()).toHaveLength(1);
  });

  it('a supervisor\'s phone shows none', async () => {
    await import('../src/data/db.js').then(({ setMeta }) => setMeta('user', { ...server.user, role: 'supervisor' }));
    await expect(showProtected('c1')).rejects.toMatchObject({ code: 'not_assigned' });
    expect(await shownQueue()).toEqual([]);
  });
});

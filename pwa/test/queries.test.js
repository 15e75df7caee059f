import { beforeEach, describe, expect, it } from 'vitest';
import { completeVisit, planVisit } from '../src/data/actions.js';
import { records, setMeta } from '../src/data/db.js';
import { attentionItems, caseload, clientPage, pendingCount, visitsBetween, visitsOn } from '../src/data/queries.js';
import { serverRow } from '../src/data/records.js';
import { clientData, visitData } from './fake-server.js';

let version = 0;
async function seed(type, id, data) {
  version += 1;
  await records.put(serverRow(type, id, version, { id, ...data }));
}

const doneVisit = (clientId, startedAt, minutes, extra = {}) =>
  visitData(clientId, { status: 'done', starts_at: startedAt, started_at: startedAt, ended_at: startedAt, minutes, ...extra });

beforeEach(async () => {
  await setMeta('user', { id: 'u1', name: 'Ada' });
  await seed('client', 'c1', clientData({ name: 'Karin', service: 'housing_support' }));
  await seed('client', 'c2', clientData({ name: 'Anders', service: 'cm', protected_identity: true }));
});

describe('visitsOn', () => {
  it('lists the worker\'s visits on a Stockholm date in time order, with client and state', async () => {
    await seed('visit', 'late', visitData('c1', { starts_at: '2026-11-23T09:00:00+00:00' })); // 10:00 in Stockholm
    await seed('visit', 'early', visitData('c2', { starts_at: '2026-11-23T09:30:00+01:00' }));
    await seed('visit', 'done', doneVisit('c1', '2026-11-23T12:00:00+01:00', 30, { starts_at: '2026-11-22T12:00:00+01:00' }));
    await seed('visit', 'night', visitData('c1', { starts_at: '2026-11-23T23:30:00+00:00' })); // 00:30 on the 24th
    await seed('visit', 'other', visitData('c1', { worker_id: 'u2', starts_at: '2026-11-23T11:00:00+01:00' }));
    await seed('visit', 'yesterday', visitData('c1', { starts_at: '2026-11-22T23:30:00+01:00' }));
    await seed('parked', 'p1', { status: 'open', record_type: 'visit', record_id: 'late' });

    const visits = await visitsOn('2026-11-23');
    expect(visits.map((v) => v.id)).toEqual(['early', 'late', 'done']);
    expect(visits[0].client).toEqual({ id: 'c2', name: 'Anders', protected_identity: true });
    expect(visits.map((v) => v.state)).toEqual(['confirmed', 'attention', 'confirmed']);
    expect((await visitsOn('2026-11-24T08:00:00+01:00')).map((v) => v.id)).toEqual(['night']);
  });

  it('shows a visit the worker just planned at once, as saved', async () => {
    const id = await planVisit({ client_id: 'c1', starts_at: '2026-11-23T15:00:00+01:00' });
    const [visit] = await visitsOn('2026-11-23');
    expect(visit).toMatchObject({ id, status: 'planned', state: 'saved', client: { name: 'Karin' } });
  });

  it('a completed visit moves to the day it was done', async () => {
    await seed('visit', 'v1', visitData('c1', { starts_at: '2026-11-23T10:00:00+01:00' }));
    await completeVisit({ id: 'v1', started_at: '2026-11-24T10:00:00+01:00', ended_at: '2026-11-24T10:30:00+01:00', minutes: 30, activities: [] });
    expect(await visitsOn('2026-11-23')).toEqual([]);
    expect((await visitsOn('2026-11-24')).map((v) => [v.id, v.status])).toEqual([['v1', 'done']]);
  });

  it('visitsBetween includes both end dates', async () => {
    for (const day of ['20', '21', '22', '23']) await seed('visit', `d${day}`, visitData('c1', { starts_at: `2026-11-${day}T10:00:00+01:00` }));
    expect((await visitsBetween('2026-11-21', '2026-11-22')).map((v) => v.id)).toEqual(['d21', 'd22']);
  });
});

describe('clientPage', () => {
  it('counts this month\'s hours in Stockholm against the hours granted', async () => {
    await seed('order', 'o1', { client_id: 'c1', service: 'housing_support', period_start: '2026-01-01', period_end: null, hours_per_month: 10 });
    await seed('visit', 'a', doneVisit('c1', '2026-11-02T10:00:00+01:00', 90));
    await seed('visit', 'b', doneVisit('c1', '2026-11-20T10:00:00+01:00', 45));
    await seed('visit', 'c', doneVisit('c1', '2026-10-31T23:30:00+00:00', 60)); // 00:30 on 1 November
    await seed('visit', 'd', doneVisit('c1', '2026-11-30T23:30:00+00:00', 600)); // 00:30 on 1 December
    await seed('visit', 'e', visitData('c1', { starts_at: '2026-11-21T10:00:00+01:00', minutes: 999 }));
    const page = await clientPage('c1', { now: new Date('2026-11-25T12:00:00Z') });
    expect(page.hoursThisMonth).toEqual({ granted: 10, used: (90 + 45 + 60) / 60 });
    expect(page.order.id).toBe('o1');
    expect(page.visits.map((v) => v.id)).toEqual(['d', 'e', 'b', 'a', 'c']);
  });

  it('a case-management client has no granted hours', async () => {
    await seed('order', 'o2', { client_id: 'c2', service: 'cm', hours_per_month: null });
    const page = await clientPage('c2', { now: new Date('2026-11-25T12:00:00Z') });
    expect(page.hoursThisMonth).toEqual({ granted: null, used: 0 });
  });

  it('gathers the plan, notes (newest first) and the open parked items about the client', async () => {
    await seed('plan', 'pl', { client_id: 'c1', activities: [{ id: 'a1', name: 'Tvätt', support_level: 'reminder' }] });
    await seed('note', 'n1', { client_id: 'c1', text: 'första', written_at: '2026-11-01T10:00:00+01:00' });
    await seed('note', 'n2', { client_id: 'c1', text: 'andra', written_at: '2026-11-02T10:00:00+01:00' });
    await seed('visit', 'v1', visitData('c1'));
    await seed('parked', 'p1', { status: 'open', record_type: 'visit', record_id: 'v1', reason: 'conflict' });
    await seed('parked', 'p2', { status: 'open', record_type: 'visit', record_id: 'gone', reason: 'forbidden', mutation: { args: { client_id: 'c1' } } });
    await seed('parked', 'p3', { status: 'open', record_type: 'visit', record_id: 'x', mutation: { args: { client_id: 'c2' } } });
    await seed('parked', 'p4', { status: 'resolved', record_type: 'visit', record_id: 'v1' });
    const page = await clientPage('c1');
    expect(page.plan.id).toBe('pl');
    expect(page.notes.map((n) => n.id)).toEqual(['n2', 'n1']);
    expect(page.parked.map((p) => p.id).sort()).toEqual(['p1', 'p2']);
    expect(page.visits[0].state).toBe('attention');
  });

  it('is null for a client the phone does not hold', async () => {
    expect(await clientPage('nobody')).toBeNull();
  });
});

describe('caseload and attention', () => {
  it('lists clients by name with their next visit, last visit and open parked items', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    await seed('visit', 'past', doneVisit('c1', '2026-11-20T10:00:00+01:00', 30));
    await seed('visit', 'soon', visitData('c1', { starts_at: '2026-11-24T10:00:00+01:00' }));
    await seed('visit', 'later', visitData('c1', { starts_at: '2026-11-30T10:00:00+01:00' }));
    await seed('parked', 'p1', { status: 'open', record_type: 'visit', record_id: 'soon' });
    const list = await caseload({ now });
    expect(list.map((e) => e.client.name)).toEqual(['Anders', 'Karin']);
    expect(list[1]).toMatchObject({ nextVisit: { id: 'soon' }, lastVisit: { id: 'past' }, attention: 1 });
    expect(list[0]).toMatchObject({ nextVisit: null, lastVisit: null, attention: 0 });
  });

  it('attention items come with the record and client they concern', async () => {
    await seed('visit', 'v1', visitData('c1'));
    await seed('parked', 'p1', { status: 'open', record_type: 'visit', record_id: 'v1', created_at: '2026-11-23T10:00:00+01:00' });
    const [item] = await attentionItems();
    expect(item).toMatchObject({ parked: { id: 'p1' }, record: { id: 'v1' }, client: { id: 'c1', name: 'Karin' }, state: 'confirmed' });
  });

  it('an open parked item about no readable record still needs attention', async () => {
    await seed('parked', 'p9', { status: 'open', record_type: null, record_id: null, reason: 'unknown_mutation', created_at: '2026-11-23T10:00:00+01:00' });
    const [item] = await attentionItems();
    expect(item).toMatchObject({ parked: { id: 'p9', reason: 'unknown_mutation' }, record: null, client: null });
  });

  it('a parked item about a client\'s own record counts for that client', async () => {
    await seed('parked', 'p1', { status: 'open', record_type: 'client', record_id: 'c2', reason: 'conflict' });
    const list = await caseload();
    expect(list.find((e) => e.client.id === 'c2').attention).toBe(1);
  });

  it('reads a caseload of 15 clients and 500 visits quickly', async () => {
    const rows = [];
    for (let c = 0; c < 15; c += 1) rows.push(serverRow('client', `k${c}`, 1, { id: `k${c}`, ...clientData({ name: `Klient ${c}` }) }));
    for (let v = 0; v < 500; v += 1) {
      const day = String(1 + (v % 28)).padStart(2, '0');
      rows.push(serverRow('visit', `x${v}`, 1, { id: `x${v}`, ...visitData(`k${v % 15}`, { starts_at: `2026-11-${day}T10:00:00+01:00` }) }));
    }
    await records.bulkPut(rows);
    const started = performance.now();
    const [today, page, list] = await Promise.all([visitsOn('2026-11-10'), clientPage('k3'), caseload()]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(today).toHaveLength(18);
    expect(page.visits).toHaveLength(34);
    expect(list).toHaveLength(17);
    expect(await pendingCount()).toBe(0);
  });
});

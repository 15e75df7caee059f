import { describe, expect, it, vi } from 'vitest';
import { cancelVisit, completeVisit, logVisit, planVisit, resolveParked, startVisit } from '../src/data/actions.js';
import { drafts, getMeta, outbox, records, setMeta } from '../src/data/db.js';
import { chooseBase, stateOf } from '../src/data/outbox.js';
import { recordState } from '../src/data/queries.js';
import { serverRow } from '../src/data/records.js';
import { clientData, visitData } from './fake-server.js';

async function seed(type, id, version, data) {
  await records.put(serverRow(type, id, version, { id, ...data }));
}

async function givenAVisit({ version = 3 } = {}) {
  await setMeta('user', { id: 'u1', name: 'Ada' });
  await seed('client', 'c1', 1, clientData());
  await seed('visit', 'v1', version, visitData('c1'));
}

const completion = (overrides = {}) => ({
  id: 'v1', started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:45:00+01:00', minutes: 45,
  activities: [{ activity_id: 'a1', done: true, support_level: 'reminder' }], ...overrides,
});

describe('the outbox', () => {
  it('an action updates the record and appends its mutation together', async () => {
    await givenAVisit();
    await completeVisit(completion());
    const visit = await records.get(['visit', 'v1']);
    expect(visit.data).toMatchObject({ status: 'done', minutes: 45 });
    expect(visit.server.status).toBe('planned');
    const [mutation] = await outbox.all();
    expect(mutation).toMatchObject({ name: 'visit.complete', device_seq: 1, base_version: 3, args: completion() });
    expect(mutation.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(mutation.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });

  it('when the record cannot be written, no mutation is queued and no device_seq is used', async () => {
    await givenAVisit();
    vi.spyOn(records, 'bulkPut').mockRejectedValueOnce(new Error('disk full'));
    await expect(completeVisit(completion())).rejects.toThrow('disk full');
    expect(await outbox.count()).toBe(0);
    expect(await getMeta('device_seq')).toBeUndefined();
    expect((await records.get(['visit', 'v1'])).data.status).toBe('planned');
  });

  it('device_seq increases by one per mutation and is kept in meta', async () => {
    await givenAVisit();
    await setMeta('device_seq', 41);
    await planVisit({ client_id: 'c1', starts_at: '2026-11-24T09:00:00+01:00' });
    await logVisit({ client_id: 'c1', started_at: '2026-11-22T09:00:00+01:00', ended_at: '2026-11-22T09:30:00+01:00', activities: [] });
    await completeVisit(completion());
    const seqs = (await outbox.inOrder()).map((m) => m.device_seq);
    expect(seqs).toEqual([42, 43, 44]);
    expect(await getMeta('device_seq')).toBe(44);
  });

  it('an edit of a record with nothing pending builds on the version the phone holds', async () => {
    await givenAVisit({ version: 7 });
    await cancelVisit({ id: 'v1', reason: 'client_cancelled' });
    const [mutation] = await outbox.all();
    expect(mutation.base_version).toBe(7);
    expect(mutation).not.toHaveProperty('base_mutation_id');
  });

  it('an edit of a record with a pending mutation builds on that mutation, not on a version', async () => {
    await givenAVisit();
    const id = await planVisit({ client_id: 'c1', starts_at: '2026-11-24T09:00:00+01:00' });
    await completeVisit(completion({ id }));
    const [plan, done] = await outbox.inOrder();
    expect(plan).not.toHaveProperty('base_version');
    expect(plan).not.toHaveProperty('base_mutation_id');
    expect(done.base_mutation_id).toBe(plan.id);
    expect(done).not.toHaveProperty('base_version');
  });

  it('the base is the latest pending mutation of the record, an applied one not yet pulled, or the held version', () => {
    expect(chooseBase({ version: 2 }, [{ id: 'a', device_seq: 5 }, { id: 'b', device_seq: 9 }, { id: 'c', device_seq: 7 }])).toEqual({ base_mutation_id: 'b' });
    expect(chooseBase({ version: 2, applied_mutation_id: 'x' }, [])).toEqual({ base_mutation_id: 'x' });
    expect(chooseBase({ version: 2, applied_mutation_id: 'x' }, [{ id: 'b', device_seq: 1 }])).toEqual({ base_mutation_id: 'b' });
    expect(chooseBase({ version: 2 }, [])).toEqual({ base_version: 2 });
  });

  it('a resolution of a parked item builds on the parked record\'s version', async () => {
    await setMeta('user', { id: 'u1' });
    await seed('parked', 'p1', 2, { status: 'open', record_type: 'visit', record_id: 'v1', reason: 'conflict' });
    await resolveParked({ parked_id: 'p1', action: 'discard' });
    const [mutation] = await outbox.all();
    expect(mutation).toMatchObject({ name: 'parked.resolve', base_version: 2, args: { parked_id: 'p1', action: 'discard' } });
    expect(await recordState('parked', 'p1')).toBe('saved');
    expect((await records.get(['parked', 'p1'])).about).toBeUndefined();
  });

  it('starting a visit is kept on the phone only and completing it clears the mark', async () => {
    await givenAVisit();
    await startVisit('v1', '2026-11-23T10:01:00+01:00');
    expect(await outbox.count()).toBe(0);
    expect(await drafts.get('v1')).toEqual({ visit_id: 'v1', started_at: '2026-11-23T10:01:00+01:00' });
    await completeVisit(completion());
    expect(await drafts.get('v1')).toBeUndefined();
  });

  it('a record is saved while its mutation waits, sent while in a push, and confirmed with none', async () => {
    await givenAVisit();
    expect(await recordState('visit', 'v1')).toBe('confirmed');
    await completeVisit(completion());
    expect(await recordState('visit', 'v1')).toBe('saved');
    await outbox.setInFlight((await outbox.all()).map((m) => m.id), 1);
    expect(await recordState('visit', 'v1')).toBe('sent');
  });

  it('a record that an open parked item names needs attention, until the item is resolved', async () => {
    await givenAVisit();
    await seed('parked', 'p1', 1, { status: 'open', record_type: 'visit', record_id: 'v1', reason: 'conflict' });
    expect(await recordState('visit', 'v1')).toBe('attention');
    await seed('parked', 'p1', 2, { status: 'resolved', record_type: 'visit', record_id: 'v1', reason: 'conflict' });
    expect(await recordState('visit', 'v1')).toBe('confirmed');
  });

  it('attention outranks pending work in the state', () => {
    expect(stateOf([{ in_flight: 1 }], true)).toBe('attention');
    expect(stateOf([{ in_flight: 0 }, { in_flight: 1 }], false)).toBe('sent');
    expect(stateOf([{ in_flight: 0 }], false)).toBe('saved');
    expect(stateOf([], false)).toBe('confirmed');
  });

  it('an edit of a record the phone does not hold is refused', async () => {
    await setMeta('user', { id: 'u1' });
    await expect(cancelVisit({ id: 'nope', reason: 'no_show' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await outbox.count()).toBe(0);
  });
});

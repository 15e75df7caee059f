import { describe, expect, it } from 'vitest';
import { applyEffect, recordKey, replay, touches } from '../src/data/effects.js';
import { noteIdFor } from '../src/data/ids.js';

const ctx = { userId: 'u1' };
const planned = {
  id: 'v1', client_id: 'c1', worker_id: 'u1', status: 'planned',
  starts_at: '2026-11-23T10:00:00+01:00', ends_at: '2026-11-23T11:00:00+01:00',
  started_at: null, ended_at: null, minutes: null, activities: [], place: 'Hemma',
  cancel_reason: null, cancelled_at: null,
};
const complete = (overrides = {}) => ({
  id: 'm1', device_seq: 1, name: 'visit.complete', occurred_at: '2026-11-23T11:05:00+01:00',
  args: {
    id: 'v1', started_at: '2026-11-23T10:02:00+01:00', ended_at: '2026-11-23T10:47:00+01:00',
    activities: [{ activity_id: 'a1', done: true, support_level: 'start_together' }],
    ...overrides,
  },
});

describe('local effects', () => {
  it('completing a visit marks it done with its times, minutes and activities and keeps the rest', () => {
    const view = applyEffect({ 'visit:v1': planned }, complete({ minutes: 40 }), ctx);
    expect(view['visit:v1']).toEqual({
      ...planned, status: 'done', started_at: '2026-11-23T10:02:00+01:00', ended_at: '2026-11-23T10:47:00+01:00',
      minutes: 40, activities: [{ activity_id: 'a1', done: true, support_level: 'start_together', not_done_reason: null }],
    });
  });

  it('a completion without minutes counts them from the start and end times', () => {
    expect(applyEffect({ 'visit:v1': planned }, complete(), ctx)['visit:v1'].minutes).toBe(45);
  });

  it('cancelling a visit records the reason and the time of the work', () => {
    const cancel = { id: 'm2', device_seq: 2, name: 'visit.cancel', occurred_at: '2026-11-23T09:00:00+01:00', args: { id: 'v1', reason: 'no_show' } };
    const visit = applyEffect({ 'visit:v1': planned }, cancel, ctx)['visit:v1'];
    expect(visit).toMatchObject({ status: 'cancelled', cancel_reason: 'no_show', cancelled_at: '2026-11-23T09:00:00+01:00' });
  });

  it('planning a visit creates it as planned, written by the logged-in worker', () => {
    const plan = { id: 'm3', device_seq: 3, name: 'visit.plan', occurred_at: 'x', args: { id: 'v9', client_id: 'c1', starts_at: '2026-11-24T09:00:00+01:00' } };
    expect(applyEffect({}, plan, ctx)['visit:v9']).toMatchObject({ id: 'v9', client_id: 'c1', worker_id: 'u1', status: 'planned', starts_at: '2026-11-24T09:00:00+01:00', ends_at: null });
  });

  it('a create never overwrites the server copy the phone already holds', () => {
    const server = { ...planned, id: 'v9', status: 'done' };
    const plan = { id: 'm3', device_seq: 3, name: 'visit.plan', occurred_at: 'x', args: { id: 'v9', client_id: 'c1', starts_at: 'y' } };
    expect(applyEffect({ 'visit:v9': server }, plan, ctx)['visit:v9']).toBe(server);
  });

  it('an edit of a record the phone does not hold brings nothing back', () => {
    expect(applyEffect({ 'visit:v1': null }, complete(), ctx)).toEqual({ 'visit:v1': null });
  });

  it('a note given with a visit mutation becomes a note record with the id the server will give it', async () => {
    const note_id = await noteIdFor('m1');
    const mutation = { ...complete({ note: 'Gick bra' }), note_id };
    expect(touches(mutation)).toEqual(['visit:v1', recordKey('note', note_id)]);
    expect(applyEffect({ 'visit:v1': planned }, mutation, ctx)[recordKey('note', note_id)]).toEqual({
      id: note_id, client_id: 'c1', visit_id: 'v1', author_id: 'u1', text: 'Gick bra', written_at: '2026-11-23T11:05:00+01:00',
    });
  });

  it('resolving a parked item closes it with the action taken', () => {
    const resolve = { id: 'm4', device_seq: 4, name: 'parked.resolve', occurred_at: 'x', args: { parked_id: 'p1', action: 'discard' } };
    const view = applyEffect({ 'parked:p1': { id: 'p1', status: 'open' } }, resolve, ctx);
    expect(view['parked:p1']).toEqual({ id: 'p1', status: 'resolved', resolution: { action: 'discard', by: 'u1', mutation_id: 'm4' } });
  });

  it('an effect leaves the view it was given unchanged', () => {
    const view = { 'visit:v1': planned };
    applyEffect(view, complete(), ctx);
    expect(view['visit:v1']).toBe(planned);
    expect(planned.status).toBe('planned');
  });

  it('replay applies pending mutations in device_seq order whatever order they come in', () => {
    const done = complete();
    const cancel = { id: 'm0', device_seq: 0, name: 'visit.cancel', occurred_at: 'x', args: { id: 'v1', reason: 'no_show' } };
    // Cancelled first, then completed: the completion is what the worker did last.
    expect(replay({ 'visit:v1': planned }, [done, cancel], ctx)['visit:v1'].status).toBe('done');
    expect(replay({ 'visit:v1': planned }, [{ ...cancel, device_seq: 5 }, done], ctx)['visit:v1'].status).toBe('cancelled');
  });

  it('an unknown mutation name has no local effect and touches nothing', () => {
    const mutation = { id: 'm', device_seq: 1, name: 'future.thing', args: { id: 'x' } };
    expect(touches(mutation)).toEqual([]);
    const view = { a: 1 };
    expect(applyEffect(view, mutation, ctx)).toBe(view);
  });
});

describe('ids', () => {
  it('the note id derived from a mutation id equals the server\'s uuid5', async () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'faltstod:mutation:3f0c8a2e-1b7d-4c55-9e2a-7d1f0b6c4a11:note'))"
    expect(await noteIdFor('3f0c8a2e-1b7d-4c55-9e2a-7d1f0b6c4a11')).toBe('bcbf015a-99eb-56c8-88af-169ef3dae7fb');
  });
});

import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { completeVisit } from '../src/data/actions.js';
import { getMeta, outbox, records, sent, setMeta, staging } from '../src/data/db.js';
import { recordState } from '../src/data/queries.js';
import { serverRow } from '../src/data/records.js';
import { checkDigest, DIGEST_INTERVAL_MS, digestInput, digestOf, localDigest } from '../src/sync/digest.js';
import { createSyncEngine } from '../src/sync/engine.js';
import { pull } from '../src/sync/pull.js';
import { drainOutbox } from '../src/sync/push.js';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';

let server;

const expired = { code: 410, status: 'Gone', message: 'The cursor can no longer be served.', reason: 'cursor_expired' };
const done = (id) => ({
  id, started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:30:00+01:00', minutes: 30,
  activities: [{ activity_id: 'a1', done: true, support_level: 'reminder' }],
});
const keys = async () => (await records.all()).map((r) => `${r.type}:${r.id}`).sort();
const engine = (options = {}) => createSyncEngine({ timers: { setTimeout: () => 0, clearTimeout: () => {} }, env: {}, ...options });

/** A record the phone holds but the server never had: drift a replacement must repair. */
async function givenDrift() {
  await records.put(serverRow('visit', 'ghost', 4, { id: 'ghost', client_id: 'c1', status: 'planned', starts_at: '2026-11-23T08:00:00+01:00' }));
}

beforeEach(async () => {
  server = createFakeServer();
  server.put('client', 'c1', clientData());
  server.put('visit', 'v1', visitData('c1'));
  server.put('visit', 'v2', visitData('c1'));
  server.put('visit', 'v3', visitData('c1'));
  await signIn(server, { vi });
  await pull();
  server.requests.length = 0;
});

describe('replacement sync', () => {
  it('410 cursor_expired replaces what is held with a full pull and keeps the outbox and its local effects', async () => {
    await givenDrift();
    await completeVisit(done('v1'));
    const queued = await outbox.all();
    server.failNext('/api/sync/pull', 410, expired);
    await pull();
    expect(await keys()).toEqual(['client:c1', 'visit:v1', 'visit:v2', 'visit:v3']);
    expect(await outbox.all()).toEqual(queued);
    expect((await records.get(['visit', 'v1'])).data.status).toBe('done');
    expect(await staging.count()).toBe(0);
    expect(await getMeta('replacement')).toBeUndefined();
    const [, second] = server.requestsTo('/api/sync/pull');
    expect(second.query.has('cursor')).toBe(false);
  });

  it('until its last page is stored, a replacement leaves the held records as they were, and it resumes after an interruption', async () => {
    await givenDrift();
    server.failNext('/api/sync/pull', 410, expired);
    const realFetch = server.fetch;
    let pulls = 0;
    vi.stubGlobal('fetch', async (url, init) => {
      if (String(url).startsWith('/api/sync/pull') && ++pulls === 3) throw new TypeError('Failed to fetch');
      return realFetch(url, init);
    });
    await expect(pull({ limit: 2 })).rejects.toMatchObject({ code: 'offline' });
    expect(await keys()).toContain('visit:ghost');
    expect(await staging.count()).toBe(2);
    expect(await getMeta('replacement')).toMatchObject({ done: 2, remaining: 2 });
    await pull({ limit: 2 });
    expect(await keys()).toEqual(['client:c1', 'visit:v1', 'visit:v2', 'visit:v3']);
    expect(await getMeta('replacement')).toBeUndefined();
  });
});

describe('epoch change', () => {
  it('re-sends the applied mutations kept from before the restore and replaces what is held', async () => {
    const backup = structuredClone(server.get('visit', 'v1'));
    await completeVisit(done('v1'));
    const [mutation] = await outbox.all();
    await drainOutbox();
    await pull();
    expect(await sent.count()).toBe(1);
    // The server is restored from a backup taken before the visit was completed.
    server.records.set('visit:v1', backup);
    server.restore('epoch-2');
    await givenDrift();
    await engine().syncNow();
    expect(server.pushed.filter((m) => m.id === mutation.id)).toHaveLength(2);
    expect(server.get('visit', 'v1').data.status).toBe('done');
    expect(await getMeta('epoch')).toBe('epoch-2');
    expect(await keys()).toEqual(['client:c1', 'visit:v1', 'visit:v2', 'visit:v3']);
    expect((await records.get(['visit', 'v1'])).server.status).toBe('done');
    expect(await recordState('visit', 'v1')).toBe('confirmed');
    expect(await outbox.count()).toBe(0);
  });

  it('a re-sent mutation the restored server still knows gets its first answer and changes nothing', async () => {
    await completeVisit(done('v1'));
    await drainOutbox();
    const version = server.get('visit', 'v1').version;
    server.restore('epoch-2', { keepAnswers: true });
    await engine().syncNow();
    expect(server.pushed).toHaveLength(2);
    expect(server.get('visit', 'v1').version).toBe(version);
    expect(await outbox.count()).toBe(0);
  });

  it('a page whose epoch differs from the stored one is not stored; a replacement sync follows', async () => {
    server.expireOtherEpochs = false;
    await givenDrift();
    server.restore('epoch-2');
    server.put('visit', 'v4', visitData('c1'));
    await pull();
    const cursors = server.requestsTo('/api/sync/pull').map((r) => r.query.get('cursor'));
    expect(cursors.at(-1)).toBeNull();
    expect(await keys()).toEqual(['client:c1', 'visit:v1', 'visit:v2', 'visit:v3', 'visit:v4']);
    expect(await getMeta('epoch')).toBe('epoch-2');
  });
});

describe('digest', () => {
  const sha256 = (lines) => createHash('sha256').update(Buffer.concat(lines.map((l) => Buffer.from(l, 'utf8')).sort(Buffer.compare))).digest('hex');

  it('the digest is the SHA-256 of the sorted type:id:version lines', async () => {
    const triples = [['visit', 'b2', 3], ['client', 'a1', 1], ['visit', 'a9', 12], ['note', 'n', 1]];
    const lines = ['client:a1:1\n', 'note:n:1\n', 'visit:a9:12\n', 'visit:b2:3\n'];
    expect(await digestOf(triples)).toEqual({ digest: sha256(lines), count: 4 });
    expect(new TextDecoder().decode(digestInput(triples))).toBe(lines.join(''));
  });

  it('lines sort by UTF-8 bytes, not by JavaScript string order', async () => {
    // U+FF01 sorts after an astral character in UTF-16 but before it in UTF-8.
    const triples = [['note', '\u{1F600}', 1], ['note', '\uFF01', 1]];
    expect(new TextDecoder().decode(digestInput(triples))).toBe('note:\uFF01:1\nnote:\u{1F600}:1\n');
    expect((await digestOf(triples)).digest).toBe(sha256(['note:\u{1F600}:1\n', 'note:\uFF01:1\n']));
  });

  it('the local digest counts the server copies held, not records made here and not yet pulled', async () => {
    await completeVisit(done('v1'));
    await records.put({ ...serverRow('visit', 'new', 0, null), server: null, data: { id: 'new' } });
    expect((await localDigest()).digest).toBe(server.digest());
  });

  it('a mismatch at the same cursor starts a replacement sync that repairs the drift', async () => {
    await givenDrift();
    const now = new Date('2026-11-23T12:00:00Z');
    expect(await checkDigest({ now })).toBe('mismatch');
    expect(await getMeta('replacement')).toMatchObject({ cursor: null });
    await pull();
    expect(await keys()).not.toContain('visit:ghost');
    expect(await checkDigest({ now: new Date(now.getTime() + DIGEST_INTERVAL_MS) })).toBe('match');
  });

  it('is not compared when the server has moved past the stored cursor', async () => {
    await givenDrift();
    server.put('visit', 'v9', visitData('c1'));
    expect(await checkDigest()).toBe('moved');
    expect(await getMeta('replacement')).toBeUndefined();
  });

  it('is checked at most every six hours and never with an unsent outbox', async () => {
    const now = new Date('2026-11-23T12:00:00Z');
    await setMeta('digest_checked_at', new Date(now.getTime() - DIGEST_INTERVAL_MS + 60_000).toISOString());
    expect(await checkDigest({ now })).toBe('not_due');
    await completeVisit(done('v1'));
    expect(await checkDigest({ now: new Date(now.getTime() + DIGEST_INTERVAL_MS) })).toBe('not_due');
    expect(server.requestsTo('/api/sync/digest')).toHaveLength(0);
  });

  it('a sync that ends with an empty outbox checks the digest and repairs drift in the same sync', async () => {
    await givenDrift();
    await engine().syncNow();
    expect(server.requestsTo('/api/sync/digest')).toHaveLength(1);
    expect(await keys()).toEqual(['client:c1', 'visit:v1', 'visit:v2', 'visit:v3']);
  });
});

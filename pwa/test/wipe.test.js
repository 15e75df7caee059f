// A phone the server told to delete its data (sync-protocol.md, "Auth and devices"): a revoked
// one (lost) wipes at once, a retired one (replaced) first sends what it holds; both remove
// the forms in progress in localStorage, and the login screen is told how many unsent
// changes were lost, even when the browser cleared the database first (Clear-Site-Data).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { completeVisit } from '../src/data/actions.js';
import { clearLocalData, outbox, tableSizes } from '../src/data/db.js';
import { readDraft, writeDraft } from '../src/data/form-drafts.js';
import { dropToken, login, logout } from '../src/data/session.js';
import { createSyncEngine } from '../src/sync/engine.js';
import { clientData, createFakeServer, visitData } from './fake-server.js';

const credentials = { username: 'ada', password: 'secret', device_name: 'Testtelefon' };
const REVOKED = { code: 401, message: 'revoked', reason: 'device_revoked', wipe: true };
const RETIRED = { code: 401, message: 'replaced', reason: 'device_retired', wipe: true };

const done = (id) => ({
  id, started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:30:00+01:00', minutes: 30,
  activities: [{ activity_id: 'a1', done: true, support_level: 'reminder' }],
});

/** localStorage as a browser has it (Node has none). */
function memoryStorage() {
  const items = new Map();
  return {
    get length() { return items.size; },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}

function engineWith(timers = { setTimeout: () => 0, clearTimeout: () => {} }) {
  return createSyncEngine({ timers, env: {} });
}

let server;
let storage;

beforeEach(async () => {
  server = createFakeServer();
  server.put('client', 'c1', clientData());
  server.put('visit', 'v1', visitData('c1'));
  server.put('visit', 'v2', visitData('c1'));
  vi.stubGlobal('fetch', server.fetch);
  storage = memoryStorage();
  vi.stubGlobal('localStorage', storage);
  await login(credentials);
  await engineWith().syncNow();
  server.requests.length = 0;
});

async function withWork(unsent) {
  for (let i = 1; i <= unsent; i += 1) await completeVisit(done(`v${i}`));
  writeDraft('visit:v1', { note: 'Halvvägs genom listan' });
  storage.setItem('other.app.key', 'kept');
}

async function expectWiped() {
  for (const [table, rows] of Object.entries(await tableSizes())) expect(rows, table).toBe(0);
  expect(readDraft('visit:v1')).toBeNull();
}

/** The fetch of a browser that honours Clear-Site-Data: this answer empties the database
 * before the app reads it. */
function clearingSiteDataOn(path, body) {
  const realFetch = server.fetch;
  vi.stubGlobal('fetch', async (url, init) => {
    if (!String(url).startsWith(path)) return realFetch(url, init);
    await clearLocalData();
    storage.removeItem('faltstod.draft.visit:v1');
    return new Response(JSON.stringify(body), { status: 401, headers: { 'Clear-Site-Data': '"storage"' } });
  });
}

describe('a revoked phone', () => {
  it('deletes its data and its drafts, and tells how many unsent changes were lost', async () => {
    await withWork(2);
    server.failNext('/api/sync/push', 401, REVOKED);
    const sync = engineWith();

    await sync.syncNow();

    expect(sync.getStatus()).toMatchObject({ error: 'device_revoked', wiped: { lost: 2, reason: 'device_revoked' } });
    await expectWiped();
    expect(storage.getItem('other.app.key')).toBe('kept');
  });

  it('still tells how many were lost when the browser cleared the database first', async () => {
    await withWork(2);
    clearingSiteDataOn('/api/sync/push', REVOKED);
    const sync = engineWith();

    await sync.syncNow();

    expect(sync.getStatus()).toMatchObject({ error: 'device_revoked', wiped: { lost: 2 } });
    await expectWiped();
  });

  it('told so at login (its token had expired), wipes and says how many changes were lost', async () => {
    await withWork(2);
    await dropToken();
    clearingSiteDataOn('/api/auth/login', REVOKED);

    await expect(login(credentials)).rejects.toMatchObject({ code: 'device_revoked', lost: 2, reason: 'device_revoked' });
    await expectWiped();
  });
});

describe('a retired phone', () => {
  it('sends what it holds, says its outbox is empty, then wipes', async () => {
    await withWork(1);
    // Told on its pull; meanwhile another tab saved one more change.
    const realFetch = server.fetch;
    vi.stubGlobal('fetch', async (url, init) => {
      if (String(url).startsWith('/api/sync/pull') && !server.saidRetired) {
        server.saidRetired = true;
        await completeVisit(done('v2'));
        return new Response(JSON.stringify(RETIRED), { status: 401 });
      }
      return realFetch(url, init);
    });
    const sync = engineWith();

    await sync.syncNow();

    expect(server.pushed.map((m) => m.args.id)).toEqual(['v1', 'v2']);
    const last = server.requestsTo('/api/sync/push').at(-1).body;
    expect([last.mutations.length, last.outbox_size]).toEqual([0, 0]);
    expect(sync.getStatus()).toMatchObject({ error: 'device_revoked', wiped: { lost: 0, reason: 'device_retired' } });
    await expectWiped();
  });

  it('offline while sending its last changes, keeps everything and tries again later', async () => {
    await withWork(1);
    const realFetch = server.fetch;
    let offline = false;
    vi.stubGlobal('fetch', async (url, init) => {
      if (offline) throw new TypeError('Failed to fetch');
      if (!String(url).startsWith('/api/sync/pull')) return realFetch(url, init);
      // Told on its pull, with a change saved meanwhile; then the network goes.
      await completeVisit(done('v2'));
      offline = true;
      return new Response(JSON.stringify(RETIRED), { status: 401 });
    });
    const scheduled = [];
    const sync = engineWith({ setTimeout: (fn, ms) => scheduled.push(ms), clearTimeout: () => {} });

    await sync.syncNow();

    expect(await outbox.count()).toBe(1);
    expect(readDraft('visit:v1')).not.toBeNull();
    expect(sync.getStatus()).toMatchObject({ error: 'offline', wiped: null });
    expect(scheduled).toHaveLength(1);
  });

  it('refused even its push (its time is over), wipes and tells what was lost', async () => {
    await withWork(2);
    clearingSiteDataOn('/api/sync/push', RETIRED);
    const sync = engineWith();

    await sync.syncNow();

    expect(sync.getStatus()).toMatchObject({ error: 'device_revoked', wiped: { lost: 2, reason: 'device_retired' } });
    await expectWiped();
  });

  it('told so at login, wipes the same way', async () => {
    await withWork(0);
    await logout();
    writeDraft('visit:v1', { note: 'kvar' });
    server.failNext('/api/auth/login', 401, RETIRED);

    await expect(login(credentials)).rejects.toMatchObject({ code: 'device_revoked', reason: 'device_retired' });
    await expectWiped();
  });
});

describe('logging out', () => {
  it('removes the forms in progress too', async () => {
    await withWork(0);

    await logout();

    expect(readDraft('visit:v1')).toBeNull();
    expect(storage.getItem('other.app.key')).toBe('kept');
  });
});

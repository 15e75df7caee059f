// Forms in progress at rest (data/form-drafts.js, docs/phone-security.md): while a vault
// exists what a worker is typing lies in localStorage sealed with the data key, opened
// into memory at unlock and forgotten at lock.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearDrafts, readDraft, removeDraft, writeDraft } from '../src/data/form-drafts.js';
import { beginVault, lock, setPin, unlock } from '../src/data/vault.js';
import { TEST_ITERATIONS } from './fake-server.js';

const PIN = '246813';
const NOTE = 'Pratade om skulderna hos Kronofogden';

function memoryStorage() {
  const items = new Map();
  return {
    get length() { return items.size; },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
    dump: () => JSON.stringify([...items]),
  };
}

// A write is sealed into localStorage a moment after it is made.
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

let storage;

beforeEach(() => {
  storage = memoryStorage();
  vi.stubGlobal('localStorage', storage);
  clearDrafts();
});

async function aVault() {
  await beginVault();
  await setPin(PIN, { iterations: TEST_ITERATIONS });
}

describe('with a vault', () => {
  it('a draft lies sealed in localStorage under its key, and reads back at once', async () => {
    await aVault();
    writeDraft('visit:v1', { note: NOTE });
    expect(readDraft('visit:v1')).toEqual({ note: NOTE });
    await settled();
    expect(storage.getItem('faltstod.draft.visit:v1')).toMatch(/^sealed:/);
    expect(storage.dump()).not.toContain('Kronofogden');
  });

  it('locked, no draft can be read; unlocked, they are all back', async () => {
    await aVault();
    writeDraft('visit:v1', { note: NOTE });
    await settled();
    lock();
    expect(readDraft('visit:v1')).toBeNull();
    await unlock(PIN);
    expect(readDraft('visit:v1')).toEqual({ note: NOTE });
  });

  it('a slow seal of an earlier write does not land over a later one nor over a removal', async () => {
    await aVault();
    writeDraft('visit:v1', { note: 'först' });
    writeDraft('visit:v1', { note: 'sedan' });
    writeDraft('visit:v2', { note: 'bort' });
    removeDraft('visit:v2');
    await settled();
    lock();
    await unlock(PIN);
    expect(readDraft('visit:v1')).toEqual({ note: 'sedan' });
    expect(readDraft('visit:v2')).toBeNull();
    expect(storage.getItem('faltstod.draft.visit:v2')).toBeNull();
  });
});

describe('before a vault', () => {
  it('a draft is kept in clear, and sealed when the PIN is chosen', async () => {
    writeDraft('visit:v1', { note: NOTE });
    expect(JSON.parse(storage.getItem('faltstod.draft.visit:v1'))).toEqual({ note: NOTE });
    await aVault();
    await settled();
    expect(storage.dump()).not.toContain('Kronofogden');
    expect(readDraft('visit:v1')).toEqual({ note: NOTE });
  });
});

// Every test file gets a fresh in-memory IndexedDB (fake-indexeddb) and starts each test
// with empty tables and no stubbed globals.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, vi } from 'vitest';
import { db } from '../src/data/db.js';

beforeEach(async () => {
  await db.open();
  await db.transaction('rw', db.tables, () => Promise.all(db.tables.map((table) => table.clear())));
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

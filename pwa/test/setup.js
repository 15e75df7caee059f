// Every test file gets a fresh in-memory IndexedDB (fake-indexeddb) and starts each test
// with empty tables and no stubbed globals.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, vi } from 'vitest';
import { clearLocalData } from '../src/data/db.js';

beforeEach(async () => {
  await clearLocalData();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

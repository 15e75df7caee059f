// One way into the phone's database: src/data/db.js alone imports Dexie and holds the
// handle, so how data rests on the phone (e.g. encrypted) can change in one place.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import * as store from '../src/data/db.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const STORE = 'data/db.js';

function sources(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(js|jsx|mjs)$/.test(entry.name) ? [relative(SRC, path).split('\\').join('/')] : [];
  });
}

// `import … from 'dexie'`, `import 'dexie'`, `export … from 'dexie/…'`, `import('dexie')`.
const IMPORTS_DEXIE = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]dexie(?:\/[^'"]*)?['"]/;

describe('the phone\'s database has one way in', () => {
  it('no module in src/ but data/db.js imports Dexie', () => {
    const files = sources();
    expect(files).toContain(STORE);
    expect(files.filter((file) => file !== STORE && IMPORTS_DEXIE.test(readFileSync(join(SRC, file), 'utf8')))).toEqual([]);
  });

  it('the check would see an import of Dexie', () => {
    expect(IMPORTS_DEXIE.test("import Dexie from 'dexie';")).toBe(true);
    expect(IMPORTS_DEXIE.test("import { liveQuery } from \"dexie\";")).toBe(true);
    expect(IMPORTS_DEXIE.test("const { Dexie } = await import('dexie');")).toBe(true);
    expect(IMPORTS_DEXIE.test("export { liveQuery } from 'dexie';")).toBe(true);
    expect(IMPORTS_DEXIE.test("import { db } from './dexie-notes.js';")).toBe(false);
  });

  it('data/db.js gives out no Dexie database, table or collection, only its functions', () => {
    const probe = new Dexie('probe');
    probe.version(1).stores({ rows: 'id' });
    const leaks = [];
    // A table or a collection is known by its query methods (no function of the store has them).
    const isDexie = (value) =>
      value instanceof Dexie || typeof value?.where === 'function' || typeof value?.modify === 'function';
    for (const [name, value] of Object.entries(store)) {
      if (isDexie(value)) leaks.push(name);
      if (value && typeof value === 'object') {
        for (const [part, inner] of Object.entries(value)) if (isDexie(inner)) leaks.push(`${name}.${part}`);
      }
    }
    expect(leaks).toEqual([]);
    // …and it would see one.
    expect([probe, probe.rows, probe.rows.toCollection()].every(isDexie)).toBe(true);
  });
});

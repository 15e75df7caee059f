// The bundle budget: the JavaScript and CSS a field worker's phone loads to open the app,
// gzipped, must stay at or under BUDGET_KB: the entry chunk and every chunk it imports
// statically, with their CSS, as Vite's build manifest (dist/.vite/manifest.json) lists
// them. Chunks loaded on demand (a supervisor's screens) are not part of it; they are listed,
// and the total of everything in dist/assets is reported too. Run after `vite build` by
// `npm run build`; exits non-zero above the budget so a heavy dependency cannot slip into
// the field worker's app unnoticed. Slow 3G in a basement shelter is the case this protects.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 100;
const DIST = new URL('../dist/', import.meta.url);
const MANIFEST = new URL('.vite/manifest.json', DIST);

if (!existsSync(MANIFEST)) {
  console.error('budget: no dist/.vite/manifest.json (did the build run, with build.manifest on?)');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length === 0) {
  console.error('budget: the manifest names no entry chunk');
  process.exit(1);
}

const gzipped = (file) => gzipSync(readFileSync(new URL(file, DIST)), { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

/** The files of the entry and everything it imports statically (JS and CSS), once each. */
function staticFiles() {
  const files = new Set();
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    files.add(chunk.file);
    for (const css of chunk.css || []) files.add(css);
    for (const imported of chunk.imports || []) visit(imported);
  };
  for (const [key] of entries) visit(key);
  return files;
}

const loaded = staticFiles();
const all = readdirSync(new URL('assets/', DIST)).filter((name) => /\.(js|css)$/.test(name)).sort().map((name) => `assets/${name}`);
let bundle = 0;
let total = 0;
console.log('  the field worker\'s app (entry and its static imports):');
for (const file of [...loaded].sort()) {
  const size = gzipped(file);
  bundle += size;
  console.log(`    ${file.padEnd(44)} ${kb(size).padStart(7)} KB gzip`);
}
console.log('  loaded on demand:');
for (const file of all) {
  const size = gzipped(file);
  total += size;
  if (!loaded.has(file)) console.log(`    ${file.padEnd(44)} ${kb(size).padStart(7)} KB gzip`);
}
const verdict = bundle <= BUDGET_KB * 1024 ? 'within' : 'OVER';
console.log(`budget: ${kb(bundle)} KB gzip for a field worker's phone (JS + CSS), ${verdict} the budget of ${BUDGET_KB} KB; ${kb(total)} KB in all`);
if (verdict === 'OVER') process.exit(1);

// The bundle budget: the JavaScript and CSS a phone downloads (dist/assets/*.js and *.css),
// gzipped, must stay at or under BUDGET_KB. Run after `vite build` by `npm run build`;
// prints each file and the total, and exits non-zero above the budget so a heavy dependency
// cannot slip in unnoticed. Slow 3G in a basement shelter is the case this protects.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 100;
const ASSETS = new URL('../dist/assets/', import.meta.url);

const files = readdirSync(ASSETS).filter((name) => /\.(js|css)$/.test(name)).sort();
if (files.length === 0) {
  console.error('budget: no JavaScript or CSS in dist/assets (did the build run?)');
  process.exit(1);
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
let total = 0;
for (const name of files) {
  const gzipped = gzipSync(readFileSync(new URL(name, ASSETS)), { level: 9 }).length;
  total += gzipped;
  console.log(`  ${name.padEnd(40)} ${kb(gzipped).padStart(7)} KB gzip`);
}
const verdict = total <= BUDGET_KB * 1024 ? 'within' : 'OVER';
console.log(`budget: ${kb(total)} KB gzip of JS + CSS, ${verdict} the budget of ${BUDGET_KB} KB`);
if (verdict === 'OVER') process.exit(1);

// PouchDB's first sync for tests/bench/test_peer_bench.py: pouchdb-server holding the docs, a
// fresh PouchDB (LevelDB) replicating them through a counting proxy. Run in the scratch
// directory where the benchmark installed both (its cwd).
// argv: docs.json (a JSON list of docs), work dir. Prints one JSON line.
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawn } = require('child_process');
const PouchDB = require('pouchdb');

async function main() {
  const [docsFile, work] = process.argv.slice(2);
  const docs = JSON.parse(fs.readFileSync(docsFile));
  fs.mkdirSync(work, { recursive: true });
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(path.join(process.cwd(), 'node_modules/.bin/pouchdb-server'),
    ['--port', String(port), '--host', '127.0.0.1', '--dir', path.join(work, 'server'), '--no-color'],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: work });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try { await fetch(base); break; } catch (e) { if (i > 200) throw e; await new Promise(r => setTimeout(r, 100)); }
    }
    const remote = new PouchDB(`${base}/caseload`);
    for (let i = 0; i < docs.length; i += 1000) await remote.bulkDocs(docs.slice(i, i + 1000));
    // A counting proxy in front of the server: the bytes on the wire of the replication.
    let down = 0, up = 0;
    const proxy = net.createServer((c) => {
      const s = net.connect(port, '127.0.0.1');
      c.on('data', (d) => { up += d.length; s.write(d); });
      s.on('data', (d) => { down += d.length; c.write(d); });
      c.on('end', () => s.end()); s.on('end', () => c.end());
      c.on('error', () => s.destroy()); s.on('error', () => c.destroy());
    });
    await new Promise(r => proxy.listen(0, '127.0.0.1', r));
    const via = `http://127.0.0.1:${proxy.address().port}/caseload`;
    const runs = [];
    for (let run = 0; run < 3; run++) {
      down = 0; up = 0;
      const local = new PouchDB(path.join(work, `device${run}`));
      const start = process.hrtime.bigint();
      const result = await PouchDB.replicate(new PouchDB(via), local);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const info = await local.info();
      runs.push({ ms, docs: info.doc_count, written: result.docs_written, bytes_down: down, bytes_up: up });
      await local.destroy();
    }
    proxy.close();
    console.log(JSON.stringify({ pouchdb: PouchDB.version, runs }));
  } finally {
    server.kill();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });

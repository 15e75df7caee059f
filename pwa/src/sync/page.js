/**
 * Storing one pull page (sync-protocol.md, "Pull"), each in ONE transaction with the cursor
 * that follows it, so a cursor is never stored without its page: an interrupted first sync
 * resumes at the page after the last one stored.
 *
 * Within a page, `purge` applies before `changes`: a client that leaves scope is deleted
 * with every record that has its client_id (a record the same page brings back stays;
 * a personal reminder about the client stays too: it is in the worker's scope), and
 * any other purge entry deletes that one record. The outbox is never touched: work about a
 * purged client is still sent (the server judges it at the time of the work).
 *
 * A replacement sync writes its pages to `staging` and swaps them in with its last page,
 * keeping the outbox and laying its pending effects over the fresh server copies.
 */
import { RECORD_SCOPES } from '../data/contract.js';
import { drafts, outbox, records, setMeta, staging, transaction } from '../data/db.js';
import { parseKey, recordKey } from '../data/effects.js';
import { keyOfRow, rebase, serverRow, toRow } from '../data/records.js';

/**
 * What a page does, in the order it is done: purge clients, delete records (purged ones and
 * tombstones, except any the same page brings back), put server copies. Pure.
 */
export function planPage({ purge = [], changes = [] } = {}) {
  const puts = changes.filter((c) => !c.deleted && c.data != null);
  const putKeys = new Set(puts.map((c) => recordKey(c.type, c.id)));
  const purgeClients = purge.filter((p) => p.type === 'client').map((p) => p.id);
  const deletes = [
    ...purge.filter((p) => p.type !== 'client').map((p) => recordKey(p.type, p.id)),
    ...changes.filter((c) => c.deleted || c.data == null).map((c) => recordKey(c.type, c.id)),
  ].filter((key) => !putKeys.has(key));
  return { purgeClients, deletes: [...new Set(deletes)], puts };
}

// Records that may name a client but live in another scope (a personal reminder in the
// worker's, `worker:<id>`; a parked change with its author's): the server does not purge
// them with the client, so neither does the phone (else they would be gone until the digest
// noticed and a replacement sync brought them back).
const OUTSIDE_CLIENT_SCOPE = new Set(
  Object.entries(RECORD_SCOPES).filter(([, scope]) => scope !== 'client').map(([type]) => type),
);

const outsideClientScope = (row) => OUTSIDE_CLIENT_SCOPE.has(row.type);

/** Carry out a plan on `table` (records or staging). Inside a rw transaction. */
async function writePlan(table, plan) {
  for (const clientId of plan.purgeClients) {
    await table.deleteOfClient(clientId, outsideClientScope);
    await table.delete(['client', clientId]);
  }
  await table.bulkDelete(plan.deletes.map(parseKey));
  await table.bulkPut(plan.puts.map((c) => serverRow(c.type, c.id, c.version, c.data)));
}

/** A visit deleted or purged takes its local "started" mark with it. */
async function dropOrphanDrafts() {
  const started = await drafts.all();
  const held = await records.bulkGet(started.map((d) => ['visit', d.visit_id]));
  await drafts.bulkDelete(started.filter((_, i) => !held[i]).map((d) => d.visit_id));
}

async function storeServerFacts(page) {
  if (page.epoch) await setMeta('epoch', page.epoch);
  if (page.min_app_version) await setMeta('min_app_version', page.min_app_version);
}

/**
 * Store an incremental (or first-sync) page into `records`, rebase the records it brings
 * that still have pending mutations, and store its cursor. Returns the session progress:
 * {done, remaining} while `has_more`, else null.
 */
export async function storePage(page, previous = null) {
  return transaction('rw', ['records', 'outbox', 'meta', 'drafts'], async () => {
    const plan = planPage(page);
    await writePlan(records, plan);
    await rebase(plan.puts.map((c) => recordKey(c.type, c.id)));
    await dropOrphanDrafts();
    const session = page.has_more
      ? { done: (previous?.done ?? 0) + (page.changes?.length ?? 0), remaining: page.remaining ?? null }
      : null;
    await setMeta('cursor', page.cursor);
    await setMeta('session', session);
    await storeServerFacts(page);
    return session;
  });
}

/**
 * Put the complete staging set in place of `records`. The outbox's records the server did
 * not send (made here and not yet applied, or gone on the server) are kept as local-only
 * rows, then every record the outbox touches is rebased: pending creates come back, pending
 * edits of records the server no longer has do not. Inside a rw transaction.
 */
async function swapIn() {
  const pending = await outbox.all();
  const pendingKeys = [...new Set(pending.flatMap((m) => m.keys))];
  const before = (await records.bulkGet(pendingKeys.map(parseKey))).filter(Boolean);
  const staged = await staging.all();
  const stagedKeys = new Set(staged.map(keyOfRow));
  await records.clear();
  await records.bulkPut(staged);
  await records.bulkPut(
    before
      .filter((row) => !stagedKeys.has(keyOfRow(row)))
      .map((row) => toRow(row.type, row.id, { data: row.data })),
  );
  await staging.clear();
  await rebase(pendingKeys);
  await dropOrphanDrafts();
}

/**
 * Store a replacement sync's page into `staging`; with the last page, swap staging in and
 * store the cursor. Returns the progress {done, remaining}, or null when swapped in.
 */
export async function storeStagingPage(page, replacement) {
  return transaction('rw', ['records', 'staging', 'outbox', 'meta', 'drafts'], async () => {
    await writePlan(staging, planPage(page));
    await storeServerFacts(page);
    const done = (replacement?.done ?? 0) + (page.changes?.length ?? 0);
    if (page.has_more) {
      const progress = { done, remaining: page.remaining ?? null };
      await setMeta('replacement', { cursor: page.cursor, ...progress });
      return progress;
    }
    await swapIn();
    await setMeta('replacement', null);
    await setMeta('session', null);
    await setMeta('cursor', page.cursor);
    return null;
  });
}

/** Begin (or begin again) a replacement sync: the next pulls fill a fresh staging table. */
export async function startReplacement() {
  await transaction('rw', ['staging', 'meta'], async () => {
    await staging.clear();
    await setMeta('replacement', { cursor: null, done: 0, remaining: null });
  });
}

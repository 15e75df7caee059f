/**
 * Push: drain the outbox (sync-protocol.md, "Push"). The caller holds the sync lock, so
 * this is the only push in flight on the phone.
 *
 * 1. Clear `in_flight` marks left by a push that never got its answer (the app was closed):
 *    holding the lock, no other push is waiting for them.
 * 2. Read at most the catalogue's `mutations_per_push` (500) in device_seq order, mark them
 *    in flight, close the transaction, POST them (never hold a transaction across the
 *    network).
 * 3. On the answer, in one transaction: a final result (applied, rejected, conflict) takes
 *    the mutation out of the outbox; applied ones are kept in `sent` for 14 days (re-sent
 *    if the server's epoch changes); a rejected or conflicting one is parked on the server,
 *    so a provisional parked record marks its record 'attention' until the pull brings the
 *    real one, and the record's view is recomputed without it. Anything else stays queued.
 *    A `deferred` answer (the author's parked items are at the server's quota) is not final:
 *    the mutation stays queued and goes again at a later sync, and the drain goes on with
 *    the mutations after it, so one kind of stuck work holds back no other.
 * 4. Repeat while the outbox has more. A failed request (network, 5xx) throws after
 *    clearing its marks; the outbox is as it was, and the same mutations go again later
 *    (the server answers a re-sent id with its first answer).
 * 5. Every push reports the outbox (`outbox_size`, `outbox_oldest_at`: when the oldest
 *    mutation in it was queued) for the supervisor's sync dashboard. The server keeps what
 *    the latest push said, so once the outbox is empty and the server last heard otherwise,
 *    one push without mutations says `outbox_size: 0`: the dashboard's "unsent" alert then
 *    clears, and a retired phone's server knows it has sent everything.
 */
import { MAX_MUTATIONS_PER_PUSH } from '../data/contract.js';
import { getMeta, outbox, records, sent, setMeta, transaction } from '../data/db.js';
import { recordOf } from '../data/effects.js';
import { queuedAt, toWire } from '../data/outbox.js';
import { rebase, toRow } from '../data/records.js';
import { isoWithOffset } from '../data/time.js';
import { APP_VERSION, api } from './api.js';

// How long applied mutations are kept to be re-sent after a server restore (the protocol's
// 14 days: a restore older than that would lose work anyway).
export const KEEP_SENT_MS = 14 * 24 * 3600_000;
// A safety stop for the drain loop: 40 full rounds is far beyond any real outbox.
const MAX_ROUNDS = 40;

const FINAL = new Set(['applied', 'rejected', 'conflict']);
const DEFERRED = 'deferred';
// meta: the outbox size the server last heard of (step 5); unknown on a new login.
const REPORTED = 'reported_outbox_size';

/**
 * Sort a batch by its answers: `applied` and `parked` (rejected or conflict) are final,
 * `kept` (no answer, or one this app does not know) stay in the outbox, and so do the
 * `deferred` ones (also in `deferred`, with their answers). Pure.
 */
export function sortResults(batch, results = []) {
  const byId = new Map(results.filter((r) => r && typeof r.id === 'string').map((r) => [r.id, r]));
  const outcome = { applied: [], parked: [], kept: [], deferred: [] };
  for (const mutation of batch) {
    const result = byId.get(mutation.id);
    if (result?.status === DEFERRED) outcome.deferred.push({ mutation, result });
    if (!result || !FINAL.has(result.status)) outcome.kept.push(mutation);
    else if (result.status === 'applied') outcome.applied.push({ mutation, result });
    else outcome.parked.push({ mutation, result });
  }
  return outcome;
}

/** The parked record the server made of a rejected or conflicting mutation, as far as its
 * answer tells; the pull replaces it with the server's (same id). Pure. */
export function provisionalParked(mutation, result, now) {
  const [recordType, recordId] = recordOf(mutation) ?? [null, null];
  const fieldErrors = result.error?.fields ?? {};
  return {
    id: result.parked_id,
    mutation_id: mutation.id,
    mutation: toWire(mutation),
    status: 'open',
    reason: result.status === 'conflict' ? 'conflict' : (result.error?.code ?? 'rejected'),
    message: result.error?.message ?? null,
    fields: result.status === 'conflict' ? (result.fields ?? []) : Object.keys(fieldErrors),
    field_errors: fieldErrors,
    server_values: null,
    record_type: recordType,
    record_id: recordId,
    created_at: isoWithOffset(now),
    resolution: null,
  };
}

async function storeResults({ applied, parked }, now, reported) {
  await transaction('rw', ['records', 'outbox', 'sent', 'meta'], async () => {
    await setMeta(REPORTED, reported);
    const answeredAt = now.toISOString();
    for (const { mutation, result } of applied) {
      await outbox.delete(mutation.id);
      await sent.put({ ...mutation, in_flight: 0, answered_at: answeredAt, server_seq: result.server_seq });
      // Until the pull brings the version it produced, an edit of this record builds on it.
      const record = recordOf(mutation);
      if (record) await records.update(record, { applied_mutation_id: mutation.id });
    }
    for (const { mutation, result } of parked) {
      await outbox.delete(mutation.id);
      const held = result.parked_id && (await records.get(['parked', result.parked_id]));
      if (result.parked_id && !held) {
        await records.put(toRow('parked', result.parked_id, { data: provisionalParked(mutation, result, now) }));
      }
    }
    await rebase([...new Set(parked.flatMap(({ mutation }) => mutation.keys))]);
    await sent.deleteAnsweredBefore(new Date(now.getTime() - KEEP_SENT_MS).toISOString());
  });
}

/** The device's report that rides on every push (sync-protocol.md, "Push"). */
function envelope(mutations, outboxSize, oldest, now) {
  const body = {
    mutations: mutations.map(toWire),
    outbox_size: outboxSize,
    app_version: APP_VERSION,
    device_time: isoWithOffset(now()),
  };
  if (oldest) body.outbox_oldest_at = oldest;
  return body;
}

/** What the server said of the deferred mutations of a drain: how many, the reason (the
 * sync status's code) and the longest wait it asked for. Pure. */
function deferral(answers) {
  if (!answers.length) return null;
  const waits = answers.map(({ result }) => (Number.isFinite(result.retry_after) ? result.retry_after * 1000 : 0));
  return { count: answers.length, code: answers[0].result.error?.code ?? DEFERRED, retryAfterMs: Math.max(...waits) };
}

/**
 * Send the whole outbox. Returns {sent, final, deferred} (`deferred`: null, or what
 * `deferral` says); throws NetworkError / ApiError when a request fails (the outbox is
 * unchanged by the failed request).
 * `report`: end with the empty-outbox report even if the server already heard it (a retired
 * phone's last word). `onOutboxSize(n)`: told the outbox size before each push of mutations.
 */
export async function drainOutbox({ now = () => new Date(), report = false, onOutboxSize = () => {} } = {}) {
  await outbox.clearInFlight();
  let sentCount = 0;
  let final = 0;
  const deferred = [];
  // Read from the start of the outbox, or after a batch whose every kept mutation the server
  // deferred: those wait for a later sync, the ones after them go now.
  let afterSeq = null;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const batch = await outbox.inOrder(MAX_MUTATIONS_PER_PUSH, afterSeq);
    if (!batch.length) break;
    const outboxSize = await outbox.count();
    onOutboxSize(outboxSize);
    const ids = batch.map((m) => m.id);
    await outbox.setInFlight(ids, 1);
    let response;
    try {
      // The batch is the start of the outbox in device_seq order: its first is the oldest.
      response = await api.push(envelope(batch, outboxSize, queuedAt(batch[0]), now));
    } catch (err) {
      try {
        await outbox.setInFlight(ids, 0);
      } catch {
        // The database is gone (the answer cleared the site's storage): the server's
        // answer is what matters; step 1 clears marks left behind anyway.
      }
      throw err;
    }
    const outcome = sortResults(batch, response?.results);
    await storeResults(outcome, now(), outboxSize);
    await outbox.setInFlight(outcome.kept.map((m) => m.id), 0);
    sentCount += batch.length;
    final += outcome.applied.length + outcome.parked.length;
    deferred.push(...outcome.deferred);
    if (outcome.kept.length && outcome.kept.length === outcome.deferred.length) {
      afterSeq = batch[batch.length - 1].device_seq;
      continue;
    }
    // Nothing was answered: sending the same batch again now would get the same answer.
    if (!outcome.applied.length && !outcome.parked.length) break;
  }
  // 5. An empty outbox the server does not know of yet.
  const left = await outbox.count();
  if (left === 0 && (report || (await getMeta(REPORTED)) !== 0)) {
    await api.push(envelope([], 0, null, now));
    await setMeta(REPORTED, 0);
  }
  return { sent: sentCount, final, deferred: deferral(deferred) };
}

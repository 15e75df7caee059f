/**
 * Pull: bring the phone up to the server's cursor (sync-protocol.md, "Pull"), page by page.
 * The caller holds the sync lock and has drained the outbox first.
 *
 * 1. Pull with the stored cursor: none on the first sync (a full snapshot); a mid-session
 *    cursor (stored with `has_more`) resumes right after the last page stored; during a
 *    replacement sync, the replacement's own cursor.
 * 2. 410 cursor_expired: start a replacement sync (pages into staging, swapped in when
 *    complete, outbox untouched).
 * 3. Compare the page's `epoch` with the stored one. A new epoch means the server was
 *    restored from a backup: put the applied mutations kept in `sent` back in the outbox
 *    (the server answers any it still has with its first answer, and applies the ones it
 *    lost) and replace everything held, since the held records and cursor describe the
 *    database before the restore.
 * 4. Store the page with its cursor (page.js), report progress, go on while `has_more`.
 */
import { PULL_PAGE_MAX } from '../data/contract.js';
import { getMeta, outbox, sent, setMeta, staging, transaction } from '../data/db.js';
import { ApiError, api } from './api.js';
import { startReplacement, storePage, storeStagingPage } from './page.js';

// Replacement syncs started in one pull before giving up until the next sync (a server
// answering 410 to a cursor-less pull is broken; do not loop on it).
const MAX_RESTARTS = 3;

/** Put the kept applied mutations back in the outbox and take the new epoch, in one
 * transaction (a crash between the two would lose the re-send). Returns how many. */
async function takeNewEpoch(epoch, { restartReplacement }) {
  return transaction('rw', ['outbox', 'sent', 'staging', 'meta'], async () => {
    const kept = await sent.all();
    await outbox.bulkPut(kept.map(({ answered_at, server_seq, ...mutation }) => ({ ...mutation, in_flight: 0 })));
    await sent.clear();
    await setMeta('epoch', epoch);
    if (restartReplacement) {
      await staging.clear();
      await setMeta('replacement', { cursor: null, done: 0, remaining: null });
    }
    return kept.length;
  });
}

/**
 * Pull until the server has no more, in pages of `limit` records (the most the server gives,
 * unless a test asks for fewer). `onProgress({done, remaining} | null)` after each page.
 * @returns {{requeued: number, replaced: boolean}} how many kept mutations an epoch change
 *   put back in the outbox (push again), and whether a replacement sync completed.
 */
export async function pull({ limit = PULL_PAGE_MAX, onProgress = () => {} } = {}) {
  const outcome = { requeued: 0, replaced: false };
  let restarts = 0;
  for (;;) {
    // 1.
    const replacement = await getMeta('replacement');
    const cursor = replacement ? replacement.cursor : await getMeta('cursor');
    let page;
    try {
      page = await api.pull({ cursor, limit });
    } catch (err) {
      // 2.
      if (!(err instanceof ApiError && err.status === 410) || restarts >= MAX_RESTARTS) throw err;
      restarts += 1;
      await startReplacement();
      continue;
    }
    // 3.
    const epoch = await getMeta('epoch');
    if (epoch && page.epoch && page.epoch !== epoch) {
      // The first page of a replacement is already of the new epoch: keep it.
      const freshReplacement = Boolean(replacement) && !replacement.cursor;
      outcome.requeued += await takeNewEpoch(page.epoch, { restartReplacement: !freshReplacement });
      if (!freshReplacement) {
        if (restarts >= MAX_RESTARTS) throw new Error('epoch_unstable');
        restarts += 1;
        continue;
      }
    }
    // 4.
    let progress;
    if (replacement) {
      progress = await storeStagingPage(page, replacement);
      if (!page.has_more) outcome.replaced = true;
    } else {
      progress = await storePage(page, await getMeta('session'));
    }
    onProgress(progress);
    if (!page.has_more) return outcome;
  }
}

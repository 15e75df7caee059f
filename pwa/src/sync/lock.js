/**
 * One sync in flight per phone. Two tabs of the app share one outbox; if both pushed at
 * once, one mutation could be sent twice in parallel and a later one could arrive before an
 * earlier one it depends on. A Web Lock spans tabs; where `navigator.locks` is missing (old
 * browsers, tests) a promise chain keeps at least this page to one sync at a time.
 */

export const LOCK_NAME = 'faltstod-sync';

let chain = Promise.resolve();

/** Run `fn` holding the sync lock; resolves with its result. */
export function withSyncLock(fn, locks = globalThis.navigator?.locks) {
  if (locks?.request) return locks.request(LOCK_NAME, () => fn());
  const run = chain.then(() => fn());
  chain = run.catch(() => {});
  return run;
}

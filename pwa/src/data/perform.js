/**
 * How an action saves (actions.js, casework-actions.js): ONE Dexie transaction that writes
 * the local records (the screen shows the change at once) and appends the mutation to the
 * outbox; sync sends it later. And the checks actions share.
 */
import { drafts, records, transaction } from './db.js';
import { newId, noteIdFor } from './ids.js';
import { ActionError, queueMutation } from './outbox.js';

export { ActionError };

const savedListeners = new Set();

/** Call `fn` after every saved action (the sync engine syncs when online). Returns an
 * unsubscribe function. */
export function onSaved(fn) {
  savedListeners.add(fn);
  return () => savedListeners.delete(fn);
}

/** Arguments without the keys left undefined (what the caller did not give). */
function compact(args) {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

/** Queue mutation `name` with its local effect, in one transaction; `guard` (optional)
 * checks what the action needs inside that transaction, so no other tab can change it
 * between the check and the write. */
export async function perform(name, args, { now } = {}, guard = null) {
  const id = newId();
  const note_id = args.note ? await noteIdFor(id) : undefined;
  const row = await transaction('rw', ['records', 'outbox', 'meta', 'drafts'], async () => {
    if (guard) await guard();
    const queued = await queueMutation({ id, name, args: compact(args), note_id }, now);
    if (name === 'visit.complete' || name === 'visit.cancel') await drafts.delete(args.id);
    return queued;
  });
  for (const fn of savedListeners) fn(row);
  return row;
}

export function requireOrder(from, to, code) {
  if (from && to && Date.parse(to) < Date.parse(from)) throw new ActionError(code);
}

export function requireInstant(iso) {
  if (typeof iso !== 'string' || Number.isNaN(Date.parse(iso))) throw new ActionError('invalid_time');
}

export async function requireClient(clientId) {
  if (!(await records.get(['client', clientId]))) throw new ActionError('unknown_client');
}

/** Text as the server should keep it: trimmed, and an empty one is none (null). */
export const cleaned = (text) => (typeof text === 'string' && text.trim() ? text.trim() : null);


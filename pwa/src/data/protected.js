/**
 * Protected identity on the phone (docs/phone-security.md): a protected client's
 * whereabouts, phone and contact notes are shown only when the worker asks ("Visa
 * uppgifter"), only on a field worker's phone (it holds only clients its worker works with;
 * a supervisor's phone shows the team's clients read-only), and each showing is queued for
 * the server's access log (sent by sync/device-report.js with the next report). Like all
 * else they lie sealed at rest.
 */
import { getMeta, records, setMeta, transaction } from './db.js';
import { ActionError } from './outbox.js';
import { isoWithOffset } from './time.js';

export const PROTECTED_FIELDS = ['whereabouts', 'phone', 'contact_notes'];
const QUEUE = 'shown_protected';
// Showings kept until a report takes them; beyond (a phone offline for weeks), the oldest
// go: the server accepts this many per report.
const MAX_QUEUED = 200;

/** Whether this phone may show protected details at all (a field worker's). */
export async function mayShowProtected() {
  const user = await getMeta('user');
  return Boolean(user) && user.role !== 'supervisor';
}

/**
 * The protected details of a client, recorded as shown now (one transaction: no showing
 * without its record). Throws ActionError 'not_found', or 'not_assigned' on a supervisor's
 * phone.
 * @returns {{whereabouts, phone, contact_notes}}
 */
export async function showProtected(clientId, { now = new Date() } = {}) {
  return transaction('rw', ['records', 'meta'], async () => {
    if (!(await mayShowProtected())) throw new ActionError('not_assigned');
    const row = await records.get(['client', clientId]);
    if (!row?.data) throw new ActionError('not_found');
    const details = Object.fromEntries(PROTECTED_FIELDS.map((field) => [field, row.data[field] ?? null]));
    const queue = (await getMeta(QUEUE)) ?? [];
    queue.push({ client_id: clientId, fields: PROTECTED_FIELDS.filter((field) => details[field]), at: isoWithOffset(now) });
    await setMeta(QUEUE, queue.slice(-MAX_QUEUED));
    return details;
  });
}

/** The showings not yet reported, oldest first. */
export async function shownQueue() {
  return (await getMeta(QUEUE)) ?? [];
}

/** The first `n` showings reached the server: forget them (later ones stay). */
export async function shownReported(n) {
  await transaction('rw', ['meta'], async () => {
    const queue = (await getMeta(QUEUE)) ?? [];
    await setMeta(QUEUE, queue.length > n ? queue.slice(n) : null);
  });
}

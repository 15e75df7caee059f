/**
 * Integrity (sync-protocol.md, "Integrity"): a few times a day, compare what the phone holds
 * with what the server says it should hold. Drift (a bug, an interrupted swap, storage the
 * browser tampered with) then repairs itself with a replacement sync, which keeps the
 * outbox untouched.
 *
 * The digest is the SHA-256 (hex) of the UTF-8 lines `type:id:version\n` of every live
 * record held, sorted by byte order. Only server copies count: a record made here and not
 * yet pulled is not on the server's list.
 */
import { getMeta, outbox, records, setMeta } from '../data/db.js';
import { api } from './api.js';
import { startReplacement } from './page.js';

// At most this often: a digest reads every record the user may see on the server and on
// the phone; drift is rare, so a few checks a day find it soon enough.
export const DIGEST_INTERVAL_MS = 6 * 3600_000;

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** The digest's input: the sorted lines of [type, id, version] triples, as UTF-8. Pure. */
export function digestInput(triples) {
  const encoder = new TextEncoder();
  const lines = triples.map(([type, id, version]) => encoder.encode(`${type}:${id}:${version}\n`));
  lines.sort(compareBytes);
  const out = new Uint8Array(lines.reduce((n, line) => n + line.length, 0));
  let at = 0;
  for (const line of lines) {
    out.set(line, at);
    at += line.length;
  }
  return out;
}

/** {digest (hex), count} of [type, id, version] triples. */
export async function digestOf(triples) {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', digestInput(triples)));
  return { digest: [...hash].map((b) => b.toString(16).padStart(2, '0')).join(''), count: triples.length };
}

/** The digest of the server copies the phone holds. */
export async function localDigest() {
  const rows = await records.all();
  return digestOf(rows.filter((row) => row.server).map((row) => [row.type, row.id, row.version]));
}

/**
 * Compare with the server when it is due: the outbox is empty, the last check is at least
 * DIGEST_INTERVAL_MS ago, and (checked by the caller) a pull just reached the server's
 * cursor. Only a digest computed at the stored cursor is compared. On a mismatch a
 * replacement sync is started (the caller pulls again).
 * @returns {'not_due' | 'moved' | 'match' | 'mismatch'}
 */
export async function checkDigest({ now = new Date(), interval = DIGEST_INTERVAL_MS } = {}) {
  if ((await outbox.count()) > 0) return 'not_due';
  const last = await getMeta('digest_checked_at');
  if (last && now.getTime() - Date.parse(last) < interval) return 'not_due';
  const remote = await api.digest();
  await setMeta('digest_checked_at', now.toISOString());
  if (remote.cursor !== (await getMeta('cursor'))) return 'moved';
  const local = await localDigest();
  if (local.digest === remote.digest) return 'match';
  await startReplacement();
  return 'mismatch';
}

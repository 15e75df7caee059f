/**
 * Ids made on the phone. Records and mutations get random UUIDs (v4). The note that a visit
 * mutation's `note` argument becomes gets, on the server, the UUID v5 of
 * "faltstod:mutation:<mutation id>:note" in the URL namespace (server/records/visits.py);
 * the phone derives the same id, so its local note is replaced in place by the pulled one
 * instead of showing twice.
 */

export function newId() {
  return crypto.randomUUID();
}

// RFC 4122 namespace for URLs (Python's uuid.NAMESPACE_URL).
const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

function uuidBytes(uuid) {
  const hex = uuid.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** UUID v5 (SHA-1, RFC 4122) of `name` in `namespace`. Async: it uses crypto.subtle, so
 * call it before opening a Dexie transaction (awaiting it inside would end the transaction). */
export async function uuid5(name, namespace = NAMESPACE_URL) {
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(uuidBytes(namespace));
  input.set(nameBytes, 16);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-1', input)).slice(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id the server gives the note appended by a visit mutation. */
export function noteIdFor(mutationId) {
  return uuid5(`faltstod:mutation:${mutationId}:note`);
}

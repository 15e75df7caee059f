/**
 * Ids made on the phone. Records and mutations get random UUIDs (v4). The note that a visit
 * mutation's `note` argument becomes gets, on the server, the UUID v5 of the contract's
 * `note_ids` name ("faltstod:mutation:{mutation_id}:note") in its namespace (the URL
 * namespace); the phone derives the same id, so its local note is replaced in place by the
 * pulled one instead of showing twice.
 */
import { NOTE_ID_NAME, NOTE_ID_NAMESPACE } from './contract.js';

export function newId() {
  return crypto.randomUUID();
}

function uuidBytes(uuid) {
  const hex = uuid.replace(/-/g, '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** UUID v5 (SHA-1, RFC 4122) of `name` in `namespace`. Async: it uses crypto.subtle, so
 * call it before opening a Dexie transaction (awaiting it inside would end the transaction). */
export async function uuid5(name, namespace) {
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
  return uuid5(NOTE_ID_NAME.replace('{mutation_id}', mutationId), NOTE_ID_NAMESPACE);
}

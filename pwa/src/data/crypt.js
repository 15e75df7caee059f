/**
 * The phone's cryptography, WebCrypto only (docs/phone-security.md): AES-GCM with a random
 * 96-bit IV for every seal, PBKDF2-SHA-256 from the PIN to the key that wraps the data key.
 * No secret leaves these functions except as a CryptoKey that cannot be exported.
 *
 * A sealed value is one Uint8Array: the IV (12 bytes) followed by the ciphertext and its tag.
 * `aad` (additional data, authenticated but not encrypted) binds a seal to where it lies (a
 * table and a key), so a seal copied onto another row does not open there.
 */

const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const subtle = () => globalThis.crypto.subtle;

export const randomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

const aadOf = (aad) => (aad ? { additionalData: encoder.encode(aad) } : {});

/** Seal bytes with an AES-GCM key: IV + ciphertext (with its tag). */
export async function encrypt(key, bytes, aad) {
  const iv = randomBytes(IV_BYTES);
  const sealed = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, ...aadOf(aad) }, key, bytes));
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return out;
}

/** Open a seal; throws (an OperationError) when the key is wrong or a byte was changed. */
export async function decrypt(key, sealed, aad) {
  const bytes = sealed instanceof Uint8Array ? sealed : new Uint8Array(sealed);
  const iv = bytes.subarray(0, IV_BYTES);
  return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv, ...aadOf(aad) }, key, bytes.subarray(IV_BYTES)));
}

/** The IV of a seal as a short string (its identity: a new seal never repeats one). */
export function ivOf(sealed) {
  const bytes = sealed instanceof Uint8Array ? sealed : new Uint8Array(sealed);
  return String.fromCharCode(...bytes.subarray(0, IV_BYTES));
}

export const textBytes = (text) => encoder.encode(text);
export const bytesText = (bytes) => decoder.decode(bytes);

/** A new data key: 32 random bytes (to be wrapped) and the AES-GCM key made of them, which
 * cannot be exported. The caller wraps the bytes and forgets them. */
export async function newDataKey() {
  const raw = randomBytes(32);
  return { raw, key: await importDataKey(raw) };
}

export const importDataKey = (raw) => subtle().importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);

/** The key derived from the unlock secret (the PIN) with PBKDF2-SHA-256. Deliberately slow:
 * each guess costs `iterations` hashes. */
export async function deriveKey(secret, salt, iterations) {
  const base = await subtle().importKey('raw', encoder.encode(secret), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

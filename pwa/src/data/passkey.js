/**
 * Unlocking with a passkey instead of the PIN (docs/phone-security.md, "A passkey"): a
 * WebAuthn credential on the phone's own platform authenticator whose `prf` extension
 * releases a 32-byte secret only after the worker's fingerprint, face or screen lock. The
 * secret, through HKDF-SHA-256, is the key that wraps the data key; the PIN's wrapping is
 * then dropped, so a copy of the storage holds nothing that can be guessed offline, and the
 * PIN no longer opens the app.
 *
 * Nothing of it reaches the server: the credential's relying party is the page's host, its
 * challenge is never checked by anyone (the passkey proves nothing to the server; it only
 * holds a key), and its id and the two salts lie with the vault (meta `vault`, in clear).
 * A passkey that is lost (deleted from the phone, the phone reset) cannot be replaced: the
 * data cannot be read without it, and the worker deletes it and logs in online with the
 * password, as after a forgotten PIN.
 *
 * Loaded only when wanted (a field worker's bundle has a budget): the offer after the PIN,
 * the account screen, the lock screen's button. `env` stands for the browser in tests.
 */
import { decrypt, encrypt, randomBytes } from './crypt.js';
import { Untried, WRAP_AAD, openWith, opened, storeVault, unlockMethod, unwrapWithPin } from './vault.js';

export const PASSKEY_KDF = 'WebAuthn-PRF/HKDF-SHA-256';
// The worker has this long to touch the sensor before the browser gives up.
const PROMPT_MS = 120_000;
// Authenticator data: 32 bytes of RP id hash, then the flags; this bit says the user was
// verified (fingerprint, face, screen lock), not merely present.
const FLAGS_AT = 32;
const USER_VERIFIED = 0x04;
const HKDF_INFO = new TextEncoder().encode('faltstod:vault:prf');
// Remembered on the phone (not personal) when its authenticator turned out to lack PRF, so
// it is not offered again: that can only be learnt by making a credential.
const NO_PRF = 'faltstod.passkey.no_prf';

/** The AES-GCM key that wraps the data key, from a passkey's PRF secret with HKDF-SHA-256.
 * The secret is random and never guessable: no slow derivation is needed. */
export async function prfKey(secret, salt) {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt, info: HKDF_INFO }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** The vault of a data key wrapped by a PRF secret. */
export async function passkeyVault(raw, { credentialId, prfSalt, secret, now = new Date() }) {
  const salt = randomBytes(16);
  const wrapped = await encrypt(await prfKey(secret, salt), raw, WRAP_AAD);
  return { version: 1, kdf: PASSKEY_KDF, credential_id: credentialId, prf_salt: prfSalt, salt, wrapped, created_at: now.toISOString() };
}

/** The data key's bytes from a passkey vault and its PRF secret; throws when the secret is
 * not the one that wrapped it. */
export async function openPasskeyVault(vault, secret) {
  return decrypt(await prfKey(secret, vault.salt), vault.wrapped, WRAP_AAD);
}

const bytes = (value) => (value ? new Uint8Array(value.buffer ?? value, value.byteOffset ?? 0, value.byteLength) : null);
const prfOf = (credential) => bytes(credential?.getClientExtensionResults?.()?.prf?.results?.first)?.slice() ?? null;

/** Whether this phone may be offered a passkey: WebAuthn with a platform authenticator that
 * verifies the user, PRF not known to be missing, and a PIN vault to replace. Never throws. */
export async function passkeyOffered({ env = globalThis } = {}) {
  try {
    const credentials = env.PublicKeyCredential;
    if (!credentials || !env.navigator?.credentials?.create || env.localStorage?.getItem(NO_PRF)) return false;
    if (!(await credentials.isUserVerifyingPlatformAuthenticatorAvailable?.())) return false;
    const capabilities = await credentials.getClientCapabilities?.();
    if (capabilities && capabilities['extension:prf'] === false) return false;
    return (await unlockMethod()) === 'pin';
  } catch {
    return false;
  }
}

function ask(env, credentialId, prfSalt) {
  return env.navigator.credentials.get({
    publicKey: {
      challenge: randomBytes(32),
      allowCredentials: [{ type: 'public-key', id: credentialId }],
      userVerification: 'required',
      timeout: PROMPT_MS,
      extensions: { prf: { eval: { first: prfSalt } } },
    },
  });
}

const refusedByUser = (error) => ['NotAllowedError', 'AbortError'].includes(error?.name);

/** The authenticator lacks PRF: say so once, and ask the phone's password manager to forget
 * the credential made for nothing (where the browser can). */
function noPrf(env, credential) {
  env.localStorage?.setItem(NO_PRF, '1');
  try {
    const id = btoa(String.fromCharCode(...new Uint8Array(credential.rawId))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    env.PublicKeyCredential?.signalUnknownCredential?.({ rpId: env.location.hostname, credentialId: id })?.catch?.(() => {});
  } catch {
    // Only a courtesy to the password manager.
  }
  return { ok: false, unsupported: true };
}

/**
 * Replace the PIN with a passkey: the PIN opens the data key (a wrong one counts as at the
 * lock), a new credential is made with the PRF extension (evaluated at creation, or by an
 * assertion right after where the browser does not), and the vault holds the key wrapped by
 * the PRF secret only. Returns {ok: true}; {ok: false, cancelled} (the worker said no, or
 * the prompt timed out: nothing changed); {ok: false, unsupported} (no PRF here: the PIN
 * stays); or what `unlock` answers for a wrong PIN.
 */
export async function setUpPasskey(pin, { env = globalThis, now = new Date() } = {}) {
  const unwrapped = await unwrapWithPin(pin, { now });
  if (!unwrapped.ok) return unwrapped;
  const raw = unwrapped.raw;
  try {
    const prfSalt = randomBytes(32);
    const credential = await env.navigator.credentials.create({
      publicKey: {
        rp: { name: 'Fältstöd' },
        user: { id: randomBytes(16), name: 'Fältstöd', displayName: 'Fältstöd på den här telefonen' },
        challenge: randomBytes(32),
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -257 }],
        authenticatorSelection: { authenticatorAttachment: 'platform', residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
        attestation: 'none',
        timeout: PROMPT_MS,
        extensions: { prf: { eval: { first: prfSalt } } },
      },
    });
    if (!credential.getClientExtensionResults?.()?.prf?.enabled) return noPrf(env, credential);
    const credentialId = new Uint8Array(credential.rawId);
    const secret = prfOf(credential) ?? prfOf(await ask(env, credentialId, prfSalt));
    if (!secret) return noPrf(env, credential);
    await storeVault(await passkeyVault(raw, { credentialId, prfSalt, secret, now }));
    secret.fill(0);
    return { ok: true };
  } catch (error) {
    if (refusedByUser(error)) return { ok: false, cancelled: true };
    throw error;
  } finally {
    raw.fill(0);
  }
}

/**
 * Unlock with the passkey: the platform's prompt (fingerprint, face, screen lock), then the
 * PRF secret opens the data key. Answers as `unlock` does; {ok: false, refused: true} when
 * the prompt was cancelled, timed out or did not verify the user (not counted: the
 * authenticator counts and locks its own tries); a secret that does not open the key is a
 * wrong try like a wrong PIN.
 */
export async function unlockWithPasskey({ env = globalThis, now = new Date() } = {}) {
  const answer = await openWith((vault) => passkeyUnwrap(env, vault), { now });
  if (!answer.ok) return answer;
  await opened(answer.raw);
  answer.raw.fill(0);
  return { ok: true };
}

/** The data key's bytes through the platform's prompt. Not counted (`Untried`): a prompt
 * cancelled or failed, an assertion without user verification or without a PRF secret. */
async function passkeyUnwrap(env, vault) {
  if (vault.kdf !== PASSKEY_KDF) throw new Untried({ ok: false, pin: true });
  let assertion;
  try {
    assertion = await ask(env, bytes(vault.credential_id), bytes(vault.prf_salt));
  } catch (error) {
    throw new Untried({ ok: false, refused: true, error: error?.name ?? 'error' });
  }
  const flags = bytes(assertion?.response?.authenticatorData)?.[FLAGS_AT] ?? 0;
  const secret = prfOf(assertion);
  if (!(flags & USER_VERIFIED) || !secret) throw new Untried({ ok: false, refused: true });
  try {
    return await openPasskeyVault(vault, secret);
  } finally {
    secret.fill(0);
  }
}

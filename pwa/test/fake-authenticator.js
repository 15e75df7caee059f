/**
 * A phone's platform authenticator and the browser's WebAuthn around it, for the passkey's
 * tests (data/passkey.js): its PRF is HMAC-SHA-256 under a per-credential secret, as CTAP's
 * hmac-secret is. `anAuthenticator().env` stands for `globalThis` (PublicKeyCredential,
 * navigator.credentials, localStorage, location).
 */
import { createHmac, randomBytes } from 'node:crypto';

export const hex = (bytes) => Buffer.from(bytes).toString('hex');
const refused = () => Object.assign(new Error('The operation either timed out or was not allowed.'), { name: 'NotAllowedError' });

/** A platform authenticator and the browser around it. `prf`: whether it has the PRF
 * extension; `atCreate`: whether creation already evaluates it; `verified`: whether the
 * user's fingerprint is accepted (false: the browser refuses, as with userVerification
 * required); `lax`: it answers without verifying the user (the flag then says so). */
export function anAuthenticator({ prf = true, atCreate = true, verified = true, lax = false } = {}) {
  const secrets = new Map();
  const calls = [];
  const stored = new Map();
  const state = { verified };
  const evaluate = (id, salt) => new Uint8Array(createHmac('sha256', secrets.get(hex(id))).update(Buffer.from(salt)).digest()).buffer;
  const authenticatorData = (uv) => {
    const data = new Uint8Array(37);
    data[32] = 0x01 | (uv ? 0x04 : 0);
    return data.buffer;
  };
  const env = {
    PublicKeyCredential: {
      isUserVerifyingPlatformAuthenticatorAvailable: async () => true,
      getClientCapabilities: async () => ({ 'extension:prf': true }),
      signalUnknownCredential: async (options) => calls.push(['forget', options]),
    },
    navigator: {
      credentials: {
        async create({ publicKey }) {
          calls.push(['create', publicKey]);
          if (!state.verified) throw refused();
          const id = new Uint8Array(randomBytes(16));
          secrets.set(hex(id), randomBytes(32));
          const first = prf && atCreate ? evaluate(id, publicKey.extensions.prf.eval.first) : undefined;
          return { rawId: id.buffer, getClientExtensionResults: () => ({ prf: prf ? { enabled: true, ...(first ? { results: { first } } : {}) } : { enabled: false } }) };
        },
        async get({ publicKey }) {
          calls.push(['get', publicKey]);
          if (!state.verified && !lax) throw refused();
          const id = new Uint8Array(publicKey.allowCredentials[0].id);
          if (!secrets.has(hex(id))) throw refused(); // the passkey was deleted from the phone
          return {
            rawId: id.buffer,
            response: { authenticatorData: authenticatorData(state.verified) },
            getClientExtensionResults: () => (prf ? { prf: { results: { first: evaluate(id, publicKey.extensions.prf.eval.first) } } } : {}),
          };
        },
      },
    },
    localStorage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, String(v)) },
    location: { hostname: 'localhost' },
  };
  return { env, calls, state, secrets };
}


// Unlocking with a passkey (data/passkey.js, docs/phone-security.md): the data key wrapped
// by HKDF of the passkey's PRF secret replaces the PIN's wrapping, so the PIN alone no
// longer opens it; the platform's prompt must verify the user; a prompt refused is not a
// wrong try, a secret that does not open the key is (the authenticator: fake-authenticator.js).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, decrypt } from '../src/data/crypt.js';
import { getMeta, outbox, records, setMeta } from '../src/data/db.js';
import { PASSKEY_KDF, openPasskeyVault, passkeyOffered, passkeyVault, setUpPasskey, unlockWithPasskey } from '../src/data/passkey.js';
import { LockedError } from '../src/data/sealed.js';
import { MAX_FAILURES, WRAP_AAD, beginVault, lock, lockState, setPin, unlock, unlockMethod, vaultState } from '../src/data/vault.js';
import { anAuthenticator, hex } from './fake-authenticator.js';
import { TEST_ITERATIONS } from './fake-server.js';

const PIN = '246813';
const NOTE = 'Pratade om flytten till Tallbacken';
const T0 = new Date('2026-11-23T09:00:00Z');
async function aVaultWithData() {
  await beginVault();
  await records.put({ type: 'note', id: 'n1', version: 1, client_id: 'c1', server: null, data: { client_id: 'c1', text: NOTE } });
  await outbox.add({ id: 'm1', device_seq: 1, name: 'note.add', occurred_at: T0.toISOString(), args: { text: NOTE }, keys: ['note:n1'], in_flight: 0 });
  await setMeta('device_id', 'device-1');
  await setPin(PIN, { iterations: TEST_ITERATIONS });
}

describe('the key from a PRF secret', () => {
  it('a data key wrapped with a given PRF secret opens with that secret and with no other', async () => {
    const raw = new Uint8Array(randomBytes(32));
    const secret = new Uint8Array(randomBytes(32));
    const vault = await passkeyVault(raw, { credentialId: new Uint8Array(16), prfSalt: new Uint8Array(32), secret, now: T0 });
    expect(vault).toMatchObject({ version: 1, kdf: PASSKEY_KDF, created_at: T0.toISOString() });
    expect(vault.salt).toHaveLength(16);
    expect(vault.wrapped).toHaveLength(12 + 32 + 16);
    expect(hex(await openPasskeyVault(vault, secret))).toBe(hex(raw));
    await expect(openPasskeyVault(vault, new Uint8Array(randomBytes(32)))).rejects.toThrow();
  });
});

describe('setting up the passkey', () => {
  it('asks the platform authenticator for a resident, user-verified credential with PRF over a salt kept with the vault', async () => {
    await aVaultWithData();
    const phone = anAuthenticator();
    expect(await setUpPasskey(PIN, { env: phone.env, now: T0 })).toEqual({ ok: true });
    const [[what, options]] = phone.calls;
    expect(what).toBe('create');
    expect(options.rp).toEqual({ name: 'Fältstöd' }); // no id: the page's host, nothing of a server
    expect(options.authenticatorSelection).toMatchObject({ authenticatorAttachment: 'platform', residentKey: 'required', userVerification: 'required' });
    const vault = await getMeta('vault');
    expect(vault.kdf).toBe(PASSKEY_KDF);
    expect(hex(vault.prf_salt)).toBe(hex(options.extensions.prf.eval.first));
    expect(vault.prf_salt).toHaveLength(32);
    expect(phone.secrets.has(hex(vault.credential_id))).toBe(true);
    expect(await unlockMethod()).toBe('passkey');
    expect(await vaultState()).toBe('open'); // still in use, as it was
  });

  it('drops the PIN\'s wrapping: the PIN alone no longer opens the data key, through the app or offline', async () => {
    await aVaultWithData();
    const before = await getMeta('vault');
    await setUpPasskey(PIN, { env: anAuthenticator().env });
    const vault = await getMeta('vault');
    expect(Object.keys(vault).sort()).toEqual(['created_at', 'credential_id', 'kdf', 'prf_salt', 'salt', 'version', 'wrapped']);
    lock();
    expect(await unlock(PIN)).toEqual({ ok: false, passkey: true });
    expect((await lockState()).failures).toBe(0); // not counted: no PIN can open it
    await expect(records.get(['note', 'n1'])).rejects.toBeInstanceOf(LockedError);
    // Someone with the storage and the PIN, guessing offline: the PIN's key opens nothing.
    for (const salt of [vault.salt, before.salt]) {
      await expect(decrypt(await deriveKey(PIN, salt, TEST_ITERATIONS), vault.wrapped, WRAP_AAD)).rejects.toThrow();
    }
  });

  it('gets the secret by an assertion when the creation did not evaluate PRF', async () => {
    await aVaultWithData();
    const phone = anAuthenticator({ atCreate: false });
    expect(await setUpPasskey(PIN, { env: phone.env })).toEqual({ ok: true });
    expect(phone.calls.map(([what]) => what)).toEqual(['create', 'get']);
    lock();
    expect(await unlockWithPasskey({ env: phone.env })).toEqual({ ok: true });
  });

  it('a wrong PIN sets nothing up and counts as a wrong try', async () => {
    await aVaultWithData();
    const phone = anAuthenticator();
    expect(await setUpPasskey('975310', { env: phone.env, now: T0 })).toMatchObject({ ok: false, failures: 1 });
    expect(phone.calls).toEqual([]);
    expect(await unlockMethod()).toBe('pin');
  });

  it('refused at the prompt, nothing changes: the PIN still opens the app', async () => {
    await aVaultWithData();
    const phone = anAuthenticator({ verified: false });
    expect(await setUpPasskey(PIN, { env: phone.env })).toEqual({ ok: false, cancelled: true });
    expect(await unlockMethod()).toBe('pin');
    lock();
    expect(await unlock(PIN)).toEqual({ ok: true });
  });

  it('an authenticator without PRF: not set up, the PIN stays, its credential is let go and it is not offered again', async () => {
    await aVaultWithData();
    const phone = anAuthenticator({ prf: false });
    expect(await passkeyOffered({ env: phone.env })).toBe(true); // only a credential tells
    expect(await setUpPasskey(PIN, { env: phone.env })).toEqual({ ok: false, unsupported: true });
    expect(await unlockMethod()).toBe('pin');
    expect(phone.calls.map(([what]) => what)).toEqual(['create', 'forget']);
    expect(await passkeyOffered({ env: phone.env })).toBe(false);
    lock();
    expect(await unlock(PIN)).toEqual({ ok: true });
  });
});

describe('unlocking with the passkey', () => {
  async function aPasskeyPhone(options) {
    await aVaultWithData();
    const phone = anAuthenticator(options);
    await setUpPasskey(PIN, { env: phone.env });
    phone.calls.length = 0;
    lock();
    return phone;
  }

  it('the verified user\'s PRF secret opens everything, as it was; the prompt names the credential and asks for verification', async () => {
    const phone = await aPasskeyPhone();
    expect(await unlockWithPasskey({ env: phone.env })).toEqual({ ok: true });
    expect((await records.get(['note', 'n1'])).data.text).toBe(NOTE);
    const [[what, options]] = phone.calls;
    const vault = await getMeta('vault');
    expect(what).toBe('get');
    expect(options.userVerification).toBe('required');
    expect(hex(new Uint8Array(options.allowCredentials[0].id))).toBe(hex(vault.credential_id));
    expect(hex(options.extensions.prf.eval.first)).toBe(hex(vault.prf_salt));
  });

  it('a prompt the user is not verified at opens nothing and is not counted', async () => {
    const phone = await aPasskeyPhone();
    phone.state.verified = false;
    expect(await unlockWithPasskey({ env: phone.env })).toMatchObject({ ok: false, refused: true });
    expect(await vaultState()).toBe('locked');
    expect((await lockState()).failures).toBe(0);
  });

  it('an assertion whose flags say the user was not verified opens nothing, even from a lax authenticator', async () => {
    const phone = await aPasskeyPhone({ lax: true });
    phone.state.verified = false;
    expect(await unlockWithPasskey({ env: phone.env })).toMatchObject({ ok: false, refused: true });
    expect(await vaultState()).toBe('locked');
  });

  it('a secret that does not open the key is a wrong try; the tenth deletes the data', async () => {
    const phone = await aPasskeyPhone();
    for (const [id] of phone.secrets) phone.secrets.set(id, randomBytes(32)); // another secret
    let now = T0.getTime();
    let answer = await unlockWithPasskey({ env: phone.env, now: new Date(now) });
    expect(answer).toMatchObject({ ok: false, failures: 1, left: MAX_FAILURES - 1 });
    for (let i = 1; i < MAX_FAILURES; i += 1) {
      now += 16 * 60_000;
      answer = await unlockWithPasskey({ env: phone.env, now: new Date(now) });
    }
    expect(answer).toEqual({ ok: false, wiped: { lost: 1 } });
    expect(await getMeta('vault')).toBeUndefined();
    expect(await getMeta('device_id')).toBe('device-1');
  });

  it('a passkey deleted from the phone opens nothing: the data can only be deleted', async () => {
    const phone = await aPasskeyPhone();
    phone.secrets.clear();
    expect(await unlockWithPasskey({ env: phone.env })).toMatchObject({ ok: false, refused: true });
    expect(await unlock(PIN)).toEqual({ ok: false, passkey: true });
    expect(await vaultState()).toBe('locked');
  });
});

describe('where it is offered', () => {
  it('not without WebAuthn, without a platform authenticator that verifies its user, nor once a passkey is set', async () => {
    await aVaultWithData();
    const phone = anAuthenticator();
    expect(await passkeyOffered({ env: phone.env })).toBe(true);
    expect(await passkeyOffered({ env: { ...phone.env, PublicKeyCredential: undefined } })).toBe(false);
    const noPlatform = { ...phone.env.PublicKeyCredential, isUserVerifyingPlatformAuthenticatorAvailable: async () => false };
    expect(await passkeyOffered({ env: { ...phone.env, PublicKeyCredential: noPlatform } })).toBe(false);
    const noPrf = { ...phone.env.PublicKeyCredential, getClientCapabilities: async () => ({ 'extension:prf': false }) };
    expect(await passkeyOffered({ env: { ...phone.env, PublicKeyCredential: noPrf } })).toBe(false);
    await setUpPasskey(PIN, { env: phone.env });
    expect(await passkeyOffered({ env: phone.env })).toBe(false);
  });
});

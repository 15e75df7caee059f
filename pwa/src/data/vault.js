/**
 * The vault: the data key that seals the phone's data at rest (sealed.js), kept in IndexedDB
 * only wrapped by a key derived from the worker's PIN (docs/phone-security.md).
 *
 * - A login on a phone without a vault makes a random data key, in memory only
 *   (`needs_pin`): the token and what the first sync brings are sealed with it. The worker
 *   then chooses a PIN; `setPin` wraps the key with PBKDF2(PIN) and stores the vault
 *   (meta `vault`: salt, iterations, the wrapped key), and seals anything still in clear
 *   (an app upgraded from one without encryption). An app closed before the PIN was set
 *   leaves seals nobody can open: the next start deletes them (`startVault`).
 * - `unlock(pin)` derives the key again and unwraps the data key (AES-GCM: a wrong PIN fails
 *   its tag). Wrong PINs: the first FREE_TRIES cost nothing, then each makes the next try
 *   wait longer (`retryDelay`); the MAX_FAILURES-th deletes all local data, as a remote
 *   wipe does, and the worker must log in online again. The count lies in clear (meta
 *   `lock`): it guards the app's own screen, not the storage (the threat model says why).
 * - `lock()` forgets the data key and every opened seal.
 * - After the city's days offline (phone-settings.js, MAX_OFFLINE_DAYS by default) without
 *   reaching the server (the last login or successful sync), the PIN alone is not enough:
 *   the worker logs in online (`mustLogInOnline`).
 * - The city's PIN minimum (PIN_MIN by default) raised above the PIN's length: the right PIN
 *   still opens the app, and the worker then chooses a new one (`unlock` answers `renew`,
 *   the state is `needs_pin` until `setPin` wraps the key anew).
 * - A passkey (passkey.js, loaded when wanted) replaces the PIN's wrapping with one by its
 *   PRF secret; the vault's `kdf` says which (`unlockMethod`). `openWith` is the unlock both
 *   share: the wait after wrong tries, the count, the wipe.
 */
import { decrypt, deriveKey, encrypt, importDataKey, newDataKey, randomBytes } from './crypt.js';
import { DEVICE_KEYS, clearLocalData, getMeta, holdsSealedRows, outbox, resealAll, setMeta, transaction } from './db.js';
import { clearDrafts, forgetDrafts, openDrafts } from './form-drafts.js';
import { loadPhoneSettings, phoneSettings } from './phone-settings.js';
import { forgetKey, keyState, useKey } from './sealed.js';

// OWASP's figure for PBKDF2-HMAC-SHA-256 (2023). About a second on a cheap phone, which the
// worker waits at each unlock; each offline guess costs an attacker the same work. The count
// is stored with the vault, so it can be raised for new vaults without breaking old ones.
export const PBKDF2_ITERATIONS = 600_000;
// PINs are digits (the phone's number pad), this long: 6 gives a million PINs; fewer would
// fall to a few hours of guessing even through the app's delays. The city may ask for more
// (FALTSTOD_PHONE_PIN_MIN), never fewer.
export const PIN_MIN = 6;
export const PIN_MAX = 12;
// Wrong PINs: three slips are free, then 30 s, 1, 2, 4, 8, 15, 15 min; the tenth wipes. A
// worker who mistypes is never locked out for long; someone trying PINs gets ten.
export const FREE_TRIES = 3;
export const MAX_FAILURES = 10;
const FIRST_DELAY_MS = 30_000;
const LONGEST_DELAY_MS = 15 * 60_000;
// How long the phone may be used offline before an online login is needed again: a week of
// outreach without network is rare; a lost phone's PIN is worth less after it. The default
// of FALTSTOD_PHONE_MAX_OFFLINE_DAYS, which the phone applies once fetched.
export const MAX_OFFLINE_DAYS = 7;
const DAY_MS = 24 * 3600_000;
// A clock set back this far before the last contact with the server is not believed.
const CLOCK_SLACK_MS = DAY_MS;

const VAULT = 'vault';
const LOCK = 'lock';
export const WRAP_AAD = 'faltstod:vault';
const PIN_KDF = 'PBKDF2-SHA-256';

// The data key made at a login, until the PIN wraps it (null otherwise).
let pending = null;

/** Why a PIN cannot be chosen ('length', 'simple'), or null; `min`: the city's minimum. Pure. */
export function pinProblem(pin, min = phoneSettings().pin_min) {
  const text = String(pin ?? '');
  if (!/^\d+$/.test(text) || text.length < Math.max(min, PIN_MIN) || text.length > PIN_MAX) return 'length';
  const digits = [...text].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i] + 10) % 10));
  // One digit repeated (000000), or a run up or down (123456, 987654, 901234).
  if (steps.size === 1 && [0, 1, 9].includes([...steps][0])) return 'simple';
  return null;
}

/** How long after the `failures`-th wrong PIN the next try must wait (ms). Pure. */
export function retryDelay(failures) {
  if (failures < FREE_TRIES) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - FREE_TRIES), LONGEST_DELAY_MS);
}

/** Whether the PIN alone may no longer open the app: the server was last reached
 * (`onlineAt`, ISO) more than `days` (the city's) before `now`, never, or the clock was set
 * back before that contact. Pure. */
export function offlineTooLong(onlineAt, now, days = phoneSettings().max_offline_days) {
  if (!onlineAt) return true;
  const since = now.getTime() - Date.parse(onlineAt);
  return Number.isNaN(since) || since > days * DAY_MS || since < -CLOCK_SLACK_MS;
}

/** `none` (no vault: log in), `needs_pin` (logged in, PIN not chosen yet), `locked`, `open`. */
export async function vaultState() {
  if (keyState() === 'open') return pending ? 'needs_pin' : 'open';
  pending = null; // local data was deleted (a logout, a wipe) before the PIN was chosen
  return (await getMeta(VAULT)) ? 'locked' : 'none';
}

/**
 * At app start: the vault's state. Seals left by a login whose PIN was never chosen cannot
 * be opened by anyone: they are deleted (the device identity stays). A phone with data from
 * an app without encryption and a session gets a data key and is asked for a PIN.
 */
export async function startVault() {
  const state = await vaultState();
  if (state !== 'none') return state;
  if (await holdsSealedRows()) {
    await clearLocalData({ keepMeta: DEVICE_KEYS });
    return 'none';
  }
  if (await getMeta('token')) {
    await beginVault();
    return 'needs_pin';
  }
  return 'none';
}

/** A login: make the data key, in memory until `setPin`, unless a vault is open. */
export async function beginVault() {
  const state = await vaultState();
  if (state === 'open' || state === 'needs_pin') return;
  if (state === 'locked') throw Object.assign(new Error('locked'), { code: 'locked' });
  const made = await newDataKey();
  pending = made.raw;
  useKey(made.key);
}

async function wrapWith(pin, raw, iterations) {
  const salt = randomBytes(16);
  const wrapped = await encrypt(await deriveKey(pin, salt, iterations), raw, WRAP_AAD);
  return { version: 1, kdf: PIN_KDF, iterations, salt, wrapped };
}

/** Store a new vault (the data key wrapped anew), the old wrapping gone with the count. */
export async function storeVault(vault) {
  await transaction('rw', ['meta'], async () => {
    await setMeta(VAULT, vault);
    await setMeta(LOCK, null);
  });
}

/** Whether the PIN asked for is a new one because the city's minimum rose (a vault exists,
 * its key is open and waits for the new PIN). */
export const renewingPin = async () => Boolean(pending) && Boolean(await getMeta(VAULT));

/**
 * The worker's chosen PIN: wrap the data key made at login with it and store the vault;
 * seal what is still in clear. Throws an Error with `code` 'pin_length' / 'pin_simple' for
 * a PIN that is not allowed, 'no_login' without a pending key. A new PIN for a vault whose
 * old one is too short (`renewingPin`) replaces its wrapping; nothing else changes.
 */
export async function setPin(pin, { iterations = PBKDF2_ITERATIONS, now = new Date() } = {}) {
  const problem = pinProblem(pin);
  if (problem) throw Object.assign(new Error(problem), { code: `pin_${problem}` });
  if ((await vaultState()) !== 'needs_pin') throw Object.assign(new Error('no_login'), { code: 'no_login' });
  const renewing = await renewingPin();
  await storeVault({ ...(await wrapWith(pin, pending, iterations)), created_at: now.toISOString() });
  pending.fill(0);
  pending = null;
  if (!renewing) await resealAll();
  await openDrafts();
}

/** The lock's state: {failures, retry_at (ISO) | null}. */
export async function lockState() {
  return (await getMeta(LOCK)) ?? { failures: 0, retry_at: null };
}

/** How the vault opens: 'pin', 'passkey', or null without a vault (read while locked). */
export async function unlockMethod() {
  const vault = await getMeta(VAULT);
  return vault ? (vault.kdf === PIN_KDF ? 'pin' : 'passkey') : null;
}

/** Thrown by an `unwrap` for a try that must not count as a wrong one (the passkey's prompt
 * cancelled, a PIN offered to a passkey's vault); `answer` is what `openWith` returns. */
export class Untried extends Error {
  constructor(answer) {
    super('untried');
    this.answer = answer;
  }
}

/**
 * Open the vault with `unwrap(vault)`, which returns the data key's bytes or throws (a wrong
 * secret: counted, see `unlock`). Returns {ok: true, raw} (the caller uses the bytes and
 * forgets them), or what `unlock` returns when it fails.
 */
export async function openWith(unwrap, { now = new Date() } = {}) {
  const vault = await getMeta(VAULT);
  if (!vault) return { ok: false, none: true };
  const lock = await lockState();
  if (lock.retry_at && now < new Date(lock.retry_at)) {
    return { ok: false, early: true, failures: lock.failures, left: MAX_FAILURES - lock.failures, retry_at: lock.retry_at };
  }
  try {
    return { ok: true, raw: await unwrap(vault) };
  } catch (error) {
    if (error instanceof Untried) return error.answer;
    return wrongPin(lock, now);
  }
}

/** Unlocked with the data key's bytes (the caller forgets them): the key in use, the count
 * reset, the forms in progress opened, the city's settings read. */
export async function opened(raw) {
  useKey(await importDataKey(raw));
  await setMeta(LOCK, null);
  await openDrafts();
  await loadPhoneSettings();
}

const pinUnwrap = (pin) => async (vault) => {
  if (vault.kdf !== PIN_KDF) throw new Untried({ ok: false, passkey: true });
  return decrypt(await deriveKey(String(pin ?? ''), vault.salt, vault.iterations), vault.wrapped, WRAP_AAD);
};

/**
 * Try a PIN. Returns {ok: true} (with `renew: true` when the PIN is shorter than the city
 * now asks: the app is open and waits for a new one, `needs_pin`); or {ok: false, failures,
 * left, retry_at} (wrong, or too soon after the last wrong one: `early`); or {ok: false,
 * wiped: {lost}} when that was the last try allowed (local data deleted; `lost`: unsent
 * changes that went with it); or {ok: false, passkey: true}: the vault opens only with its
 * passkey (not counted: no PIN can open it).
 */
export async function unlock(pin, { now = new Date() } = {}) {
  const answer = await openWith(pinUnwrap(pin), { now });
  if (!answer.ok) return answer;
  await opened(answer.raw);
  if (pinProblem(pin) === 'length') {
    pending = answer.raw;
    return { ok: true, renew: true };
  }
  answer.raw.fill(0);
  return { ok: true };
}

/** The data key's bytes from the PIN (to wrap them otherwise: with a passkey), the try
 * counted like an unlock's: {ok: true, raw} or what `unlock` answers. */
export const unwrapWithPin = (pin, { now = new Date() } = {}) => openWith(pinUnwrap(pin), { now });

async function wrongPin(lock, now) {
  const failures = lock.failures + 1;
  if (failures >= MAX_FAILURES) return { ok: false, wiped: { lost: await wipeForPin() } };
  const delay = retryDelay(failures);
  const retry_at = delay ? new Date(now.getTime() + delay).toISOString() : null;
  await setMeta(LOCK, { failures, retry_at });
  return { ok: false, failures, left: MAX_FAILURES - failures, retry_at };
}

/** Too many wrong PINs, or a forgotten one: everything local goes, as at a remote wipe
 * (session.js), except the device's identity and counter: the next login is the same device
 * to the server, which then sees the gap in device_seq that lost changes leave (the sync
 * dashboard's `seq_gap`). Returns the unsent changes lost. */
export async function wipeForPin() {
  const lost = await outbox.count();
  clearDrafts();
  await clearLocalData({ keepMeta: DEVICE_KEYS });
  await outbox.count();
  return lost;
}

/** Forget the data key and what was opened with it (a vault stays: unlock again). */
export function lock() {
  if (pending) return; // no PIN yet: nothing could open the data again
  if (keyState() === 'open') forgetKey('locked');
  forgetDrafts();
}

/** Whether the server was reached recently enough for the PIN to open the app
 * (`offlineTooLong` over the last login and the last successful sync). */
export async function mustLogInOnline({ now = new Date() } = {}) {
  const times = (await Promise.all([getMeta('online_at'), getMeta('last_sync_at')])).filter(Boolean);
  const last = times.length ? times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a)) : null;
  return offlineTooLong(last, now);
}

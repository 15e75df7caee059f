/**
 * Rows at rest (docs/phone-security.md): what of each row lies in clear in IndexedDB and what
 * is sealed with the data key. db.js calls these on every write and read, so the rest of the
 * app sees plain rows.
 *
 * In clear stay only the fields the database itself needs (primary keys, index fields) and
 * bookkeeping that names no person: ids, types, record keys ("visit:<uuid>"), dates, versions,
 * device_seq, a mutation's name. Everything else (a record's `server` and `data`, a
 * mutation's args, every meta value but those in CLEAR_META) goes into one AES-GCM seal,
 * `sealed`, whose additional data names the table and the row, so a seal moved to another
 * row does not open.
 *
 * The key: `none` before a vault exists (a new phone before its first login, or one upgraded
 * from an app without encryption until its PIN is set: rows are written and read as they
 * are, and setting the PIN seals them all); `open` while unlocked (the data key in memory,
 * which cannot be exported); `locked` (no key: a sealed row cannot be read, a personal
 * field cannot be written, and a sealed meta value reads as absent).
 *
 * Opened seals are kept in memory while unlocked, by their IV (a seal's identity: a new
 * seal never repeats an IV), so a screen's query re-run after every save decrypts only what
 * changed. Locking forgets them with the key.
 */
import { bytesText, decrypt, encrypt, ivOf, textBytes } from './crypt.js';

const RECORD_FIELDS = ['type', 'id', 'version', 'client_id', 'day', 'about', 'applied_mutation_id'];

/** The fields kept in clear, per table (the rest is sealed). */
export const CLEAR_FIELDS = {
  records: RECORD_FIELDS,
  staging: RECORD_FIELDS,
  outbox: ['id', 'device_seq', 'keys', 'in_flight', 'name', 'queued_at'],
  sent: ['id', 'device_seq', 'answered_at', 'name'],
  meta: ['key'],
};

/** Meta values kept in clear: the device's identity and counter, the vault and the lock's
 * own state (read while locked), and sync bookkeeping that names no one. */
export const CLEAR_META = new Set([
  'device_id', 'device_seq', 'vault', 'lock', 'online_at',
  'cursor', 'epoch', 'min_app_version', 'session', 'replacement',
  'last_sync_at', 'last_confirmed_at', 'digest_checked_at', 'reported_outbox_size',
]);

export class LockedError extends Error {
  constructor() {
    super('locked');
    this.name = 'LockedError';
    this.code = 'locked';
  }
}

// At most this many opened seals are kept; beyond, the cache starts over (a full caseload
// is a few thousand rows, so this is never reached in practice).
const CACHE_LIMIT = 20_000;

let state = 'none';
let dataKey = null;
const opened = new Map();

/** Use this data key (unlocked). */
export function useKey(key) {
  if (key !== dataKey) opened.clear();
  dataKey = key;
  state = 'open';
}

/** Forget the key: `locked` (a vault exists) or `none` (no vault any more). */
export function forgetKey(next = 'locked') {
  dataKey = null;
  opened.clear();
  state = next;
}

export const keyState = () => state;

const aadOf = (table, row) => `${table}:${table === 'records' || table === 'staging' ? `${row.type}:${row.id}` : table === 'meta' ? row.key : row.id}`;

// IndexedDB refuses what it cannot clone (a function, a symbol); a seal must refuse it too,
// or a bad value would vanish silently instead of failing its transaction.
function strictJson(value) {
  return JSON.stringify(value, (_, v) => {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
      throw new DOMException(`a ${typeof v} cannot be stored`, 'DataCloneError');
    }
    return v;
  });
}

function split(table, row) {
  const clear = {};
  const rest = {};
  const keep = CLEAR_FIELDS[table];
  for (const [name, value] of Object.entries(row)) {
    if (name === 'sealed') continue;
    if (keep.includes(name)) clear[name] = value;
    else if (value !== undefined) rest[name] = value;
  }
  return { clear, rest };
}

const staysClear = (table, row) => !CLEAR_FIELDS[table] || (table === 'meta' && CLEAR_META.has(row.key));

/** The row as it is stored: its clear fields and the seal of the rest. */
export async function sealRow(table, row) {
  if (!row || staysClear(table, row) || state === 'none') return row;
  const { clear, rest } = split(table, row);
  if (!Object.keys(rest).length) return clear;
  if (state !== 'open') throw new LockedError();
  const text = strictJson(rest);
  const aad = aadOf(table, row);
  const sealed = await encrypt(dataKey, textBytes(text), aad);
  remember(aad, sealed, text);
  return { ...clear, sealed };
}

// An opened seal is remembered under its IV and where it lies (a seal copied onto another
// row is not taken for opened there).
const cacheKey = (aad, sealed) => `${aad}\u0000${ivOf(sealed)}`;

function remember(aad, sealed, text) {
  if (opened.size >= CACHE_LIMIT) opened.clear();
  opened.set(cacheKey(aad, sealed), text);
}

function joined(row, text) {
  const { sealed: _, ...clear } = row;
  return { ...clear, ...JSON.parse(text) };
}

/** The row as the app sees it, when that needs no decryption: a row stored in clear, or one
 * opened before. Else undefined (call openRow). */
export function openNow(table, row) {
  if (!row || row.sealed === undefined) return row;
  if (state !== 'open') throw new LockedError();
  const text = opened.get(cacheKey(aadOf(table, row), row.sealed));
  return text === undefined ? undefined : joined(row, text);
}

/** The row as the app sees it (a row stored in clear is returned as it is). */
export async function openRow(table, row) {
  if (!row) return row;
  const now = openNow(table, row);
  if (now !== undefined) return now;
  const aad = aadOf(table, row);
  const text = bytesText(await decrypt(dataKey, row.sealed, aad));
  remember(aad, row.sealed, text);
  return joined(row, text);
}

/** A text sealed with the data key, as base64 (what is kept outside IndexedDB: a form in
 * progress in localStorage); `aad` names where it lies. */
export async function sealText(aad, text) {
  if (state !== 'open') throw new LockedError();
  const sealed = await encrypt(dataKey, textBytes(text), aad);
  let binary = '';
  for (const byte of sealed) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The text of `sealText`'s base64 (throws when it was sealed with another key or elsewhere). */
export async function openText(aad, base64) {
  if (state !== 'open') throw new LockedError();
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return bytesText(await decrypt(dataKey, bytes, aad));
}

/** Whether writing `changes` to a stored row touches only its clear fields (Dexie's update
 * can then change it in place). */
export const onlyClear = (table, changes) => Object.keys(changes).every((name) => CLEAR_FIELDS[table].includes(name));

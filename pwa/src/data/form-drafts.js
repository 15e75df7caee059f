/**
 * Forms in progress (a visit being checked off, a visit being logged) as the UI keeps them:
 * in localStorage under `faltstod.draft.<key>`, so a reload or the phone killing the tab
 * loses nothing (ui/drafts.js is the hook screens use). They hold what a worker typed about
 * a client, so they go with the rest of the local data: at logout and when the server tells
 * the phone to wipe (session.js).
 *
 * At rest they are sealed like the database (docs/phone-security.md): while the app is
 * unlocked the drafts live in memory, opened from localStorage at unlock (`openDrafts`), and
 * each write is sealed with the data key into localStorage a moment later (`sealed:` and
 * base64); locking forgets them (`forgetDrafts`). Before a vault exists they are kept in
 * clear, as they were, and sealed when the PIN is set.
 *
 * localStorage may be missing (tests, a locked-down browser) or refuse writes (full): then
 * drafts live in memory only, which is what they were anyway.
 */
import { keyState, openText, sealText } from './sealed.js';

const PREFIX = 'faltstod.draft.';
const SEALED = 'sealed:';

const storage = () => globalThis.localStorage ?? null;

// The drafts opened while unlocked, and which write of each key is the latest (a slower
// seal of an earlier write must not land after a later one, nor after a removal).
const opened = new Map();
const latest = new Map();
let writes = 0;

function keys() {
  const store = storage();
  const found = [];
  try {
    for (let i = 0; i < (store?.length ?? 0); i += 1) {
      const key = store.key(i);
      if (key?.startsWith(PREFIX)) found.push(key);
    }
  } catch {
    // Blocked storage holds no draft.
  }
  return found;
}

// Writes not yet sealed into localStorage.
const pending = new Set();

/** The draft stored under `key`, or null. One opened in memory counts while localStorage
 * still has it (or its seal is on the way): storage cleared by the browser (a wipe's
 * Clear-Site-Data) takes it too. */
export function readDraft(key) {
  try {
    const text = storage()?.getItem(PREFIX + key) ?? null;
    if (opened.has(key)) {
      if (text !== null || pending.has(key) || !storage()) return opened.get(key);
      opened.delete(key);
    }
    return text && !text.startsWith(SEALED) ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function store(key, text) {
  try {
    storage()?.setItem(PREFIX + key, text);
  } catch {
    // Storage full or blocked: the draft lives in memory only.
  }
}

export function writeDraft(key, value) {
  if (keyState() !== 'open') {
    store(key, JSON.stringify(value));
    return;
  }
  opened.set(key, value);
  const write = ++writes;
  latest.set(key, write);
  pending.add(key);
  sealText(PREFIX + key, JSON.stringify(value)).then(
    (sealed) => {
      if (latest.get(key) !== write) return;
      pending.delete(key);
      store(key, SEALED + sealed);
    },
    () => pending.delete(key), // locked meanwhile: the draft was forgotten with the key
  );
}

export function removeDraft(key) {
  opened.delete(key);
  latest.delete(key);
  pending.delete(key);
  try {
    storage()?.removeItem(PREFIX + key);
  } catch {
    // Blocked storage holds no draft.
  }
}

/** Remove every draft (and only drafts: other keys are not ours to judge). */
export function clearDrafts() {
  opened.clear();
  latest.clear();
  pending.clear();
  try {
    for (const key of keys()) storage().removeItem(key);
  } catch {
    // Blocked storage holds no draft.
  }
}

/** Unlocked: open the stored drafts into memory; one in clear (from before the vault) is
 * sealed now; one that does not open (another vault's) is removed. */
export async function openDrafts() {
  for (const full of keys()) {
    const key = full.slice(PREFIX.length);
    try {
      const text = storage().getItem(full);
      if (text.startsWith(SEALED)) opened.set(key, JSON.parse(await openText(full, text.slice(SEALED.length))));
      else writeDraft(key, JSON.parse(text));
    } catch {
      removeDraft(key);
    }
  }
}

/** Locked: the drafts are forgotten (they stay sealed in localStorage). */
export function forgetDrafts() {
  opened.clear();
  latest.clear();
  pending.clear();
}

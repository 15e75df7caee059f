/**
 * Forms in progress (a visit being checked off, a visit being logged) as the UI keeps them:
 * in localStorage under `faltstod.draft.<key>`, so a reload or the phone killing the tab
 * loses nothing (ui/drafts.js is the hook screens use). They hold what a worker typed about
 * a client, so they go with the rest of the local data: at logout and when the server tells
 * the phone to wipe (session.js).
 *
 * localStorage may be missing (tests, a locked-down browser) or refuse writes (full): then
 * drafts live in memory only, which is what they were anyway.
 */
const PREFIX = 'faltstod.draft.';

const storage = () => globalThis.localStorage ?? null;

/** The draft stored under `key`, or null. */
export function readDraft(key) {
  try {
    const text = storage()?.getItem(PREFIX + key);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export function writeDraft(key, value) {
  try {
    storage()?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or blocked: the draft lives in memory only.
  }
}

export function removeDraft(key) {
  try {
    storage()?.removeItem(PREFIX + key);
  } catch {
    // Blocked storage holds no draft.
  }
}

/** Remove every draft (and only drafts: other keys are not ours to judge). */
export function clearDrafts() {
  const store = storage();
  if (!store) return;
  try {
    const keys = [];
    for (let i = 0; i < store.length; i += 1) keys.push(store.key(i));
    for (const key of keys) if (key?.startsWith(PREFIX)) store.removeItem(key);
  } catch {
    // Blocked storage holds no draft.
  }
}

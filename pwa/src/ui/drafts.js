// Work in progress on a form (a visit being checked off) survives a reload, the phone
// killing the tab, or a detour to another screen: it is kept in localStorage under its key
// until it is saved to the database or thrown away. Logging out removes every draft.
import { useEffect, useState } from 'preact/hooks';

const PREFIX = 'faltstod.draft.';

function read(key, initial) {
  try {
    const text = localStorage.getItem(PREFIX + key);
    return text ? { ...initial, ...JSON.parse(text) } : initial;
  } catch {
    return initial;
  }
}

/** [draft, update(patch), discard()] for the draft stored under `key`. */
export function useDraft(key, initial) {
  const [draft, setDraft] = useState(() => read(key, initial));
  useEffect(() => setDraft(read(key, initial)), [key]);
  const update = (patch) =>
    setDraft((current) => {
      const next = { ...current, ...(typeof patch === 'function' ? patch(current) : patch) };
      try {
        localStorage.setItem(PREFIX + key, JSON.stringify(next));
      } catch {
        // Storage full or blocked: the draft lives in memory only, which is what it was anyway.
      }
      return next;
    });
  const discard = () => {
    localStorage.removeItem(PREFIX + key);
    setDraft(initial);
  };
  return [draft, update, discard];
}

export function dropDraft(key) {
  localStorage.removeItem(PREFIX + key);
}

export function clearDrafts() {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  }
}

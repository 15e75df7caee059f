// Work in progress on a form (a visit being checked off) survives a reload, the phone
// killing the tab, or a detour to another screen: it is kept in localStorage under its key
// (data/form-drafts.js) until it is saved to the database or thrown away. Logging out and
// a wipe ordered by the server remove every draft.
import { useEffect, useState } from 'preact/hooks';
import { clearDrafts, readDraft, removeDraft, writeDraft } from '../data/form-drafts.js';

function read(key, initial) {
  const stored = readDraft(key);
  return stored ? { ...initial, ...stored } : initial;
}

/** [draft, update(patch), discard()] for the draft stored under `key`. */
export function useDraft(key, initial) {
  const [draft, setDraft] = useState(() => read(key, initial));
  useEffect(() => setDraft(read(key, initial)), [key]);
  const update = (patch) =>
    setDraft((current) => {
      const next = { ...current, ...(typeof patch === 'function' ? patch(current) : patch) };
      writeDraft(key, next);
      return next;
    });
  const discard = () => {
    removeDraft(key);
    setDraft(initial);
  };
  return [draft, update, discard];
}

export function dropDraft(key) {
  removeDraft(key);
}

export { clearDrafts };

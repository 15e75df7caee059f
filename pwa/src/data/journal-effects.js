/**
 * The local effect of a note's correction (`note.correct`; journal.js explains the journal,
 * effects.js explains effects). Pure, and apart from journal.js: effects.js registers it, and
 * journal.js's action reaches effects.js through the outbox, so one module for both would be
 * an import cycle.
 */
import { recordKey } from './effect-parts.js';

/** Every version of a note, the first included. A note pulled before the server kept
 * versions, or made on this phone by note.add, has none: its own text, author and time are
 * its first (whose id is the note's, as the server gives it). Pure. */
export function versionsOf(note) {
  const { id, author_id = null, text, written_at } = note;
  return note.versions?.length ? note.versions : [{ id, author_id, text, written_at }];
}

/** note.correct: a new version at the end of the held note's versions, and the note's text
 * its text. A version already there (the same mutation replayed over a server copy that has
 * it) is not appended again; a note not held is left unheld. */
export function noteCorrect(view, m, ctx) {
  const key = recordKey('note', m.args.note_id);
  const note = view[key];
  const { id, text } = m.args;
  if (!note || versionsOf(note).some((version) => version.id === id)) return view;
  const version = { id, author_id: ctx.userId ?? null, text, written_at: m.occurred_at };
  return { ...view, [key]: { ...note, text, versions: [...versionsOf(note), version] } };
}

export const JOURNAL_EFFECTS = { 'note.correct': noteCorrect };

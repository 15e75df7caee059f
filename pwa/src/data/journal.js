/**
 * The client's journal (casework.md, "Notes as a journal"): every note of the client, and a
 * correction of one (`note.correct`, an append). A saved note is never erased nor
 * overwritten: a correction is a new version of its text, and every earlier version stays
 * readable with who wrote it and when. The pulled note has them all (`versions`, the first
 * included, each {id, author_id, text, written_at}; server/casework/notes.py load_notes) and
 * its current text (`text`, the last version's).
 *
 * Who may correct: whoever may write the client at the time of the correction, whoever
 * wrote the note (the engine's access rule on the note's client scope; the server has no
 * author rule). The phone holds a client exactly while its user may read it, which is the
 * same rule (_client_work for read_client and write_client), so every note held may be
 * corrected here.
 *
 * Like every action (actions.js) a correction is saved on the phone first and sent at the
 * next sync; its local effect (`JOURNAL_EFFECTS`, pure; effects.js explains effects) shows
 * the new version at once. The journal screen (screens/journal/) imports this module, so it
 * loads with it.
 */
import { MUTATION_SPECS } from './contract.js';
import { getMeta, records } from './db.js';
import { newId } from './ids.js';
import { versionsOf } from './journal-effects.js';
import { ActionError, cleaned, perform } from './perform.js';
import { clientSummaries, teamDirectory, withStates } from './queries.js';
import { instantMs } from './time.js';

export { JOURNAL_EFFECTS, noteCorrect, versionsOf } from './journal-effects.js';

export const CORRECTION_TEXT_MAX = MUTATION_SPECS['note.correct'].args.text.max;

// --- the action --------------------------------------------------------------------------

/** The note held on the phone, inside perform's transaction: an ActionError when it is not
 * (`not_found`) or when the correction would say what it already says (`unchanged`: a
 * version nothing changed would stay in the journal for good). */
async function requireChange(noteId, text) {
  const row = await records.get(['note', noteId]);
  if (!row?.data) throw new ActionError('not_found');
  if (row.data.text?.trim() === text) throw new ActionError('unchanged');
}

/** A correction of a note: its new text, a new version; returns the version's id. */
export async function correctNote({ note_id, text }, options) {
  const given = cleaned(text);
  if (!given) throw new ActionError('text_required');
  if ([...given].length > CORRECTION_TEXT_MAX) throw new ActionError('too_long');
  const id = newId();
  await perform('note.correct', { id, note_id, text: given }, options, () => requireChange(note_id, given));
  return id;
}

// --- the query ---------------------------------------------------------------------------

/**
 * The client's journal: {client (as lists name it: a protected identity is not named), notes}
 * or null for a client not on the phone. Notes newest first (by when first written), each
 * with its sync `state`, `author` (of the first version), `versions` (oldest first, each
 * with its `author`), `corrected` (more than one version), `latest` (the current version)
 * and `correctable` (see the header: every note held). An author is {id, name, me}: the name
 * from the logged-in user for their own, else from a supervisor's team directory, else null.
 */
export async function clientJournal(clientId) {
  const [rows, user, directory, summaries] = await Promise.all([
    records.ofClient(clientId), getMeta('user'), teamDirectory(), clientSummaries([clientId]),
  ]);
  if (!rows.some((row) => row.type === 'client')) return null;
  const personOf = (id) => {
    if (!id) return null;
    const me = Boolean(user?.id) && id === user.id;
    return { id, name: (me ? user.name : directory?.workers?.[id]?.name) ?? null, me };
  };
  const notes = await withStates('note', rows.filter((row) => row.type === 'note').map((row) => row.data));
  return {
    client: summaries.get(clientId),
    notes: notes
      .map((note) => {
        const versions = versionsOf(note).map((version) => ({ ...version, author: personOf(version.author_id) }));
        return {
          ...note,
          author: personOf(note.author_id ?? versions[0].author_id),
          versions,
          latest: versions.at(-1),
          corrected: versions.length > 1,
          correctable: true,
        };
      })
      .sort((a, b) => instantMs(b.written_at) - instantMs(a.written_at)),
  };
}

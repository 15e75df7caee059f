// One note of the journal: its current text, who wrote it and when; when corrected,
// "Rättad" with who wrote the current version and when, and the earlier versions readable
// under a disclosure; "Rätta" opens the correction inline (a new version: nothing is erased).
import { useEffect, useRef, useState } from 'preact/hooks';
import { CORRECTION_TEXT_MAX, correctNote } from '../../../data/journal.js';
import t from '../../../strings/sv/journal.js';
import { RecordState } from '../../parts/RecordState.jsx';
import { Problem } from '../../parts/Screen.jsx';
import { useSave } from '../../save.js';
import { formatDayShort, formatTime } from '../../time.js';

const when = (iso) => (iso ? `${formatDayShort(iso)} ${formatTime(iso)}` : '');
/** Who wrote a version, as a subject ("Du", "Bo Ek", "En kollega")… */
const who = (person) => (person?.me ? t.you : person?.name || t.someone);
/** …and after "av" ("dig", "Bo Ek", "en kollega"). */
const byWhom = (person) => (person?.me ? t.byYou : person?.name || t.bySomeone);

/** The versions before the current one, newest first, the first marked as such. */
function EarlierVersions({ noteId, versions }) {
  const earlier = versions.slice(0, -1);
  return (
    <details class="journal-versions" data-testid={`versions-${noteId}`}>
      <summary>{t.earlier(earlier.length)}</summary>
      <ol>
        {earlier
          .map((version, i) => (
            <li key={version.id}>
              <p class="muted">
                {t.written(when(version.written_at), who(version.author))}
                {i === 0 && ` · ${t.original}`}
              </p>
              <p class="pre">{version.text}</p>
            </li>
          ))
          .reverse()}
      </ol>
    </details>
  );
}

/** The inline correction: the current text to change, saved as a new version. */
function CorrectForm({ note, onClose }) {
  const [text, setText] = useState(note.text ?? '');
  const { problem, busy, run } = useSave({ ...t.errors, failed: t.failed });
  const field = useRef(null);
  useEffect(() => field.current?.focus(), []);
  const fieldId = `correct-${note.id}`;

  async function save(event) {
    event.preventDefault();
    await run(() => correctNote({ note_id: note.id, text }), onClose);
  }

  return (
    <form class="journal-correct" onSubmit={save} noValidate>
      <div class="field">
        <label for={fieldId}>{t.correctLabel}</label>
        <textarea
          id={fieldId}
          ref={field}
          rows={5}
          maxLength={CORRECTION_TEXT_MAX}
          value={text}
          aria-describedby={`${fieldId}-hint`}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <p class="hint" id={`${fieldId}-hint`}>
          {t.correctHint}
        </p>
      </div>
      {problem && <Problem>{problem}</Problem>}
      <div class="row wrap">
        <button type="submit" class="button primary" disabled={busy}>
          {t.save}
        </button>
        <button type="button" class="button ghost" onClick={onClose}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

/** `editing`: this note's correction is open; `onEdit(open)` opens or closes it. */
export function JournalNote({ note, editing, onEdit }) {
  const button = useRef(null);
  const wasEditing = useRef(editing);
  // Back on "Rätta" once the correction is saved or left, so a keyboard or screen reader
  // user goes on from where they were.
  useEffect(() => {
    if (wasEditing.current && !editing) button.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  return (
    <li class="journal-note" data-testid={`note-${note.id}`}>
      <p class="muted">{t.written(when(note.written_at), who(note.author))}</p>
      {note.corrected && (
        <p class="journal-meta">
          <span class="badge">{t.corrected}</span>
          <span>{t.correctedBy(when(note.latest.written_at), byWhom(note.latest.author))}</span>
        </p>
      )}
      <p class="pre">{note.text}</p>
      {note.state && note.state !== 'confirmed' && (
        <p class="journal-meta">
          <RecordState state={note.state} />
        </p>
      )}
      {note.corrected && <EarlierVersions noteId={note.id} versions={note.versions} />}
      {editing ? (
        <CorrectForm note={note} onClose={() => onEdit(false)} />
      ) : (
        note.correctable && (
          <button type="button" ref={button} class="button small secondary" onClick={() => onEdit(true)}>
            {t.correct}
          </button>
        )
      )}
    </li>
  );
}

// Journal: every note of the client, newest first, with who wrote it and when, and each
// correction as a new version (casework.md, "Notes as a journal"). Nothing is erased: a
// corrected note says so and keeps its earlier versions readable. A correction is saved on
// the phone first, offline too, and shows at once; the outbox sends it. The client is named
// as lists name them (a protected identity is not): only the client page shows the full name.
import { useState } from 'preact/hooks';
import { clientJournal } from '../../../data/journal.js';
import common from '../../../strings/sv/common.js';
import tClient from '../../../strings/sv/client.js';
import t from '../../../strings/sv/journal.js';
import { useLive } from '../../live.js';
import { listName } from '../../parts/clients.js';
import { Loading, Screen } from '../../parts/Screen.jsx';
import { href } from '../../routes.js';
import { JournalNote } from './JournalNote.jsx';
import './journal.css';

export function Journal({ id }) {
  const { data, error } = useLive(() => clientJournal(id), [id]);
  // The note whose correction is open: one at a time.
  const [editing, setEditing] = useState(null);
  const back = href.client(id);
  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (data === undefined) return <Screen title={t.title} back={back}><Loading /></Screen>;
  if (!data) return <Screen title={tClient.notFound} back={href.clients()} />;

  return (
    <Screen title={t.title} subtitle={listName(data.client)} back={back}>
      <p class="hint" data-testid="never-erased">
        {t.neverErased}
      </p>
      <section class="card" aria-labelledby="journal-notes-title">
        <h2 id="journal-notes-title" class="visually-hidden">
          {t.notes}
        </h2>
        {!data.notes.length && <p class="muted">{t.noNotes}</p>}
        <ol class="notes" aria-labelledby="journal-notes-title">
          {data.notes.map((note) => (
            <JournalNote
              key={note.id}
              note={note}
              editing={editing === note.id}
              onEdit={(open) => setEditing(open ? note.id : null)}
            />
          ))}
        </ol>
      </section>
    </Screen>
  );
}

// A client's contacts on the client page (a case manager's history with them), newest first:
// when, how and where, with whom, what was done, the minutes, a warning the server recorded
// when no valid consent covered the party, and the sync state. The latest few, then all.
import { useState } from 'preact/hooks';
import t from '../../strings/sv/contact.js';
import { formatWhen } from '../time.js';
import { RecordState } from './RecordState.jsx';

// How many contacts the page lists before "Visa alla".
const SHOWN = 5;

function Contact({ contact }) {
  const how = [t.channels[contact.channel], contact.place_type && t.placeTypes[contact.place_type], t.minutesShort(contact.minutes)];
  return (
    <li data-testid={`contact-${contact.id}`}>
      <div class="row wrap">
        <strong>{formatWhen(contact.started_at)}</strong>
        <span>{how.filter(Boolean).join(' · ')}</span>
        <RecordState state={contact.state} />
      </div>
      {contact.party && <p>{contact.party}</p>}
      {contact.actions?.length > 0 && <p class="muted">{contact.actions.map((code) => t.actionNames[code] ?? code).join(', ')}</p>}
      {contact.consent_warning && <span class="badge overdue">{contact.consent_stale ? t.withStaleConsent : t.withoutConsent}</span>}
    </li>
  );
}

export function ContactList({ contacts, showAll }) {
  const [all, setAll] = useState(false);
  const shown = all ? contacts : contacts.slice(0, SHOWN);
  return (
    <>
      {!contacts.length && <p class="muted">{t.noContacts}</p>}
      <ul class="contacts" aria-label={t.history}>
        {shown.map((contact) => (
          <Contact key={contact.id} contact={contact} />
        ))}
      </ul>
      {shown.length < contacts.length && (
        <button type="button" class="button small ghost" onClick={() => setAll(true)}>
          {showAll(contacts.length)}
        </button>
      )}
    </>
  );
}

// The client page: the only place a protected identity's full name is shown. Whereabouts and
// contacts first (what outreach needs without network), then visits, the worker's own
// reminders about the client, the order (goals, hours granted this month against used), the
// plan, notes, and items needing attention.
import { useState } from 'preact/hooks';
import { addNote } from '../../../data/actions.js';
import { NOTE_TEXT_MAX } from '../../../data/contract.js';
import { appointmentsOf } from '../../../data/casework-queries.js';
import { attentionItems, clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/client.js';
import tAppointment from '../../../strings/sv/appointment.js';
import tContact from '../../../strings/sv/contact.js';
import tEdit from '../../../strings/sv/edit-client.js';
import tToday from '../../../strings/sv/today.js';
import { announceSaved, saveProblem } from '../../announce.js';
import { useLive } from '../../live.js';
import { hintText } from '../../parts/clients.js';
import { AppointmentRow } from '../../parts/AppointmentRow.jsx';
import { ConsentList } from '../../parts/ConsentList.jsx';
import { ContactList } from '../../parts/ContactList.jsx';
import { ParkedItem } from '../../parts/ParkedItem.jsx';
import { GoalFollowups, Order, Plan } from '../../parts/OrderPlan.jsx';
import { ProtectedDetails } from '../../parts/ProtectedDetails.jsx';
import { ReminderRow } from '../../parts/ReminderRow.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { VisitRow } from '../../parts/VisitRow.jsx';
import { byStart, startOf } from '../../parts/visits.js';
import { href } from '../../routes.js';
import { formatDayShort, formatTime, formatWhen } from '../../time.js';

// How many past visits, upcoming visits and notes the page lists.
const RECENT_VISITS = 5;
const UPCOMING_VISITS = 3;
const RECENT_NOTES = 5;

async function pageOf(clientId) {
  // Whose each parked change is (on a supervisor's phone, a worker's), read together.
  const [page, attention, appointments] = await Promise.all([clientPage(clientId), attentionItems(), appointmentsOf(clientId)]);
  if (!page || !page.client) return { page: null };
  const whose = new Map(attention.map((item) => [item.parked.id, item]));
  const now = Date.now();
  const visits = [...(page.visits || [])].sort(byStart); // each with its sync `state`
  const upcoming = visits.filter((v) => v.status === 'planned' && new Date(startOf(v)) >= now).slice(0, UPCOMING_VISITS);
  const recent = visits.filter((v) => !upcoming.includes(v) && new Date(startOf(v)) < now).reverse().slice(0, RECENT_VISITS);
  const coming = appointments.filter((a) => a.status === 'planned' && new Date(a.ends_at ?? a.starts_at) >= now);
  const past = appointments.filter((a) => !coming.includes(a)).reverse().slice(0, RECENT_VISITS);
  return { page, upcoming, recent, whose, appointments: { coming, past } };
}

// A protected identity's details only when the worker asks (ProtectedDetails).
function Contact({ client, seen }) {
  return (
    <section class="card" aria-labelledby="contact-title">
      <h2 id="contact-title" class="visually-hidden">
        {t.whereabouts}
      </h2>
      {seen && (
        <p class="row wrap" data-testid="last-seen">
          <strong>{seen.lastMet ? tContact.lastMet(formatWhen(seen.lastMet)) : tContact.neverMet}</strong>
          {seen.lastContact && seen.lastContact !== seen.lastMet && <span>{tContact.lastContact(formatWhen(seen.lastContact))}</span>}
        </p>
      )}
      <ProtectedDetails client={client}>{(shown) => <ContactFacts client={shown} />}</ProtectedDetails>
    </section>
  );
}

function ContactFacts({ client }) {
  const hasAny = client.whereabouts || client.phone || client.contact_notes;
  return (
    <>
      {!hasAny && <p class="muted">{t.noContact}</p>}
      <dl class="facts">
        {client.whereabouts && (
          <div>
            <dt>{t.whereabouts}</dt>
            <dd class="key-info">{client.whereabouts}</dd>
          </div>
        )}
        {client.phone && (
          <div>
            <dt>{t.phone}</dt>
            <dd>
              <a class="button secondary" href={`tel:${client.phone.replace(/[^\d+]/g, '')}`}>
                {t.call(client.phone)}
              </a>
            </dd>
          </div>
        )}
        {client.contact_notes && (
          <div>
            <dt>{t.contactNotes}</dt>
            <dd class="pre">{client.contact_notes}</dd>
          </div>
        )}
      </dl>
      <a class="button small secondary" href={href.editClient(client.id)}>
        {tEdit.edit}
      </a>
    </>
  );
}

function Notes({ clientId, notes }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState(null);
  const recent = [...(notes || [])]
    .sort((a, b) => new Date(b.written_at) - new Date(a.written_at))
    .slice(0, RECENT_NOTES);

  async function save(event) {
    event.preventDefault();
    if (!text.trim()) return;
    try {
      await addNote({ client_id: clientId, text: text.trim() });
      setText('');
      setProblem(null);
      announceSaved();
    } catch (error) {
      console.error(error);
      setProblem(saveProblem(error));
    }
  }

  return (
    <section class="card" aria-labelledby="notes-title">
      <h2 id="notes-title">{t.notes}</h2>
      {!recent.length && <p class="muted">{t.noNotes}</p>}
      <ul class="notes">
        {recent.map((note) => (
          <li key={note.id}>
            <p class="muted">{note.written_at && `${formatDayShort(note.written_at)} ${formatTime(note.written_at)}`}</p>
            <p class="pre">{note.text}</p>
          </li>
        ))}
      </ul>
      {recent.length > 0 && (
        <a class="link" href={href.journal(clientId)}>
          {t.journal(notes.length)}
        </a>
      )}
      <form onSubmit={save} class="note-form">
        <div class="field">
          <label for="new-note">{t.newNote}</label>
          <textarea id="new-note" rows={3} maxLength={NOTE_TEXT_MAX} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="button secondary" disabled={!text.trim()}>
          {t.saveNote}
        </button>
      </form>
    </section>
  );
}

function VisitList({ id, title, visits, client }) {
  // The place shows here even for a protected identity: this is the client's own page.
  const shown = { ...client, protected_identity: false };
  if (!visits.length) return null;
  return (
    <>
      <h3 id={id}>{title}</h3>
      <ol class="visit-list" aria-labelledby={id}>
        {visits.map((visit) => (
          <VisitRow key={visit.id} visit={visit} client={shown} state={visit.state} withDate withClient={false} />
        ))}
      </ol>
    </>
  );
}

// The client's own appointments: the coming ones (planned), then the latest past ones.
function Appointments({ clientId, coming, past }) {
  const list = (id, title, items) =>
    items.length > 0 && (
      <>
        <h3 id={id}>{title}</h3>
        <ol class="visit-list" aria-labelledby={id}>
          {items.map((a) => (
            <AppointmentRow key={a.id} appointment={{ ...a, client: { ...a.client, protected_identity: false } }} withDate withClient={false} />
          ))}
        </ol>
      </>
    );
  return (
    <section class="visits" aria-labelledby="appointments-title">
      <div class="screen-head">
        <h2 id="appointments-title">{tAppointment.list}</h2>
        <a class="button small secondary" href={href.newAppointment(clientId)}>
          {tAppointment.newAppointment}
        </a>
      </div>
      {!coming.length && !past.length && <p class="muted">{tAppointment.noAppointments}</p>}
      {list('appointments-coming', t.upcoming, coming)}
      {list('appointments-past', t.recent, past)}
    </section>
  );
}

// The worker's own open reminders about the client (private: no one else sees them).
function Reminders({ clientId, reminders }) {
  return (
    <section class="card" aria-labelledby="reminders-title">
      <h2 id="reminders-title">{t.reminders}</h2>
      {!reminders.length && <p class="muted">{t.noReminders}</p>}
      {reminders.length > 0 && (
        <ul class="reminder-list" aria-labelledby="reminders-title">
          {reminders.map((reminder) => (
            <ReminderRow key={reminder.id} reminder={reminder} withClient={false} />
          ))}
        </ul>
      )}
      <a class="button secondary" href={href.newReminder(clientId)}>
        {t.newReminder}
      </a>
    </section>
  );
}

export function Client({ id }) {
  const { data, error } = useLive(() => pageOf(id), [id]);
  if (error) return <Screen title={common.loadFailed} back={href.clients()} />;
  if (!data) return <Screen title={common.loading} back={href.clients()}><Loading /></Screen>;
  if (!data.page) return <Screen title={t.notFound} back={href.clients()} />;
  const { client, order, plan, notes, parked, reminders, consents, hoursThisMonth } = data.page;
  const open = (parked || []).filter((p) => p.status !== 'resolved');
  // A case manager's client: contacts, and when last met.
  const isCm = client.service === 'cm';

  return (
    <Screen
      title={client.name}
      docTitle={common.tabs.clients}
      subtitle={[common.services[client.service] || client.service, client.protected_identity && common.protectedIdentity, hintText(client)]
        .filter(Boolean)
        .join(' · ')}
      back={href.clients()}
      actions={
        isCm ? (
          <>
            <a class="button primary" href={href.newContact(client.id)}>
              {tContact.newContact}
            </a>
            <a class="button secondary" href={href.newAppointment(client.id)}>
              {tAppointment.newAppointment}
            </a>
          </>
        ) : (
          <>
            <a class="button primary" href={href.plan(client.id)}>
              {t.planVisit}
            </a>
            <a class="button secondary" href={href.log(client.id)}>
              {t.logVisit}
            </a>
          </>
        )
      }
    >
      {error && <Problem>{common.loadFailed}</Problem>}
      {open.length > 0 && (
        <section aria-labelledby="attention-title" class="attention-section">
          <h2 id="attention-title">{t.attention}</h2>
          {open.map((p) => {
            const item = data.whose.get(p.id);
            return (
              <ParkedItem
                key={p.id}
                parked={p}
                own={item ? item.own : true}
                author={item?.author}
                device={item?.device}
                currentWorkers={item?.currentWorkers}
              />
            );
          })}
        </section>
      )}
      <Contact client={client} seen={isCm ? data.page : null} />
      {isCm && (
        <section class="card" aria-labelledby="contacts-title">
          <h2 id="contacts-title">{tContact.history}</h2>
          <ContactList contacts={data.page.contacts || []} showAll={tToday.showAll} />
        </section>
      )}
      <section class="visits" aria-labelledby="visits-title">
        <div class="screen-head">
          <h2 id="visits-title">{t.visits}</h2>
          {isCm && (
            <a class="button small secondary" href={href.plan(client.id)}>
              {t.planVisit}
            </a>
          )}
        </div>
        {!data.upcoming.length && !data.recent.length && <p class="muted">{t.noVisits}</p>}
        <VisitList id="upcoming-title" title={t.upcoming} visits={data.upcoming} client={client} />
        <VisitList id="recent-title" title={t.recent} visits={data.recent} client={client} />
      </section>
      <Appointments clientId={client.id} {...data.appointments} />
      <Reminders clientId={client.id} reminders={reminders || []} />
      <ConsentList clientId={client.id} consents={consents || []} />
      <Order order={order} hours={hoursThisMonth} />
      <GoalFollowups clientId={client.id} order={order} followups={data.page.followups} />
      <Plan plan={plan} order={order} clientId={client.id} dialogue={data.page.dialogue} />
      <Notes clientId={client.id} notes={notes} />
      <section class="card" aria-labelledby="report-title">
        <h2 id="report-title">{t.report}</h2>
        <div class="row wrap">
          <a class="button secondary" href={href.newConcern(client.id)}>
            {t.newConcern}
          </a>
          <a class="button secondary" href={href.newDeviation(client.id)}>
            {t.newDeviation}
          </a>
        </div>
      </section>
    </Screen>
  );
}

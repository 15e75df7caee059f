// Vem har läst? (#/access/<clientId>): who has read, changed or been refused a client's
// records, from the server's access log (GET /api/audit/clients/<id>, for the supervisor of
// the client's team): per person how often and when last (a table), then every event,
// newest first, a page at a time. Offline: as last fetched.
import '../../supervision.css';
import { useState } from 'preact/hooks';
import { loadClientAccess, loadOlderAccess } from '../../../sync/audit.js';
import t from '../../../strings/sv/access.js';
import attention from '../../../strings/sv/attention.js';
import s from '../../../strings/sv/supervision.js';
import { problemText, useFetched } from '../../fetched.js';
import { DataTable } from '../../parts/BarChart.jsx';
import { listName } from '../../parts/clients.js';
import { Fetched } from '../../parts/Fetched.jsx';
import { Loading, Screen } from '../../parts/Screen.jsx';
import { href } from '../../routes.js';
import { formatDay, formatWhen } from '../../time.js';

const roleOf = (role) => (role ? s.roles[role] || role : '');
const mutationOf = (name) => (name ? attention.what[name] || attention.unknownWhat : null);

/** Who did it: the worker's name as it is now, else their username, else the operator. */
function who(entry, workers) {
  if (!entry.user_id) return t.operator;
  return entry.user_name || workers?.[entry.user_id] || t.unknownPerson;
}

/** What an entry says happened, in Swedish. */
export function whatHappened(entry, workers = {}) {
  const detail = entry.detail || {};
  const name = (id) => workers[id] || t.unknownPerson;
  switch (entry.action) {
    case 'read':
      if (entry.purpose === 'sync') return t.read.sync(detail.records ?? 1);
      return t.read[entry.purpose] || t.read.other;
    case 'write':
      return t.write(mutationOf(detail.mutation) || attention.unknownWhat);
    case 'denied':
      return t.denied(mutationOf(detail.mutation));
    case 'grant':
      return detail.event === 'ended'
        ? t.ended(name(detail.covering_worker_id))
        : t.granted(name(detail.covering_worker_id), name(detail.absent_worker_id), detail.until ? formatDay(detail.until) : '');
    default:
      return t.read.other;
  }
}

function People({ people }) {
  if (!people.length) return <p class="muted">{t.nobody}</p>;
  return (
    <>
      {/* A phone: one line per person; a wider screen: the table. */}
      <ul class="access-people narrow-only">
        {people.map((p) => (
          <li key={p.user_id}>
            <strong>{p.name || p.username || t.unknownPerson}</strong> {p.role ? `(${roleOf(p.role)})` : ''}
            <span class="access-counts">{t.counts(p.read, p.write, p.denied, formatWhen(p.last_at))}</span>
          </li>
        ))}
      </ul>
      <div class="wide-only">
        <PeopleTable people={people} />
      </div>
    </>
  );
}

function PeopleTable({ people }) {
  return (
    <DataTable
      caption={t.peopleTable}
      columns={[t.columns.person, t.columns.role, t.columns.read, t.columns.write, t.columns.denied, t.columns.last]}
      numeric={[2, 3, 4]}
      rows={people.map((p) => [p.name || p.username || t.unknownPerson, roleOf(p.role), p.read, p.write, p.denied, formatWhen(p.last_at)])}
    />
  );
}

function Events({ entries, workers }) {
  return (
    <ol class="access-events">
      {entries.map((entry) => (
        <li key={entry.seq} class={`access-event is-${entry.action}`} data-testid={`access-${entry.seq}`}>
          <time class="access-when" dateTime={entry.at}>
            {formatWhen(entry.at)}
          </time>
          <span class="access-what">
            <strong>{who(entry, workers)}</strong>
            {entry.role ? ` (${roleOf(entry.role)})` : ''} {whatHappened(entry, workers)}
          </span>
          {entry.device_name && <span class="access-device muted">{t.device(entry.device_name)}</span>}
        </li>
      ))}
    </ol>
  );
}

export function ClientAccess({ id }) {
  const fetched = useFetched(() => loadClientAccess(id), [id]);
  const [older, setOlder] = useState({ entries: [], next: undefined, busy: false, problem: null });
  const answer = fetched.data;
  const next = older.next === undefined ? answer?.next_before : older.next;
  const workers = answer?.workers || {};

  async function more() {
    setOlder((held) => ({ ...held, busy: true, problem: null }));
    try {
      const page = await loadOlderAccess(id, next);
      setOlder((held) => ({ entries: [...held.entries, ...page.entries], next: page.next_before, busy: false, problem: null }));
    } catch (error) {
      setOlder((held) => ({ ...held, busy: false, problem: problemText(error) }));
    }
  }

  const name = answer ? listName(answer.client) : '';
  return (
    <Screen title={answer ? t.title(name) : t.docTitle} docTitle={t.docTitle} back={href.team()} wide>
      <Fetched fetched={fetched} />
      {!answer && fetched.busy && <Loading />}
      {answer && (
        <>
          <p class="hint">{t.intro}</p>
          <div class="access-sections">
            <section class="card" aria-labelledby="access-people-title">
              <h2 id="access-people-title">{t.people}</h2>
              <People people={answer.people} />
            </section>
            <section class="card" aria-labelledby="access-events-title">
              <h2 id="access-events-title">{t.events}</h2>
              <p class="hint">{t.eventsHint}</p>
              <Events entries={[...answer.entries, ...older.entries]} workers={workers} />
              {next != null && (
                <button type="button" class="button secondary" disabled={older.busy} onClick={more}>
                  {older.busy ? t.loadingOlder : t.older}
                </button>
              )}
              {older.problem && (
                <p class="problem" role="alert">
                  {older.problem}
                </p>
              )}
            </section>
          </div>
        </>
      )}
    </Screen>
  );
}

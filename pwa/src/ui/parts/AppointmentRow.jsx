// One of a client's appointments in a list (Idag beside the visits, the client page): time,
// what and with whom, the client (on Idag), whether the worker goes along or reminds the
// client, the status and the sync state; a link to the appointment. data-testid
// "appointment-<id>". A protected identity is "Skyddad identitet" here, without place.
import t from '../../strings/sv/appointment.js';
import { href } from '../routes.js';
import { formatDayShort, formatSpan } from '../time.js';
import { listName, listPlace } from './clients.js';
import { RecordState } from './RecordState.jsx';

/** What and with whom: "Domstol · Stockholms tingsrätt", or only whom when that already
 * names the kind ("Kronofogden", not "Kronofogden · Kronofogden"). */
export function appointmentWhat(a) {
  const kind = t.kinds[a.kind] ?? a.kind;
  return a.with.toLowerCase().startsWith(kind.toLowerCase()) ? a.with : `${kind} · ${a.with}`;
}

export function AppointmentRow({ appointment: a, withDate = false, withClient = true }) {
  const place = listPlace(a, a.client);
  const planned = a.status === 'planned';
  return (
    <li>
      <a class={`visit-row appointment-row phase-${planned ? 'planned' : a.status === 'cancelled' ? 'cancelled' : 'done'}`} href={href.appointment(a.id)} data-testid={`appointment-${a.id}`}>
        <span class="visit-time">
          {withDate && <span class="visit-date">{formatDayShort(a.starts_at)}</span>}
          {formatSpan(a.starts_at, a.ends_at)}
        </span>
        <span class="visit-client">{appointmentWhat(a)}</span>
        {withClient && <span>{listName(a.client)}</span>}
        <span class="visit-line">
          <span class="visit-status">{planned ? (a.accompany ? t.accompanies : t.remindClient) : t.statuses[a.status]}</span>
          {place && <span class="visit-place">{` · ${place}`}</span>}
        </span>
        {a.consent_warning && <span class="badge overdue">{a.consent_stale ? t.withStaleConsent : t.withoutConsent}</span>}
        <span class="visit-state">
          <RecordState state={a.state} />
        </span>
      </a>
    </li>
  );
}

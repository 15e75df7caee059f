// One visit in a list (Today, the client page): time, client, place, status and sync state.
// The row is one link to the visit; data-testid="visit-<id>" for end-to-end tests.
import { href } from '../routes.js';
import { formatDayShort, formatSpan } from '../time.js';
import { listName, listPlace } from './clients.js';
import { RecordState } from './RecordState.jsx';
import { endOf, startOf, statusText, visitPhase } from './visits.js';

export function VisitRow({ visit, client, state, withDate = false, withClient = true }) {
  const place = listPlace(visit, client);
  const span = formatSpan(startOf(visit), endOf(visit));
  return (
    <li>
      <a
        class={`visit-row phase-${visitPhase(visit)}`} 
        href={href.visit(visit.id)}
        data-testid={`visit-${visit.id}`}
      >
        <span class="visit-time">
          {withDate && <span class="visit-date">{formatDayShort(startOf(visit))}</span>}
          {span}
        </span>
        {withClient && <span class="visit-client">{listName(client)}</span>}
        <span class="visit-line">
          <span class="visit-status">{statusText(visit)}</span>
          {place && <span class="visit-place">{` · ${place}`}</span>}
        </span>
        {/* Last for a screen reader, top right on the screen (styles.css). */}
        <span class="visit-state">
          <RecordState state={state} />
        </span>
      </a>
    </li>
  );
}

// Oro och avvikelser: what the team's workers reported for the supervisor (concerns about
// clients, deviations, and the notices that told an orderer how a plan departs from the
// order), newest first, as the phone holds them after its syncs; a concern
// about children or violence first in the eye. Offline: as last synced.
import '../../supervision.css';
import { reportedItems } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import c from '../../../strings/sv/concern.js';
import p from '../../../strings/sv/plans.js';
import t from '../../../strings/sv/reported.js';
import { useLive } from '../../live.js';
import { listName } from '../../parts/clients.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { href } from '../../routes.js';
import { formatDate, formatDayShort, formatTime } from '../../time.js';

const URGENT = new Set(['children', 'violence']);

/** A notice to the orderer: what it told and why. */
function Notice({ item }) {
  return (
    <li class="card reported" data-testid={`reported-${item.id}`}>
      <p class="reported-head">
        <span class="badge">{p.noticeTitle}</span>
      </p>
      {item.client && (
        <p>
          <a href={href.client(item.client.id)}>{listName(item.client)}</a>
        </p>
      )}
      <ul class="divergence-points">
        {(item.points || []).map((point) => (
          <li key={point}>{point}</li>
        ))}
      </ul>
      <p class="pre">{item.text}</p>
      <p class="muted">{[item.author?.name ?? t.someone, `${formatDayShort(item.recorded_at)} ${formatTime(item.recorded_at)}`].join(' · ')}</p>
    </li>
  );
}

function Item({ item }) {
  if (item.kind === 'notice') return <Notice item={item} />;
  const concern = item.kind === 'concern';
  const category = concern ? c.categories[item.category] : c.deviationCategories[item.category];
  return (
    <li class={concern && URGENT.has(item.category) ? 'card reported is-urgent' : 'card reported'} data-testid={`reported-${item.id}`}>
      <p class="reported-head">
        <span class="badge">{concern ? t.concern : t.deviation}</span> <strong>{category ?? item.category}</strong>
      </p>
      {item.client && (
        <p>
          <a href={href.client(item.client.id)}>{listName(item.client)}</a>
        </p>
      )}
      <p class="pre">{item.text}</p>
      <p class="muted">
        {[item.author?.name ?? t.someone, item.recorded_at ? `${formatDayShort(item.recorded_at)} ${formatTime(item.recorded_at)}` : null,
          item.occurred_on ? t.happened(formatDate(item.occurred_on)) : null].filter(Boolean).join(' · ')}
      </p>
    </li>
  );
}

export function Reported() {
  const { data, error } = useLive(reportedItems, []);
  return (
    <Screen title={t.title} back={href.team()}>
      <p class="hint">{t.intro}</p>
      {error && <Problem>{common.loadFailed}</Problem>}
      {data === undefined && <Loading />}
      {data && data.length === 0 && <p class="muted">{t.none}</p>}
      {data && data.length > 0 && (
        <ul class="reported-list">
          {data.map((item) => (
            <Item key={`${item.kind}:${item.id}`} item={item} />
          ))}
        </ul>
      )}
    </Screen>
  );
}

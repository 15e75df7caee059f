// My clients (the caseload): who they are as a list may show them, the service, the next
// planned visit, and whether something about them needs attention. On a supervisor's phone,
// the team's clients, each with who serves them (the team directory, as last fetched).
import { caseload } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/clients.js';
import { useLive } from '../../live.js';
import { byName, listName } from '../../parts/clients.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { href } from '../../routes.js';
import { formatDayShort, formatTime } from '../../time.js';

// caseload(): [{client, nextVisit, lastVisit, attention (open parked items)}]. Protected
// identities go last: their rows carry no name to sort by.
const sortedCaseload = async () => [...(await caseload())].sort((a, b) => byName(a.client, b.client));

export function Clients() {
  const { data, error } = useLive(sortedCaseload, []);
  const ofTeam = Boolean(data?.some((entry) => entry.workers));
  return (
    <Screen title={ofTeam ? t.teamTitle : t.title}>
      {error && <Problem>{common.loadFailed}</Problem>}
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="empty">{t.empty}</p>}
      {data && data.length > 0 && (
        <ul class="client-list">
          {data.map(({ client, nextVisit: next, attention, workers }) => (
            <li key={client.id}>
              <a class="client-row" href={href.client(client.id)} data-testid={`client-${client.id}`}>
                <span class="client-name">{listName(client)}</span>
                <span class="client-meta">{common.services[client.service] || client.service}</span>
                {workers && (
                  <span class={workers.length ? 'client-workers' : 'client-workers is-missing'}>
                    {workers.length ? t.workers(workers.map((w) => w.name || t.unknownWorker).join(', ')) : t.noWorker}
                  </span>
                )}
                <span class="client-meta">
                  {next ? t.nextVisit(`${formatDayShort(next.starts_at)} ${formatTime(next.starts_at)}`) : t.noNextVisit}
                </span>
                {attention > 0 && <span class="badge state-attention">{t.attention}</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
    </Screen>
  );
}

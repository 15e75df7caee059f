// The team's parked changes as a queue a supervisor works through: each worker's refused
// and conflicting changes, oldest first, with the worker and the phone named and both sides
// worded for a third person; discard, apply, or apply corrected data (for a change about a
// client who has a new worker, on that worker's behalf: sync-protocol.md, "Parked
// mutations"). The names come from the team directory (the team and the sync dashboard, as
// last fetched).
import '../../supervision.css';
import { useEffect, useState } from 'preact/hooks';
import { attentionItems } from '../../../data/queries.js';
import { loadSyncDashboard, refreshDirectory } from '../../../sync/supervision.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/parked.js';
import { useLive } from '../../live.js';
import { listName } from '../../parts/clients.js';
import { ParkedItem } from '../../parts/ParkedItem.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { useChosenTeam } from '../../parts/TeamPicker.jsx';
import { href } from '../../routes.js';

export function Parked() {
  const [teamId] = useChosenTeam();
  const { data, error } = useLive(attentionItems, []);
  const [worker, setWorker] = useState('');
  // Names of the workers and their phones: fetched when online (best effort).
  useEffect(() => {
    if (teamId === undefined) return;
    refreshDirectory();
    loadSyncDashboard(teamId).catch(() => {});
  }, [teamId]);
  const authors = new Map((data || []).map((item) => [item.parked.author_id, item.author?.name || t.unknownWorker]));
  const shown = (data || []).filter((item) => !worker || item.parked.author_id === worker);
  return (
    <Screen title={t.title} wide>
      <p class="hint">{t.intro}</p>
      {error && <Problem>{common.loadFailed}</Problem>}
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="empty">{t.empty}</p>}
      {authors.size > 1 && (
        <div class="field filters">
          <label for="parked-worker">{t.worker}</label>
          <select id="parked-worker" value={worker} onChange={(e) => setWorker(e.currentTarget.value)}>
            <option value="">{t.everyone(data.length)}</option>
            {[...authors].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="parked-queue">
        {shown.map(({ parked, client, own, author, device, currentWorkers }) => (
          <ParkedItem
            key={parked.id}
            parked={parked}
            clientLabel={client && listName(client)}
            own={own}
            author={author}
            device={device}
            currentWorkers={currentWorkers}
          />
        ))}
      </div>
      <p class="hint">
        <a class="link" href={href.dashboard()}>
          {t.toDashboard}
        </a>
      </p>
    </Screen>
  );
}

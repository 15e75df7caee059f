// Under a supervisor screen's heading: when what it shows was fetched ("Senast hämtad
// HH:MM"), that it is the remembered answer when offline, a refusal in Swedish, and "Hämta
// igen". `fetched` is what useFetched (ui/fetched.js) returns.
import t from '../../strings/sv/supervision.js';
import { formatWhen } from '../time.js';

export function Fetched({ fetched }) {
  const { fetchedAt, offline, problem, busy, data, reload } = fetched;
  return (
    <div class="fetched">
      <p class="fetched-row">
        <span class="muted" data-testid="fetched-at">
          {fetchedAt ? t.fetchedAt(formatWhen(fetchedAt)) : busy ? t.refreshing : ''}
        </span>
        <button type="button" class="button small ghost" onClick={reload} disabled={busy}>
          {busy ? t.refreshing : t.refresh}
        </button>
      </p>
      {offline && <p class="warning" role="status">{data ? t.offline : t.offlineNothing}</p>}
      {problem && !offline && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

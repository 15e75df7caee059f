// The per-record sync state badge: saved | sent | confirmed | attention. The element with
// data-testid="record-state" holds exactly the Swedish label (end-to-end tests read it); a
// screen reader hears "Synkstatus: " before it.
import common from '../../strings/sv/common.js';

export function RecordState({ state }) {
  if (!state) return null;
  return (
    <span class={`badge state-${state}`}>
      <span class="visually-hidden">{common.recordStateLabel}: </span>
      <span data-testid="record-state" data-state={state}>
        {common.recordStates[state] || state}
      </span>
    </span>
  );
}

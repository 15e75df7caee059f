// "Ny version finns": shown when a new service worker waits (see ../update.js). The button
// is disabled while changes wait to be sent, and says so.
import { useState } from 'preact/hooks';
import t from '../../strings/sv/update.js';
import { useStore } from '../store.js';
import { syncStatus } from '../sync-status.js';
import { applyUpdate, checkForUpdate, updateState } from '../update.js';
import { usePending } from './StatusBar.jsx';

export function UpdatePrompt() {
  const { waiting, activatedElsewhere, updating } = useStore(updateState);
  const pending = usePending();
  const [hidden, setHidden] = useState(false);
  const required = Boolean(useStore(syncStatus)?.updateRequired);
  if (required && !waiting && !activatedElsewhere) {
    // The server needs a newer app than this one, and none is waiting yet: look for it.
    return (
      <section class="banner update" data-testid="update-prompt" aria-labelledby="update-title">
        <h2 id="update-title">{t.requiredTitle}</h2>
        <p>{t.required}</p>
        <div class="banner-actions">
          <button type="button" class="button primary" onClick={() => checkForUpdate()}>
            {t.check}
          </button>
        </div>
      </section>
    );
  }
  if ((!waiting && !activatedElsewhere) || hidden) return null;
  const blocked = pending > 0;
  return (
    <section class="banner update" data-testid="update-prompt" aria-labelledby="update-title">
      <h2 id="update-title">{t.title}</h2>
      <p id="update-detail" aria-live="polite">
        {activatedElsewhere ? t.activatedElsewhere : blocked ? t.sendFirst(pending) : t.ready}
      </p>
      <div class="banner-actions">
        <button
          type="button"
          class="button primary"
          disabled={blocked || updating}
          aria-describedby="update-detail"
          onClick={() => applyUpdate()}
        >
          {updating ? t.updating : activatedElsewhere ? t.reload : t.update}
        </button>
        <button type="button" class="button ghost" onClick={() => setHidden(true)}>
          {t.later}
        </button>
      </div>
    </section>
  );
}

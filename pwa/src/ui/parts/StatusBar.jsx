// Sync status, always visible at the top: how many changes wait (aria-live, so a screen
// reader hears "Allt är synkat"), when the server last confirmed a sync, the first sync's
// progress, items needing attention, and what to do when sync cannot work.
import { useEffect, useState } from 'preact/hooks';
import { attentionItems, pendingCount } from '../../data/queries.js';
import { syncNow } from '../../sync/engine.js';
import t from '../../strings/sv/status.js';
import { useLive } from '../live.js';
import { href } from '../routes.js';
import { useStore } from '../store.js';
import { SESSION_ENDED, errorCode, neverSynced, syncStatus } from '../sync-status.js';
import { formatWhen } from '../time.js';

/** Whether the browser says it is online (updated on `online` and `offline`). */
export function useOnline() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** Changes waiting in the outbox: the database's count (live), the engine's before that. */
export function usePending() {
  const status = useStore(syncStatus);
  const { data } = useLive(() => pendingCount(), []);
  return data ?? status?.pending ?? 0;
}

/** `attentionHref`: where "N saker behöver åtgärd" leads (a supervisor's: the team's queue). */
export function StatusBar({ attentionHref = href.attention() }) {
  const status = useStore(syncStatus);
  const pending = usePending();
  const online = useOnline();
  const { data: attention } = useLive(() => attentionItems(), []);
  const code = errorCode(status);
  const first = status?.firstSync;
  const total = first ? first.done + first.remaining : 0;
  const busy = Boolean(status?.inFlight);

  return (
    <header class="status" aria-label={t.label}>
      <div class="status-row">
        <div class="status-text">
          <p class={pending ? 'status-pending is-waiting' : 'status-pending'} role="status" aria-live="polite">
            <span class="dot" aria-hidden="true" />
            <span data-testid="pending-count" data-count={pending}>
              {pending === 0 && neverSynced(status) ? t.nothingPending : t.pending(pending)}
            </span>
          </p>
          <p class="status-last" data-testid="last-sync">
            {status?.lastConfirmedAt ? t.lastSync(formatWhen(status.lastConfirmedAt)) : t.neverSynced}
          </p>
        </div>
        <button type="button" class="button small ghost" onClick={() => syncNow()} disabled={!online || busy}>
          {busy ? t.syncing : t.syncNow}
        </button>
        <a class="icon-link" href={href.account()} aria-label={t.account}>
          <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="2" />
            <path d="M4 21c1-4.5 4.5-6.5 8-6.5s7 2 8 6.5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
        </a>
      </div>
      <div aria-live="polite">
        {!online && <p class="status-note">{t.offline}</p>}
        {online && code && !SESSION_ENDED.includes(code) && <p class="status-note">{t.errors[code] || t.error}</p>}
      </div>
      {(first || (neverSynced(status) && busy)) && (
        <div class="first-sync" data-testid="first-sync">
          <label for="first-sync-progress">{total ? t.firstSync(first.done, total) : t.firstSyncStarting}</label>
          <progress id="first-sync-progress" max={total || 1} value={total ? first.done : undefined} />
        </div>
      )}
      {attention && attention.length > 0 && (
        <a class="status-attention" href={attentionHref}>
          <span class="attention-mark" aria-hidden="true">
            !
          </span>
          {t.attention(attention.length)}
        </a>
      )}
    </header>
  );
}

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

/**
 * The status bar's first line, pure: one honest status. "Allt är synkat" (green) only when
 * nothing waits, nothing needs attention, and the last sync went through with the phone
 * online; otherwise what waits, or that nothing waits, beside the note or the attention
 * link that says what is wrong (never a green line beside a warning).
 * @returns {{text: string, tone: 'synced' | 'waiting' | 'attention' | 'unknown'}}
 */
export function headline({ pending, attention = 0, online = true, code = null, neverSynced = false }) {
  if (pending > 0) return { text: t.pending(pending), tone: 'waiting' };
  if (attention > 0) return { text: t.nothingPending, tone: 'attention' };
  if (!online || code || neverSynced) return { text: t.nothingPending, tone: 'unknown' };
  return { text: t.pending(0), tone: 'synced' };
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
  const line = headline({ pending, attention: attention?.length ?? 0, online, code, neverSynced: neverSynced(status) });

  return (
    <header class="status" aria-label={t.label}>
      <div class="status-row">
        <div class="status-text">
          <p class={`status-pending is-${line.tone}`} role="status" aria-live="polite">
            <span class="dot" aria-hidden="true" />
            <span data-testid="pending-count" data-count={pending}>
              {line.text}
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

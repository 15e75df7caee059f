// On a supervisor's phone, the team directory (who is who, who serves which client, which
// phone is whose: sync/supervision.js) is fetched at start, when the network comes back and
// after syncs, at most every few minutes, so the phone's own screens (Mina brukare, a visit,
// a parked change) can name the people offline too. Loaded only for a supervisor.
import { subscribe } from '../sync/engine.js';

// Often enough to follow a handover made on the laptop; rarely enough to cost nothing.
const REFRESH_EVERY_MS = 5 * 60_000;

let stop = null;

/** Start (for a supervisor) or stop (anyone else, a logout) keeping the directory fresh. */
export function keepTeamDirectory(user) {
  stop?.();
  stop = null;
  if (user?.role !== 'supervisor') return;
  let last = 0;
  let lastSync = null;
  const refresh = (force = false) => {
    if (!force && Date.now() - last < REFRESH_EVERY_MS) return;
    last = Date.now();
    import('../sync/supervision.js').then((m) => m.refreshDirectory());
  };
  refresh(true);
  const online = () => refresh(true);
  window.addEventListener('online', online);
  const unsubscribe = subscribe((status) => {
    if (status.lastSyncAt && status.lastSyncAt !== lastSync) {
      lastSync = status.lastSyncAt;
      refresh();
    }
  });
  stop = () => {
    window.removeEventListener('online', online);
    unsubscribe();
  };
}

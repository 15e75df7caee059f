// Whether reminders reach this phone by web push (sync/pushsub.js gives the state). Checked
// at every start after login and again when the network comes back; the permission is only
// ever asked from the account screen's button.
import { ensurePushSubscription } from '../sync/pushsub.js';
import { createStore } from './store.js';

export const pushState = createStore(null); // null: not checked yet
let listening = false;

async function check(ask) {
  try {
    pushState.set(await ensurePushSubscription({ ask }));
  } catch (error) {
    console.error(error);
    pushState.set('failed');
  }
  return pushState.get();
}

/** At start (after login): re-send the subscription when the permission is already given. */
export function startPush() {
  if (!listening && typeof window !== 'undefined') {
    listening = true;
    window.addEventListener('online', () => {
      if (pushState.get() === 'offline') check(false);
    });
  }
  return check(false);
}

/** From a user gesture only: ask for the permission, then subscribe. */
export const enablePush = () => check(true);

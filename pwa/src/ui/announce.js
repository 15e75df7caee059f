// Short confirmations ("Sparat på telefonen…") shown above the tab bar and read out by
// screen readers (the region in app.jsx is aria-live). They go away by themselves. A save's
// follows the work: "skickas när det finns nät" offline, "skickat" once it has gone.
import common from '../strings/sv/common.js';
import { createStore } from './store.js';

// Long enough to read two lines; short enough not to hide the tab bar for long.
const SHOW_MS = 6000;

export const announcement = createStore(null);
let timer = null;

/** What to tell the worker when an action could not be saved (ActionError codes). */
export function saveProblem(error) {
  return common.actionErrors[error?.code] || common.saveFailed;
}

export function announce(text, { saved = false } = {}) {
  clearTimeout(timer);
  announcement.set({ text, saved, at: Date.now() });
  timer = setTimeout(() => announcement.set(null), SHOW_MS);
}

/** "Sparat…" after an action was saved: the dock words it by where the work is now
 * (savedText), so it never says it waits for a network once it has been sent. */
export function announceSaved() {
  announce(common.saved, { saved: true });
}

/** What "Sparat…" says, pure: sent once nothing waits; else when it will be sent. */
export function savedText({ pending, online, error }) {
  if (pending === 0) return common.savedSent;
  if (!online) return common.saved;
  return error ? common.savedServerDown : common.savedSending;
}

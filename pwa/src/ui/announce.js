// Short confirmations ("Sparat på telefonen…") shown above the tab bar and read out by
// screen readers (the region in app.jsx is aria-live). They go away by themselves.
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

export function announce(text) {
  clearTimeout(timer);
  announcement.set({ text, at: Date.now() });
  timer = setTimeout(() => announcement.set(null), SHOW_MS);
}

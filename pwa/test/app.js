/**
 * The whole app in a screen test (a test file with `// @vitest-environment happy-dom`): a
 * field worker logged in against the fake server, opened at a route, and days relative to
 * today as the server stores them.
 */
import { h } from 'preact';
import { vi } from 'vitest';
import { App } from '../src/ui/App.jsx';
import { addDays, fromLocal, today } from '../src/ui/time.js';
import { createFakeServer, signIn } from './fake-server.js';
import { mount, unmountAll, waitFor } from './screen.js';

export const WORKER = { id: 'u1', name: 'Ada', role: 'support_worker', team_id: 't1' };
export const CASE_MANAGER = { id: 'u1', name: 'Ada', role: 'cm', team_id: 't1' };

/** A day relative to today (Stockholm) at a wall-clock time, as the server stores it. */
export const at = (days, time) => fromLocal(addDays(today(), days), time);

/** The server holding `records` ([type, id, data]) and the phone logged in to it. */
export async function aPhone({ user = WORKER, records = [] } = {}) {
  const server = createFakeServer({ user });
  for (const [type, id, data] of records) server.put(type, id, data);
  await signIn(server, { vi });
  return server;
}

/** The app opened at `hash` after a login, with the server holding `records`. */
export async function openApp(hash, options = {}) {
  const server = await aPhone(options);
  history.replaceState(null, '', hash ? `/${hash}` : '/');
  const view = mount(h(App, {}));
  return { server, view };
}

/** After each test: unmount, back to no route, and no forms in progress left behind. */
export async function closeApp() {
  await unmountAll();
  history.replaceState(null, '', '/');
  localStorage.clear();
}

/** The input of a <label> by its text (its `for`). */
export function labelled(view, text) {
  const label = [...view.root.querySelectorAll('label')].find((l) => l.textContent.trim() === text);
  return label ? view.root.querySelector(`#${CSS.escape(label.getAttribute('for'))}`) : null;
}

// Preact runs a new screen's effects (the router's hashchange listener among them) after the
// next frame, at most this long after it rendered.
const EFFECTS_MS = 60;

/** Go to a route once the screen shown has settled, as a tap would (the router hears the
 * hash change only once its listener is in). */
export async function go(hash) {
  await new Promise((resolve) => setTimeout(resolve, EFFECTS_MS));
  location.hash = hash;
}

/** Follow a link by its text, or a test id's link. */
export async function follow(view, name, { testId = false } = {}) {
  const link = await waitFor(() => (testId ? view.byTestId(name) : view.link(name)), name);
  await go(link.getAttribute('href'));
}

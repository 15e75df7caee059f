/**
 * Screens in a test: Preact rendered into happy-dom (a test file says
 * `// @vitest-environment happy-dom`), read as a person reads them (text, headings, buttons
 * by their Swedish names), with the phone's database in fake-indexeddb and the server a fake
 * (fake-server.js, fake-supervision.js).
 */
import { render } from 'preact';
import { getStatus } from '../src/sync/engine.js';
import { endSync } from '../src/ui/sync-status.js';

// Between tests (the fake server unstubbed), work an app left running finds no network
// rather than a real one.
globalThis.fetch = () => Promise.reject(new TypeError('Failed to fetch (no network in a screen test)'));

const mounted = new Set();

/** Render `vnode` into a fresh element of the page; returns what a test reads of it. */
export function mount(vnode) {
  const root = document.createElement('div');
  document.body.append(root);
  mounted.add(root);
  render(vnode, root);
  const view = {
    root,
    text: () => root.textContent.replace(/\s+/g, ' '),
    headings: (level = 1) => [...root.querySelectorAll(`h${level}`)].map((h) => h.textContent.trim()),
    button: (name) => [...root.querySelectorAll('button')].find((b) => b.textContent.trim() === name) ?? null,
    link: (name) => [...root.querySelectorAll('a')].find((a) => a.textContent.trim() === name) ?? null,
    byTestId: (id) => root.querySelector(`[data-testid="${id}"]`),
  };
  return view;
}

/** Unmount everything a test mounted and stop the sync engine the app started, once the
 * sync it may be in has finished against the fake (so none runs on into the next test). */
export async function unmountAll() {
  for (const root of mounted) {
    render(null, root);
    root.remove();
  }
  mounted.clear();
  endSync();
  await waitFor(() => !getStatus().inFlight, 'the sync to finish', { timeout: 5000 });
  await new Promise((resolve) => setTimeout(resolve, 30));
}

/** Wait until `check()` is truthy (returns its value), or fail naming `what`. */
export async function waitFor(check, what = 'the screen', { timeout = 3000 } = {}) {
  const until = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Type into an input or select as a person would (value, then the events Preact hears). */
export async function fill(element, value) {
  if (!element) throw new Error('nothing to fill');
  element.value = value;
  element.dispatchEvent(new Event('input', { bubbles: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Click, then let the screen render what it does (Preact renders after a tick). */
export async function click(element) {
  if (!element) throw new Error('nothing to click');
  element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

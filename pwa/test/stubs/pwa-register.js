// The screen tests run without a service worker: vite-plugin-pwa's virtual module, doing
// nothing (the update flow has its own e2e tests, tests/e2e/test_update.py).
export function registerSW() {
  return () => Promise.resolve();
}

// Unit tests of the data and sync layers run in Node against fake-indexeddb (test/setup.js),
// with the build's version and contract (scripts/project.mjs).
import { defineConfig } from 'vitest/config';
import { APP_VERSION, CONTRACT_DIR } from './scripts/project.mjs';

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(APP_VERSION) },
  resolve: {
    alias: {
      '@contract': CONTRACT_DIR,
      // No service worker in a screen test (test/stubs/pwa-register.js).
      'virtual:pwa-register': new URL('./test/stubs/pwa-register.js', import.meta.url).pathname,
    },
  },
  // JSX as the app's build compiles it (Preact's automatic runtime), for the screen tests.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    environment: 'node',
    include: ['test/**/*.test.{js,jsx}'],
    setupFiles: ['./test/setup.js'],
    testTimeout: 10_000,
  },
});

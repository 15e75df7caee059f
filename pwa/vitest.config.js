// Unit tests of the data and sync layers run in Node against fake-indexeddb (test/setup.js).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.{js,jsx}'],
    setupFiles: ['./test/setup.js'],
    testTimeout: 10_000,
  },
});

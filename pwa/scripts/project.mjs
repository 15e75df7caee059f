// What the build (vite.config.js) and the unit tests (vitest.config.js) share, so each is
// said once: the app's version (package.json is its only place) and where the contract is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PWA = fileURLToPath(new URL('..', import.meta.url));

/** The app version: sent with every push, compared with the server's min_app_version,
 * shown on Konto, and baked into the bundle (so a new version changes every hashed file). */
export const APP_VERSION = JSON.parse(readFileSync(join(PWA, 'package.json'), 'utf8')).version;

/** The contract folder (../contract: the mutation catalogue, reminder rules and golden
 * vectors the server reads too), imported as `@contract/…`. A build from a copy of pwa/
 * (tests/e2e/builds.py) gets a copy of the contract beside it. */
export const CONTRACT_DIR = join(PWA, '..', 'contract');

// Build of the phone app: Preact, the web app manifest, and our own service worker
// (src/sw.js) into which Workbox injects the precache list of everything built (no list is
// written by hand). `npm run build` then runs scripts/budget.mjs, which fails the build
// when the JavaScript and CSS a field worker's phone loads exceed the gzip budget.
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import preact from '@preact/preset-vite';
import { VitePWA } from 'vite-plugin-pwa';
import { APP_VERSION, CONTRACT_DIR } from './scripts/project.mjs';

// Same colour as --brand in src/styles.css: the status bar of an installed app.
const THEME_COLOUR = '#0b5563';

// Every module the app's entry imports statically goes into one chunk (the field worker's
// app), so what a lazy screen shares with it is not split off into small chunks that gzip
// worse. Rolldown would otherwise make a chunk per set of importers.
function staticApp(id, ctx) {
  const seen = new Set();
  const reaches = (module) => {
    if (seen.has(module)) return false;
    seen.add(module);
    const info = ctx.getModuleInfo(module);
    if (!info) return false;
    if (info.isEntry) return true;
    return info.importers.some(reaches);
  };
  return reaches(id) ? 'app' : null;
}

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(APP_VERSION) },
  resolve: { alias: { '@contract': CONTRACT_DIR } },
  server: {
    // `npm run dev` talks to a local server (`faltstod serve`, port 5000 unless FALTSTOD_API says).
    proxy: { '/api': process.env.FALTSTOD_API || 'http://127.0.0.1:5000' },
    // The contract lives outside pwa/: the dev server may read it.
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), CONTRACT_DIR] },
  },
  build: {
    // Chrome on Android and Safari on iOS 16.4+ (home-screen web apps with push).
    target: ['es2020', 'chrome100', 'safari16'],
    sourcemap: false,
    // dist/.vite/manifest.json: which chunks the entry imports statically (what a field
    // worker's phone loads) and which are loaded on demand (a supervisor's screens); the
    // budget (scripts/budget.mjs) reads it.
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: staticApp }],
        },
      },
    },
  },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.js',
      // The page decides when a new version takes over (UpdatePrompt): never under the user.
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        // The manifest and its icons are added by the plugin; list only the rest.
        globPatterns: ['**/*.{js,css,html}', 'icons/icon.svg', 'icons/apple-touch-icon.png'],
        // A classic script: every browser we support can run it as a service worker.
        rollupFormat: 'iife',
      },
      manifest: {
        name: 'Fältstöd',
        short_name: 'Fältstöd',
        description: 'Besök, aktiviteter och avbokningar i fältet, även utan nät.',
        lang: 'sv',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        id: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: THEME_COLOUR,
        background_color: '#f5f6f8',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
});

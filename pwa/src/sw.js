// The service worker: the app shell offline, the update handshake, and notifications.
//
// - Everything the build made is precached (Workbox injects the list into
//   self.__WB_MANIFEST); caches of older versions are removed when this one activates.
// - Every navigation gets the precached index.html, so the app opens with no network.
// - /api/ is never cached or answered here: the data lives in IndexedDB, and a cached API
//   answer would be stale or another user's. Those requests go straight to the network.
// - A new version waits until the page sends {type: 'SKIP_WAITING'}; the page sends it only
//   when the user asks and the outbox is empty (src/ui/update.js).
// - push shows {title, body, tag} from the payload; a click opens the visit it is about.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

const API = /^\/api(\/|$)/;
const APP_TITLE = 'Fältstöd';

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [API] }));

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

// The first version takes charge of the page that installed it, so that page already works
// offline. An update activates only after SKIP_WAITING, and then the page reloads itself.
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('push', (event) => {
  const data = pushData(event);
  event.waitUntil(
    self.registration.showNotification(data.title || APP_TITLE, {
      body: data.body || '',
      tag: data.tag || undefined,
      lang: 'sv',
      icon: '/icons/icon-192.png',
      badge: '/icons/maskable-192.png',
      data: { visit_id: data.visit_id || null },
    }),
  );
});

function pushData(event) {
  if (!event.data) return {};
  try {
    return event.data.json() || {};
  } catch {
    return { body: event.data.text() };
  }
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const visitId = event.notification.data && event.notification.data.visit_id;
  const hash = visitId ? `#/visit/${encodeURIComponent(visitId)}` : '#/today';
  event.waitUntil(openApp(hash));
});

// Focus an open window of the app and show the visit there (the page listens for OPEN and
// changes its hash, keeping its state), or open a new window at the visit.
async function openApp(hash) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const mine = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (mine) {
    mine.postMessage({ type: 'OPEN', hash });
    return mine.focus();
  }
  return self.clients.openWindow(`/${hash}`);
}

// The service worker: the app shell offline, the update handshake, and notifications.
//
// - Everything the build made is precached (Workbox injects the list into
//   self.__WB_MANIFEST); caches of older versions are removed when this one activates.
// - Every navigation gets the precached index.html, so the app opens with no network.
// - /api/ is never cached or answered here: the data lives in IndexedDB, and a cached API
//   answer would be stale or another user's. Those requests go straight to the network.
// - A new version waits until the page sends {type: 'SKIP_WAITING'}; the page sends it only
//   when the user asks and the outbox is empty (src/ui/update.js).
// - push shows {title, body, tag} from the payload (notify.js; the same tag as the app's own
//   reminders, so one replaces the other, ringing again when it is a later reminder) and
//   tells open windows {type: 'PUSH_SHOWN', tag};
//   a click opens the visit it is about, or Idag for a personal reminder (notify.js hashFor).
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { hashFor, notificationFor, shouldRenotify } from './notify.js';

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
  event.waitUntil(show(data).then(() => tellWindows({ type: 'PUSH_SHOWN', tag: data.tag || null })));
});

// A push replacing an older notification of the same visit rings again (notify.js).
async function show(data) {
  const [title, options] = notificationFor(data, APP_TITLE);
  if (options.tag) {
    options.renotify = shouldRenotify(await self.registration.getNotifications({ tag: options.tag }));
  }
  return self.registration.showNotification(title, options);
}

// Open windows hear that a reminder was shown (the page can ignore it; tests check it).
async function tellWindows(message) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
}

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
  event.waitUntil(openApp(hashFor(event.notification.data)));
});

// Focus an open window of the app and show the visit (or Idag) there (the page listens for
// OPEN and changes its hash, keeping its state), or open a new window at that route.
async function openApp(hash) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const mine = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (mine) {
    mine.postMessage({ type: 'OPEN', hash });
    return mine.focus();
  }
  return self.clients.openWindow(`/${hash}`);
}

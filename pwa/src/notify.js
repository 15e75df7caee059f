// What the service worker does with a reminder (pure, so it is unit-tested; sw.js imports it).
import { href } from './ui/routes.js';

/** The app's hash route a tapped notification opens: the visit it is about, else the route
 * the payload names, else Idag (a personal reminder's: `reminder_id`, url "/#/today", or
 * the phone's own without url; Idag lists it with its text). */
export function hashFor(data) {
  const visitId = data && typeof data.visit_id === 'string' && data.visit_id;
  if (visitId) return href.visit(visitId);
  // The server's `url` ("/#/today"): only a hash route of this app, never another address.
  const url = data && typeof data.url === 'string' ? data.url : '';
  const match = /^\/?(#\/[A-Za-z0-9/_%-]*)$/.exec(url);
  return match ? match[1] : href.today();
}

/** A push's payload ({title, body, tag, visit_id | reminder_id, url}) as
 * showNotification's arguments. */
export function notificationFor(data, appTitle) {
  const routing = { visit_id: data.visit_id || null, url: data.url || null };
  if (data.reminder_id) routing.reminder_id = data.reminder_id;
  return [
    data.title || appTitle,
    {
      body: data.body || '',
      tag: data.tag || undefined,
      lang: 'sv',
      icon: '/icons/icon-192.png',
      badge: '/icons/maskable-192.png',
      data: routing,
    },
  ];
}

// A notification with the same tag shown this recently is the same reminder (the phone's
// own one and the push met): replacing it stays silent. Shared with ui/reminders.js.
export const SAME_REMINDER_SLACK_MS = 60_000;

/**
 * Whether showing a notification with a tag already on screen should alert again
 * (`renotify`). A later reminder about the same visit (the short one after the day-before
 * one, the new time of a moved visit) replaces the old notification and must ring, not
 * slip in silently; the same reminder arriving twice (push and local) must not ring twice.
 * @param {Array<{timestamp?: number}>} existing notifications with the tag
 */
export function shouldRenotify(existing, now = Date.now()) {
  return existing.length > 0 && existing.every((n) => n.timestamp && now - n.timestamp > SAME_REMINDER_SLACK_MS);
}

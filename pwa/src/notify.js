// What the service worker does with a reminder (pure, so it is unit-tested; sw.js imports it).

/** The app's hash route a tapped notification opens: the visit it is about, else Idag. */
export function hashFor(data) {
  const visitId = data && typeof data.visit_id === 'string' && data.visit_id;
  if (visitId) return `#/visit/${encodeURIComponent(visitId)}`;
  // The server's `url` ("/#/today"): only a hash route of this app, never another address.
  const url = data && typeof data.url === 'string' ? data.url : '';
  const match = /^\/?(#\/[A-Za-z0-9/_%-]*)$/.exec(url);
  return match ? match[1] : '#/today';
}

/** A push's payload ({title, body, tag, visit_id, url}) as showNotification's arguments. */
export function notificationFor(data, appTitle) {
  return [
    data.title || appTitle,
    {
      body: data.body || '',
      tag: data.tag || undefined,
      lang: 'sv',
      icon: '/icons/icon-192.png',
      badge: '/icons/maskable-192.png',
      data: { visit_id: data.visit_id || null, url: data.url || null },
    },
  ];
}

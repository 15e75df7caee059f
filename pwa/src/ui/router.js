// A hash router: #/today, #/clients, #/client/<id>, #/visit/<id>, #/visit/<id>/cancel,
// #/log/<clientId>, #/plan/<clientId>, #/reminder/new[/<clientId>], #/attention, #/account.
// The part after # never reaches the server, so every route opens offline from the one
// precached index.html.
import { useEffect, useState } from 'preact/hooks';

const ROUTES = [
  ['today', /^\/today$/],
  ['clients', /^\/clients$/],
  ['client', /^\/client\/([^/]+)$/],
  ['visit', /^\/visit\/([^/]+)$/],
  ['cancel', /^\/visit\/([^/]+)\/cancel$/],
  ['log', /^\/log\/([^/]+)$/],
  ['plan', /^\/plan\/([^/]+)$/],
  ['newReminder', /^\/reminder\/new(?:\/([^/]+))?$/],
  ['attention', /^\/attention$/],
  ['account', /^\/account$/],
];

export const HOME = '#/today';

/** The route of a hash: {name, id?}; an empty hash is today; anything else is `notFound`. */
export function parseHash(hash) {
  const path = hash.replace(/^#/, '') || '/today';
  for (const [name, pattern] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    try {
      return { name, id: match[1] && decodeURIComponent(match[1]) };
    } catch {
      break; // a malformed %-escape
    }
  }
  return { name: 'notFound' };
}

export const href = {
  today: () => '#/today',
  clients: () => '#/clients',
  client: (id) => `#/client/${encodeURIComponent(id)}`,
  visit: (id) => `#/visit/${encodeURIComponent(id)}`,
  cancel: (id) => `#/visit/${encodeURIComponent(id)}/cancel`,
  log: (clientId) => `#/log/${encodeURIComponent(clientId)}`,
  plan: (clientId) => `#/plan/${encodeURIComponent(clientId)}`,
  newReminder: (clientId) => (clientId ? `#/reminder/new/${encodeURIComponent(clientId)}` : '#/reminder/new'),
  attention: () => '#/attention',
  account: () => '#/account',
};

export function navigate(hash, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

// Moving between routes in the browser: the current route as a hook, and navigation. What
// the routes are, their links and how a hash is read: routes.js.
import { useEffect, useState } from 'preact/hooks';
import { parseHash } from './routes.js';

export function navigate(hash, { replace = false } = {}) {
  if (replace) {
    history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}

/** The route of the page's hash, {name, params}, following every change. */
export function useRoute() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

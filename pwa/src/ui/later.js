// A part of a screen that loads with its first use instead of with the app (the bundle
// budget, scripts/budget.mjs): the comparison of plan and order, the follow-ups of goals.
// The service worker precaches the chunk, so it loads offline too.
import { useEffect, useState } from 'preact/hooks';

const loaded = new Map();

/** The component `load()` resolves to (a stable function, declared once per module), or
 * null until it has loaded. A failed load is logged and leaves the part out. */
export function useLater(load) {
  const [part, setPart] = useState(() => loaded.get(load) ?? null);
  useEffect(() => {
    if (part) return undefined;
    let shown = true;
    load().then(
      (component) => {
        loaded.set(load, component);
        if (shown) setPart(() => component);
      },
      (error) => console.error(error),
    );
    return () => {
      shown = false;
    };
  }, [load]);
  return part;
}

// Screens read the phone's database through a live query (data/db.js): the query runs again
// whenever a table it read changes (a save, a pull, another tab), so a screen is never stale.
import { useEffect, useState } from 'preact/hooks';
import { liveQuery } from '../data/db.js';

/**
 * The latest result of `query()` as `{data, error}`; `data` is undefined until the first
 * result. `deps` are the inputs of the query, as for useEffect.
 */
export function useLive(query, deps) {
  const [state, setState] = useState({ data: undefined, error: null });
  useEffect(() => {
    setState({ data: undefined, error: null });
    const subscription = liveQuery(query).subscribe({
      next: (data) => setState({ data, error: null }),
      error: (error) => {
        console.error(error);
        setState((previous) => ({ data: previous.data, error }));
      },
    });
    return () => subscription.unsubscribe();
  }, deps);
  return state;
}

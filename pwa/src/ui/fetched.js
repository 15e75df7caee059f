// A supervisor's screen reads the server through sync/supervision.js: the answer, when it
// was fetched, whether it is the remembered one (offline), and a Swedish problem for a
// refusal. `useFetched(load, deps)` runs `load()` ({data, fetchedAt, offline}) when the
// screen opens, when `deps` change and when the network comes back; `reload()` runs it again.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, NetworkError } from '../sync/api.js';
import t from '../strings/sv/supervision.js';

/** The Swedish text for a failed server call (never the server's English message). */
export function problemText(error) {
  if (error instanceof NetworkError || error?.code === 'offline') return t.problems.offline;
  if (error instanceof ApiError) {
    if (t.problems[error.reason]) return t.problems[error.reason];
    if (error.status >= 500) return t.problems.server;
    if (error.status === 401) return t.problems.login_required;
    if (error.status === 403) return t.problems.forbidden;
    if (error.status === 404) return t.problems.not_found;
  }
  return t.problem;
}

export function useFetched(load, deps) {
  const [state, setState] = useState({ answer: null, error: null, busy: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((held) => ({ ...held, busy: true }));
    load().then(
      (answer) => current && setState({ answer, error: null, busy: false }),
      (error) => {
        if (!(error instanceof NetworkError)) console.error(error);
        if (current) setState((held) => ({ answer: error instanceof NetworkError ? held.answer : null, error, busy: false }));
      },
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  useEffect(() => {
    const again = () => setRound((n) => n + 1);
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, []);
  const { answer, error, busy } = state;
  return {
    data: answer?.data ?? null,
    fetchedAt: answer?.fetchedAt ?? null,
    offline: Boolean(answer?.offline) || error instanceof NetworkError,
    error,
    problem: error ? problemText(error) : null,
    busy,
    reload: () => setRound((n) => n + 1),
    /** Replace the shown answer with one an action returned (the team after an assignment). */
    replace: (data) => setState({ answer: { data, fetchedAt: new Date().toISOString(), offline: false }, error: null, busy: false }),
  };
}

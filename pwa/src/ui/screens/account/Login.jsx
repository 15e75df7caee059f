// Login: the first screen on a new phone, and again when the server refused the token (the
// phone keeps its data and outbox; logging in as the same user carries on). Logging in as
// someone else with another user's unsent changes on the phone asks first.
import { useState } from 'preact/hooks';
import { pendingCount } from '../../../data/queries.js';
import { login } from '../../../data/session.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/login.js';
import { useLive } from '../../live.js';

function problemOf(error) {
  if (!navigator.onLine || error?.name === 'NetworkError' || error?.code === 'offline') return t.offline;
  if (error?.code === 'device_revoked') return t.wiped(error.lost || 0);
  // Throttled (429) or the server's password checks all busy (503): say so, and how long.
  if (t.reasons[error?.reason]) return [t.reasons[error.reason], error.retryAfterMs ? t.retryIn(error.retryAfterMs) : ''].join(' ').trim();
  if ([400, 401, 422].includes(error?.status)) return t.wrong;
  return t.failed;
}

export function Login({ onLoggedIn, notice }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState(null);
  const [otherUserLost, setOtherUserLost] = useState(0);
  const [busy, setBusy] = useState(false);
  const { data: waiting } = useLive(() => pendingCount(), []);

  async function submit(event, force = false) {
    event?.preventDefault();
    if (!username.trim() || !password) {
      setProblem(t.required);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const user = await login({ username: username.trim(), password, force });
      onLoggedIn(user);
    } catch (error) {
      console.error(error);
      if (error?.code === 'other_user_unsent') setOtherUserLost(error.lost);
      else setProblem(problemOf(error));
      setBusy(false);
    }
  }

  return (
    <main class="login" id="main">
      <div class="login-brand">
        <img src="/icons/icon.svg" alt="" width="56" height="56" />
        <p class="login-app">{common.appName}</p>
      </div>
      <h1>{t.title}</h1>
      {notice ? <p class="warning">{notice}</p> : <p class="hint">{t.intro}</p>}
      {waiting > 0 && !otherUserLost && <p class="warning">{t.waiting(waiting)}</p>}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="username">{t.username}</label>
          <input
            id="username"
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            required
          />
        </div>
        <div class="field">
          <label for="password">{t.password}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
          />
        </div>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        {otherUserLost > 0 ? (
          <div class="confirm" role="alertdialog" aria-labelledby="other-user">
            <p id="other-user" class="warning">
              {t.otherUser(otherUserLost)}
            </p>
            <button type="button" class="button danger block" disabled={busy} onClick={() => submit(null, true)}>
              {t.loginAnyway}
            </button>
            <button type="button" class="button ghost block" onClick={() => setOtherUserLost(0)}>
              {common.cancel}
            </button>
          </div>
        ) : (
          <button type="submit" class="button primary block" disabled={busy}>
            {busy ? t.submitting : t.submit}
          </button>
        )}
      </form>
    </main>
  );
}

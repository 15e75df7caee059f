// Login: the first screen on a new phone, and again when the server refused the token (the
// phone keeps its data and outbox; logging in as the same user carries on). Logging in as
// someone else with another user's unsent changes on the phone asks first. Where the city's
// identity provider is set up, a second button (or the only one) logs in there: the page
// goes to the provider and comes back to #/login/oidc?ticket=, which this screen exchanges
// and then continues exactly as after a password.
import { useEffect, useState } from 'preact/hooks';
import { pendingCount } from '../../../data/queries.js';
import { login, loginWithTicket, oidcOffer, oidcStartUrl } from '../../../data/session.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/login.js';
import { useLive } from '../../live.js';
import { navigate } from '../../router.js';
import { HOME } from '../../routes.js';

// Where the identity provider's login comes back to (server/api/oidc.py APP_RETURN).
const RETURN = /^#\/login\/oidc(?:\?(.*))?$/;

/** What the identity provider's login came back with ({ticket} or {error}), or null when
 * the page was not opened so. The hash is replaced at once: the ticket stays in no history
 * entry. */
function takeReturn() {
  const match = RETURN.exec(location.hash);
  if (!match) return null;
  navigate(HOME, { replace: true });
  const params = new URLSearchParams(match[1] ?? '');
  return { ticket: params.get('ticket'), error: params.get('error') };
}

function problemOf(error) {
  if (!navigator.onLine || error?.name === 'NetworkError' || error?.code === 'offline') return t.offline;
  if (error?.code === 'device_revoked') return t.wiped(error.lost || 0);
  // Throttled (429) or the server's password checks all busy (503): say so, and how long.
  if (t.reasons[error?.reason]) return [t.reasons[error.reason], error.retryAfterMs ? t.retryIn(error.retryAfterMs) : ''].join(' ').trim();
  if (t.oidc.errors[error?.reason]) return t.oidc.errors[error.reason];
  if ([400, 401, 422].includes(error?.status)) return t.wrong;
  return t.failed;
}

export function Login({ onLoggedIn, notice }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState(null);
  const [otherUserLost, setOtherUserLost] = useState(0);
  const [busy, setBusy] = useState(false);
  const [offer, setOffer] = useState(null); // the identity provider's login, when offered
  const [ticket, setTicket] = useState(null); // its ticket, while "log in anyway" is asked
  const { data: waiting } = useLive(() => pendingCount(), []);

  useEffect(() => {
    let current = true;
    oidcOffer().then((found) => current && setOffer(found));
    const returned = takeReturn();
    if (returned?.ticket) logInWithTicket(returned.ticket);
    else if (returned) setProblem(t.oidc.errors[returned.error] ?? t.oidc.errors.oidc_failed);
    return () => {
      current = false;
    };
  }, []);

  async function attempt(run) {
    setBusy(true);
    setProblem(null);
    try {
      onLoggedIn(await run());
    } catch (error) {
      console.error(error);
      if (error?.code === 'other_user_unsent') setOtherUserLost(error.lost);
      else setProblem(problemOf(error));
      setBusy(false);
    }
  }

  function logInWithTicket(value, force = false) {
    setTicket(value);
    return attempt(() => loginWithTicket({ ticket: value, force }));
  }

  async function submit(event, force = false) {
    event?.preventDefault();
    if (!username.trim() || !password) {
      setProblem(t.required);
      return;
    }
    setTicket(null);
    await attempt(() => login({ username: username.trim(), password, force }));
  }

  async function startOidc() {
    if (!navigator.onLine) {
      setProblem(t.offline);
      return;
    }
    setBusy(true);
    location.assign(await oidcStartUrl());
  }

  const passwords = !offer || offer.password_login !== false;

  return (
    <main class="login" id="main">
      <div class="login-brand">
        <img src="/icons/icon.svg" alt="" width="56" height="56" />
        <p class="login-app">{common.appName}</p>
      </div>
      <h1>{t.title}</h1>
      {notice ? <p class="warning">{notice}</p> : <p class="hint">{t.intro}</p>}
      {waiting > 0 && !otherUserLost && <p class="warning">{t.waiting(waiting)}</p>}
      {offer && !otherUserLost && (
        <div class="login-oidc">
          <button type="button" class="button primary block" disabled={busy} onClick={startOidc}>
            {busy && ticket ? t.oidc.returning : offer.label || t.oidc.button}
          </button>
          {passwords && <p class="hint">{t.oidc.or}</p>}
        </div>
      )}
      <form onSubmit={submit} noValidate>
        {passwords && (
          <>
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
          </>
        )}
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
            <button type="button" class="button danger block" disabled={busy}
              onClick={() => (ticket ? logInWithTicket(ticket, true) : submit(null, true))}>
              {t.loginAnyway}
            </button>
            <button type="button" class="button ghost block" onClick={() => setOtherUserLost(0)}>
              {common.cancel}
            </button>
          </div>
        ) : (
          passwords && (
            <button type="submit" class={offer ? 'button secondary block' : 'button primary block'} disabled={busy}>
              {busy && !ticket ? t.submitting : t.submit}
            </button>
          )
        )}
      </form>
    </main>
  );
}

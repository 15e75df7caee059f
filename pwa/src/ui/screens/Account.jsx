// The account: who is logged in on this phone, sync now, and logging out. Logging out with
// unsent changes warns and says how many would be lost (the data layer refuses without
// `force` and reports {lost}).
import { useEffect, useRef, useState } from 'preact/hooks';
import { logout } from '../../data/session.js';
import { syncNow } from '../../sync/engine.js';
import t from '../../strings/sv/account.js';
import status from '../../strings/sv/status.js';
import { clearDrafts } from '../drafts.js';
import { Problem, Screen } from '../parts/Screen.jsx';
import { usePending } from '../parts/StatusBar.jsx';
import { enablePush, pushState } from '../push-state.js';
import { href } from '../router.js';
import { useStore } from '../store.js';

export function Account({ session, onLoggedOut }) {
  const pending = usePending();
  const [lost, setLost] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const user = session?.user || {};
  const warning = useRef(null);
  // The warning replaces the button the worker just pressed: bring it into view and focus.
  useEffect(() => {
    if (lost > 0) warning.current?.focus();
  }, [lost]);

  async function signOut(force) {
    setBusy(true);
    setProblem(null);
    try {
      const result = await logout({ force });
      if (!result.loggedOut) {
        setLost(result.lost);
        setBusy(false);
        return;
      }
      clearDrafts();
      onLoggedOut();
    } catch (error) {
      console.error(error);
      setProblem(t.failed);
      setBusy(false);
    }
  }

  return (
    <Screen title={t.title} back={href.today()}>
      <section class="card">
        <dl class="facts">
          <div>
            <dt>{t.signedInAs}</dt>
            <dd class="key-info">{user.name || user.username}</dd>
            {user.role && <dd>{t.roles[user.role] || user.role}</dd>}
          </div>
          {session?.device_id && (
            <div>
              <dt>{t.device}</dt>
              <dd class="mono">{session.device_id}</dd>
            </div>
          )}
        </dl>
        <p class="muted">{t.version(__APP_VERSION__)}</p>
        <button type="button" class="button secondary" onClick={() => syncNow()}>
          {status.syncNow}
        </button>
      </section>

      <PushReminders />

      <section class="card" aria-labelledby="logout-title">
        <h2 id="logout-title">{t.logout}</h2>
        {pending > 0 && !lost && (
          <p class="warning">
            {t.unsent(pending)} {t.unsentAdvice}
          </p>
        )}
        {lost > 0 ? (
          <div class="confirm" role="alertdialog" aria-labelledby="lost-text">
            <p id="lost-text" class="warning" tabIndex={-1} ref={warning}>
              {t.unsent(lost)} {t.unsentAdvice}
            </p>
            <button type="button" class="button danger block" disabled={busy} onClick={() => signOut(true)}>
              {t.logoutAnyway(lost)}
            </button>
            <button type="button" class="button primary block" onClick={() => setLost(0)}>
              {t.keep}
            </button>
          </div>
        ) : (
          <button type="button" class="button secondary block" disabled={busy} onClick={() => signOut(false)}>
            {busy ? t.loggingOut : t.logout}
          </button>
        )}
        {problem && <Problem>{problem}</Problem>}
      </section>
    </Screen>
  );
}

// Whether reminders come by web push; the notification permission is asked only here, when
// the worker presses the button (never on load).
function PushReminders() {
  const state = useStore(pushState);
  const [asking, setAsking] = useState(false);
  const text =
    state === 'on' ? t.pushOn
      : state === 'ask' ? t.pushAsk
        : state === 'denied' ? t.pushDenied
          : state === 'offline' ? t.pushOffline
            : state === null ? null
              : t.pushOff;
  async function ask() {
    setAsking(true);
    await enablePush();
    setAsking(false);
  }
  return (
    <section class="card" aria-labelledby="push-title">
      <h2 id="push-title">{t.reminders}</h2>
      {text && <p data-testid="push-state" data-state={state}>{text}</p>}
      {state === 'ask' && (
        <button type="button" class="button primary block" disabled={asking} onClick={ask}>
          {t.pushEnable}
        </button>
      )}
    </section>
  );
}

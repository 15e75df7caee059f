// The account: who is logged in on this phone, sync now, reminders (push on this phone and
// the worker's reminder settings; for a supervisor, the team's workers push cannot reach),
// and logging out. Logging out with unsent changes warns and says how many would be lost
// (the data layer refuses without `force` and reports {lost}).
import { useEffect, useRef, useState } from 'preact/hooks';
import { MINUTES_BEFORE_RANGE } from '../../../data/contract.js';
import { logout } from '../../../data/session.js';
import { api, NetworkError } from '../../../sync/api.js';
import { syncNow } from '../../../sync/engine.js';
import { cachedPreferences, savePreferences } from '../../../sync/preferences.js';
import t from '../../../strings/sv/account.js';
import status from '../../../strings/sv/status.js';
import { clearDrafts } from '../../drafts.js';
import { useLive } from '../../live.js';
import { Problem, Screen } from '../../parts/Screen.jsx';
import { useOnline, usePending } from '../../parts/StatusBar.jsx';
import { enablePush, pushState } from '../../push-state.js';
import { href } from '../../routes.js';
import { useStore } from '../../store.js';

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
      {user.role === 'supervisor' && <TeamPush />}
      <PasskeyCard />

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

// Unlocking with the fingerprint or face (parts/PasskeyOffer.jsx): its code is loaded when
// the account is opened, not with the app.
function PasskeyCard() {
  const [Card, setCard] = useState(null);
  useEffect(() => {
    import('../../parts/PasskeyOffer.jsx').then((module) => setCard(() => module.PasskeySetting), (error) => console.warn('passkey', error));
  }, []);
  return Card ? <Card /> : null;
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
      <ReminderSettings />
    </section>
  );
}

// The choices offered for minutes_before, within what the server accepts.
const [FEWEST_MINUTES, MOST_MINUTES] = MINUTES_BEFORE_RANGE;
const MINUTES_CHOICES = [10, 15, 30, 45, 60, 90, 120].filter((n) => n >= FEWEST_MINUTES && n <= MOST_MINUTES);
const settingsOf = (held) => ({
  minutes_before: held.minutes_before,
  day_before: Boolean(held.day_before),
  morning_digest: Boolean(held.morning_digest),
});

// The worker's reminder settings. The form starts from the server's last answer (cached on
// the phone) and follows it until the worker changes something; saving needs a connection,
// and a failed save keeps the worker's choices in the form.
function ReminderSettings() {
  const { data: held } = useLive(() => cachedPreferences(), []);
  const [form, setForm] = useState(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState(null); // {problem: boolean, text}
  useEffect(() => {
    if (held && !dirty) setForm(settingsOf(held));
  }, [held]);
  if (!form) return null;

  const set = (patch) => {
    setForm({ ...form, ...patch });
    setDirty(true);
    setMessage(null);
  };
  const choices = MINUTES_CHOICES.includes(form.minutes_before)
    ? MINUTES_CHOICES
    : [...MINUTES_CHOICES, form.minutes_before].sort((a, b) => a - b);

  async function save(event) {
    event.preventDefault();
    if (navigator.onLine === false) {
      setMessage({ problem: true, text: t.settingsOffline });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      setForm(settingsOf(await savePreferences(form)));
      setDirty(false);
      setMessage({ problem: false, text: t.settingsSaved });
    } catch (error) {
      console.error(error);
      const text = error instanceof NetworkError ? t.settingsOffline : error?.status === 422 ? t.settingsRefused : t.settingsFailed;
      setMessage({ problem: true, text });
    }
    setBusy(false);
  }

  const hours = held?.working_hours;
  return (
    <form class="reminder-settings" onSubmit={save} aria-label={t.reminders} data-testid="reminder-settings">
      <div class="field">
        <label for="minutes-before">{t.minutesBefore}</label>
        <select id="minutes-before" value={form.minutes_before} onChange={(e) => set({ minutes_before: Number(e.currentTarget.value) })}>
          {choices.map((n) => (
            <option key={n} value={n}>
              {t.minutesOption(n)}
            </option>
          ))}
        </select>
      </div>
      <label class="choice tall">
        <input type="checkbox" checked={form.day_before} onChange={(e) => set({ day_before: e.currentTarget.checked })} />
        <span>
          <span class="choice-title">{t.dayBefore}</span>
          <span class="hint">{t.dayBeforeHint}</span>
        </span>
      </label>
      <label class="choice tall">
        <input type="checkbox" checked={form.morning_digest} onChange={(e) => set({ morning_digest: e.currentTarget.checked })} />
        <span>
          <span class="choice-title">{t.morningDigest}</span>
          <span class="hint">{t.morningDigestHint}</span>
        </span>
      </label>
      {hours && <p class="hint">{t.workingHours(hours.start, hours.end)}</p>}
      {message?.problem && <Problem>{message.text}</Problem>}
      {message && !message.problem && (
        <p class="muted" role="status">
          {message.text}
        </p>
      )}
      <button type="submit" class="button secondary block" disabled={busy}>
        {busy ? t.savingSettings : t.saveSettings}
      </button>
    </form>
  );
}

// The scheduler's states (server/reminders/heartbeat.py) a supervisor must hear of: no push
// reaches anyone ('stopped'), or reminders go out late ('late').
const SCHEDULER_TROUBLE = new Set(['stopped', 'late']);

// Supervisors: whether push works at all on the server (off, or its scheduler stopped), and
// which of the team's workers no push can reach (reminded only while their app is open). Names are fine here: inside the
// app, for their supervisor. Online only; offline (or on any failure) nothing is shown.
function TeamPush() {
  const online = useOnline();
  const [answer, setAnswer] = useState(null);
  useEffect(() => {
    if (!online) return undefined;
    let current = true;
    api.workersWithoutPush().then(
      (result) => current && setAnswer(result),
      (error) => console.warn('workers without push', error),
    );
    return () => {
      current = false;
    };
  }, [online]);
  if (!online || !answer) return null;
  const workers = answer.workers || [];
  return (
    <section class="card" aria-labelledby="team-push-title" data-testid="team-push">
      {answer.push_enabled === false && (
        <p class="warning">
          {/* The operator's reason is English free text (server/webpush/config.py): the
              operator reads it in the server's log; the supervisor is told what to do. */}
          <strong>{t.pushServerOff}</strong> {t.pushServerOffHint}
        </p>
      )}
      {answer.push_enabled !== false && SCHEDULER_TROUBLE.has(answer.scheduler?.state) && (
        <p class="warning" data-testid="scheduler-trouble">
          <strong>{t.schedulerTrouble[answer.scheduler.state]}</strong>{' '}
          {t.schedulerTroubleHint}
        </p>
      )}
      <h2 id="team-push-title">{t.withoutPush}</h2>
      {workers.length === 0 ? (
        <p class="muted">{t.allHavePush}</p>
      ) : (
        <>
          <p class="hint">{t.withoutPushHint}</p>
          <ul class="people">
            {workers.map((worker) => (
              <li key={worker.id}>{worker.name || worker.username}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// The app: the session decides between login and the shell; the shell is the sync status
// bar, the current screen (hash route), and the dock at the bottom (announcements, the update
// prompt, the tab bar).
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession } from '../data/session.js';
import common from '../strings/sv/common.js';
import loginText from '../strings/sv/login.js';
import { announcement } from './announce.js';
import { startPush } from './push-state.js';
import { startLocalReminders } from './reminders.js';
import { InstallNotice } from './parts/InstallNotice.jsx';
import { Screen } from './parts/Screen.jsx';
import { StatusBar } from './parts/StatusBar.jsx';
import { TabBar } from './parts/TabBar.jsx';
import { UpdatePrompt } from './parts/UpdatePrompt.jsx';
import { HOME, navigate, useRoute } from './router.js';
import { Account } from './screens/account/Account.jsx';
import { Attention } from './screens/attention/Attention.jsx';
import { Cancel } from './screens/visits/Cancel.jsx';
import { Client } from './screens/clients/Client.jsx';
import { Clients } from './screens/clients/Clients.jsx';
import { LogVisit } from './screens/visits/LogVisit.jsx';
import { Login } from './screens/account/Login.jsx';
import { NewReminder } from './screens/reminders/NewReminder.jsx';
import { PlanVisit } from './screens/visits/PlanVisit.jsx';
import { Today } from './screens/today/Today.jsx';
import { Visit } from './screens/visits/Visit.jsx';
import { useStore } from './store.js';
import { SESSION_ENDED, beginSync, endSync, errorCode, syncStatus } from './sync-status.js';

function screenFor(route, session, onLoggedOut) {
  switch (route.name) {
    case 'today':
      return <Today />;
    case 'clients':
      return <Clients />;
    case 'client':
      return <Client id={route.id} />;
    case 'visit':
      return <Visit id={route.id} />;
    case 'cancel':
      return <Cancel id={route.id} />;
    case 'log':
      return <LogVisit clientId={route.id} />;
    case 'plan':
      return <PlanVisit clientId={route.id} />;
    case 'newReminder':
      return <NewReminder clientId={route.id} />;
    case 'attention':
      return <Attention />;
    case 'account':
      return <Account session={session} onLoggedOut={onLoggedOut} />;
    default:
      return (
        <Screen title={common.notFound} back={HOME}>
          <a class="button secondary" href={HOME}>
            {common.toToday}
          </a>
        </Screen>
      );
  }
}

function Announcer() {
  const current = useStore(announcement);
  return (
    <div class="announcer" role="status" aria-live="polite">
      {current && <p class="toast">{current.text}</p>}
    </div>
  );
}

function Shell({ session, onLoggedOut }) {
  const route = useRoute();
  const main = useRef(null);
  // A new screen starts at its top, not where the last one was scrolled to.
  useEffect(() => {
    if (main.current) main.current.scrollTop = 0;
  }, [route.name, route.id]);
  return (
    <div class="app">
      <StatusBar />
      <main id="main" class="main" ref={main}>
        <InstallNotice />
        <div key={`${route.name}/${route.id || ''}`}>{screenFor(route, session, onLoggedOut)}</div>
      </main>
      <div class="dock">
        <Announcer />
        <UpdatePrompt />
        <TabBar route={route} />
      </div>
    </div>
  );
}

export function App() {
  const [session, setSession] = useState(undefined); // undefined: not read yet
  const [loggedOut, setLoggedOut] = useState(false); // by the user, in this page
  const status = useStore(syncStatus);
  const code = errorCode(status);

  const readSession = () =>
    getSession().then(
      (current) => setSession(current || null),
      (error) => {
        console.error(error);
        setSession(null);
      },
    );

  useEffect(() => {
    readSession();
  }, []);

  useEffect(() => {
    if (!session) return;
    beginSync();
    // Web push at every start; the phone's own reminders while the app is open.
    startPush();
    const stopReminders = startLocalReminders();
    // Ask the browser not to evict the phone's data under storage pressure.
    navigator.storage?.persist?.().catch(() => {});
    return stopReminders;
  }, [session]);

  // The server refused the token (the data layer dropped it, keeping data and outbox) or
  // revoked the device (the data layer wiped it): the session is gone.
  useEffect(() => {
    if (SESSION_ENDED.includes(code)) readSession();
  }, [code]);

  if (session === undefined) return <p class="boot">{common.loading}</p>;
  if (!session) {
    const notice = loggedOut
      ? null
      : code === 'device_revoked'
        ? loginText.wiped(status?.wiped?.lost || 0)
        : code === 'login_required'
          ? loginText.again
          : null;
    return (
      <Login
        notice={notice}
        onLoggedIn={() => {
          setLoggedOut(false);
          readSession();
        }}
      />
    );
  }
  return (
    <Shell
      session={session}
      onLoggedOut={() => {
        endSync();
        navigate(HOME, { replace: true });
        setLoggedOut(true);
        setSession(null);
      }}
    />
  );
}

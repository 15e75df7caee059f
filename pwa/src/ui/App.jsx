// The app: the lock first (the PIN to choose after a first login, or to unlock with), then the
// session decides between login and the shell; the shell is the sync status bar, the current
// screen (hash route), and the dock at the bottom (announcements, the update prompt, the tab
// bar). Nothing of the phone's data is read before the lock is open (docs/phone-security.md).
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession } from '../data/session.js';
import { reportAfterSyncs } from '../sync/device-report.js';
import { fetchAfterSyncs, fetchPhoneSettings, phoneSettings } from '../data/phone-settings.js';
import { mustLogInOnline, startVault, vaultState } from '../data/vault.js';
import common from '../strings/sv/common.js';
import lockText from '../strings/sv/lock.js';
import loginText from '../strings/sv/login.js';
import { announcement, savedText } from './announce.js';
import { lockApp, watchIdle } from './idle-lock.js';
import { startPush } from './push-state.js';
import { startLocalReminders } from './reminders.js';
import { keepTeamDirectory } from './team-directory.js';
import { BudgetNotice } from './parts/BudgetNotice.jsx';
import { InstallNotice } from './parts/InstallNotice.jsx';
import { Loading, Screen } from './parts/Screen.jsx';
import { StatusBar, useOnline, usePending } from './parts/StatusBar.jsx';
import { TabBar } from './parts/TabBar.jsx';
import { UpdatePrompt } from './parts/UpdatePrompt.jsx';
import { navigate, useRoute } from './router.js';
import { HOME, LAZY_AREAS, ROUTES, homeFor, href, routeNamed } from './routes.js';
import { Unlock } from './screens/lock/Unlock.jsx';
import { useStore } from './store.js';
import { SESSION_ENDED, beginSync, endSync, errorCode, syncStatus } from './sync-status.js';

// Every screen module under screens/<area>/, by the name the route table gives it
// ("visits/Visit": the component Visit of screens/visits/Visit.jsx). Listed by the build, so
// the table is the only place a screen is added; a route naming no screen fails at start.
// The field worker's screens come with the app; the areas in LAZY_AREAS (a supervisor's)
// are separate chunks, loaded when first opened (the service worker precaches them too,
// so they open offline).
const componentOf = (path, module) => {
  const name = path.slice('./screens/'.length, -'.jsx'.length);
  return [name, module[name.slice(name.indexOf('/') + 1)]];
};
const SCREENS = Object.fromEntries(
  Object.entries(import.meta.glob(['./screens/*/*.jsx', '!./screens/supervision/*.jsx', '!./screens/plans/*.jsx', '!./screens/appointments/*.jsx', '!./screens/concerns/*.jsx', '!./screens/reminders/*.jsx', '!./screens/attention/*.jsx', '!./screens/journal/*.jsx', '!./screens/account/*.jsx', '!./screens/lock/SetPin.jsx'], { eager: true }))
    .map(([path, module]) => componentOf(path, module)),
);
const LAZY_SCREENS = Object.fromEntries(
  Object.entries(import.meta.glob(['./screens/supervision/*.jsx', './screens/plans/*.jsx', './screens/appointments/*.jsx', './screens/concerns/*.jsx', './screens/reminders/*.jsx', './screens/attention/*.jsx', './screens/journal/*.jsx', './screens/account/*.jsx', './screens/lock/SetPin.jsx']))
    .map(([path, load]) => [path.slice('./screens/'.length, -'.jsx'.length), load]),
);
const isLazy = (screen) => LAZY_AREAS.includes(screen.slice(0, screen.indexOf('/')));
for (const route of ROUTES) {
  const found = isLazy(route.screen) ? typeof LAZY_SCREENS[route.screen] === 'function' : typeof SCREENS[route.screen] === 'function';
  if (!found) throw new Error(`route ${route.name}: no screen ${route.screen}`);
}

const isSupervisor = (user) => user?.role === 'supervisor';

const loadedScreens = new Map();

/** A lazily loaded screen: "Laddar…" until its chunk is here, then the screen. */
function LazyScreen({ screen, props }) {
  const [Component, setComponent] = useState(() => loadedScreens.get(screen));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Component) return undefined;
    let current = true;
    LAZY_SCREENS[screen]().then(
      (module) => {
        const [, loaded] = componentOf(`./screens/${screen}.jsx`, module);
        loadedScreens.set(screen, loaded);
        if (current) setComponent(() => loaded);
      },
      (error) => {
        console.error(error);
        if (current) setFailed(true);
      },
    );
    return () => {
      current = false;
    };
  }, [screen]);
  if (Component) return <Component {...props} />;
  return (
    <Screen title={failed ? common.loadFailed : common.loading}>
      {!failed && <Loading />}
    </Screen>
  );
}

/** The screen of a route, with its props: the route's params, or what its row says. */
function screenFor(route, shell) {
  const row = routeNamed(route.name);
  if (!row) {
    return (
      <Screen title={common.notFound} back={homeFor(shell.session?.user)}>
        <a class="button secondary" href={homeFor(shell.session?.user)}>
          {isSupervisor(shell.session?.user) ? common.toTeam : common.toToday}
        </a>
      </Screen>
    );
  }
  const props = row.props ? row.props(route.params, shell) : route.params;
  if (isLazy(row.screen)) return <LazyScreen screen={row.screen} props={props} />;
  const Component = SCREENS[row.screen];
  return <Component {...props} />;
}

function Announcer() {
  const current = useStore(announcement);
  const pending = usePending();
  const online = useOnline();
  const error = errorCode(useStore(syncStatus));
  const text = current?.saved ? savedText({ pending, online, error }) : current?.text;
  return (
    <div class="announcer" role="status" aria-live="polite">
      {current && <p class="toast">{text}</p>}
    </div>
  );
}

function Shell({ session, onLoggedOut }) {
  const route = useRoute();
  // Opened without a route (the home screen icon): a supervisor's first screen is the team
  // (a field worker's, Idag, is what an empty hash already shows).
  useEffect(() => {
    if (isSupervisor(session?.user) && (!location.hash || location.hash === '#')) navigate(homeFor(session.user), { replace: true });
  }, []);
  const key = [route.name, ...Object.values(route.params)].join('/');
  const main = useRef(null);
  // A new screen starts at its top, not where the last one was scrolled to.
  useEffect(() => {
    if (main.current) main.current.scrollTop = 0;
  }, [key]);
  return (
    <div class={session?.user?.role === 'supervisor' ? 'app for-supervisor' : 'app'}>
      <StatusBar attentionHref={isSupervisor(session?.user) ? href.parked() : href.attention()} />
      <main id="main" class="main" ref={main}>
        <BudgetNotice />
        <InstallNotice />
        <div key={key}>{screenFor(route, { session, onLoggedOut })}</div>
      </main>
      <div class="dock">
        <Announcer />
        <UpdatePrompt />
        <TabBar route={route} role={session?.user?.role} />
      </div>
    </div>
  );
}

export function App() {
  const [vault, setVault] = useState(undefined); // undefined: not read yet; else vault.js's state
  const [session, setSession] = useState(undefined); // undefined: not read yet
  const [loggedOut, setLoggedOut] = useState(false); // by the user, in this page
  const [onlineRequired, setOnlineRequired] = useState(false); // offline too long for the PIN
  const [lockNotice, setLockNotice] = useState(null); // what the lock did (data deleted)
  const status = useStore(syncStatus);
  const code = errorCode(status);
  const open = vault === 'open' || vault === 'none';
  const active = open && session && !onlineRequired ? session : null;

  const readSession = () =>
    getSession().then(
      (current) => setSession(current || null),
      (error) => {
        console.error(error);
        setSession(null);
      },
    );

  const opened = async () => {
    // The city's PIN minimum rose above the PIN's length: a new one first (vault.js).
    if ((await vaultState()) === 'needs_pin') return setVault('needs_pin');
    setVault('open');
    setOnlineRequired(await mustLogInOnline());
    await readSession();
  };

  useEffect(() => {
    startVault().then(
      (state) => (state === 'open' ? opened() : (setVault(state), state === 'none' && readSession())),
      (error) => {
        console.error(error);
        setVault('locked');
      },
    );
  }, []);

  useEffect(() => {
    if (!active) return;
    beginSync();
    // Web push at every start; the phone's own reminders while the app is open.
    startPush();
    const stopReminders = startLocalReminders();
    // Its storage and the protected details it showed, after each sync (device-report.js).
    const stopReports = reportAfterSyncs((fn) => syncStatus.subscribe(fn));
    // The city's lock settings, after each sync (data/phone-settings.js).
    const stopSettings = fetchAfterSyncs((fn) => syncStatus.subscribe(fn));
    keepTeamDirectory(active.user);
    // Ask the browser not to evict the phone's data under storage pressure.
    navigator.storage?.persist?.().catch(() => {});
    return () => {
      stopReminders();
      stopReports();
      stopSettings();
      keepTeamDirectory(null);
    };
  }, [active]);

  // Unlocked: it locks again after a while without use.
  useEffect(() => {
    if (vault !== 'open') return undefined;
    return watchIdle(() => {
      setVault('locked');
      lockApp();
    });
  }, [vault]);

  // The server refused the token (the data layer dropped it, keeping data and outbox) or
  // revoked the device (the data layer wiped it): the session is gone.
  useEffect(() => {
    if (!SESSION_ENDED.includes(code)) return;
    vaultState().then((state) => {
      if (state === 'locked') return; // the lock screen is up: unlocking reads the session
      setVault(state); // 'none' after a wipe
      readSession();
    });
  }, [code]);

  if (vault === undefined || (open && session === undefined)) return <p class="boot">{common.loading}</p>;
  if (vault === 'locked') {
    return (
      <Unlock
        onUnlocked={opened}
        onWiped={({ lost, forgotten }) => {
          setLockNotice(forgotten ? lockText.forgotten : lockText.wiped(lost));
          setSession(null);
          setVault('none');
        }}
      />
    );
  }
  if (vault === 'needs_pin') return <LazyScreen key="set-pin" screen="lock/SetPin" props={{ onDone: opened }} />;
  if (!session || onlineRequired) {
    const notice = lockNotice
      ? lockNotice
      : onlineRequired
        ? lockText.offlineTooLong(phoneSettings().max_offline_days)
        : loggedOut
          ? null
          : code === 'device_revoked'
            ? loginText.wiped(status?.wiped?.lost || 0)
            : code === 'login_required'
              ? loginText.again
              : null;
    return (
      <LazyScreen
        key="login"
        screen="account/Login"
        props={{
        notice,
        onLoggedIn: async (user) => {
          setLoggedOut(false);
          setLockNotice(null);
          setOnlineRequired(false);
          // A supervisor's login starts on the team, unless a link led somewhere else (Idag
          // is where a logout leaves every phone).
          if (isSupervisor(user) && (!location.hash || location.hash === '#' || location.hash === HOME)) {
            navigate(homeFor(user), { replace: true });
          }
          // The city's lock settings before the PIN is chosen (its fewest digits).
          await fetchPhoneSettings();
          const state = await vaultState();
          setVault(state);
          if (state !== 'needs_pin') readSession();
        },
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
        setVault('none');
      }}
    />
  );
}

// The app's routes: one row per screen, the only place a route is named. They are hash
// routes (#/visit/<id>): the part after # never reaches the server, so every route opens
// offline from the one precached index.html. From this table come `parseHash` (a hash → its
// route), `href` (a route's link: href.visit(id) → "#/visit/<id>"), the screen the shell
// renders (App.jsx) and the tab a screen is under (TabBar). The URLs themselves are a
// promise: a push notification opens "/#/visit/<id>" or "/#/today", and the e2e tests open
// them; change none.
//
// A row: `name`; `path`, where ":param" is a part of the URL (":param?" one that may be left
// out, and only last); `screen`, the module under screens/ as "area/Name" (it exports the
// component Name); `props(params, shell)`, the screen's props when they are not just the
// params by name (`shell` is {session, onLoggedOut}); `tab`, the tab it is under, if any.
// Pure (no Preact), so the service worker can use the links too.

export const ROUTES = [
  // Idag, or (with a date, YYYY-MM-DD) another day's view, which a visit returns to.
  {
    name: 'today', path: '/today/:date?', screen: 'today/Today', tab: 'today',
    props: ({ date }, { session }) => ({ date, role: session?.user?.role }),
  },
  { name: 'visit', path: '/visit/:id', screen: 'visits/Visit', tab: 'today' },
  { name: 'cancel', path: '/visit/:id/cancel', screen: 'visits/Cancel', tab: 'today' },
  { name: 'reschedule', path: '/visit/:id/move', screen: 'visits/Reschedule', tab: 'today' },
  { name: 'appointment', path: '/appointment/:id', screen: 'appointments/Appointment', tab: 'today' },
  { name: 'editAppointment', path: '/appointment/:id/edit', screen: 'appointments/EditAppointment', tab: 'today' },
  { name: 'attention', path: '/attention', screen: 'attention/Attention', tab: 'today' },
  { name: 'clients', path: '/clients', screen: 'clients/Clients', tab: 'clients' },
  { name: 'client', path: '/client/:id', screen: 'clients/Client', tab: 'clients' },
  { name: 'editClient', path: '/client/:id/edit', screen: 'clients/EditClient', tab: 'clients' },
  // The plan's own screens (screens/plans/, loaded when first opened).
  { name: 'editPlan', path: '/client/:id/plan', screen: 'plans/EditPlan', tab: 'clients' },
  {
    name: 'planNotice', path: '/client/:id/notice', screen: 'plans/PlanNotice', tab: 'clients',
    props: ({ id }, { session }) => ({ id, session }),
  },
  { name: 'planDialogue', path: '/client/:id/dialogue', screen: 'plans/PlanDialogue', tab: 'clients' },
  { name: 'followup', path: '/client/:id/followup/:goalId', screen: 'plans/RecordFollowup', tab: 'clients' },
  // The client's journal: every note and its versions (screens/journal/, loaded when first opened).
  { name: 'journal', path: '/client/:id/journal', screen: 'journal/Journal', tab: 'clients' },
  { name: 'newConsent', path: '/consent/new/:clientId', screen: 'clients/NewConsent', tab: 'clients' },
  { name: 'newAppointment', path: '/appointment/new/:clientId', screen: 'appointments/NewAppointment', tab: 'clients' },
  { name: 'log', path: '/log/:clientId', screen: 'visits/LogVisit', tab: 'clients' },
  { name: 'plan', path: '/plan/:clientId', screen: 'visits/PlanVisit', tab: 'clients' },
  { name: 'newReminder', path: '/reminder/new/:clientId?', screen: 'reminders/NewReminder' },
  { name: 'newContact', path: '/contact/new/:clientId?', screen: 'clients/NewContact' },
  // What a worker reports for the supervisor (screens/concerns/, loaded when first opened).
  { name: 'newConcern', path: '/concern/new/:clientId', screen: 'concerns/NewConcern', tab: 'clients' },
  { name: 'newDeviation', path: '/deviation/new/:clientId?', screen: 'concerns/NewDeviation' },
  {
    name: 'account', path: '/account', screen: 'account/Account',
    props: (_, { session, onLoggedOut }) => ({ session, onLoggedOut }),
  },
  // A supervisor's screens (screens/supervision/, loaded only when opened).
  { name: 'team', path: '/team', screen: 'supervision/Team', tab: 'team' },
  { name: 'clientAccess', path: '/access/:id', screen: 'supervision/ClientAccess', tab: 'team' },
  { name: 'workload', path: '/workload/:month?', screen: 'supervision/Workload', tab: 'team' },
  { name: 'dashboard', path: '/dashboard', screen: 'supervision/SyncDashboard', tab: 'sync' },
  { name: 'parked', path: '/parked', screen: 'supervision/Parked', tab: 'sync' },
  { name: 'reported', path: '/reported', screen: 'supervision/Reported', tab: 'team' },
  { name: 'reports', path: '/reports/:month?', screen: 'supervision/Reports', tab: 'reports' },
];

/** The screens loaded when first opened rather than with the app: a field worker's phone
 * never downloads them before it needs them (the bundle budget counts what it does). */
export const LAZY_AREAS = ['supervision', 'plans', 'appointments', 'concerns', 'reminders', 'attention', 'journal', 'account'];

// An empty hash is the first screen.
const START = '/today';

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A path's pattern, its parameters' names, and its link builder (parameters in path order). */
function compile(path) {
  const parts = path.split('/').slice(1).map((part) => {
    const param = /^:(\w+)(\?)?$/.exec(part);
    return param ? { param: param[1], optional: Boolean(param[2]) } : { text: part };
  });
  const source = parts
    .map((p) => (p.text !== undefined ? `\\/${escape(p.text)}` : p.optional ? '(?:\\/([^/]+))?' : '\\/([^/]+)'))
    .join('');
  const params = parts.filter((p) => p.param).map((p) => p.param);
  const link = (...values) => {
    let at = 0;
    const segments = [];
    for (const p of parts) {
      if (p.text !== undefined) {
        segments.push(p.text);
        continue;
      }
      const value = values[at++];
      if (!(p.optional && !value)) segments.push(encodeURIComponent(value));
    }
    return `#/${segments.join('/')}`;
  };
  return { pattern: new RegExp(`^${source}$`), params, link };
}

const compiled = ROUTES.map((route) => ({ route, ...compile(route.path) }));
const byName = new Map(ROUTES.map((route) => [route.name, route]));

/** The row of a route's name (undefined for 'notFound'). */
export const routeNamed = (name) => byName.get(name);

/** Each route's link by its name: href.today() → "#/today", href.visit(id) → "#/visit/<id>",
 * href.newReminder() → "#/reminder/new", href.newReminder(clientId) → "#/reminder/new/<id>". */
export const href = Object.fromEntries(compiled.map(({ route, link }) => [route.name, link]));

export const HOME = href.today();

/** The first screen of a user: the team for a supervisor (their day is the team's, not
 * visits of their own), Idag for everyone else. */
export const homeFor = (user) => (user?.role === 'supervisor' ? href.team() : HOME);

/** The route of a hash: {name, params}; an empty hash is Idag; anything else (or a
 * malformed %-escape) is {name: 'notFound', params: {}}. */
export function parseHash(hash) {
  const path = hash.replace(/^#/, '') || START;
  for (const { route, pattern, params } of compiled) {
    const match = pattern.exec(path);
    if (!match) continue;
    try {
      const values = params.map((name, i) => [name, match[i + 1] && decodeURIComponent(match[i + 1])]);
      return { name: route.name, params: Object.fromEntries(values) };
    } catch {
      break; // a malformed %-escape
    }
  }
  return { name: 'notFound', params: {} };
}

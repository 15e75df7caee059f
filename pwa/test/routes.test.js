// The route table (src/ui/routes.js): every URL the app has, read and built exactly as push
// notifications ("/#/visit/<id>", "/#/today") and the e2e tests use them.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HOME, ROUTES, href, parseHash, routeNamed } from '../src/ui/routes.js';

const id = '9a1c2b7e-1f1e-4a57-9d0e-5d2f0c3b8a11';

describe('routes', () => {
  it.each([
    ['today', [], '#/today'],
    ['today', ['2026-12-03'], '#/today/2026-12-03'],
    ['clients', [], '#/clients'],
    ['client', [id], `#/client/${id}`],
    ['editClient', [id], `#/client/${id}/edit`],
    ['newConsent', [id], `#/consent/new/${id}`],
    ['visit', [id], `#/visit/${id}`],
    ['cancel', [id], `#/visit/${id}/cancel`],
    ['reschedule', [id], `#/visit/${id}/move`],
    ['appointment', [id], `#/appointment/${id}`],
    ['editAppointment', [id], `#/appointment/${id}/edit`],
    ['newAppointment', [id], `#/appointment/new/${id}`],
    ['log', [id], `#/log/${id}`],
    ['plan', [id], `#/plan/${id}`],
    ['newReminder', [], '#/reminder/new'],
    ['newReminder', [id], `#/reminder/new/${id}`],
    ['newContact', [], '#/contact/new'],
    ['newContact', [id], `#/contact/new/${id}`],
    ['attention', [], '#/attention'],
    ['account', [], '#/account'],
  ])('%s %j links to its URL and the URL reads back as the route', (name, args, url) => {
    expect(href[name](...args)).toBe(url);
    const route = parseHash(url);
    expect(route.name).toBe(name);
    expect(Object.values(route.params).filter(Boolean)).toEqual(args);
  });

  // The supervisor's screens: each of these was "Sidan finns inte".
  for (const [name, url] of [['team', '#/team'], ['dashboard', '#/dashboard'], ['reports', '#/reports']]) {
    it(`${url} is a screen of its own (${name})`, () => {
      expect(parseHash(url).name).toBe(name);
      expect(href[name]()).toBe(url);
    });
  }

  it('the params are named as the screens take them', () => {
    expect(parseHash(`#/visit/${id}`).params).toEqual({ id });
    expect(parseHash(`#/log/${id}`).params).toEqual({ clientId: id });
    expect(parseHash('#/reminder/new').params).toEqual({ clientId: undefined });
  });

  it('an empty hash is Idag, and Idag is home', () => {
    expect(parseHash('').name).toBe('today');
    expect(parseHash('#').name).toBe('today');
    expect(HOME).toBe('#/today');
  });

  it('an id is escaped in a link and unescaped when read', () => {
    expect(href.client('a/b c')).toBe('#/client/a%2Fb%20c');
    expect(parseHash('#/client/a%2Fb%20c').params.id).toBe('a/b c');
  });

  it.each(['#/', '#/nowhere', '#/visit', `#/visit/${id}/`, `#/visit/${id}/cancel/more`, '#/client/%E0%A4%A', '#today'])(
    '%s is not a route',
    (hash) => expect(parseHash(hash)).toEqual({ name: 'notFound', params: {} }),
  );

  it('every route names a screen module that exports its component', () => {
    for (const route of ROUTES) {
      const file = new URL(`../src/ui/screens/${route.screen}.jsx`, import.meta.url);
      expect(existsSync(file), route.screen).toBe(true);
      const component = route.screen.split('/')[1];
      expect(readFileSync(file, 'utf8'), route.screen).toMatch(new RegExp(`export function ${component}\\b`));
    }
  });

  it('the tabs hold the screens they always held', () => {
    const under = (tab) => ROUTES.filter((r) => r.tab === tab).map((r) => r.name).sort();
    expect(under('today')).toEqual(['appointment', 'attention', 'cancel', 'editAppointment', 'reschedule', 'today', 'visit']);
    expect(under('clients')).toEqual(['client', 'clients', 'editClient', 'editPlan', 'followup', 'journal', 'log', 'newAppointment', 'newConcern', 'newConsent', 'plan', 'planDialogue', 'planNotice']);
    expect(routeNamed('account').tab).toBeUndefined();
    expect(routeNamed('notFound')).toBeUndefined();
  });

  it('the account screen gets the session and the logout handler from the shell', () => {
    const shell = { session: { user: { id: 'u1' } }, onLoggedOut: () => {} };
    expect(routeNamed('account').props({}, shell)).toEqual(shell);
  });
});

// @vitest-environment happy-dom
// The login through the city's identity provider on the login screen: its button only when
// the server offers it (alone when the password login is off), and the return from the
// provider (#/login/oidc?ticket=) exchanged for the session, after which the PIN is chosen
// exactly as after a password; the provider's refusals in Swedish.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getMeta, setMeta } from '../src/data/db.js';
import { queueMutation } from '../src/data/outbox.js';
import { oidcStartUrl } from '../src/data/session.js';
import { App } from '../src/ui/App.jsx';
import { closeApp } from './app.js';
import { createFakeServer } from './fake-server.js';
import { click, mount, waitFor } from './screen.js';

afterEach(closeApp);

const OFFER = { enabled: true, label: null, password_login: true };

/** The fake server with the identity provider's two calls: the offer, and the exchange of
 * `tickets` (each once) for a login's answer. */
function serverWith({ offer = OFFER, tickets = ['biljett-1'], user } = {}) {
  const server = createFakeServer(user ? { user } : {});
  const plain = server.fetch;
  const open = new Set(tickets);
  const json = (status, body) => ({ ok: status < 300, status, json: async () => body, headers: { get: () => null } });
  server.fetch = async (url, init = {}) => {
    const path = new URL(url, 'https://faltstod.test').pathname;
    if (path === '/api/auth/oidc') {
      server.requests.push({ method: 'GET', path, headers: init.headers ?? {} });
      return json(200, offer);
    }
    if (path !== '/api/auth/oidc/exchange') return plain(url, init);
    const body = JSON.parse(init.body);
    server.requests.push({ method: 'POST', path, body, headers: init.headers ?? {} });
    if (!open.delete(body.ticket)) return json(401, { code: 401, message: 'Used.', reason: 'invalid_ticket' });
    return json(200, { token: server.token, device_id: 'device-oidc', user: server.user });
  };
  vi.stubGlobal('fetch', server.fetch);
  return server;
}

function openAt(hash) {
  history.replaceState(null, '', hash ? `/${hash}` : '/');
  return mount(<App />);
}

const loginScreen = (view) => waitFor(() => view.root.querySelector('h1')?.textContent === 'Logga in' && view.root.querySelector('h1'), 'the login');

describe('the login through the identity provider', () => {
  it('is not offered where the server does not offer it', async () => {
    const server = createFakeServer();
    vi.stubGlobal('fetch', server.fetch);
    const view = openAt('');
    await loginScreen(view);
    await waitFor(() => server.requests.some((r) => r.path === '/api/auth/oidc'), 'the question');
    expect(view.text()).not.toContain('e-legitimation');
    expect(view.root.querySelector('#username')).not.toBeNull();
  });

  it('is a second button beside the password, with the operator\u2019s label when there is one', async () => {
    serverWith({ offer: { ...OFFER, label: 'Logga in med BankID' } });
    const view = openAt('');
    await waitFor(() => view.text().includes('Logga in med BankID'), 'the button');
    expect(view.root.querySelector('#username')).not.toBeNull();
    expect(view.text()).toContain('eller med användarnamn och lösenord');
  });

  it('is the only way in when the password login is off', async () => {
    serverWith({ offer: { ...OFFER, password_login: false } });
    const view = openAt('');
    await waitFor(() => view.text().includes('Logga in med e-legitimation'), 'the button');
    expect(view.root.querySelector('#username')).toBeNull();
    expect(view.root.querySelector('#password')).toBeNull();
  });

  it('begins at the server with the phone\u2019s device id, so the device keeps its identity', async () => {
    expect(await oidcStartUrl()).toBe('/api/auth/oidc/start');
    await setMeta('device_id', '5b0c3f64-0000-4000-8000-000000000001');
    expect(await oidcStartUrl()).toBe('/api/auth/oidc/start?device_id=5b0c3f64-0000-4000-8000-000000000001');
  });

  it('coming back with a ticket logs in, forgets the ticket\u2019s URL and asks for the PIN', async () => {
    const server = serverWith();
    const view = openAt('#/login/oidc?ticket=biljett-1');

    await waitFor(() => view.root.textContent.includes('PIN'), 'the PIN to choose');

    const [exchange] = server.requestsTo('/api/auth/oidc/exchange');
    expect(exchange.body).toEqual({ ticket: 'biljett-1', device_name: expect.any(String) });
    expect(exchange.headers.Authorization).toBeUndefined();
    expect(location.hash).not.toContain('biljett');
    expect(await getMeta('device_id')).toBe('device-oidc');
    expect(await getMeta('user')).toEqual(server.user);
  });

  it('a ticket already used says so in Swedish', async () => {
    serverWith({ tickets: [] });
    const view = openAt('#/login/oidc?ticket=biljett-1');
    await waitFor(() => view.text().includes('Inloggningen hann gå ut eller är redan använd.'), 'the refusal');
  });

  it.each([
    ['oidc_cancelled', 'Inloggningen avbröts.'],
    ['oidc_expired', 'Inloggningen tog för lång tid.'],
    ['oidc_unavailable', 'Inloggningstjänsten svarar inte just nu.'],
    ['oidc_failed', 'Inloggningen med e-legitimation gick inte igenom.'],
    ['something-new', 'Inloggningen med e-legitimation gick inte igenom.'],
  ])('coming back with %s says why in Swedish', async (error, text) => {
    serverWith();
    const view = openAt(`#/login/oidc?error=${error}`);
    await waitFor(() => view.text().includes(text), text);
    expect(location.hash).not.toContain('login');
  });

  it('another user\u2019s unsent changes are asked about first, and "log in anyway" needs no second ticket', async () => {
    const server = serverWith({ user: { id: 'u2', name: 'Bo', role: 'support_worker', team_id: 't1' } });
    await setMeta('user', { id: 'u1', name: 'Ada', role: 'support_worker', team_id: 't1' });
    const reminder = { id: 'r1', worker_id: 'u1', client_id: null, text: 'Ring', remind_at: '2026-11-23T09:00:00+01:00' };
    await queueMutation({ id: 'm1', name: 'reminder.add', args: reminder });
    const view = openAt('#/login/oidc?ticket=biljett-1');

    await click(await waitFor(() => view.button('Logga in ändå'), 'the question'));

    await waitFor(() => view.root.textContent.includes('PIN'), 'the PIN to choose');
    expect(server.requestsTo('/api/auth/oidc/exchange')).toHaveLength(1);
    expect(await getMeta('user')).toEqual(server.user);
  });
});

// @vitest-environment happy-dom
// The app as a supervisor finds it (demo.lead on a phone or a laptop): the team first, whose
// each client is, any team visit opens, and a parked change is somebody else's, named and
// worded in Swedish. The whole app runs against the fake server (its user a supervisor).
import { afterEach, expect, it, vi } from 'vitest';
import { App } from '../src/ui/App.jsx';
import { clientData, createFakeServer, signIn, visitData } from './fake-server.js';
import { SUPERVISOR, aDevice, aTeamWorld, supervise } from './fake-supervision.js';
import { click, mount, unmountAll, waitFor } from './screen.js';
import { outbox } from '../src/data/db.js';

afterEach(async () => {
  await unmountAll();
  history.replaceState(null, '', '/');
});

/** The app opened at `hash` by `user`, after a login, with the server holding `records`. */
async function openApp(hash, { user = SUPERVISOR, world = aTeamWorld(), records = [] } = {}) {
  const server = createFakeServer({ user });
  for (const [type, id, data] of records) server.put(type, id, data);
  const supervision = supervise(server, world);
  await signIn(server, { vi });
  history.replaceState(null, '', hash ? `/${hash}` : '/');
  const view = mount(<App />);
  return { server, supervision, view };
}


it("a supervisor's first screen is the team", async () => {
  const { view } = await openApp('');
  await waitFor(() => view.headings().includes('Team Södermalm'), 'the team');
  expect(location.hash).toBe('#/team');
});

it('a field worker still starts on Idag', async () => {
  const { view } = await openApp('', { user: { id: 'u1', name: 'Ada', role: 'support_worker', team_id: 't1' } });
  await waitFor(() => view.headings().includes('Idag'), 'Idag');
});

it('a link a supervisor opens is kept (a notification, a bookmark)', async () => {
  const { view } = await openApp('#/account');
  await waitFor(() => view.headings().includes('Konto'), 'Konto');
  expect(location.hash).toBe('#/account');
});

const teamClients = [
  ['client', 'c-karin', clientData({ name: 'Karin Ås' })],
  ['client', 'c-lars', clientData({ name: 'Lars Öst', service: 'cm' })],
];

it('Mina brukare says whose each team client is', async () => {
  const { view } = await openApp('#/clients', { records: teamClients });
  await waitFor(() => view.byTestId('client-c-karin')?.textContent.includes('Anna Berg'), "Karin's worker");
  expect(view.byTestId('client-c-lars').textContent).toContain('Bo Ek');
});

it('the workers are named offline too, as last fetched', async () => {
  const first = await openApp('#/clients', { records: teamClients });
  await waitFor(() => first.view.byTestId('client-c-karin')?.textContent.includes('Anna Berg'), "Karin's worker");
  await unmountAll();
  first.server.failNext('/api/team', 'network');
  const again = mount(<App />);
  await waitFor(() => again.byTestId('client-c-lars')?.textContent.includes('Bo Ek'), "Lars's worker, offline");
  expect(again.text()).toContain('Teamets brukare');
});

it('a client nobody serves says so', async () => {
  const { view } = await openApp('#/clients', { records: [['client', 'c-maja', clientData({ name: 'Maja Ny' })]] });
  await waitFor(() => view.byTestId('client-c-maja')?.textContent.includes('Ingen medarbetare'), 'no worker');
});

it("a field worker's Mina brukare is as it was: no names of workers", async () => {
  const { view } = await openApp('#/clients', { user: { id: 'u1', name: 'Ada', role: 'support_worker', team_id: 't1' }, records: teamClients });
  await waitFor(() => view.byTestId('client-c-karin'), 'Karin');
  expect(view.headings()).toContain('Mina brukare');
  expect(view.text()).not.toContain('Medarbetare');
});

it('a supervisor opens a visit of a worker of the team', async () => {
  const { view } = await openApp('#/visit/v-1', {
    records: [...teamClients, ['visit', 'v-1', visitData('c-karin', { worker_id: 'w-anna' })]],
  });
  await waitFor(() => view.headings().includes('Karin Ås'), 'the visit');
  expect(view.text()).not.toContain('Besöket finns inte på telefonen');
  // Whose it is, and nothing to start: it is Anna's to do.
  await waitFor(() => view.byTestId('visit-worker')?.textContent.includes('Anna Bergs besök'), 'whose visit');
  expect(view.button('Starta besök')).toBeNull();
});

it("the parked card tells a supervisor whose change it is and what happened, all in Swedish", async () => {
  const world = aTeamWorld();
  world.dashboards.t1 = { devices: [aDevice()] };
  const mutation = {
    id: 'm-1', name: 'visit.cancel', args: { id: 'v-1', reason: 'no_show' }, base_version: 1,
    occurred_at: '2026-11-23T10:05:00+01:00', device_seq: 4,
  };
  const parked = (id, overrides) => ['parked', id, {
    mutation_id: mutation.id, author_id: 'w-anna', device_id: 'd-anna', mutation, status: 'open',
    fields: [], field_errors: {}, server_values: null, record_type: 'visit', record_id: 'v-1',
    created_at: '2026-11-23T10:06:00+01:00', resolution: null, ...overrides,
  }];
  const { view } = await openApp('#/attention', {
    world,
    records: [
      ...teamClients,
      ['visit', 'v-1', visitData('c-karin', { worker_id: 'w-anna', status: 'done' })],
      parked('p-conflict', {
        reason: 'conflict', message: "Changed on the server since this edit's base.",
        fields: ['status'], field_errors: { status: ['Changed on the server.'] }, server_values: { status: 'done' },
      }),
      parked('p-invalid', {
        reason: 'validation', message: 'Invalid arguments.', fields: ['reason'],
        field_errors: { reason: ['Must be one of: client_cancelled, no_show.'] },
      }),
    ],
  });
  await waitFor(() => view.root.querySelectorAll('article.parked').length === 2, 'two parked cards');
  const text = view.text();
  expect(text).toContain('Anna Berg');
  expect(text).toContain('Annas telefon');
  expect(text).toContain('Medarbetarens värde');
  expect(text).toContain('Värdet på servern');
  expect(text).not.toContain('Ditt värde');
  expect(text).not.toContain('Använd mina uppgifter');
  expect(text).not.toMatch(/Changed on the server|Invalid arguments|Must be one of/);
});

it("a supervisor applies a worker's change refused as forbidden, on behalf of the client's new worker", async () => {
  const world = aTeamWorld();
  world.dashboards.t1 = { devices: [aDevice({ device_id: 'd-cia', device_name: 'Cias telefon', worker_id: 'w-cia', worker_name: 'Cia Holm' })] };
  const mutation = {
    id: 'm-2', name: 'visit.complete', base_version: 1, occurred_at: '2026-11-23T11:00:00+01:00', device_seq: 9,
    args: { id: 'v-1', started_at: '2026-11-23T10:00:00+01:00', ended_at: '2026-11-23T10:45:00+01:00', activities: [] },
  };
  const { server, view } = await openApp('#/parked', {
    world,
    records: [
      ...teamClients,
      ['visit', 'v-1', visitData('c-karin', { worker_id: 'w-cia' })],
      ['parked', 'p-late', {
        mutation_id: 'm-2', author_id: 'w-cia', device_id: 'd-cia', mutation, status: 'open', reason: 'forbidden',
        message: 'No access to this visit at the time of the work.', fields: [], field_errors: {}, server_values: null,
        record_type: 'visit', record_id: 'v-1', created_at: '2026-11-23T12:00:00+01:00', resolution: null,
      }],
    ],
  });
  await waitFor(() => view.byTestId('parked-who')?.textContent.includes('Cias telefon'), 'the worker and the phone');
  expect(view.byTestId('parked-who').textContent).toContain('Cia Holm');
  // Karin is Anna's now: applying is on Anna's behalf, with the supervisor's access.
  expect(view.text()).toContain('Cia Holm har inte längre brukaren (nu: Anna Berg)');
  expect(view.text()).not.toContain('No access');
  await click(view.button('Tillämpa ändringen'));
  // Queued, and perhaps already sent by the sync a save starts (on a loaded machine the poll
  // may first look after the push emptied the outbox): either way, with these arguments.
  const resolutions = async () => [...(await outbox.all()), ...server.pushed].filter((m) => m.name === 'parked.resolve');
  await waitFor(async () => (await resolutions()).length > 0, 'the resolution queued');
  const [resolution] = await resolutions();
  expect(resolution.args).toEqual({ parked_id: 'p-late', action: 'apply' });
});

it("a worker's own parked change is still worded for them", async () => {
  const mutation = { id: 'm-3', name: 'visit.cancel', args: { id: 'v-1', reason: 'no_show' }, base_version: 1, occurred_at: '2026-11-23T10:05:00+01:00', device_seq: 1 };
  const { view } = await openApp('#/attention', {
    user: { id: 'w-anna', name: 'Anna Berg', role: 'support_worker', team_id: 't1' },
    records: [
      ...teamClients,
      ['visit', 'v-1', visitData('c-karin', { worker_id: 'w-anna', status: 'done' })],
      ['parked', 'p-own', {
        mutation_id: 'm-3', author_id: 'w-anna', device_id: 'd-anna', mutation, status: 'open', reason: 'conflict',
        message: "Changed on the server since this edit's base.", fields: ['status'], field_errors: {},
        server_values: { status: 'done' }, record_type: 'visit', record_id: 'v-1', created_at: '2026-11-23T10:06:00+01:00', resolution: null,
      }],
    ],
  });
  await waitFor(() => view.root.querySelector('article.parked'), 'the card');
  expect(view.text()).toContain('Ditt värde');
  expect(view.button('Använd mina uppgifter')).not.toBeNull();
  expect(view.byTestId('parked-who')).toBeNull();
  expect(view.text()).not.toContain('Changed on the server');
});

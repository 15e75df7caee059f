// @vitest-environment happy-dom
// A protected identity on the phone (docs/phone-security.md): the client page hides where
// the client is and how to reach them until the worker asks ("Visa uppgifter"), records
// that they asked (for the access log), and offers nothing on a supervisor's phone; the
// phone's data budget, when exceeded, is said above every screen.
import { afterEach, expect, it } from 'vitest';
import { setMeta } from '../src/data/db.js';
import { shownQueue } from '../src/data/protected.js';
import { at, closeApp, follow, go, openApp } from './app.js';
import { clientData, visitData } from './fake-server.js';
import { click, waitFor } from './screen.js';

afterEach(closeApp);

const hidden = () => [
  ['client', 'c1', clientData({ name: 'Sara Gömd', protected_identity: true, whereabouts: 'Skyddat boende, Norrvägen 3', phone: '070-555 12 34', contact_notes: 'Ring aldrig efter 18' })],
  ['visit', 'v1', visitData('c1', { starts_at: at(0, '10:00'), ends_at: at(0, '11:00') })],
];

it('the client page shows a protected identity\'s whereabouts and phone only when asked, and records it', async () => {
  const { view } = await openApp('#/client/c1', { records: hidden() });
  const show = await waitFor(() => view.button('Visa uppgifter'), 'the hidden details');
  expect(view.text()).toContain('Sara Gömd'); // the full name shows only on this page
  for (const secret of ['Norrvägen', '070-555', 'Ring aldrig']) expect(view.text()).not.toContain(secret);
  expect(view.link('Ändra uppgifter')).toBeNull();
  expect(await shownQueue()).toEqual([]);

  await click(show);
  await waitFor(() => view.text().includes('Skyddat boende, Norrvägen 3'), 'the details');
  expect(view.text()).toContain('070-555 12 34');
  expect(view.text()).toContain('Ring aldrig efter 18');
  expect((await shownQueue()).map((s) => [s.client_id, s.fields])).toEqual([['c1', ['whereabouts', 'phone', 'contact_notes']]]);
});

it('the details are hidden again when the page is opened again', async () => {
  const { view } = await openApp('#/client/c1', { records: hidden() });
  await click(await waitFor(() => view.button('Visa uppgifter'), 'the hidden details'));
  await waitFor(() => view.text().includes('Norrvägen'), 'the details');
  await go('#/clients');
  await waitFor(() => view.headings().includes('Mina brukare'), 'the list');
  expect(view.text()).not.toContain('Norrvägen');
  await follow(view, 'client-c1', { testId: true });
  await waitFor(() => view.button('Visa uppgifter'), 'the details hidden again');
  expect(view.text()).not.toContain('Norrvägen');
});

it('Idag and the list name a protected identity without name or place', async () => {
  const { view } = await openApp('#/today', { records: hidden() });
  const row = await waitFor(() => view.byTestId('visit-v1'), 'the visit');
  expect(row.textContent).toContain('Skyddad identitet');
  for (const secret of ['Sara', 'Norrvägen']) expect(row.textContent).not.toContain(secret);
});

it('a supervisor\'s phone does not offer them', async () => {
  const { view } = await openApp('#/client/c1', { records: hidden(), user: { id: 'u9', name: 'Lena', role: 'supervisor', team_id: 't1' } });
  await waitFor(() => view.text().includes('uppgifterna visas bara för den som arbetar med brukaren'), 'the notice');
  expect(view.button('Visa uppgifter')).toBeNull();
  expect(view.text()).not.toContain('Norrvägen');
});

it('a phone over its data budget says so above every screen', async () => {
  const { view } = await openApp('#/today', { records: hidden() });
  await setMeta('storage_report', { records: 25000, bytes_used: 60 * 1048576, budget: { records: 20000, megabytes: 50 }, over_budget: true, reported_at: new Date().toISOString() });
  const notice = await waitFor(() => view.byTestId('over-budget'), 'the notice');
  expect(notice.textContent).toBe('Telefonen har mer data än den ska: 25\u00a0000 poster och 60 MB (högst 20\u00a0000 poster och 50 MB). Be din arbetsledare se över vilka brukare du har.');
});

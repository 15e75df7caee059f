// @vitest-environment happy-dom
// The app as a field worker finds it (a boendestödjare or a case manager on a phone): the
// whole app against the fake server, read as the worker reads it. Each test here began as a
// bug found trying the app in the field (a "bug:" commit before its fix).
import { afterEach, expect, it, vi } from 'vitest';
import { drafts, setMeta } from '../src/data/db.js';
import { getStatus } from '../src/sync/engine.js';
import { App } from '../src/ui/App.jsx';
import { addDays, formatDay, today } from '../src/ui/time.js';
import { aPhone, at, closeApp, follow, go, openApp } from './app.js';
import { clientData, reminderData, visitData } from './fake-server.js';
import { click, fill, mount, waitFor } from './screen.js';

afterEach(closeApp);

const ACTIVITY = 'b1000000-0000-4000-8000-000000000001';

/** Karin, her plan with one activity (Tvätt), and a visit `days` from today at 10:00. */
function karin({ days = 0 } = {}) {
  return [
    ['client', 'c1', clientData({ name: 'Karin Ås' })],
    ['plan', 'p1', { client_id: 'c1', activities: [{ id: ACTIVITY, name: 'Tvätt', support_level: 'start_together', active: true }] }],
    ['visit', 'v1', visitData('c1', { starts_at: at(days, '10:00'), ends_at: at(days, '11:00') })],
  ];
}

const radio = (view, legend, value) =>
  [...view.root.querySelectorAll('fieldset')]
    .find((f) => f.querySelector('legend')?.textContent.trim() === legend)
    ?.querySelector(`input[value="${value}"]`);

it('a missing "Inte gjort" reason takes the worker to it: scrolled into view and focused', async () => {
  const scrolled = vi.spyOn(Element.prototype, 'scrollIntoView');
  const { view } = await openApp('#/visit/v1', { records: karin() });
  await click(await waitFor(() => view.button('Starta besök'), 'the visit'));
  await click(await waitFor(() => radio(view, 'Tvätt', 'not_done'), 'the activity'));
  await click(view.button('Avsluta besök'));
  const reason = await waitFor(() => view.root.querySelector('input[aria-invalid="true"]'), 'the reason marked missing');
  await waitFor(() => document.activeElement === reason, 'focus on the missing reason');
  expect(scrolled.mock.contexts).toContain(reason);
  expect(view.button('Spara besöket')).toBeNull();
});

it("a personal reminder for tomorrow without a client is on Idag before its day, with its day", async () => {
  const { view } = await openApp('#/today', {
    records: [['reminder', 'r1', reminderData({ text: 'Ring Försäkringskassan', remind_at: at(1, '09:00') })]],
  });
  const row = await waitFor(() => view.byTestId('reminder-r1'), "tomorrow's reminder on Idag");
  expect(row.textContent).toContain('Ring Försäkringskassan');
  expect(row.textContent).toMatch(/09:00/);
  expect(row.textContent).not.toMatch(/^\s*09:00/); // with its day, not as if today
});

/** An open parked item about Karin's visit (a change of the worker's the server refused). */
const parkedCancel = ['parked', 'p1', {
  mutation_id: 'm1', author_id: 'u1', status: 'open', reason: 'invalid_state', message: 'Visit is done.',
  mutation: { id: 'm1', name: 'visit.cancel', args: { id: 'v1', reason: 'no_show' }, occurred_at: at(0, '09:00'), device_seq: 1 },
  fields: [], field_errors: {}, server_values: null, record_type: 'visit', record_id: 'v1', created_at: at(0, '09:01'), resolution: null,
}];

const pendingText = (view) => view.byTestId('pending-count').textContent;

it('the status bar does not say "Allt är synkat" beside a change that needs attention', async () => {
  const { view } = await openApp('#/today', { records: [...karin(), parkedCancel] });
  await waitFor(() => view.text().includes('1 sak behöver åtgärd'), 'the parked change in the status bar');
  await waitFor(() => view.byTestId('last-sync').textContent.includes('Senast synkad'), 'the sync');
  expect(pendingText(view)).not.toBe('Allt är synkat');
  expect(view.root.querySelector('.status-pending').className).not.toMatch(/is-synced/);
});

it('the status bar does not say "Allt är synkat" when the server cannot be reached', async () => {
  const server = await aPhone({ records: karin() });
  server.failNext('/api/sync/pull', 'network');
  history.replaceState(null, '', '/#/today');
  const view = mount(<App />);
  await waitFor(() => view.text().includes('Servern går inte att nå'), 'the sync error');
  expect(pendingText(view)).not.toBe('Allt är synkat');
});

it("the server's full disk (503 storage_full) is said in Swedish, and nothing on the phone is lost", async () => {
  const server = await aPhone({ records: karin() });
  server.failNext('/api/sync/pull', 503, { code: 503, status: 'Service Unavailable', message: 'The server cannot store anything right now.', reason: 'storage_full' }, { 'Retry-After': '60' });
  history.replaceState(null, '', '/#/today');
  const view = mount(<App />);
  await waitFor(() => view.text().includes('Servern kan inte spara något just nu.'), 'the full disk said');
  expect(view.text()).not.toContain('The server cannot store');
  expect(pendingText(view)).not.toBe('Allt är synkat');
});

it('a phone synced before says when it last synced at once on a cold start, not "Inte synkad ännu · Hämtar dina uppgifter…"', async () => {
  const server = await aPhone({ records: karin() });
  await setMeta('last_sync_at', at(0, '08:00'));
  await setMeta('last_confirmed_at', at(0, '08:00'));
  server.delayMs = 1500; // a network that barely passes data
  history.replaceState(null, '', '/#/today');
  const view = mount(<App />);
  try {
    await waitFor(() => getStatus().inFlight, 'the first sync attempt of this start');
    await waitFor(() => view.byTestId('last-sync')?.textContent === 'Senast synkad 08:00', 'the last sync, from the phone', { timeout: 1000 });
    expect(view.byTestId('first-sync')).toBeNull();
    expect(getStatus().inFlight).toBe(true);
  } finally {
    server.delayMs = 2; // the rest of this sync at the usual pace
  }
});

it('Idag does not say "Inga påminnelser idag" while the first sync is still fetching them', async () => {
  const server = await aPhone({ records: [...karin(), ['reminder', 'r1', reminderData({ remind_at: at(0, '23:50') })]] });
  server.delayMs = 800;
  history.replaceState(null, '', '/#/today');
  const view = mount(<App />);
  try {
    await waitFor(() => getStatus().inFlight && view.headings(2).includes('Påminnelser'), 'Idag during the first sync');
    expect(view.text()).not.toContain('Inga påminnelser idag');
    expect(view.text()).toContain('Dina påminnelser hämtas');
  } finally {
    server.delayMs = 2;
  }
  await waitFor(() => view.byTestId('reminder-r1'), 'the reminder, once fetched');
});

it('after a save online that has been sent, the confirmation says so, not "Skickas när det finns nät"', async () => {
  const { server, view } = await openApp('#/client/c1', { records: karin() });
  await waitFor(() => view.byTestId('last-sync')?.textContent.includes('Senast synkad'), 'the first sync');
  await fill(await waitFor(() => view.root.querySelector('#new-note'), 'the note field'), 'Bytt lås på förrådet');
  await click(view.button('Spara anteckning'));
  await waitFor(() => server.pushed.some((m) => m.name === 'note.add'), 'the note sent');
  await waitFor(() => view.byTestId('pending-count').dataset.count === '0', 'nothing waiting');
  await waitFor(() => view.root.querySelector('.toast')?.textContent.includes('skickat'), 'the confirmation, once sent');
  expect(view.root.querySelector('.toast').textContent).not.toContain('Skickas när det finns nät');
});

it('two clients both called Kent Abdi can be told apart in Mina brukare and on Idag', async () => {
  const { view } = await openApp('#/clients', {
    records: [
      ['client', 'k1', clientData({ name: 'Kent Abdi', service: 'cm', whereabouts: 'Härbärget Klara' })],
      ['client', 'k2', clientData({ name: 'Kent Abdi', service: 'cm', whereabouts: 'Stadsmissionen, Fristad' })],
      ['visit', 'v1', visitData('k1', { starts_at: at(0, '23:00'), ends_at: null })],
      ['visit', 'v2', visitData('k2', { starts_at: at(0, '23:10'), ends_at: null })],
    ],
  });
  const [one, two] = await waitFor(() => view.byTestId('client-k2') && [view.byTestId('client-k1'), view.byTestId('client-k2')], 'both clients');
  expect(one.textContent).not.toBe(two.textContent);
  expect(one.textContent).toContain('Härbärget Klara');
  await go('#/today');
  const rows = await waitFor(() => view.byTestId('visit-v2') && [view.byTestId('visit-v1'), view.byTestId('visit-v2')], "the day's visits");
  expect(rows[0].querySelector('.visit-client').textContent).not.toBe(rows[1].querySelector('.visit-client').textContent);
});

it("cancelling a visit from another day's view returns to that day, not to today", async () => {
  const { view } = await openApp('#/today', { records: karin({ days: 2 }) });
  const day = formatDay(addDays(today(), 2));
  for (const days of [1, 2]) {
    await click(await waitFor(() => view.root.querySelector('button[aria-label="Nästa dag"]'), 'Nästa dag'));
    await waitFor(() => view.headings().includes(formatDay(addDays(today(), days))), `the day ${days} days on`);
  }
  await follow(view, 'visit-v1', { testId: true });
  await follow(view, 'Registrera avbokning');
  await click(await waitFor(() => view.root.querySelector('input[value="no_show"]'), 'the reasons'));
  await click(view.button('Spara avbokningen'));
  await waitFor(() => view.byTestId('visit-v1')?.textContent.includes('Avbokat'), 'the cancelled visit in the day');
  expect(view.headings()).toContain(day);
});

it("tomorrow's visit is not started today without a word: the worker is told its day and asked first", async () => {
  const { view } = await openApp('#/visit/v1', { records: karin({ days: 1 }) });
  await click(await waitFor(() => view.button('Starta besök'), 'the visit'));
  await waitFor(() => view.text().includes('i morgon'), 'a word about its day');
  expect(view.button('Avsluta besök')).toBeNull();
  expect(await drafts.all()).toEqual([]);
  await click(await waitFor(() => view.button('Starta ändå'), 'the way to start it anyway'));
  await waitFor(() => view.button('Avsluta besök'), 'the visit started');
});

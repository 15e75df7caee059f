// @vitest-environment happy-dom
// What a worker reports for the supervisor (casework.md): a concern about a client and a
// deviation, from the client page, offline too; a concern about children says at once that
// the report of concern cannot wait for a sync. The whole app against the fake server.
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER, closeApp, follow, labelled, openApp } from './app.js';
import { clientData } from './fake-server.js';
import { SUPERVISOR } from './fake-supervision.js';
import { click, fill, waitFor } from './screen.js';

afterEach(closeApp);

const records = () => [['client', 'c1', clientData({ name: 'Karin Ås' })]];
const radio = (view, label) => [...view.root.querySelectorAll('label.check, label.choice')].find((l) => l.textContent.trim() === label).querySelector('input');

describe('a concern', () => {
  it('about children says at once that it cannot wait for a sync, then is saved and sent', async () => {
    const { server, view } = await openApp('#/client/c1', { user: WORKER, records: records() });
    await follow(view, 'Anmäl oro');
    await waitFor(() => view.text().includes('Vad gäller oron?'), 'the form');
    expect(view.byTestId('children-now')).toBeNull();
    await click(radio(view, 'Barn'));
    const now = await waitFor(() => view.byTestId('children-now'), 'the warning');
    expect(now.textContent).toContain('utan dröjsmål');
    expect(now.textContent).toContain('kan inte vänta på att telefonen synkar');
    expect(now.querySelector('a[href^="tel:"]')).toBeNull(); // no district known: no number made up
    await fill(labelled(view, 'Beskriv vad du har sett eller hört'), 'Barnen var ensamma hemma på kvällen.');
    await click(view.button('Spara'));
    await waitFor(() => location.hash === '#/client/c1', 'back on the client page');
    await waitFor(() => server.pushed.some((m) => m.name === 'concern.add'), 'the concern sent');
    expect(server.pushed.find((m) => m.name === 'concern.add').args).toMatchObject({
      client_id: 'c1', category: 'children', text: 'Barnen var ensamma hemma på kvällen.',
    });
  });

  it('without a category or a text is refused in Swedish and nothing is queued', async () => {
    const { server, view } = await openApp('#/concern/new/c1', { user: WORKER, records: records() });
    await waitFor(() => view.button('Spara'), 'the form');
    await click(view.button('Spara'));
    await waitFor(() => view.text().includes('Välj vad det gäller.'), 'the refusal');
    await click(radio(view, 'Våld'));
    await click(view.button('Spara'));
    await waitFor(() => view.text().includes('Skriv vad det gäller.'), 'the second refusal');
    expect(server.pushed.some((m) => m.name === 'concern.add')).toBe(false);
  });

  it("about children gives the client's district's number to call, kept from the last sync", async () => {
    const { server, view } = await openApp('#/client/c1', {
      user: WORKER,
      records: [...records(), ['order', 'o1', { client_id: 'c1', orderer: 'Södermalms stadsdelsförvaltning', district: 'Södermalm', period_start: '2026-01-01', period_end: null, goals: [], activities: [] }]],
    });
    server.districts = [{ name: 'Södermalm', concern_phone: '08-465 004 01' }, { name: 'Farsta', concern_phone: null }];
    await waitFor(() => server.requestsTo('/api/districts').length > 0, 'the districts fetched after the first sync');
    await follow(view, 'Anmäl oro');
    await click(await waitFor(() => radio(view, 'Barn'), 'the form'));
    const call = await waitFor(() => view.byTestId('children-now')?.querySelector('a[href^="tel:"]'), 'the number');
    expect(call.getAttribute('href')).toBe('tel:0846500401');
    expect(call.textContent).toBe('Ring socialtjänsten Södermalm: 08-465 004 01');
  });
});

describe('a deviation', () => {
  it('is reported from the client page with its day and sent', async () => {
    const { server, view } = await openApp('#/client/c1', { user: WORKER, records: records() });
    await follow(view, 'Rapportera avvikelse');
    await click(await waitFor(() => radio(view, 'Läkemedel'), 'the form'));
    await fill(labelled(view, 'När hände det?'), '2026-11-30');
    await fill(labelled(view, 'Vad hände?'), 'Dosetten för veckan saknades.');
    await click(view.button('Spara'));
    await waitFor(() => server.pushed.some((m) => m.name === 'deviation.add'), 'the deviation sent');
    expect(server.pushed.find((m) => m.name === 'deviation.add').args).toMatchObject({
      client_id: 'c1', category: 'medication', occurred_on: '2026-11-30', text: 'Dosetten för veckan saknades.',
    });
  });
});

describe("the supervisor's queue of what was reported", () => {
  it('lists concerns and deviations newest first, with the client and the category in Swedish', async () => {
    const { view } = await openApp('#/reported', {
      user: SUPERVISOR,
      records: [
        ...records(),
        ['concern', 'k1', { client_id: 'c1', category: 'children', text: 'Barnen var ensamma hemma.', worker_id: 'w1', recorded_at: '2026-11-30T18:00:00+01:00' }],
        ['deviation', 'd1', { client_id: null, category: 'safety', occurred_on: '2026-11-29', text: 'Trapphusdörren gick inte att låsa.', author_id: 'w1', recorded_at: '2026-11-29T09:00:00+01:00' }],
        ['plan_dialogue', 'n1', {
          client_id: 'c1', plan_id: 'p1', order_id: 'o1', kind: 'notice', text: 'Karin handlar själv.', points: ['Beställda insatser som inte finns med i planen: Inköp.'],
          outcome: null, author_id: 'w1', written_at: '2026-11-28T09:00:00+01:00',
        }],
        ['plan_dialogue', 'n2', { client_id: 'c1', plan_id: 'p1', order_id: 'o1', kind: 'reply', text: 'Godtas.', points: null, outcome: 'accepted', author_id: 'w1', written_at: '2026-11-29T10:00:00+01:00' }],
      ],
    });
    const first = await waitFor(() => view.byTestId('reported-k1'), 'the concern');
    expect(first.textContent).toContain('Oro');
    expect(first.textContent).toContain('Barn');
    expect(first.textContent).toContain('Karin Ås');
    expect(first.className).toContain('is-urgent');
    const items = [...view.root.querySelectorAll('.reported')].map((li) => li.dataset.testid);
    // A notice to the orderer is in the queue; the orderer's reply is the plan's, not the queue's.
    expect(items).toEqual(['reported-k1', 'reported-d1', 'reported-n1']);
    expect(view.byTestId('reported-n1').textContent).toContain('Meddelande till beställaren');
    expect(view.byTestId('reported-n1').textContent).toContain('Beställda insatser som inte finns med i planen: Inköp.');
    expect(view.byTestId('reported-n1').textContent).toContain('Karin Ås');
    expect(view.byTestId('reported-d1').textContent).toContain('Säkerhet');
  });
});

// @vitest-environment happy-dom
// A series of visits planned in one step (issue 12: recurring visits follow from the plan):
// every week or every other week at the same Stockholm clock time, across the clock changes
// too, each its own visit that is then moved or cancelled like any other.
import { afterEach, describe, expect, it } from 'vitest';
import { occurrences } from '../src/ui/screens/visits/PlanVisit.jsx';
import { WORKER, closeApp, labelled, openApp } from './app.js';
import { clientData } from './fake-server.js';
import { click, fill, waitFor } from './screen.js';

afterEach(closeApp);

describe('the visits of a series', () => {
  it('keep their clock time across the autumn clock change (25 October 2026)', () => {
    expect(occurrences('2026-10-19', '10:00', '11:00', 7, 2)).toEqual([
      { starts_at: '2026-10-19T10:00:00+02:00', ends_at: '2026-10-19T11:00:00+02:00' },
      { starts_at: '2026-10-26T10:00:00+01:00', ends_at: '2026-10-26T11:00:00+01:00' },
    ]);
  });

  it('keep their clock time across the spring clock change (28 March 2027), every other week', () => {
    expect(occurrences('2027-03-22', '08:30', null, 14, 2).map((v) => v.starts_at)).toEqual([
      '2027-03-22T08:30:00+01:00', '2027-04-05T08:30:00+02:00',
    ]);
  });

  it('are one visit when nothing repeats', () => {
    expect(occurrences('2026-12-07', '09:00', null, 0, 6)).toEqual([{ starts_at: '2026-12-07T09:00:00+01:00', ends_at: null }]);
  });
});

describe('planning a series', () => {
  it('queues one visit a week, each its own, and sends them', async () => {
    const { server, view } = await openApp('#/plan/c1', { user: WORKER, records: [['client', 'c1', clientData({ name: 'Karin Ås' })]] });
    await fill(await waitFor(() => labelled(view, 'Datum'), 'the form'), '2026-12-07');
    const start = labelled(view, 'Starttid');
    await fill(start, '10:00');
    start.dispatchEvent(new Event('blur'));
    await fill(labelled(view, 'Upprepa'), '7');
    await fill(await waitFor(() => labelled(view, 'Antal besök'), 'the count'), '3');
    await waitFor(() => view.text().includes('3 besök, varje vecka på samma tid.'), 'the series described');
    await click(view.button('Spara 3 besök'));
    await waitFor(() => server.pushed.filter((m) => m.name === 'visit.plan').length === 3, 'three visits sent');
    const sent = server.pushed.filter((m) => m.name === 'visit.plan');
    expect(sent.map((m) => m.args.starts_at)).toEqual(['2026-12-07T10:00:00+01:00', '2026-12-14T10:00:00+01:00', '2026-12-21T10:00:00+01:00']);
    expect(new Set(sent.map((m) => m.args.id)).size).toBe(3);
  });

  it('refuses a count outside 2 to 26, in Swedish', async () => {
    const { server, view } = await openApp('#/plan/c1', { user: WORKER, records: [['client', 'c1', clientData({ name: 'Karin Ås' })]] });
    await fill(await waitFor(() => labelled(view, 'Upprepa'), 'the form'), '14');
    await fill(await waitFor(() => labelled(view, 'Antal besök'), 'the count'), '40');
    await click(view.button('Spara 40 besök'));
    await waitFor(() => view.text().includes('Antal besök ska vara mellan 2 och 26.'), 'the refusal');
    expect(server.pushed.some((m) => m.name === 'visit.plan')).toBe(false);
  });
});

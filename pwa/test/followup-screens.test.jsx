// @vitest-environment happy-dom
// Follow-ups of the order's goals (casework.md, "Follow-ups of goals"): what is due and
// overdue on the client page and on Idag, and recording one (followup.record) per goal and
// subgoal, with a measure and a note; refusals in Swedish with nothing queued. The whole app
// against the fake server; the day is fixed (only Date is faked), so no test depends on the
// day it runs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WORKER, closeApp, follow, labelled, openApp } from './app.js';
import { clientData } from './fake-server.js';
import { click, fill, waitFor } from './screen.js';

const NOW = new Date('2026-12-02T10:00:00+01:00');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(async () => {
  await closeApp();
  vi.useRealTimers();
});

const goal = (id, text, subgoals = []) => ({ id, ref: id, life_area: 'housing', text, subgoals });
// Karin's order began 1 May: due 1 November, more than 30 days past on 2 December (overdue).
// Leo's began 1 June: due 1 December (due). Maja's began 1 October: next in April.
const records = () => [
  ['client', 'c1', clientData({ name: 'Karin Ås' })],
  ['client', 'c2', clientData({ name: 'Leo Berg' })],
  ['client', 'c3', clientData({ name: 'Maja Ek' })],
  ['order', 'o1', {
    client_id: 'c1', orderer: 'Södermalms stadsdelsförvaltning', period_start: '2026-05-01', period_end: '2027-04-30', hours_per_month: 4,
    goals: [goal('g1', 'Behålla sin lägenhet', [{ id: 's1', ref: 'G1.1', text: 'Betala hyran i tid' }, { id: 's2', ref: 'G1.2', text: 'Städa varje vecka' }])],
    activities: [],
  }],
  ['order', 'o2', { client_id: 'c2', orderer: 'Farsta', period_start: '2026-06-01', period_end: null, hours_per_month: 6, goals: [goal('g2', 'Klara sin ekonomi')], activities: [] }],
  ['order', 'o3', { client_id: 'c3', orderer: 'Farsta', period_start: '2026-10-01', period_end: null, hours_per_month: 6, goals: [goal('g3', 'Minska sitt drickande')], activities: [] }],
];
const radioIn = (view, legend, label) => {
  const set = [...view.root.querySelectorAll('fieldset')].find((f) => f.querySelector('legend')?.textContent.trim() === legend);
  // A tile's long compound carries a soft hyphen (strings/sv/followup.js).
  return [...set.querySelectorAll('label.choice')].find((l) => l.textContent.replace(/\u00ad/g, '').trim() === label).querySelector('input');
};

describe('what is due', () => {
  it('Idag lists the goals due and overdue, overdue first, and not those not yet due', async () => {
    const { view } = await openApp('#/today', { user: WORKER, records: records() });
    const list = await waitFor(() => view.byTestId('followups-due'), 'the follow-ups due');
    const rows = [...list.querySelectorAll('li')].map((li) => li.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Karin Ås');
    expect(rows[0]).toContain('Försenad Skulle ha följts upp 1 november 2026');
    expect(rows[1]).toContain('Leo Berg');
    expect(rows[1]).toContain('Dags Ska följas upp från 1 december 2026');
    expect(list.textContent).not.toContain('Maja Ek');
  });

  it('the client page shows each goal with when it is next due', async () => {
    const { view } = await openApp('#/client/c3', { user: WORKER, records: records() });
    const card = await waitFor(() => view.byTestId('followups'), 'the follow-ups');
    expect(card.textContent).toContain('Minska sitt drickande');
    expect(card.textContent).toContain('Nästa uppföljning 1 april 2027');
    expect(card.textContent).toContain('Inte uppföljt än');
  });
});

describe('recording a follow-up', () => {
  it('per goal and subgoal with a measure and a note: sent, and the goal is no longer due', async () => {
    const { server, view } = await openApp('#/client/c1', { user: WORKER, records: records() });
    await waitFor(() => view.byTestId('followups')?.textContent.includes('Försenad'), 'the overdue goal');
    await follow(view, 'Följ upp');
    await waitFor(() => view.text().includes('Hur har det gått med målet?'), 'the form');
    await click(radioIn(view, 'Hur har det gått med målet?', 'Delvis uppnått'));
    await click(radioIn(view, 'Betala hyran i tid', 'Uppnått'));
    await click(radioIn(view, 'Mått, om ni har använt något', 'AUDIT (0–40)'));
    await fill(await waitFor(() => labelled(view, 'Poäng, 0–40'), 'the score'), '14');
    await fill(labelled(view, 'Vad har hänt sedan förra uppföljningen?'), 'Hyran betald i tid sedan augusti; städningen kommer inte igång.');
    await click(view.button('Spara uppföljningen'));
    await waitFor(() => location.hash === '#/client/c1', 'back on the client page');
    await waitFor(() => server.pushed.filter((m) => m.name === 'followup.record').length === 2, 'both follow-ups sent');
    const [own, sub] = server.pushed.filter((m) => m.name === 'followup.record');
    expect(own.args).toMatchObject({ client_id: 'c1', goal_id: 'g1', subgoal_id: null, result: 'partly', measure: { name: 'audit', value: 14 }, note: 'Hyran betald i tid sedan augusti; städningen kommer inte igång.' });
    expect(sub.args).toMatchObject({ client_id: 'c1', goal_id: 'g1', subgoal_id: 's1', result: 'reached', measure: null, note: null });
    // The subgoal not judged is left out.
    expect(server.pushed.some((m) => m.name === 'followup.record' && m.args.subgoal_id === 's2')).toBe(false);
    const card = await waitFor(() => (view.byTestId('followups')?.textContent.includes('Nästa uppföljning') ? view.byTestId('followups') : null), 'the goal next due');
    expect(card.textContent).toContain('Nästa uppföljning 2 juni 2027');
    expect(card.textContent).toContain('Senast 2 december 2026: Delvis uppnått');
    location.hash = '#/today';
    await waitFor(() => view.byTestId('followups-due')?.textContent.includes('Leo Berg'), 'Idag');
    expect(view.byTestId('followups-due').textContent).not.toContain('Karin Ås');
  });

  it('without a result, or with a score outside the scale, is refused in Swedish and nothing is queued', async () => {
    const { server, view } = await openApp('#/client/c3/followup/g3', { user: WORKER, records: records() });
    await waitFor(() => view.button('Spara uppföljningen'), 'the form');
    await click(view.button('Spara uppföljningen'));
    await waitFor(() => view.text().includes('Välj hur det har gått med målet.'), 'no result');
    await click(radioIn(view, 'Hur har det gått med målet?', 'Inte uppnått'));
    await click(radioIn(view, 'Mått, om ni har använt något', 'AUDIT (0–40)'));
    await fill(await waitFor(() => labelled(view, 'Poäng, 0–40'), 'the score'), '41');
    await click(view.button('Spara uppföljningen'));
    await waitFor(() => view.text().includes('Värdet ligger utanför måttets skala.'), 'out of range');
    await click(radioIn(view, 'Mått, om ni har använt något', 'Motivationsfas'));
    await click(view.button('Spara uppföljningen'));
    await waitFor(() => view.text().includes('Fyll i måttets värde, eller välj Inget mått.'), 'no stage');
    await click(radioIn(view, 'Vilken fas?', 'Funderar'));
    await click(view.button('Spara uppföljningen'));
    await waitFor(() => server.pushed.some((m) => m.name === 'followup.record'), 'sent once right');
    expect(server.pushed.filter((m) => m.name === 'followup.record').map((m) => m.args.measure)).toEqual([{ name: 'motivation_stage', value: 'contemplation' }]);
  });
});

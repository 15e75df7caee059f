// @vitest-environment happy-dom
// The plan as a boendestödjare keeps it (casework.md, plan.update): edited from the client
// page, offline too, with how it departs from the order shown while editing and on the client
// page, and the notice to the orderer in one step, saved in the plan's dialogue with the
// orderer (plan.dialogue) where the reply is documented too; the whole app against the fake
// server.
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER, closeApp, follow, labelled, openApp } from './app.js';
import { clientData } from './fake-server.js';
import { click, fill, waitFor } from './screen.js';

afterEach(closeApp);

const ordered = ['Tvätt', 'Städning', 'Inköp'].map((name, i) => ({ id: `a${i + 1}`, name }));
const order = ['order', 'o1', {
  client_id: 'c1', orderer: 'Södermalms stadsdelsförvaltning', order_ref: 'SOD-2026-0142', service: 'housing_support',
  period_start: '2026-01-01', period_end: '2027-12-31', hours_per_month: 4, goals: [], activities: ordered,
}];
const plan = ['plan', 'p1', {
  client_id: 'c1', order_id: 'o1', updated_at: '2026-11-01T10:00:00Z',
  activities: ordered.map((a, i) => ({
    id: `pa${i + 1}`, name: a.name, how: 'Tillsammans', frequency: 'varje vecka', support_level: 'start_together',
    order_activity_ids: [a.id], minutes_per_month: 60, active: true,
  })),
}];
const records = () => [['client', 'c1', clientData({ name: 'Karin Ås' })], order, plan];

const checkbox = (fieldset, label) => [...fieldset.querySelectorAll('label.check, label.choice')].find((l) => l.textContent.trim() === label).querySelector('input');

describe('the plan', () => {
  it('is edited from the client page: two activities merged and one ended, the departure shown live, saved and sent', async () => {
    const { server, view } = await openApp('#/client/c1', { user: WORKER, records: records() });
    await waitFor(() => view.byTestId('divergence')?.textContent.includes('Planen följer beställningen.'), 'the plan keeping to its order');
    await follow(view, 'Ändra planen');
    const first = await waitFor(() => view.byTestId('plan-activity-0'), 'the form');
    await click(checkbox(first, 'Städning'));
    await click(checkbox(view.byTestId('plan-activity-1'), 'Avslutad (görs inte längre)'));
    await waitFor(() => view.byTestId('divergence').textContent.includes('Tvätt och Städning görs tillsammans, som ”Tvätt”.'), 'the merge shown');
    expect(view.byTestId('divergence').textContent).toContain('Planen avviker från beställningen');
    await click(view.button('Spara planen'));
    await waitFor(() => location.hash === '#/client/c1', 'back on the client page');
    await waitFor(() => view.byTestId('divergence')?.textContent.includes('Tvätt och Städning görs tillsammans'), 'the departure on the client page');
    await waitFor(() => server.pushed.some((m) => m.name === 'plan.update'), 'the plan sent');
    const sent = server.pushed.find((m) => m.name === 'plan.update');
    expect(sent.base_version).toBe(1);
    expect(sent.args.activities.map((a) => [a.name, a.order_activity_ids, a.active])).toEqual([
      ['Tvätt', ['a1', 'a2'], true], ['Städning', ['a2'], false], ['Inköp', ['a3'], true]]);
  });

  it('departs on the client page as soon as it is saved; the notice to the orderer names the order, not the client', async () => {
    const { view } = await openApp('#/client/c1/plan', { user: WORKER, records: records() });
    const third = await waitFor(() => view.byTestId('plan-activity-2'), 'the form');
    await click(checkbox(third, 'Avslutad (görs inte längre)'));
    await click(view.button('Spara planen'));
    await waitFor(() => view.byTestId('divergence')?.textContent.includes('Beställda insatser som inte finns med i planen: Inköp.'), 'the departure');
    await follow(view, 'Meddela beställaren');
    const notice = await waitFor(() => view.byTestId('plan-notice'), 'the notice');
    expect(notice.textContent).toContain('Beställning: SOD-2026-0142 Södermalms stadsdelsförvaltning');
    expect(notice.textContent).toContain('Beställda insatser som inte finns med i planen: Inköp.');
    expect(notice.textContent).not.toContain('Karin');
    expect(view.button('Skriv ut')).toBeTruthy();
  });

  it("the notice is saved in the plan's dialogue with what it told, and the orderer's reply is documented there", async () => {
    const { server, view } = await openApp('#/client/c1/plan', { user: WORKER, records: records() });
    await click(checkbox(await waitFor(() => view.byTestId('plan-activity-2'), 'the form'), 'Avslutad (görs inte längre)'));
    await click(view.button('Spara planen'));
    await waitFor(() => view.byTestId('divergence')?.textContent.includes('Beställaren har inte fått något meddelande'), 'not told yet');
    await follow(view, 'Meddela beställaren');
    await click(await waitFor(() => view.button('Spara meddelandet'), 'the notice'));
    await waitFor(() => view.text().includes('Skriv vad du vill säga till beställaren.'), 'the reasons asked for');
    await fill(labelled(view, 'Skäl och vad brukaren och utföraren har kommit överens om'), 'Karin handlar själv sedan oktober.');
    await click(view.button('Spara meddelandet'));
    await waitFor(() => view.byTestId('notice-saved'), 'saved');
    await waitFor(() => server.pushed.some((m) => m.name === 'plan.dialogue'), 'the notice sent');
    expect(server.pushed.find((m) => m.name === 'plan.dialogue').args).toMatchObject({
      client_id: 'c1', plan_id: 'p1', kind: 'notice', text: 'Karin handlar själv sedan oktober.', points: ['Beställda insatser som inte finns med i planen: Inköp.'], outcome: null,
    });

    await follow(view, 'Dialog med beställaren');
    const notice = await waitFor(() => view.root.querySelector('[data-kind="notice"]'), 'the notice in the dialogue');
    expect(notice.textContent).toContain('Meddelande till beställaren');
    expect(notice.textContent).toContain('Beställda insatser som inte finns med i planen: Inköp.');
    expect(notice.textContent).toContain('du,');
    await click(checkbox(view.root, 'Godtar planen'));
    await fill(labelled(view, 'Vad sades?'), 'Handläggaren godtar att Karin handlar själv.');
    await click(view.button('Spara'));
    await waitFor(() => view.root.querySelector('[data-kind="reply"]')?.textContent.includes('Svar: Godtar planen'), 'the reply listed');
    await waitFor(() => server.pushed.filter((m) => m.name === 'plan.dialogue').length === 2, 'the reply sent');
    expect(server.pushed.filter((m) => m.name === 'plan.dialogue')[1].args).toMatchObject({ kind: 'reply', outcome: 'accepted', text: 'Handläggaren godtar att Karin handlar själv.' });
    location.hash = '#/client/c1';
    await waitFor(() => view.text().includes('Dialog med beställaren (2)'), 'the count on the client page');
    expect(view.byTestId('divergence').textContent).toMatch(/Meddelat beställaren \d+ \w+ \d{4}\./);
  });

  it('refuses an activity without a name, in Swedish, and keeps the form', async () => {
    const { view } = await openApp('#/client/c1/plan', { user: WORKER, records: records() });
    await waitFor(() => view.byTestId('plan-activity-0'), 'the form');
    await click(view.button('Lägg till en aktivitet'));
    await click(view.button('Spara planen'));
    await waitFor(() => view.text().includes('Varje aktivitet behöver ett namn.'), 'the refusal');
    expect(location.hash).toBe('#/client/c1/plan');
  });
});

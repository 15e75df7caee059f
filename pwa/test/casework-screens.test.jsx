// @vitest-environment happy-dom
// A case manager's screens (casework.md): the client's whereabouts and contact details,
// contacts, appointments, consents, a visit moved; the whole app against the fake server,
// read as the worker reads it.
import { afterEach, describe, expect, it } from 'vitest';
import { CASE_MANAGER, WORKER, at, closeApp, follow, labelled, openApp } from './app.js';
import { clientData, visitData } from './fake-server.js';
import { click, fill, waitFor } from './screen.js';

afterEach(closeApp);

const kent = () => ['client', 'c1', clientData({ name: 'Kent Abdi', service: 'cm', whereabouts: 'Härbärget Klara', phone: '070-111 22 33' })];


describe("the client's whereabouts and contact details", () => {
  it('are edited from the client page, shown at once and sent with only what changed', async () => {
    const { server, view } = await openApp('#/client/c1', { user: CASE_MANAGER, records: [kent()] });
    await waitFor(() => view.text().includes('Härbärget Klara'), 'the client page');
    await follow(view, 'Ändra uppgifter');
    await fill(await waitFor(() => labelled(view, 'Var brukaren finns'), 'the form'), 'Stadsmissionen, Fristad');
    await click(view.button('Spara uppgifterna'));
    await waitFor(() => location.hash === '#/client/c1' && view.text().includes('Stadsmissionen, Fristad'), 'the new whereabouts on the client page');
    await waitFor(() => server.pushed.some((m) => m.name === 'client.update'), 'the edit sent');
    expect(server.pushed.find((m) => m.name === 'client.update').args).toEqual({ id: 'c1', whereabouts: 'Stadsmissionen, Fristad' });
    expect(server.get('client', 'c1').data).toMatchObject({ whereabouts: 'Stadsmissionen, Fristad', phone: '070-111 22 33' });
  });

  it('a conflict with a colleague over the same field shows on the client page with both values', async () => {
    const { server, view } = await openApp('#/client/c1/edit', { user: CASE_MANAGER, records: [kent()] });
    server.verdictForNext('client.update', { status: 'conflict', fields: ['whereabouts'], server_values: { whereabouts: 'Ute vid Slussen' } });
    await fill(await waitFor(() => labelled(view, 'Var brukaren finns'), 'the form'), 'Stadsmissionen, Fristad');
    await click(view.button('Spara uppgifterna'));
    const card = await waitFor(() => view.root.querySelector('article.parked'), 'the parked card');
    await waitFor(() => card.textContent.includes('Ute vid Slussen'), "the colleague's value");
    expect(card.textContent).toContain('Kontaktuppgifter');
    expect(card.textContent).toContain('Någon annan har ändrat samma uppgifter under tiden.');
    expect(card.textContent).toContain('Stadsmissionen, Fristad');
    expect([...card.querySelectorAll('button')].map((b) => b.textContent)).toContain('Använd mina uppgifter');
  });
});

describe('moving a visit', () => {
  it('from the visit screen, to another day and time; the visit then leads back to its new day', async () => {
    const records = [kent(), ['visit', 'v1', visitData('c1', { starts_at: at(0, '10:00'), ends_at: at(0, '11:00'), place: 'Hemma' })]];
    const { server, view } = await openApp('#/visit/v1', { user: WORKER, records });
    await follow(view, 'Flytta besöket');
    const date = await waitFor(() => labelled(view, 'Nytt datum'), 'the form');
    expect(labelled(view, 'Plats (frivillig)').value).toBe('Hemma');
    await fill(date, at(1, '12:00').slice(0, 10));
    const start = labelled(view, 'Ny starttid');
    await fill(start, '14:30');
    start.dispatchEvent(new Event('blur'));
    await click(view.button('Spara ny tid'));
    await waitFor(() => location.hash === '#/visit/v1' && view.text().includes('14:30–15:30'), 'the visit at its new time');
    expect(view.root.querySelector('a.back').getAttribute('href')).toBe(`#/today/${at(1, '12:00').slice(0, 10)}`);
    await waitFor(() => server.pushed.some((m) => m.name === 'visit.reschedule'), 'the move sent');
    expect(server.get('visit', 'v1').data).toMatchObject({ starts_at: at(1, '14:30'), ends_at: at(1, '15:30'), place: 'Hemma' });
  });
});

describe('consents', () => {
  it('a consent recorded from the client page is listed there at once, and can be withdrawn', async () => {
    const { server, view } = await openApp('#/client/c1', { user: CASE_MANAGER, records: [kent()] });
    await waitFor(() => view.text().includes('Inga samtycken registrerade'), 'no consents yet');
    await follow(view, 'Nytt samtycke');
    await fill(await waitFor(() => labelled(view, 'Vem får uppgifter delas med?'), 'the form'), 'Psykiatrin Södermalm');
    await click(view.button('Spara samtycket'));
    const row = await waitFor(() => view.root.querySelector('[data-testid^="consent-"]'), 'the consent on the client page');
    expect(row.textContent).toContain('Psykiatrin Södermalm');
    expect(row.textContent).toContain('Gäller');
    await click(row.querySelector('button[aria-label="Återkalla samtycket för Psykiatrin Södermalm"]'));
    await click(await waitFor(() => view.button('Återkalla samtycket'), 'the confirmation'));
    await waitFor(() => view.root.querySelector('[data-testid^="consent-"]').textContent.includes('Återkallat'), 'withdrawn');
    await waitFor(() => server.pushed.some((m) => m.name === 'consent.withdraw'), 'the withdrawal sent');
    expect(server.pushed.map((m) => m.name)).toEqual(['consent.record', 'consent.withdraw']);
  });

  it('a stale consent is flagged on the client page', async () => {
    const stale = ['consent', 'k1', { client_id: 'c1', worker_id: 'u1', party: 'Socialtjänsten', signed_on: '2022-09-01', valid_until: null, withdrawn_on: null }];
    const { view } = await openApp('#/client/c1', { user: CASE_MANAGER, records: [kent(), stale] });
    const row = await waitFor(() => view.byTestId('consent-k1'), 'the consent');
    expect(row.textContent).toContain('Äldre än 12 månader');
    expect(row.textContent).toContain('Be brukaren skriva under ett nytt');
  });
});

/** Tick a tile of a group (a fieldset named by its legend). */
async function choose(view, legend, label) {
  const group = await waitFor(() => [...view.root.querySelectorAll('fieldset')].find((f) => f.querySelector('legend')?.textContent.trim() === legend), legend);
  const tile = [...group.querySelectorAll('label')].find((l) => l.textContent.trim() === label);
  await click(tile.querySelector('input'));
}

describe('contacts', () => {
  it('a case manager logs a street contact from Idag, is warned of a party without consent, and saves anyway', async () => {
    const { server, view } = await openApp('#/today', { user: CASE_MANAGER, records: [kent()] });
    await follow(view, 'Ny kontakt');
    await fill(await waitFor(() => labelled(view, 'Brukare'), 'the form'), 'c1');
    await choose(view, 'Hur hade ni kontakt?', 'Träffades');
    await choose(view, 'Var?', 'Ute');
    await choose(view, 'Vad gjorde du?', 'Ringde vården');
    await choose(view, 'Vad gjorde du?', 'Bokade möte');
    await fill(labelled(view, 'Med vem, om inte bara brukaren? (frivillig)'), 'Psykiatrin');
    await click(view.button('45 min'));
    await click(view.button('Spara kontakten'));
    const warning = await waitFor(() => view.byTestId('consent-warning'), 'the consent warning');
    expect(warning.textContent).toContain('Samtycke saknas för Psykiatrin: spara ändå?');
    expect(server.pushed).toEqual([]);
    await click(view.button('Spara ändå'));
    await waitFor(() => location.hash === '#/today', 'back on Idag');
    await waitFor(() => server.pushed.some((m) => m.name === 'contact.log'), 'the contact sent');
    expect(server.pushed[0].args).toMatchObject({
      client_id: 'c1', channel: 'in_person', place_type: 'street', party: 'Psykiatrin', minutes: 45, actions: ['phoned_care', 'booked_meeting'],
    });
  });

  it("the client page shows a case manager's contacts and when the client was last met", async () => {
    const contact = ['contact', 'k1', {
      client_id: 'c1', worker_id: 'u1', started_at: at(-1, '14:00'), minutes: 30, channel: 'in_person', place_type: 'shelter',
      party: 'Psykiatrin', actions: ['accompanied'], consent_id: null, consent_warning: true, consent_stale: false, late: false,
    }];
    const call = ['contact', 'k2', { ...contact[2], started_at: at(-1, '16:00'), channel: 'phone', place_type: null, party: null, consent_warning: false }];
    const { view } = await openApp('#/client/c1', { user: CASE_MANAGER, records: [kent(), contact, call] });
    const row = await waitFor(() => view.byTestId('contact-k1'), 'the contact');
    expect(row.textContent).toContain('Träffades · Härbärge, boende · 30 min');
    expect(row.textContent).toContain('Följde med');
    expect(row.textContent).toContain('Utan giltigt samtycke');
    expect(view.byTestId('last-seen').textContent).toMatch(/^Senast träffad .*14:00Senaste kontakt .*16:00$/);
  });
});

describe("the client's appointments", () => {
  const appointment = (id, days, time, extra = {}) => ['appointment', id, {
    client_id: 'c1', worker_id: 'u1', status: 'planned', starts_at: at(days, time), ends_at: null, kind: 'psychiatry',
    with: 'Psykiatrin Södermalm', place: null, accompany: true, participants: null, consent_warning: false, consent_stale: false, ...extra,
  }];

  it('a court date added from the client page, the consent warning answered, is listed there with "Påminn brukaren"', async () => {
    const { server, view } = await openApp('#/client/c1', { user: CASE_MANAGER, records: [kent()] });
    await follow(view, 'Ny tid');
    await fill(await waitFor(() => labelled(view, 'Vad för tid?'), 'the form'), 'court');
    await fill(labelled(view, 'Hos vem?'), 'Stockholms tingsrätt');
    await fill(labelled(view, 'Datum'), at(3, '12:00').slice(0, 10));
    const start = labelled(view, 'Starttid');
    await fill(start, '09:30');
    start.dispatchEvent(new Event('blur'));
    await choose(view, 'Följer du med?', 'Nej, jag påminner brukaren');
    await click(view.button('Spara tiden'));
    const warning = await waitFor(() => view.byTestId('consent-warning'), 'the consent warning');
    expect(warning.textContent).toContain('Samtycke saknas för Stockholms tingsrätt: spara ändå?');
    await click(view.button('Spara ändå'));
    const row = await waitFor(() => view.root.querySelector('[data-testid^="appointment-"]'), 'the appointment on the client page');
    expect(row.textContent).toContain('09:30');
    expect(row.textContent).toContain('Domstol · Stockholms tingsrätt');
    expect(row.textContent).toContain('Påminn brukaren');
    await waitFor(() => server.pushed.some((m) => m.name === 'appointment.add'), 'sent');
    expect(server.pushed[0].args).toMatchObject({ kind: 'court', with: 'Stockholms tingsrätt', accompany: false, starts_at: at(3, '09:30') });
  });

  it('a SIP meeting is saved with its participants by role and organisation', async () => {
    const consent = ['consent', 'k1', { client_id: 'c1', worker_id: 'u1', party: 'Socialtjänsten', signed_on: at(-30, '12:00').slice(0, 10), valid_until: null, withdrawn_on: null }];
    const { server, view } = await openApp('#/appointment/new/c1', { user: CASE_MANAGER, records: [kent(), consent] });
    await fill(await waitFor(() => labelled(view, 'Vad för tid?'), 'the form'), 'sip');
    await fill(labelled(view, 'Hos vem?'), 'Socialtjänsten');
    const start = labelled(view, 'Starttid');
    await fill(start, '13:00');
    start.dispatchEvent(new Event('blur'));
    await choose(view, 'Följer du med?', 'Ja, jag följer med');
    for (const [role, org] of [['Läkare', 'Psykiatrin'], ['Biståndshandläggare', 'Stadsdelen']]) {
      await click(view.button('Lägg till deltagare'));
      const roles = view.root.querySelectorAll('input[id$="-role"]');
      await fill(roles[roles.length - 1], role);
      const orgs = view.root.querySelectorAll('input[id$="-org"]');
      await fill(orgs[orgs.length - 1], org);
    }
    await click(view.button('Spara tiden'));
    await waitFor(() => server.pushed.some((m) => m.name === 'appointment.add'), 'sent without a warning');
    expect(server.pushed[0].args.participants).toEqual([{ role: 'Läkare', org: 'Psykiatrin' }, { role: 'Biståndshandläggare', org: 'Stadsdelen' }]);
  });

  it('Idag lists the day\'s appointments beside the visits, in time order, and the coming ones', async () => {
    const records = [kent(), appointment('a1', 0, '23:40'), appointment('a2', 2, '10:00', { kind: 'enforcement', with: 'Kronofogden' }),
      ['visit', 'v1', visitData('c1', { starts_at: at(0, '23:20'), ends_at: null })]];
    const { view } = await openApp('#/today', { user: CASE_MANAGER, records });
    // Both records stored (the first sync may store them in separate transactions).
    const list = await waitFor(() => view.byTestId('appointment-a1') && view.byTestId('visit-v1') && view.root.querySelector('.visit-list'), 'the day');
    expect([...list.querySelectorAll('a')].map((a) => a.dataset.testid)).toEqual(['visit-v1', 'appointment-a1']);
    const coming = await waitFor(() => view.byTestId('appointment-a2'), 'the coming appointment');
    expect(coming.textContent).toContain('Kronofogden');
    expect(coming.textContent).not.toContain('Kronofogden · Kronofogden');
  });

  it('an appointment that has been, without how it went, is asked about on Idag until its outcome is recorded', async () => {
    const records = [kent(), appointment('a1', -2, '10:00', { kind: 'court', with: 'Tingsrätten' }), appointment('a9', -45, '10:00'),
      appointment('a2', -1, '10:00', { status: 'attended' })];
    const { server, view } = await openApp('#/today', { user: CASE_MANAGER, records });
    const asked = await waitFor(() => view.byTestId('awaiting-outcome'), 'the question on Idag');
    expect([...asked.querySelectorAll('a')].map((a) => a.dataset.testid)).toEqual(['appointment-a1']);
    expect(asked.textContent).toContain('Domstol · Tingsrätten');
    await click(asked.querySelector('a'));
    await choose(view, 'Hur gick det?', 'Brukaren uteblev');
    await click(view.button('Spara hur det gick'));
    await waitFor(() => location.hash === `#/today/${at(-2, '10:00').slice(0, 10)}`, 'back to its day');
    location.hash = '#/today';
    await waitFor(() => view.root.querySelector('h1')?.textContent === 'Idag', 'Idag again');
    await waitFor(() => !view.byTestId('awaiting-outcome'), 'the question gone once answered');
    await waitFor(() => server.get('appointment', 'a1').data.status === 'missed', 'the outcome on the server');
  });

  it('how it went, with what was decided, is recorded from the appointment screen', async () => {
    const { server, view } = await openApp('#/appointment/a1', { user: CASE_MANAGER, records: [kent(), appointment('a1', 0, '00:00')] });
    await choose(view, 'Hur gick det?', 'Brukaren kom');
    await fill(labelled(view, 'Vad bestämdes? (frivillig)'), 'Ny medicin, återbesök om fyra veckor');
    await click(view.button('Spara hur det gick'));
    await waitFor(() => server.get('appointment', 'a1').data.status === 'attended', 'the outcome on the server');
    expect(server.pushed[0].args).toEqual({ id: 'a1', outcome: 'attended', note: 'Ny medicin, återbesök om fyra veckor' });
    await waitFor(() => location.hash === '#/today', 'back to its day');
  });

  it('how it went is asked only once the appointment has begun; before that it can be moved or cancelled', async () => {
    const { view } = await openApp('#/appointment/a1', { user: CASE_MANAGER, records: [kent(), appointment('a1', 1, '10:00', { consent_warning: true })] });
    await waitFor(() => view.text().includes('När tiden har börjat skriver du här om brukaren kom.'), 'the hint');
    expect(view.root.querySelector('fieldset legend')?.textContent).not.toBe('Hur gick det?');
    expect(view.button('Avboka tiden')).toBeTruthy();
    location.hash = '#/client/c1';
    const row = await waitFor(() => view.byTestId('appointment-a1'), 'the row on the client page');
    expect(row.textContent).toContain('Utan giltigt samtycke');
  });

  it('an appointment is moved from its screen, and cancelled with why', async () => {
    const { server, view } = await openApp('#/appointment/a1', { user: CASE_MANAGER, records: [kent(), appointment('a1', 1, '10:00')] });
    await follow(view, 'Ändra eller flytta');
    const start = await waitFor(() => labelled(view, 'Starttid'), 'the form');
    expect(labelled(view, 'Hos vem?').value).toBe('Psykiatrin Södermalm');
    await fill(start, '11:15');
    start.dispatchEvent(new Event('blur'));
    await click(view.button('Spara ändringarna'));
    await waitFor(() => location.hash === '#/appointment/a1' && view.text().includes('11:15'), 'the new time');
    await click(view.button('Avboka tiden'));
    await fill(await waitFor(() => labelled(view, 'Varför? (frivillig)'), 'why'), 'Mottagningen ställde in');
    await click(view.button('Ja, avboka'));
    await waitFor(() => server.get('appointment', 'a1').data.status === 'cancelled', 'cancelled on the server');
    expect(server.pushed.map((m) => [m.name, m.args])).toEqual([
      ['appointment.update', { id: 'a1', starts_at: at(1, '11:15') }],
      ['appointment.cancel', { id: 'a1', note: 'Mottagningen ställde in' }],
    ]);
  });
});

// @vitest-environment happy-dom
// A supervisor's screens against the fake server (fake-supervision.js: the shapes of
// supervision.md and server/api/team.py): what they show, what they send, and what they say
// when the server refuses or cannot be reached, all in Swedish.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Reports } from '../src/ui/screens/supervision/Reports.jsx';
import { SyncDashboard } from '../src/ui/screens/supervision/SyncDashboard.jsx';
import { Team } from '../src/ui/screens/supervision/Team.jsx';
import { Workload } from '../src/ui/screens/supervision/Workload.jsx';
import { announcement } from '../src/ui/announce.js';
import { createFakeServer, signIn } from './fake-server.js';
import { SUPERVISOR, aDevice, aTeamWorld, supervise } from './fake-supervision.js';
import { click, fill, mount, unmountAll, waitFor } from './screen.js';

const NOW = new Date('2026-12-02T10:00:00+01:00');

let server;
let supervision;
let world;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  server = createFakeServer({ user: SUPERVISOR });
  world = aTeamWorld();
  world.now = NOW.toISOString();
  supervision = supervise(server, world);
  await signIn(server, { vi });
});

afterEach(async () => {
  await unmountAll();
  vi.useRealTimers();
});

const select = (view, label) => {
  const id = [...view.root.querySelectorAll('label')].find((l) => l.textContent.trim() === label)?.getAttribute('for');
  return id ? view.root.querySelector(`#${id}`) : null;
};

describe('Team', () => {
  it('shows each worker against the cap and each client with who serves them', async () => {
    const view = mount(<Team />);
    await waitFor(() => view.headings().includes('Team Södermalm'), 'the team');
    await waitFor(() => view.text().includes('14 av 15'), 'Anna against her cap');
    expect(view.text()).toContain('10 av 10, fullt');
    expect(view.byTestId('team-client-c-karin').textContent).toContain('Anna Berg');
    expect(view.byTestId('team-client-c-maja').textContent).toContain('Ingen medarbetare');
    expect(view.byTestId('fetched-at').textContent).toMatch(/^Senast hämtad \d\d:\d\d$/);
    // The table alternative to the chart.
    expect(view.root.querySelector('table caption').textContent).toBe('Brukare per medarbetare, mot taket');
  });

  it('shows what a handover does to both caseloads before saving, then saves it', async () => {
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('team-client-c-karin'), 'Karin');
    await click(view.byTestId('team-client-c-karin').querySelector('button'));
    const choice = await waitFor(() => select(view, 'Lämna över till'), 'the worker choice');
    // Only boendestödjare who do not have her already: Cia (3 of 15), not Bo (a case manager).
    expect([...choice.options].map((o) => o.textContent)).toEqual(['Välj medarbetare', 'Cia Holm – 3 av 15']);
    await fill(choice, 'w-cia');
    await waitFor(() => view.text().includes('Cia Holm får 4 av 15 brukare.'), 'the effect on Cia');
    expect(view.text()).toContain('Anna Berg lämnar brukaren och har sedan 13 av 15.');
    expect(supervision.requestsTo('/api/team/assignments')).toHaveLength(0);
    await click(view.button('Lämna över'));
    await waitFor(() => view.byTestId('team-client-c-karin').querySelector('.team-client-workers').textContent === 'Cia Holm', 'Karin is Cia’s');
    expect(supervision.requestsTo('/api/team/assignments')[0].body).toEqual({ client_id: 'c-karin', worker_id: 'w-cia' });
    await waitFor(() => announcement.get()?.text === 'Karin Ås har nu Cia Holm.', 'the announcement');
    await waitFor(() => view.text().includes('4 av 15'), "Cia's new caseload");
  });

  it('explains in Swedish a refusal at the cap that came from someone else filling the caseload first', async () => {
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('team-client-c-maja'), 'Maja');
    await click(view.byTestId('team-client-c-maja').querySelector('button'));
    const choice = await waitFor(() => select(view, 'Tilldela'), 'the worker choice');
    await fill(choice, 'w-cia');
    world.workers.t1.find((w) => w.id === 'w-cia').caseload = 15; // meanwhile, on another laptop
    await click(await waitFor(() => view.button('Tilldela'), 'Tilldela'));
    await waitFor(() => view.root.querySelector('.problem'), 'the refusal');
    expect(view.root.querySelector('.problem').textContent).toBe(
      'Servern sa nej: Cia Holm har redan 15 brukare, vilket är taket. Välj någon annan, eller avsluta ett av Cia Holms uppdrag först.',
    );
    expect(view.text()).not.toContain('cap for the role');
  });

  it('warns before saving when the chosen worker is full, and does not let it be saved', async () => {
    world.workers.t1.find((w) => w.id === 'w-cia').caseload = 15;
    world.workers.t1.find((w) => w.id === 'w-anna').caseload = 15;
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('team-client-c-maja'), 'Maja');
    await click(view.byTestId('team-client-c-maja').querySelector('button'));
    const choice = await waitFor(() => select(view, 'Tilldela'), 'the worker choice');
    expect(choice.value).toBe(''); // no one free to preselect
    await fill(choice, 'w-cia');
    await waitFor(() => view.text().includes('Cia Holm har redan 15 brukare, vilket är taket.'), 'the warning');
    expect(view.button('Tilldela').disabled).toBe(true);
  });

  it("shows what an assignment brings to the worker's phone against the data budget before saving", async () => {
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('team-client-c-maja'), 'Maja');
    await click(view.byTestId('team-client-c-maja').querySelector('button'));
    await fill(await waitFor(() => select(view, 'Tilldela'), 'the worker choice'), 'w-cia');
    await waitFor(() => view.text().includes('Cia Holms telefon får ungefär 3 600 av högst 20 000 poster.'), "Cia's phone after");
    expect(view.button('Tilldela').disabled).toBe(false);
  });

  it("warns before saving when the client would take the worker's phone past its data budget, and does not let it be saved", async () => {
    world.workers.t1.find((w) => w.id === 'w-cia').device_records = 19_600;
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('team-client-c-maja'), 'Maja');
    await click(view.byTestId('team-client-c-maja').querySelector('button'));
    await fill(await waitFor(() => select(view, 'Tilldela'), 'the worker choice'), 'w-cia');
    await waitFor(() => view.text().includes('Cia Holms telefon skulle få ungefär 20 200 poster, fler än de 20 000 en telefon får ha.'), 'the warning');
    expect(view.button('Tilldela').disabled).toBe(true);
    expect(supervision.requestsTo('/api/team/assignments')).toHaveLength(0);
  });

  it("explains in Swedish the server's refusal over the data budget", async () => {
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('team-client-c-maja'), 'Maja');
    await click(view.byTestId('team-client-c-maja').querySelector('button'));
    await fill(await waitFor(() => select(view, 'Tilldela'), 'the worker choice'), 'w-cia');
    world.workers.t1.find((w) => w.id === 'w-cia').device_records = 19_900; // a sync since
    await click(await waitFor(() => view.button('Tilldela'), 'Tilldela'));
    await waitFor(() => view.root.querySelector('.problem'), 'the refusal');
    expect(view.root.querySelector('.problem').textContent).toBe(
      'Servern sa nej: Cia Holms telefon skulle få mer data än en telefon får ha. Välj någon annan, eller avsluta ett av Cia Holms uppdrag först.',
    );
  });

  it('gives a colleague of the same role cover for an absent worker until a day, and lists it', async () => {
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('cover')?.textContent.includes('Ingen har tillfällig åtkomst just nu.'), 'no cover yet');
    await fill(select(view, 'Vem är borta?'), 'w-anna');
    const covering = await waitFor(() => select(view, 'Vem täcker?'), 'the colleague choice');
    // Only another active boendestödjare: Cia, not Bo (a case manager) nor Anna herself.
    expect([...covering.options].map((o) => o.textContent)).toEqual(['Välj medarbetare', 'Cia Holm']);
    await fill(covering, 'w-cia');
    const until = select(view, 'Till och med');
    expect([until.min, until.max]).toEqual(['2026-12-02', '2027-01-30']);
    await fill(until, '2026-12-04');
    await click(view.button('Ge åtkomst'));
    await waitFor(() => view.byTestId('cover-g-1'), 'the grant listed');
    expect(supervision.requestsTo('/api/cover').find((r) => r.method === 'POST').body).toEqual({
      absent_worker_id: 'w-anna', covering_worker_id: 'w-cia', until: '2026-12-04',
    });
    expect(view.byTestId('cover-g-1').textContent).toContain('Cia Holm täcker för Anna Berg till och med');
    expect(view.byTestId('cover-g-1').textContent).toContain('Gavs av Sara Lind.');
  });

  it('ends a cover at once after confirming what it does', async () => {
    world.cover.push({ id: 'g-9', absent_worker_id: 'w-anna', covering_worker_id: 'w-cia', until: '2026-12-10', granted_by: null, in_force: true });
    const view = mount(<Team />);
    const row = await waitFor(() => view.byTestId('cover-g-9'), 'the grant');
    expect(row.textContent).toContain('Gavs av driftansvarig.');
    await click(row.querySelector('button'));
    await waitFor(() => view.text().includes('Cia Holm slutar direkt att se Anna Bergs brukare.'), 'the confirmation');
    await click(view.button('Ja, avsluta nu'));
    await waitFor(() => !view.byTestId('cover-g-9'), 'the grant gone');
    expect(supervision.requestsTo('/api/cover/g-9/end')).toHaveLength(1);
    await waitFor(() => announcement.get()?.text === 'Cia Holm har inte längre tillfällig åtkomst.', 'the announcement');
  });

  it("says in Swedish why the server refused a cover", async () => {
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('cover')?.textContent.includes('Ingen har tillfällig åtkomst'), 'the cover section');
    await fill(select(view, 'Vem är borta?'), 'w-anna');
    await fill(await waitFor(() => select(view, 'Vem täcker?'), 'the colleague choice'), 'w-cia');
    // Cia was made inactive meanwhile, on another laptop: the server refuses.
    server.failNext('/api/cover', 422, { code: 422, status: 'Unprocessable Entity', message: 'The covering worker is no longer active.', reason: 'cover_refused' });
    await click(view.button('Ge åtkomst'));
    await waitFor(() => view.byTestId('cover').querySelector('.problem'), 'the refusal');
    expect(view.byTestId('cover').querySelector('.problem').textContent).toBe(
      'Det går inte: bara två aktiva medarbetare med samma roll, och högst 60 dagar från idag.',
    );
  });

  it('ends an assignment after confirming what it does', async () => {
    const view = mount(<Team />);
    await waitFor(() => view.byTestId('team-client-c-lars'), 'Lars');
    await click(view.byTestId('team-client-c-lars').querySelector('button'));
    await click(await waitFor(() => view.button('Avsluta Bo Eks uppdrag'), 'the end button'));
    expect(view.text()).toContain('Bo Ek lämnar brukaren och har sedan 9 av 10 brukare. Brukaren har då ingen medarbetare för insatsen.');
    await click(view.button('Ja, avsluta uppdraget'));
    await waitFor(() => view.byTestId('team-client-c-lars').querySelector('.team-client-workers').textContent === 'Ingen medarbetare', 'Lars without a worker');
    expect(supervision.requestsTo('/api/team/assignments/end')[0].body).toEqual({ client_id: 'c-lars', worker_id: 'w-bo' });
  });

  it('offline, shows the team as last fetched and says changes need the server', async () => {
    const first = mount(<Team />);
    await waitFor(() => first.text().includes('14 av 15'), 'the team, fetched');
    await unmountAll();
    server.failNext('/api/team', 'network');
    const view = mount(<Team />);
    await waitFor(() => view.text().includes('Ingen anslutning: du ser det som senast hämtades.'), 'the offline note');
    expect(view.text()).toContain('14 av 15');
    expect(view.byTestId('fetched-at').textContent).toMatch(/^Senast hämtad \d\d:\d\d$/);
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    window.dispatchEvent(new Event('offline'));
    await click(view.byTestId('team-client-c-karin').querySelector('button'));
    await waitFor(() => view.text().includes('Ändringar av uppdrag kräver anslutning till servern.'), 'needs the server');
  });

  it('lets a unit manager switch to another team they lead', async () => {
    const view = mount(<Team />);
    const picker = await waitFor(() => select(view, 'Visa team'), 'the team switcher');
    await fill(picker, 't2');
    await waitFor(() => view.headings().includes('Team Farsta'), 'Team Farsta');
    await waitFor(() => view.text().includes('Dan Falk'), 'its worker');
    expect(supervision.requestsTo('/api/team').at(-1).query.get('team_id')).toBe('t2');
  });
});

describe('Synk och telefoner', () => {
  const stale = () =>
    aDevice({
      outbox_size: 3, outbox_oldest_at: '2026-12-01T08:00:00+01:00', last_push_at: '2026-12-01T07:30:00+01:00',
      last_pull_at: '2026-12-01T07:30:00+01:00', alerts: ['unsent_over_24h', 'silent_24h'],
    });

  it('words each alert in Swedish with what to do, the newest problem first', async () => {
    world.dashboards.t1 = {
      devices: [
        aDevice({ device_id: 'd-bo', device_name: 'Bos telefon', worker_id: 'w-bo', worker_name: 'Bo Ek' }),
        stale(),
        aDevice({ device_id: 'd-cia', device_name: 'Cias telefon', worker_id: 'w-cia', worker_name: 'Cia Holm', clock_skew_seconds: -420, alerts: ['clock_skew'], last_push_at: '2026-12-02T09:00:00+01:00' }),
      ],
      parked_open: 2,
    };
    const view = mount(<SyncDashboard />);
    await waitFor(() => view.byTestId('device-d-anna'), 'the phones');
    expect(view.byTestId('device-d-anna').textContent).toContain('Ring Anna: 3 ändringar har inte skickats på 26 timmar');
    expect(view.byTestId('device-d-anna').textContent).toContain('Be Anna öppna appen där det finns nät och trycka Synka nu.');
    expect(view.byTestId('device-d-cia').textContent).toContain('Klockan i Cias telefon går 7 minuter efter');
    const order = [...view.root.querySelectorAll('[data-testid^="device-"]')].map((el) => el.dataset.testid);
    expect(order).toEqual(['device-d-cia', 'device-d-anna', 'device-d-bo']);
    expect(view.text()).toContain('2 ändringar väntar på beslut');
  });

  it('revokes a lost phone after confirming, and tells how many unsent changes were lost', async () => {
    world.dashboards.t1 = { devices: [stale()] };
    const view = mount(<SyncDashboard />);
    await click(await waitFor(() => view.button('Spärra (borttappad)'), 'the revoke button'));
    expect(view.text()).toContain('Spärra Annas telefon?');
    expect(view.text()).toContain('Vid senaste kontakten hade den 3 ändringar som inte skickats: de går förlorade.');
    expect(supervision.requestsTo('/api/devices/d-anna/revoke')).toHaveLength(0);
    await click(view.button('Ja, spärra telefonen'));
    await waitFor(() => view.byTestId('device-ended'), 'the answer');
    expect(view.byTestId('device-ended').textContent).toBe('Annas telefon är spärrad. Vid senaste kontakten hade den 3 ändringar som inte skickats: de gick förlorade.');
    await waitFor(() => view.byTestId('device-d-anna').textContent.includes('Spärrad'), 'the phone revoked');
    expect(view.button('Spärra (borttappad)')).toBeNull();
  });

  it('retires a replaced phone, whose unsent changes still arrive', async () => {
    world.dashboards.t1 = { devices: [stale()] };
    const view = mount(<SyncDashboard />);
    await click(await waitFor(() => view.button('Ersätt (ny telefon)'), 'the retire button'));
    await click(view.button('Ja, telefonen är ersatt'));
    await waitFor(() => view.byTestId('device-ended'), 'the answer');
    expect(view.byTestId('device-ended').textContent).toBe('Annas telefon är ersatt. Det som inte har skickats kommer fortfarande fram.');
    expect(supervision.requestsTo('/api/devices/d-anna/retire')).toHaveLength(1);
  });

  it('says in Swedish why a revoke was refused', async () => {
    world.dashboards.t1 = { devices: [stale()] };
    server.failNext('/api/devices/d-anna/revoke', 403, { code: 403, message: 'Only the supervisor of the worker’s team, or an admin, manages a device.', reason: 'forbidden' });
    const view = mount(<SyncDashboard />);
    await click(await waitFor(() => view.button('Spärra (borttappad)'), 'the revoke button'));
    await click(view.button('Ja, spärra telefonen'));
    await waitFor(() => view.root.querySelector('.problem'), 'the refusal');
    expect(view.root.querySelector('.problem').textContent).toBe('Du har inte behörighet till det här teamet.');
  });
});

describe('Månadsrapport', () => {
  const row = (overrides) => ({
    orderer: 'Södermalm', order_ref: 'SÖ-1', client: 'Karin Ås', service: 'housing_support', worker: 'Anna Berg',
    hours_granted: 7, band: '1-7', hours_delivered: 6.5, visits_done: 8, client_cancelled: 1, client_late_cancel: 2,
    no_show: 1, staff_cancelled: 0, booked_hours_cancelled: 3, activities_done: 20, goals_followed_up: 0, late_corrections: 0,
    client_id: 'c-karin', order_id: 'o-1', ...overrides,
  });
  beforeEach(() => {
    world.reports['t1:2026-11'] = {
      month: '2026-11', team_id: 't1', team_name: 'Team Södermalm', orderer: null, approved_at: null, approved_by: null,
      approved_by_name: null,
      rows: [row(), row({ orderer: 'Farsta', order_ref: '', client: 'Lars Öst', client_id: 'c-lars', hours_granted: 10.25, band: '8-18', hours_delivered: 1 })],
      totals: {}, corrections: [],
    };
  });

  it('shows the month with its totals and one orderer at a time', async () => {
    const view = mount(<Reports month="2026-11" />);
    await waitFor(() => view.root.querySelector('table.data'), 'the table');
    expect(view.root.querySelector('tfoot').textContent).toContain('17,25'); // hours granted, decimal comma
    await fill(select(view, 'Beställare'), 'Farsta');
    await waitFor(() => view.root.querySelectorAll('tbody tr').length === 1, 'only Farsta');
    expect(view.root.querySelector('tbody').textContent).toContain('Lars Öst');
    expect(view.root.querySelector('tfoot').textContent).toContain('10,25');
  });

  it('approves a past month after confirming, then says when and by whom', async () => {
    const view = mount(<Reports month="2026-11" />);
    await click(await waitFor(() => view.button('Godkänn månaden'), 'the approve button'));
    expect(view.text()).toContain('Godkänna november 2026 för Team Södermalm?');
    await click(view.button('Ja, godkänn'));
    await waitFor(() => view.byTestId('approved'), 'the approval');
    expect(view.byTestId('approved').textContent).toMatch(/^Godkänd 2 december 2026 10:00 av Sara Lind\.$/);
    expect(supervision.requestsTo('/api/reports/monthly/2026-11/approve')).toHaveLength(1);
  });

  it('says in Swedish that a month was already approved', async () => {
    server.failNext('/api/reports/monthly/2026-11/approve', 409, { code: 409, message: '2026-11 is already approved for this team.', reason: 'already_approved' });
    const view = mount(<Reports month="2026-11" />);
    await click(await waitFor(() => view.button('Godkänn månaden'), 'the approve button'));
    await click(view.button('Ja, godkänn'));
    await waitFor(() => view.root.querySelector('.problem'), 'the refusal');
    expect(view.root.querySelector('.problem').textContent).toBe('Månaden är redan godkänd.');
  });

  it('does not offer to approve the month that is still going on', async () => {
    world.reports['t1:2026-12'] = { ...world.reports['t1:2026-11'], month: '2026-12' };
    const view = mount(<Reports month="2026-12" />);
    await waitFor(() => view.text().includes('Månaden är inte slut än.'), 'not over');
    expect(view.button('Godkänn månaden').disabled).toBe(true);
  });

  it('downloads the chosen orderer’s CSV', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:report');
    URL.revokeObjectURL = vi.fn();
    const view = mount(<Reports month="2026-11" />);
    await waitFor(() => view.root.querySelector('table.data'), 'the table');
    await fill(select(view, 'Beställare'), 'Södermalm');
    await click(view.button('Ladda ner CSV (för Excel)'));
    await waitFor(() => supervision.requestsTo('/api/reports/monthly/2026-11').some((r) => r.query.get('format') === 'csv'), 'the CSV');
    const asked = supervision.requestsTo('/api/reports/monthly/2026-11').find((r) => r.query.get('format') === 'csv');
    expect(asked.query.get('orderer')).toBe('Södermalm');
  });

  it('lists the corrections made to the month before after it was approved', async () => {
    world.reports['t1:2026-11'].corrections = [{
      month: '2026-10', client_id: 'c-karin', client: 'Karin Ås', record_type: 'visit', visit_id: 'v-9',
      visit_at: '2026-10-30T10:00:00+01:00', change: 'created', mutation_name: 'visit.log', mutation_id: 'm-9',
      fields: [], recorded_at: '2026-11-03T09:00:00+01:00',
    }];
    const view = mount(<Reports month="2026-11" />);
    await waitFor(() => view.text().includes('Rättelser av oktober 2026 efter godkännandet'), 'the corrections');
    expect(view.text()).toContain('Karin Ås: nytt besök');
  });
});

describe('Arbetsbelastning', () => {
  it('shows hours against granted with the band, cancellations by reason, and who to follow up', async () => {
    world.workload['t1:2026-12'] = {
      generated_at: NOW.toISOString(), month: '2026-12', team_id: 't1', caps: { cm: 10, support_worker: 15 },
      workers: [{ worker_id: 'w-anna', worker_name: 'Anna Berg', role: 'support_worker', caseload: 16, cap: 15, at_cap: false, over_cap: true }],
      clients: [{
        client_id: 'c-karin', client_name: 'Karin Ås', service: 'housing_support', worker_id: 'w-anna', worker_name: 'Anna Berg',
        orderer: 'Södermalm', hours_granted: 7, hours_delivered: 8.5, band: '1-7',
        visits: { planned: 2, done: 5, cancelled: { client_cancelled: 0, client_late_cancel: 2, no_show: 2, staff_cancelled: 0 } },
        late_cancels_and_no_shows_90d: 4, days_since_last_met: 30, flags: ['late_cancels_and_no_shows'], plan_divergence: null,
        followups_due: 0, followups_overdue: 0, followups: [],
      }, {
        client_id: 'c-leo', client_name: 'Leo Berg', service: 'housing_support', worker_id: 'w-anna', worker_name: 'Anna Berg',
        orderer: 'Södermalm', hours_granted: 4, hours_delivered: 4, band: '1-7',
        visits: { planned: 1, done: 4, cancelled: { client_cancelled: 0, client_late_cancel: 0, no_show: 0, staff_cancelled: 0 } },
        late_cancels_and_no_shows_90d: 0, days_since_last_met: 3, flags: ['consent_missing_or_stale', 'followup_overdue'], plan_divergence: null,
        consent_warnings: [{ party: 'Kronofogden', stale: false, record_type: 'contact', last_at: '2026-11-30T10:00:00+01:00' }],
        followups_due: 3, followups_overdue: 2,
        followups: [{ goal_id: 'g1', due_on: '2026-09-01', status: 'overdue' }, { goal_id: 'g2', due_on: '2026-10-01', status: 'overdue' }, { goal_id: 'g3', due_on: '2026-11-20', status: 'due' }],
      }, ...[['c-maja', 'Maja Ek', ['plan_diverges_from_order', 'plan_diverges_without_dialogue'], { notices: 0, last_notice_on: null, last_reply_on: null, last_outcome: null }],
        ['c-olle', 'Olle Ny', ['plan_diverges_from_order'], { notices: 1, last_notice_on: '2026-11-28', last_reply_on: '2026-11-30', last_outcome: 'accepted' }]]
        .map(([id, name, flags, dialogue]) => ({
          client_id: id, client_name: name, service: 'housing_support', worker_id: 'w-anna', worker_name: 'Anna Berg', orderer: 'Södermalm',
          hours_granted: 4, hours_delivered: 2, band: '1-7', visits: { planned: 1, done: 2, cancelled: {} }, late_cancels_and_no_shows_90d: 0,
          days_since_last_met: 2, flags, plan_divergence: { order_id: 'o1', dialogue }, followups_due: 0, followups_overdue: 0, followups: [],
        }))],
      totals: {
        workers: 1, caseload: 16, cap: 15, workers_over_cap: 1, clients: 1, hours_granted: 7, hours_delivered: 8.5,
        visits: { planned: 2, done: 5, cancelled: { client_cancelled: 0, client_late_cancel: 2, no_show: 2, staff_cancelled: 0 } },
        followups_due: 3, followups_overdue: 2,
        clients_flagged: { late_cancels_and_no_shows: 1, plan_diverges_from_order: 0, consent_missing_or_stale: 1, followup_overdue: 1 },
      },
    };
    const view = mount(<Workload month="2026-12" />);
    await waitFor(() => view.text().includes('8,50 av 7,00 h (1-7 h), över'), 'hours against granted');
    expect(view.text()).toContain('16 av 15, över taket');
    expect(view.text()).toContain('1 medarbetare över taket');
    expect(view.text()).toContain('Karin Ås: 4 sena avbokningar eller uteblivna besök på 90 dagar.');
    expect(view.text()).toContain('Karin Ås: inte träffad på 30 dagar.');
    // The goals due for follow-up: the team's, and the client whose are overdue, first.
    expect(view.text()).toContain('3 mål att följa upp, varav 2 försenade');
    const patterns = [...view.root.querySelectorAll('.patterns li')].map((li) => li.textContent);
    expect(patterns[0]).toBe('Leo Berg: 2 mål i beställningen har inte följts upp, mer än 30 dagar efter att det skulle.');
    expect(patterns).toContain('Leo Berg: kontakt med Kronofogden utan giltigt samtycke (eller med ett gammalt).');
    expect(view.text()).toContain('1 brukare med kontakter utan giltigt samtycke');
    expect(view.text()).toContain('3 (2 försenade)');
    // Plans that diverge: whether the orderer has been told about the plan as it is, and answered.
    expect(patterns).toContain('Maja Ek: genomförandeplanen skiljer sig från beställningen. Beställaren har inte fått något meddelande om planen som den är nu.');
    expect(patterns).toContain('Olle Ny: genomförandeplanen skiljer sig från beställningen. Meddelat beställaren 2026-11-28; beställaren godtar planen.');
    expect(supervision.requestsTo('/api/dashboard/workload')[0].query.get('month')).toBe('2026-12');
  });
});

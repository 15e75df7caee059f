// @vitest-environment happy-dom
// Vem har läst? (screens/supervision/ClientAccess.jsx) against a fake of
// GET /api/audit/clients/<id> (server/api/audit.py): who read, changed or was refused a
// client's records, said in Swedish, a page at a time, and what it says when refused.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientAccess, whatHappened } from '../src/ui/screens/supervision/ClientAccess.jsx';
import { Team } from '../src/ui/screens/supervision/Team.jsx';
import { href, parseHash } from '../src/ui/routes.js';
import { createFakeServer, signIn } from './fake-server.js';
import { SUPERVISOR, aTeamWorld, supervise } from './fake-supervision.js';
import { click, mount, unmountAll, waitFor } from './screen.js';

const NOW = new Date('2026-12-02T10:00:00+01:00');

const entry = (seq, overrides) => ({
  seq, at: '2026-12-01T09:00:00+01:00', action: 'read', purpose: 'sync', user_id: 'w-anna',
  user_name: 'Anna Berg', role: 'support_worker', device_id: 'd-anna', device_name: 'Annas telefon',
  detail: {}, ...overrides,
});

function anAnswer() {
  return {
    client: { id: 'c-karin', name: 'Karin Ås', protected_identity: false },
    people: [
      { user_id: 'w-anna', username: 'anna', name: 'Anna Berg', role: 'support_worker', read: 12, write: 3, denied: 0, last_at: '2026-12-02T08:30:00+01:00' },
      { user_id: 'w-bo', username: 'bo', name: 'Bo Ek', role: 'cm', read: 0, write: 0, denied: 1, last_at: '2026-11-30T16:00:00+01:00' },
    ],
    entries: [
      entry(9, { at: '2026-12-02T08:30:00+01:00', detail: { records: 5, types: { visit: 4, note: 1 } } }),
      entry(8, { action: 'write', detail: { mutation: 'note.add' } }),
      entry(7, { action: 'grant', purpose: 'cover', user_id: 's1', user_name: 'Sara Lind', role: 'supervisor', device_name: null,
        detail: { event: 'granted', covering_worker_id: 'w-cia', absent_worker_id: 'w-anna', until: '2026-12-04' } }),
      entry(6, { action: 'denied', user_id: 'w-bo', user_name: 'Bo Ek', role: 'cm', device_name: 'Bos telefon', detail: { mutation: 'visit.log', reason: 'forbidden' } }),
      entry(5, { user_id: null, user_name: null, role: null, device_id: null, device_name: null, purpose: 'audit' }),
    ],
    workers: { 'w-anna': 'Anna Berg', 'w-bo': 'Bo Ek', 'w-cia': 'Cia Holm', s1: 'Sara Lind' },
    has_more: true,
    next_before: 5,
  };
}

let server;
let audit;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  server = createFakeServer({ user: SUPERVISOR });
  const world = aTeamWorld();
  world.now = NOW.toISOString();
  supervise(server, world);
  audit = { answer: anAnswer(), older: { ...anAnswer(), entries: [entry(4, { purpose: 'report' })], has_more: false, next_before: null }, refuse: false, asked: [] };
  const inner = server.fetch;
  server.fetch = async (url, init = {}) => {
    const parsed = new URL(url, 'https://faltstod.test');
    const match = /^\/api\/audit\/clients\/([^/]+)$/.exec(parsed.pathname);
    if (!match) return inner(url, init);
    audit.asked.push({ client: decodeURIComponent(match[1]), before: parsed.searchParams.get('before') });
    const [status, body] = audit.refuse
      ? [403, { code: 403, status: 'Forbidden', message: 'no', reason: 'forbidden' }]
      : [200, parsed.searchParams.get('before') ? audit.older : audit.answer];
    return { ok: status === 200, status, headers: new Map([['content-type', 'application/json']]), json: async () => structuredClone(body), text: async () => JSON.stringify(body) };
  };
  await signIn(server, { vi });
});

afterEach(async () => {
  await unmountAll();
  vi.useRealTimers();
});

describe('Vem har läst?', () => {
  it('has its own route, linked from each client of the team', async () => {
    expect(parseHash('#/access/c-karin')).toEqual({ name: 'clientAccess', params: { id: 'c-karin' } });
    const team = mount(<Team />);
    await waitFor(() => team.byTestId('team-client-c-karin'), 'Karin on the team');
    const link = team.byTestId('team-client-c-karin').querySelector('a.team-client-access');
    expect(link.getAttribute('href')).toBe(href.clientAccess('c-karin'));
    expect(link.textContent).toBe('Vem har läst? om Karin Ås');
  });

  it('shows each person with how often they read, changed and were refused, then every event', async () => {
    const view = mount(<ClientAccess id="c-karin" />);
    await waitFor(() => view.headings().includes('Vem har läst om Karin Ås?'), 'the heading');
    const lines = [...view.root.querySelectorAll('.access-people > li')].map((li) => li.textContent.replace(/\s+/g, ' '));
    expect(lines[0]).toBe('Anna Berg (Boendestödjare)Läst 12, ändrat 3, nekats 0 · senast 08:30');
    const table = view.root.querySelector('table');
    expect(table.querySelector('caption').textContent).toBe('Läst, ändrat och nekats per person');
    const rows = [...table.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows[0].slice(0, 5)).toEqual(['Anna Berg', 'Boendestödjare', '12', '3', '0']);
    expect(rows[1].slice(0, 5)).toEqual(['Bo Ek', 'Case manager', '0', '0', '1']);
    const events = [...view.root.querySelectorAll('.access-event')].map((li) => li.textContent.replace(/\s+/g, ' '));
    expect(events[0]).toContain('Anna Berg (Boendestödjare) fick 5 uppgifter till telefonen');
    expect(events[0]).toContain('från Annas telefon');
    expect(events[1]).toContain('ändrade: anteckning');
    expect(events[2]).toContain('Sara Lind (Teamledare) gav Cia Holm tillfällig åtkomst (täcker för Anna Berg) till och med fredag 4 december');
    expect(events[3]).toContain('Bo Ek (Case manager) nekades: besök loggat i efterhand');
    expect(events[4]).toContain('Driftansvarig (kommandoraden) läste vem som har läst');
    expect(view.root.querySelector('.access-event.is-denied')).not.toBeNull();
    expect(audit.asked).toEqual([{ client: 'c-karin', before: null }]);
  });

  it('fetches older events when asked, and says when there are no more', async () => {
    const view = mount(<ClientAccess id="c-karin" />);
    await waitFor(() => view.button('Visa äldre'), 'the button for older events');
    await click(view.button('Visa äldre'));
    await waitFor(() => view.root.querySelectorAll('.access-event').length === 6, 'the older page');
    expect(view.text()).toContain('såg brukaren i månadsrapporten');
    expect(audit.asked.at(-1)).toEqual({ client: 'c-karin', before: '5' });
    expect(view.button('Visa äldre')).toBeNull();
  });

  it('says so in Swedish when the server refuses', async () => {
    audit.refuse = true;
    const view = mount(<ClientAccess id="c-nils" />);
    await waitFor(() => view.root.querySelector('[role="alert"]'), 'the refusal');
    expect(view.root.querySelector('[role="alert"]').textContent).toBe('Du har inte behörighet till det här teamet.');
    expect(view.root.querySelector('table')).toBeNull();
  });

  it('names a client with a protected identity by no name', async () => {
    audit.answer.client.protected_identity = true;
    const view = mount(<ClientAccess id="c-karin" />);
    await waitFor(() => view.headings().includes('Vem har läst om Skyddad identitet?'), 'the heading');
    expect(view.text()).not.toContain('Karin');
  });

  it('words each kind of entry', () => {
    expect(whatHappened(entry(1, { purpose: 'team' }))).toBe('såg brukaren i teamöversikten');
    expect(whatHappened(entry(1, { purpose: 'dashboard' }))).toBe('såg brukaren i arbetsbelastningen');
    expect(whatHappened(entry(1, { detail: { records: 1 } }))).toBe('fick 1 uppgift till telefonen');
    expect(whatHappened(entry(1, { action: 'denied', detail: {} }))).toBe('nekades åtkomst');
    expect(whatHappened(entry(1, { action: 'grant', detail: { event: 'ended', covering_worker_id: 'w-cia' } }), { 'w-cia': 'Cia Holm' }))
      .toBe('avslutade tillfällig åtkomst för Cia Holm');
  });
});

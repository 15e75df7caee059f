// @vitest-environment happy-dom
// The lock's settings are the city's (GET /api/phone/settings, docs/phone-security.md): the
// phone fetches them after a login and after its syncs, keeps the last answer and applies it
// offline, the server's defaults before the first; the minutes before the lock, the days
// offline before an online login, the PIN's fewest digits (a stricter one asks for a new PIN
// at the next unlock).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getMeta, records } from '../src/data/db.js';
import { DEFAULT_SETTINGS, believed, fetchPhoneSettings, loadPhoneSettings, phoneSettings } from '../src/data/phone-settings.js';
import { lock, mustLogInOnline, offlineTooLong, pinProblem, unlock } from '../src/data/vault.js';
import { App } from '../src/ui/App.jsx';
import { watchIdle } from '../src/ui/idle-lock.js';
import { aPhone, at, closeApp } from './app.js';
import { TEST_PIN, clientData, createFakeServer, visitData } from './fake-server.js';
import { click, fill, mount, unmountAll, waitFor } from './screen.js';

afterEach(closeApp);
beforeEach(loadPhoneSettings); // the meta is emptied before each test: the defaults

const CITY = { lock_minutes: 2, max_offline_days: 3, pin_min: 8, followup_months: 3 };
const byId = (view, id) => view.root.querySelector(`#${id}`);
const karin = () => [
  ['client', 'c1', clientData({ name: 'Karin Ås' })],
  ['visit', 'v1', visitData('c1', { starts_at: at(0, '10:00'), ends_at: at(0, '11:00') })],
];
const DAY = 24 * 3600_000;

async function submit(view, button) {
  await click(await waitFor(() => view.button(button), button));
}

describe('what the phone believes', () => {
  it('the defaults until the first answer: 5 minutes, 7 days, 6 digits, follow-ups every 6 months', async () => {
    expect(await loadPhoneSettings()).toEqual({ lock_minutes: 5, max_offline_days: 7, pin_min: 6, followup_months: 6 });
    expect(DEFAULT_SETTINGS).toEqual(phoneSettings());
  });

  it('a value outside the bounds the server validates, or of another type, is the default', () => {
    expect(believed({ lock_minutes: 0, max_offline_days: 31, pin_min: 4, followup_months: 37 })).toEqual(DEFAULT_SETTINGS);
    expect(believed({ lock_minutes: '2', max_offline_days: 2.5, pin_min: null, followup_months: '3' })).toEqual(DEFAULT_SETTINGS);
    expect(believed(null)).toEqual(DEFAULT_SETTINGS);
    expect(believed({ lock_minutes: 60, max_offline_days: 1, pin_min: 12, followup_months: 1 })).toEqual({ lock_minutes: 60, max_offline_days: 1, pin_min: 12, followup_months: 1 });
  });
});

describe('fetched, kept and applied offline', () => {
  it('the answer is kept on the phone; offline the last one stays, and is what applies after a restart', async () => {
    const server = await aPhone();
    server.phoneSettings = CITY;
    expect(await fetchPhoneSettings()).toEqual(CITY);
    expect(await getMeta('phone_settings')).toEqual(CITY);

    server.failures.push({ path: '/api/phone/settings', how: 'network' });
    expect(await fetchPhoneSettings()).toEqual(CITY);
    lock();
    await loadPhoneSettings(); // a restart, locked: nothing readable, the defaults for now
    expect(phoneSettings()).toEqual(DEFAULT_SETTINGS);
    expect(await unlock(TEST_PIN)).toMatchObject({ ok: true }); // the unlock reads the last answer
    expect(phoneSettings()).toEqual(CITY);
  });

  it('the lock comes after the city\'s minutes without use', async () => {
    const server = await aPhone();
    server.phoneSettings = CITY;
    await fetchPhoneSettings();
    vi.useFakeTimers();
    try {
      const env = new EventTarget();
      const onIdle = vi.fn();
      watchIdle(onIdle, { env });
      vi.advanceTimersByTime(2 * 60_000 - 1000);
      expect(onIdle).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1000);
      expect(onIdle).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('the days offline are the city\'s', async () => {
    const server = await aPhone();
    const now = new Date();
    const fourDaysAgo = new Date(now.getTime() - 4 * DAY).toISOString();
    expect(offlineTooLong(fourDaysAgo, now)).toBe(false);
    server.phoneSettings = CITY;
    await fetchPhoneSettings();
    expect(offlineTooLong(fourDaysAgo, now)).toBe(true);
    expect(await mustLogInOnline({ now: new Date(now.getTime() + 4 * DAY) })).toBe(true);
    expect(await mustLogInOnline({ now: new Date(now.getTime() + 2 * DAY) })).toBe(false);
  });

  it('the unlocked app fetches them after its sync', async () => {
    const server = await aPhone({ records: karin() });
    server.phoneSettings = CITY;
    lock();
    const view = mount(<App />);
    await fill(await waitFor(() => byId(view, 'pin'), 'the lock screen'), TEST_PIN);
    await submit(view, 'Lås upp');
    await waitFor(() => view.text().includes('Karin Ås'), 'Idag');
    await waitFor(() => phoneSettings().lock_minutes === 2, 'the settings fetched after the sync');
    expect(server.requestsTo('/api/phone/settings').length).toBeGreaterThan(0);
    expect(await getMeta('phone_settings')).toEqual(CITY);
  });
});

describe('the PIN\'s fewest digits', () => {
  it('at the first login the PIN is chosen by the city\'s minimum, fetched before it is asked for', async () => {
    const server = createFakeServer();
    server.phoneSettings = CITY;
    vi.stubGlobal('fetch', server.fetch);
    const view = mount(<App />);
    await fill(await waitFor(() => byId(view, 'username'), 'the login'), 'ada');
    await fill(byId(view, 'password'), 'secret');
    await submit(view, 'Logga in');
    await waitFor(() => view.headings().includes('Välj en PIN-kod'), 'the PIN to choose');
    expect(view.text()).toContain('8–12 siffror');
    await fill(byId(view, 'new-pin'), '205813');
    await fill(byId(view, 'new-pin-again'), '205813');
    await submit(view, 'Spara PIN-koden');
    expect(view.text()).toContain('PIN-koden ska vara 8–12 siffror.');
    expect(await getMeta('vault')).toBeUndefined();
    expect(pinProblem('20581397')).toBeNull();
  });

  it('a stricter minimum asks for a new PIN at the next unlock; the data stays and the old PIN opens nothing after', async () => {
    const server = await aPhone({ records: karin() });
    server.phoneSettings = CITY;
    await fetchPhoneSettings(); // after a sync, as the app does
    const before = await getMeta('vault');
    lock();
    const view = mount(<App />);
    await fill(await waitFor(() => byId(view, 'pin'), 'the lock screen'), TEST_PIN);
    await submit(view, 'Lås upp');
    await waitFor(() => view.headings().includes('Välj en ny PIN-kod'), 'the new PIN to choose');
    expect(view.text()).toContain('Kommunen kräver nu en längre PIN-kod: 8–12 siffror');
    expect(view.text()).not.toContain('Karin');
    await fill(byId(view, 'new-pin'), '20581397');
    await fill(byId(view, 'new-pin-again'), '20581397');
    await submit(view, 'Spara PIN-koden');
    await waitFor(() => view.text().includes('Karin Ås'), 'Idag with the data as it was');
    const after = await getMeta('vault');
    expect(Buffer.from(after.wrapped).equals(Buffer.from(before.wrapped))).toBe(false);
    expect(await records.count()).toBeGreaterThan(0);

    await unmountAll();
    lock();
    expect(await unlock(TEST_PIN)).toMatchObject({ ok: false, failures: 1 });
    expect(await unlock('20581397')).toEqual({ ok: true });
  });

  it('a PIN as long as the minimum opens the app without asking again', async () => {
    const server = await aPhone();
    server.phoneSettings = { ...CITY, pin_min: TEST_PIN.length };
    await fetchPhoneSettings();
    lock();
    expect(await unlock(TEST_PIN)).toEqual({ ok: true });
  });
});

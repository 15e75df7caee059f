// @vitest-environment happy-dom
// The lock as a worker meets it (docs/phone-security.md): the PIN chosen after the first
// login, the app locked at start and after five minutes without use, showing nothing of the
// data until the PIN opens it; a wrong PIN says how many tries are left; offline too long,
// the PIN alone does not open it; a passkey in the PIN's place where the phone can have one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getMeta, setMeta } from '../src/data/db.js';
import { lock } from '../src/data/vault.js';
import { App } from '../src/ui/App.jsx';
import { LOCK_AFTER_MS, watchIdle } from '../src/ui/idle-lock.js';
import { aPhone, at, closeApp } from './app.js';
import { anAuthenticator } from './fake-authenticator.js';
import { TEST_PIN, clientData, createFakeServer, visitData } from './fake-server.js';
import { click, fill, mount, unmountAll, waitFor } from './screen.js';

afterEach(closeApp);

const byId = (view, id) => view.root.querySelector(`#${id}`);
const karin = () => [
  ['client', 'c1', clientData({ name: 'Karin Ås' })],
  ['visit', 'v1', visitData('c1', { starts_at: at(0, '10:00'), ends_at: at(0, '11:00') })],
];

async function submit(view, button) {
  await click(await waitFor(() => view.button(button), button));
}

describe('the first login', () => {
  it('asks for a PIN, refuses one too easy to guess or typed differently twice, then opens Idag', async () => {
    const server = createFakeServer();
    for (const [type, id, data] of karin()) server.put(type, id, data);
    vi.stubGlobal('fetch', server.fetch);
    const view = mount(<App />);
    await fill(await waitFor(() => byId(view, 'username'), 'the login'), 'ada');
    await fill(byId(view, 'password'), 'secret');
    await submit(view, 'Logga in');

    await waitFor(() => view.headings().includes('Välj en PIN-kod'), 'the PIN to choose');
    await fill(byId(view, 'new-pin'), '123456');
    await fill(byId(view, 'new-pin-again'), '123456');
    await submit(view, 'Spara PIN-koden');
    expect(view.text()).toContain('PIN-koden är för lätt att gissa.');
    await fill(byId(view, 'new-pin'), '205813');
    await submit(view, 'Spara PIN-koden');
    expect(view.text()).toContain('PIN-koderna är inte lika.');
    expect(await getMeta('vault')).toBeUndefined();

    await fill(byId(view, 'new-pin-again'), '205813');
    await submit(view, 'Spara PIN-koden');
    await waitFor(() => view.text().includes('Karin Ås'), 'Idag with the visit', { timeout: 8000 });
    expect(await getMeta('vault')).toMatchObject({ iterations: 600_000 });
  });
});

describe('a locked app', () => {
  it('shows nothing of the data; a wrong PIN says how many tries are left; the right one opens Idag', async () => {
    await aPhone({ records: karin() });
    lock(); // as at every start
    const view = mount(<App />);
    await waitFor(() => view.headings().includes('Fältstöd är låst'), 'the lock screen');
    expect(view.text()).not.toContain('Karin');
    await fill(byId(view, 'pin'), '975310');
    await submit(view, 'Lås upp');
    await waitFor(() => view.text().includes('Fel PIN-kod. 9 försök kvar, sedan raderas uppgifterna på telefonen.'), 'the wrong PIN');
    expect(byId(view, 'pin').value).toBe('');
    await fill(byId(view, 'pin'), TEST_PIN);
    await submit(view, 'Lås upp');
    await waitFor(() => view.text().includes('Karin Ås'), 'Idag');
  });

  it(`after more than 7 days without reaching the server, the PIN leads to an online login`, async () => {
    await aPhone({ records: karin() });
    await setMeta('online_at', new Date(Date.now() - 8 * 24 * 3600_000).toISOString());
    lock();
    const view = mount(<App />);
    await fill(await waitFor(() => byId(view, 'pin'), 'the lock screen'), TEST_PIN);
    await submit(view, 'Lås upp');
    await waitFor(() => view.text().includes('Telefonen har inte varit ansluten på 7 dagar. Logga in med nät för att fortsätta.'), 'the online login');
    expect(view.headings()).toContain('Logga in');
    expect(view.text()).not.toContain('Karin');
  });

  it('a forgotten PIN deletes the data, after saying what unsent work goes with it', async () => {
    await aPhone({ records: karin() });
    lock();
    const view = mount(<App />);
    await submit(view, 'Glömt PIN-koden?');
    expect(view.text()).toContain('Utan PIN-koden går uppgifterna inte att läsa.');
    await submit(view, 'Radera och logga in');
    await waitFor(() => view.text().includes('Uppgifterna på telefonen har raderats. Logga in igen.'), 'the login');
    expect(await getMeta('vault')).toBeUndefined();
    expect(await getMeta('device_id')).toBe('device-1');
  });
});

describe('locking after a while without use', () => {
  function page() {
    const target = new EventTarget();
    const document = new EventTarget();
    document.visibilityState = 'visible';
    target.document = document;
    return target;
  }

  it('locks five minutes after the last touch, not five minutes after it was opened', () => {
    vi.useFakeTimers();
    try {
      const env = page();
      const onIdle = vi.fn();
      watchIdle(onIdle, { env });
      vi.advanceTimersByTime(4 * 60_000);
      env.dispatchEvent(new Event('pointerdown'));
      vi.advanceTimersByTime(LOCK_AFTER_MS - 1000);
      expect(onIdle).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1000);
      expect(onIdle).toHaveBeenCalledOnce();
      vi.advanceTimersByTime(LOCK_AFTER_MS * 3);
      expect(onIdle).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a page hidden that long locks when it is shown again, even if its timers were held back', () => {
    vi.useFakeTimers();
    try {
      const env = page();
      const onIdle = vi.fn();
      const stop = watchIdle(onIdle, { env });
      env.document.visibilityState = 'hidden';
      vi.setSystemTime(Date.now() + LOCK_AFTER_MS + 1); // time passes, no timer ran
      env.document.visibilityState = 'visible';
      env.document.dispatchEvent(new Event('visibilitychange'));
      expect(onIdle).toHaveBeenCalledOnce();
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a passkey instead of the PIN', () => {
  /** The browser's WebAuthn as the app finds it (globalThis), from a fake authenticator. */
  function withAuthenticator(options) {
    const authenticator = anAuthenticator(options);
    vi.stubGlobal('PublicKeyCredential', authenticator.env.PublicKeyCredential);
    Object.defineProperty(globalThis.navigator, 'credentials', { value: authenticator.env.navigator.credentials, configurable: true });
    return authenticator;
  }
  afterEach(() => {
    delete globalThis.navigator.credentials;
    localStorage.clear();
  });

  it('is offered after the first PIN where the phone can have one, and set up it opens the app instead of the PIN', async () => {
    withAuthenticator();
    const server = createFakeServer();
    for (const [type, id, data] of karin()) server.put(type, id, data);
    vi.stubGlobal('fetch', server.fetch);
    const view = mount(<App />);
    await fill(await waitFor(() => byId(view, 'username'), 'the login'), 'ada');
    await fill(byId(view, 'password'), 'secret');
    await submit(view, 'Logga in');
    await fill(await waitFor(() => byId(view, 'new-pin'), 'the PIN to choose'), '205813');
    await fill(byId(view, 'new-pin-again'), '205813');
    await submit(view, 'Spara PIN-koden');
    await waitFor(() => view.headings().includes('Lås upp med fingeravtryck eller ansikte?'), 'the offer', { timeout: 8000 });
    await submit(view, 'Lås upp med fingeravtryck eller ansikte');
    await waitFor(() => view.text().includes('Karin Ås'), 'Idag', { timeout: 8000 });
    expect((await getMeta('vault')).kdf).toBe('WebAuthn-PRF/HKDF-SHA-256');

    await unmountAll();
    lock();
    const locked = mount(<App />);
    await waitFor(() => locked.headings().includes('Fältstöd är låst'), 'the lock screen');
    await waitFor(() => locked.button('Lås upp med fingeravtryck eller ansikte'), 'the passkey button');
    expect(byId(locked, 'pin')).toBeNull();
    expect(locked.text()).not.toContain('Karin');
    await submit(locked, 'Lås upp med fingeravtryck eller ansikte');
    await waitFor(() => locked.text().includes('Karin Ås'), 'Idag');
  });

  it('is not offered where the phone has no platform authenticator: the PIN leads straight to Idag', async () => {
    const authenticator = withAuthenticator();
    authenticator.env.PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable = async () => false;
    const server = createFakeServer();
    for (const [type, id, data] of karin()) server.put(type, id, data);
    vi.stubGlobal('fetch', server.fetch);
    const view = mount(<App />);
    await fill(await waitFor(() => byId(view, 'username'), 'the login'), 'ada');
    await fill(byId(view, 'password'), 'secret');
    await submit(view, 'Logga in');
    await fill(await waitFor(() => byId(view, 'new-pin'), 'the PIN to choose'), '205813');
    await fill(byId(view, 'new-pin-again'), '205813');
    await submit(view, 'Spara PIN-koden');
    await waitFor(() => view.text().includes('Karin Ås'), 'Idag', { timeout: 8000 });
    expect(view.text()).not.toContain('fingeravtryck');
    expect(authenticator.calls).toEqual([]);
  });
});

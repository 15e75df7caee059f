// @vitest-environment happy-dom
// The server's refusals of a login, as the worker reads them on the login screen: throttled
// after too many wrong passwords (429 too_many_attempts) or every password check busy (503
// busy), each in Swedish with how long to wait, never the generic "misslyckades".
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/ui/App.jsx';
import { closeApp } from './app.js';
import { createFakeServer } from './fake-server.js';
import { click, fill, mount, waitFor } from './screen.js';

afterEach(closeApp);

async function tryLogin(refusal, body, headers) {
  const server = createFakeServer();
  server.failNext('/api/auth/login', refusal, body, headers);
  vi.stubGlobal('fetch', server.fetch);
  const view = mount(<App />);
  await fill(await waitFor(() => view.root.querySelector('#username'), 'the login'), 'ada');
  await fill(view.root.querySelector('#password'), 'secret');
  await click(view.button('Logga in'));
  return view;
}

describe('a refused login', () => {
  it('after too many wrong passwords says so and how many minutes to wait', async () => {
    const view = await tryLogin(429, { code: 429, reason: 'too_many_attempts', message: 'Too many attempts.' }, { 'Retry-After': '120' });
    await waitFor(() => view.text().includes('För många misslyckade inloggningar.'), 'the throttle message');
    expect(view.text()).toContain('Du kan försöka igen om 2 minuter.');
    expect(view.text()).not.toContain('Inloggningen misslyckades');
  });

  it('while the server is busy says so and how many seconds to wait', async () => {
    const view = await tryLogin(503, { code: 503, reason: 'busy', message: 'Busy.' }, { 'Retry-After': '1' });
    await waitFor(() => view.text().includes('Servern är upptagen just nu.'), 'the busy message');
    expect(view.text()).toContain('Du kan försöka igen om 1 sekund.');
  });
});

// A browser whose push subscription the server says is another user's device's (a shared
// browser): the phone subscribes anew (a new endpoint) and sends that one, once.
import { describe, expect, it, vi } from 'vitest';
import { ensurePushSubscription, keyBytes } from '../src/sync/pushsub.js';

const KEY = 'BAEC'; // base64url of [4, 1, 2]
const TAKEN = { code: 409, reason: 'push_subscription_taken', message: 'taken' };

function json(status, body) {
  return { status, ok: status < 400, json: async () => body };
}

function world(answers) {
  const old = {
    options: { applicationServerKey: keyBytes(KEY).buffer },
    toJSON: () => ({ endpoint: 'https://push.example/old', keys: { p256dh: 'p', auth: 'a' } }),
    unsubscribe: vi.fn(async () => true),
  };
  const fresh = { toJSON: () => ({ endpoint: 'https://push.example/new', keys: { p256dh: 'q', auth: 'b' } }) };
  const pushManager = { getSubscription: vi.fn(async () => old), subscribe: vi.fn(async () => fresh) };
  const posted = [];
  vi.stubGlobal('fetch', vi.fn(async (url, init) => {
    if (url === '/api/push/vapid-public-key') return json(200, { public_key: KEY });
    posted.push(JSON.parse(init.body).endpoint);
    return answers.shift();
  }));
  vi.stubGlobal('PushManager', function PushManager() {});
  const env = {
    navigator: { onLine: true, serviceWorker: { ready: Promise.resolve({ pushManager }) } },
    Notification: { permission: 'granted' },
    getToken: async () => 'tok',
  };
  return { env, old, pushManager, posted };
}

describe('a push subscription another user holds', () => {
  it('is replaced by a new one, which the server takes', async () => {
    const w = world([json(409, TAKEN), json(200, { id: 's2' })]);
    expect(await ensurePushSubscription({ env: w.env })).toBe('on');
    expect(w.old.unsubscribe).toHaveBeenCalledOnce();
    expect(w.posted).toEqual(['https://push.example/old', 'https://push.example/new']);
  });

  it('is tried anew only once', async () => {
    const w = world([json(409, TAKEN), json(409, TAKEN)]);
    expect(await ensurePushSubscription({ env: w.env })).toBe('failed');
    expect(w.posted).toHaveLength(2);
  });
});

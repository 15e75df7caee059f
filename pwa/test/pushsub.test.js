// The phone's push subscription at start: key → subscribe → POST, and every quiet way out.
import { describe, expect, it, vi } from 'vitest';
import { ensurePushSubscription, keyBytes } from '../src/sync/pushsub.js';

const KEY = 'BAEC'; // base64url of [4, 1, 2]

function json(status, body) {
  return { status, ok: status < 400, json: async () => body };
}

function world({ permission = 'granted', keyAnswer = json(200, { public_key: KEY }), existing = null } = {}) {
  const subscription = {
    toJSON: () => ({ endpoint: 'https://push.example/abc', expirationTime: null, keys: { p256dh: 'p', auth: 'a' } }),
  };
  const pushManager = {
    getSubscription: vi.fn(async () => existing),
    subscribe: vi.fn(async () => subscription),
  };
  const fetch = vi.fn(async (url, init) => {
    if (url === '/api/push/vapid-public-key') return keyAnswer;
    if (url === '/api/push/subscriptions' && init.method === 'POST') return json(200, { id: 's1' });
    return json(404, {});
  });
  vi.stubGlobal('fetch', fetch);
  vi.stubGlobal('PushManager', function PushManager() {});
  const Notification = { permission, requestPermission: vi.fn(async () => 'granted') };
  const env = {
    navigator: { onLine: true, serviceWorker: { ready: Promise.resolve({ pushManager }) } },
    Notification,
    getToken: async () => 'tok',
  };
  return { env, fetch, pushManager, Notification };
}

describe('ensurePushSubscription', () => {
  it('fetches the key, subscribes with it and posts the subscription', async () => {
    const w = world();
    expect(await ensurePushSubscription({ env: w.env })).toBe('on');
    const options = w.pushManager.subscribe.mock.calls[0][0];
    expect(options.userVisibleOnly).toBe(true);
    expect([...options.applicationServerKey]).toEqual([4, 1, 2]);
    const [url, init] = w.fetch.mock.calls[1];
    expect(url).toBe('/api/push/subscriptions');
    expect(init.headers.Authorization).toBe('Bearer tok');
    expect(JSON.parse(init.body)).toEqual({
      endpoint: 'https://push.example/abc', expirationTime: null, keys: { p256dh: 'p', auth: 'a' },
    });
  });

  it('re-sends a subscription it already holds for the same key', async () => {
    const existing = { options: { applicationServerKey: keyBytes(KEY).buffer }, toJSON: () => ({ endpoint: 'e', keys: {} }) };
    const w = world({ existing });
    expect(await ensurePushSubscription({ env: w.env })).toBe('on');
    expect(w.pushManager.subscribe).not.toHaveBeenCalled();
    expect(JSON.parse(w.fetch.mock.calls[1][1].body).endpoint).toBe('e');
  });

  it('never asks for the permission unless told to (a user gesture)', async () => {
    const w = world({ permission: 'default' });
    expect(await ensurePushSubscription({ env: w.env })).toBe('ask');
    expect(w.Notification.requestPermission).not.toHaveBeenCalled();
    expect(w.fetch).not.toHaveBeenCalled();
    expect(await ensurePushSubscription({ ask: true, env: w.env })).toBe('on');
    expect(w.Notification.requestPermission).toHaveBeenCalledOnce();
  });

  it('is quiet when push is off at the server (503 push_disabled)', async () => {
    const w = world({ keyAnswer: json(503, { reason: 'push_disabled' }) });
    expect(await ensurePushSubscription({ env: w.env })).toBe('disabled');
    expect(w.pushManager.subscribe).not.toHaveBeenCalled();
  });

  it('is quiet when the permission is denied or subscribing fails', async () => {
    expect(await ensurePushSubscription({ env: world({ permission: 'denied' }).env })).toBe('denied');
    const w = world();
    w.pushManager.subscribe.mockRejectedValue(Object.assign(new Error('no'), { name: 'AbortError' }));
    expect(await ensurePushSubscription({ env: w.env })).toBe('unsupported');
  });

  it('says offline when the server cannot be reached', async () => {
    const w = world();
    w.fetch.mockRejectedValue(new TypeError('Failed to fetch'));
    expect(await ensurePushSubscription({ env: w.env })).toBe('offline');
  });
});

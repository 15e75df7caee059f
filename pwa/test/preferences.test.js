// The reminder settings: fetched after a sync at most every few minutes, cached for offline
// use, saved with PUT only online (the form keeps its values on failure).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getMeta } from '../src/data/db.js';
import { DEFAULT_PREFERENCES } from '../src/data/reminder-rules.js';
import { ApiError, NetworkError } from '../src/sync/api.js';
import { createSyncEngine } from '../src/sync/engine.js';
import {
  PREFERENCES_MAX_AGE_MS, cachedPreferences, refreshPreferences, savePreferences, usablePreferences,
} from '../src/sync/preferences.js';
import { createFakeServer, signIn } from './fake-server.js';

let server;
const gets = () => server.requestsTo('/api/reminders/preferences').filter((r) => r.method === 'GET').length;
const at = (minutes) => new Date(Date.parse('2026-11-23T09:00:00Z') + minutes * 60_000);

beforeEach(async () => {
  server = createFakeServer();
  server.preferences = { ...server.preferences, minutes_before: 45, day_before: true };
  await signIn(server, { vi });
});

describe('the cached reminder settings', () => {
  it('are the server\'s defaults until the server has answered', async () => {
    expect(await cachedPreferences()).toEqual(DEFAULT_PREFERENCES);
  });

  it('are fetched and kept, then not fetched again for a few minutes', async () => {
    expect(await refreshPreferences({ now: at(0) })).toMatchObject({ minutes_before: 45, day_before: true });
    expect(await getMeta('reminder_preferences')).toMatchObject({ minutes_before: 45, working_hours: { timezone: 'Europe/Stockholm' } });
    await refreshPreferences({ now: at(PREFERENCES_MAX_AGE_MS / 60_000 - 1) });
    expect(gets()).toBe(1);
    server.preferences = { ...server.preferences, minutes_before: 60 };
    expect(await refreshPreferences({ now: at(PREFERENCES_MAX_AGE_MS / 60_000) })).toMatchObject({ minutes_before: 60 });
    expect(gets()).toBe(2);
  });

  it('stay as they were when the server cannot be reached or answers nonsense', async () => {
    await refreshPreferences({ now: at(0) });
    server.failNext('/api/reminders/preferences', 'network');
    expect(await refreshPreferences({ now: at(60), force: true })).toMatchObject({ minutes_before: 45 });
    server.preferences = { minutes_before: 'soon', working_hours: { start: '22:00', end: '07:00', timezone: 'Europe/Stockholm' } };
    expect(await refreshPreferences({ now: at(120), force: true })).toMatchObject({ minutes_before: 45 });
    expect(usablePreferences({ ...DEFAULT_PREFERENCES, working_hours: { start: '07:00', end: '22:00', timezone: 'Mars/Olympus' } })).toBeNull();
  });

  it('are fetched by a sync, which does not fail when they cannot be', async () => {
    const engine = createSyncEngine({ timers: { setTimeout: () => 0, clearTimeout: () => {} }, env: {} });
    await engine.syncNow();
    expect(await cachedPreferences()).toMatchObject({ minutes_before: 45, day_before: true });
    server.failNext('/api/reminders/preferences', 500, { code: 500 });
    await engine.syncNow();
    expect(engine.getStatus().error).toBeNull();
  });
});

describe('saving the reminder settings', () => {
  it('PUTs the three choices with the token and caches the server\'s answer', async () => {
    const saved = await savePreferences({ minutes_before: 90, day_before: false, morning_digest: true });
    expect(saved).toMatchObject({ minutes_before: 90, day_before: false, morning_digest: true });
    const [put] = server.requestsTo('/api/reminders/preferences');
    expect(put.method).toBe('PUT');
    expect(put.headers.Authorization).toBe(`Bearer ${server.token}`);
    expect(put.body).toEqual({ minutes_before: 90, day_before: false, morning_digest: true });
    expect(await cachedPreferences()).toMatchObject({ minutes_before: 90, morning_digest: true });
  });

  it('throws the server\'s 422 for a bad value and keeps the cache', async () => {
    await refreshPreferences({ now: at(0) });
    const refused = savePreferences({ minutes_before: 1, day_before: false, morning_digest: false });
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(savePreferences({ minutes_before: 1, day_before: false, morning_digest: false }))
      .rejects.toMatchObject({ status: 422, body: { errors: { json: { minutes_before: expect.any(Array) } } } });
    expect(await cachedPreferences()).toMatchObject({ minutes_before: 45 });
  });

  it('throws a NetworkError offline', async () => {
    server.failNext('/api/reminders/preferences', 'network');
    await expect(savePreferences({ minutes_before: 30, day_before: false, morning_digest: false })).rejects.toBeInstanceOf(NetworkError);
  });
});

/**
 * A fake Fältstöd server for the sync tests: a `fetch` that speaks the shapes of
 * sync-protocol.md (push results, pull pages with cursor / has_more / remaining / purge /
 * epoch, digest, login, errors with `reason`) and the reminder APIs (settings, the push
 * subscription's removal, workers without push), records every request and how many were
 * in flight at once, and can be told to fail.
 *
 * It is deliberately small: records are {type, id, version, seq, deleted, data}; a cursor
 * is JSON text naming the epoch and the seq reached (plus the session's end and position
 * while paging); mutations are applied by a few rules close to the server's.
 */
import { createHash } from 'node:crypto';
// What the real server reads too: the mutation catalogue and the reminder settings.
import catalogue from '@contract/mutations.json';
import reminders from '@contract/reminders.json';

const specs = Object.entries(catalogue.mutations);
/** The record type each create makes, and each edit changes, by mutation name. */
const CREATES = Object.fromEntries(specs.filter(([, s]) => s.kind === 'create').map(([name, s]) => [name, s.record]));
const EDITED = Object.fromEntries(specs.filter(([, s]) => s.kind === 'edit').map(([name, s]) => [name, s.record]));
/** The record type each append adds to (note.correct: a note's new version). */
const APPENDED = Object.fromEntries(specs.filter(([, s]) => s.kind === 'append').map(([name, s]) => [name, s.record]));
/** The argument naming the record a mutation is about. */
const recordIdOf = (m) => m.args[catalogue.mutations[m.name]?.record_id ?? 'id'];

/** GET /api/reminders/preferences before a worker has chosen anything (the server's). */
export const DEFAULT_PREFERENCES = {
  ...reminders.preferences.defaults,
  working_hours: { ...reminders.preferences.working_hours },
};
const [FEWEST_MINUTES, MOST_MINUTES] = reminders.preferences.minutes_before_range;

/** A visit's minutes from its times, as the server counts them (Python's round: to even). */
function minutesFrom(startedAt, endedAt) {
  const exact = (Date.parse(endedAt) - Date.parse(startedAt)) / 60000;
  const nearest = Math.round(exact);
  return Math.abs(exact % 1) === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}

function digestHex(lines) {
  const sorted = lines.map((l) => Buffer.from(l, 'utf8')).sort(Buffer.compare);
  return createHash('sha256').update(Buffer.concat(sorted)).digest('hex');
}

export function createFakeServer({ epoch = 'epoch-1', user = { id: 'u1', name: 'Ada', role: 'support_worker', team_id: 't1' } } = {}) {
  const s = {
    epoch,
    user,
    seq: 0,
    records: new Map(),
    answers: new Map(),
    produced: new Map(),
    verdicts: new Map(),
    purges: [],
    requests: [],
    pushed: [],
    failures: [],
    active: 0,
    maxActive: 0,
    delayMs: 2,
    minAppVersion: '1.0.0',
    // GET /api/phone/settings: the server's defaults unless a test sets the city's.
    phoneSettings: { lock_minutes: 5, max_offline_days: 7, pin_min: 6, followup_months: 6 },
    // GET /api/districts: none known unless a test gives them.
    districts: [],
    token: 'token-1',
    devices: new Set(),
    nextPageHook: null,
    // The real server answers a cursor of another epoch with 410; turned off, a test sees
    // how the phone treats a page whose epoch differs from the one it stored.
    expireOtherEpochs: true,
    // /api/reminders/preferences and /api/push/*.
    preferences: structuredClone(DEFAULT_PREFERENCES),
    pushSubscriptions: 1,
    withoutPush: { push_enabled: true, push_off_reason: null, workers: [] },
  };

  const key = (type, id) => `${type}:${id}`;

  s.put = (type, id, data) => {
    const old = s.records.get(key(type, id));
    s.seq += 1;
    const record = { type, id, version: (old?.version ?? 0) + 1, seq: s.seq, deleted: false, data: { id, ...data } };
    s.records.set(key(type, id), record);
    return record;
  };
  s.remove = (type, id) => {
    const old = s.records.get(key(type, id));
    s.seq += 1;
    s.records.set(key(type, id), { type, id, version: (old?.version ?? 0) + 1, seq: s.seq, deleted: true, data: null });
  };
  s.get = (type, id) => s.records.get(key(type, id));
  /** The client leaves the user's scope: the next pull purges it and no pull or digest
   * names its records again (they stay on the server, where pushes about them still land). */
  s.hidden = new Set();
  s.purgeClient = (clientId) => {
    s.hidden.add(clientId);
    s.purges.push({ type: 'client', id: clientId });
  };
  // A personal reminder is in the worker's scope, whatever client it names.
  const inScope = (r) => r.type === 'reminder' || !s.hidden.has(r.type === 'client' ? r.id : r.data?.client_id);
  /** The next request to `path` fails: 'network' or an HTTP status with a body (and
   * headers, e.g. {'Retry-After': '120'}). */
  s.failNext = (path, how, body = {}, headers = {}) => s.failures.push({ path, how, body, headers });
  /** The next time mutation `id` is pushed it gets this verdict instead of being applied. */
  s.verdict = (id, verdict) => s.verdicts.set(id, verdict);
  /** The next mutation named `name` gets this verdict (its id is made on the phone). */
  s.nextOf = new Map();
  s.verdictForNext = (name, verdict) => s.nextOf.set(name, verdict);
  s.requestsTo = (path) => s.requests.filter((r) => r.path === path);
  /** While `s.deferring(m)` is true for a pushed mutation it is answered `deferred`
   * (`parked_quota`, as at the real server's parked quota) and nothing of it is kept. */
  s.deferring = () => false;
  s.digest = () => {
    const live = [...s.records.values()].filter((r) => !r.deleted && inScope(r));
    return digestHex(live.map((r) => `${r.type}:${r.id}:${r.version}\n`));
  };
  s.restore = (newEpoch, { keepAnswers = false } = {}) => {
    s.epoch = newEpoch;
    if (!keepAnswers) {
      s.answers.clear();
      s.produced.clear();
    }
  };

  // A created record as the server gives it back, by type (the fields a create leaves out).
  const CREATED = {
    // As load_notes gives a note: every version, the first included.
    note: (args, m) => ({
      ...args, author_id: s.user.id, written_at: m.occurred_at,
      versions: [{ id: args.id, text: args.text, author_id: s.user.id, written_at: m.occurred_at }],
    }),
    reminder: (args) => ({ client_id: null, status: 'open', done_at: null, ...args }),
    visit: (args, m) => ({ worker_id: s.user.id, status: m.name === 'visit.log' ? 'done' : 'planned', activities: [], ...args }),
    consent: (args) => ({ worker_id: s.user.id, valid_until: null, withdrawn_on: null, ...args, party: args.party.trim() }),
    concern: (args, m) => ({ worker_id: s.user.id, recorded_at: m.occurred_at, ...args }),
    deviation: (args, m) => ({ author_id: s.user.id, client_id: null, recorded_at: m.occurred_at, ...args }),
    plan_dialogue: (args, m) => ({ author_id: s.user.id, order_id: null, points: null, outcome: null, written_at: m.occurred_at, ...args }),
    followup: (args, m) => ({ worker_id: s.user.id, subgoal_id: null, measure: null, recorded_at: m.occurred_at, ...args }),
    appointment: (args) => ({
      worker_id: s.user.id, status: 'planned', ends_at: null, place: null, participants: null, consent_warning: false, consent_stale: false,
      ...args, with: args.with.trim(),
    }),
    contact: (args) => ({
      worker_id: s.user.id, place_type: null, party: null, consent_id: null, consent_warning: false, consent_stale: false, late: false, ...args,
    }),
  };

  function park(m, verdict, recordType, recordId) {
    const parkedId = crypto.randomUUID();
    const reason = verdict.status === 'conflict' ? 'conflict' : verdict.code;
    s.put('parked', parkedId, {
      mutation_id: m.id, author_id: s.user.id, mutation: m, status: 'open', reason,
      message: verdict.message ?? reason, fields: verdict.fields ?? [], field_errors: {},
      server_values: verdict.server_values ?? null, record_type: recordType, record_id: recordId,
      created_at: '2026-11-23T10:00:00+01:00', resolution: null,
    });
    if (verdict.status === 'conflict') return { id: m.id, status: 'conflict', parked_id: parkedId, fields: verdict.fields ?? [] };
    return { id: m.id, status: 'rejected', parked_id: parkedId, error: { code: verdict.code, message: reason } };
  }

  function judge(m) {
    const recordType = CREATES[m.name] ?? EDITED[m.name] ?? APPENDED[m.name] ?? 'visit';
    const recordId = recordIdOf(m);
    if (s.nextOf.has(m.name) && !s.answers.has(m.id)) {
      s.verdicts.set(m.id, s.nextOf.get(m.name));
      s.nextOf.delete(m.name);
    }
    const forced = s.verdicts.get(m.id);
    if (forced) return park(m, forced, recordType, recordId);
    if (CREATES[m.name]) {
      const { note, ...args } = m.args;
      if (m.name === 'reminder.add' && args.worker_id !== s.user.id) {
        return park(m, { status: 'rejected', code: 'forbidden' }, recordType, recordId);
      }
      const data = (CREATED[recordType] ?? CREATED.visit)(args, m);
      const record = s.put(recordType, recordId, data);
      s.produced.set(m.id, record.version);
      return { id: m.id, status: 'applied', server_seq: s.seq };
    }
    const current = s.get(recordType, recordId);
    if (!current || current.deleted) return park(m, { status: 'rejected', code: 'not_found' }, recordType, recordId);
    if (m.name === 'note.correct') {
      // An append: no base, never a conflict; a new version after the note's others.
      const { versions = [], author_id, text, written_at } = current.data;
      const held = versions.length ? versions : [{ id: recordId, text, author_id, written_at }];
      if (held.some((v) => v.id === m.args.id)) return park(m, { status: 'rejected', code: 'already_exists' }, recordType, recordId);
      const version = { id: m.args.id, text: m.args.text, author_id: s.user.id, written_at: m.occurred_at };
      const record = s.put(recordType, recordId, { ...current.data, text: m.args.text, versions: [...held, version] });
      s.produced.set(m.id, record.version);
      return { id: m.id, status: 'applied', server_seq: s.seq };
    }
    if (m.base_mutation_id !== undefined) {
      const base = s.answers.get(m.base_mutation_id);
      if (base && base.status !== 'applied') return park(m, { status: 'rejected', code: 'depends_on_parked' }, recordType, recordId);
      if (!base) return park(m, { status: 'rejected', code: 'validation' }, recordType, recordId);
    } else if (!(m.base_version >= 1 && m.base_version <= current.version)) {
      return park(m, { status: 'rejected', code: 'validation' }, recordType, recordId);
    }
    let changes;
    if (m.name === 'visit.complete') {
      const { started_at, ended_at, activities, minutes } = m.args;
      changes = { status: 'done', started_at, ended_at, activities, minutes: minutes ?? minutesFrom(started_at, ended_at) };
    } else if (m.name === 'visit.cancel') {
      if (current.data.status !== 'planned') return park(m, { status: 'rejected', code: 'invalid_state' }, recordType, recordId);
      changes = { status: 'cancelled', cancel_reason: m.args.reason, cancelled_at: m.occurred_at };
    } else if (m.name === 'reminder.done' || m.name === 'reminder.snooze') {
      if (current.data.status !== 'open') return park(m, { status: 'rejected', code: 'invalid_state' }, recordType, recordId);
      changes = m.name === 'reminder.done' ? { status: 'done', done_at: m.occurred_at } : { remind_at: m.args.until };
    } else if (m.name === 'visit.reschedule') {
      if (current.data.status !== 'planned') return park(m, { status: 'rejected', code: 'invalid_state' }, recordType, recordId);
      changes = { starts_at: m.args.starts_at, ends_at: m.args.ends_at ?? null, place: m.args.place ?? null };
    } else if (m.name.startsWith('appointment.')) {
      if (current.data.status !== 'planned') return park(m, { status: 'rejected', code: 'invalid_state' }, recordType, recordId);
      const { id, note, ...given } = m.args;
      changes = m.name === 'appointment.update' ? given : { status: m.name === 'appointment.cancel' ? 'cancelled' : m.args.outcome };
    } else if (m.name === 'consent.withdraw') {
      changes = { withdrawn_on: m.args.withdrawn_on };
    } else if (m.name === 'client.update') {
      changes = Object.fromEntries(['whereabouts', 'phone', 'contact_notes'].filter((f) => f in m.args).map((f) => [f, m.args[f]]));
    } else if (m.name === 'plan.update') {
      changes = { activities: m.args.activities };
    } else if (m.name === 'parked.resolve') {
      changes = { status: 'resolved', resolution: { action: m.args.action, by: s.user.id, mutation_id: m.id } };
    } else {
      return park(m, { status: 'rejected', code: 'unknown_mutation' }, recordType, recordId);
    }
    const record = s.put(recordType, recordId, { ...current.data, ...changes });
    s.produced.set(m.id, record.version);
    return { id: m.id, status: 'applied', server_seq: s.seq };
  }

  function push(body) {
    const order = [...body.mutations].sort((a, b) => a.device_seq - b.device_seq);
    const byId = new Map();
    for (const m of order) {
      s.pushed.push(m);
      if (!s.answers.has(m.id) && s.deferring(m)) {
        byId.set(m.id, { id: m.id, status: 'deferred', retry_after: 900, error: { code: 'parked_quota', message: 'quota' } });
        continue;
      }
      if (!byId.has(m.id)) byId.set(m.id, s.answers.get(m.id) ?? judge(m));
      s.answers.set(m.id, byId.get(m.id));
    }
    return { status: 200, body: { results: body.mutations.map((m) => byId.get(m.id)), server_time: '2026-11-23T10:00:00Z' } };
  }

  function pull(query) {
    const limit = Number(query.get('limit') ?? 500);
    const text = query.get('cursor');
    let held = null;
    if (text) {
      try {
        held = JSON.parse(text);
      } catch {
        held = { e: null };
      }
      if (held.e !== s.epoch && s.expireOtherEpochs) return { status: 410, body: { code: 410, status: 'Gone', message: 'expired', reason: 'cursor_expired' } };
    }
    const inSession = held?.high !== undefined;
    const high = inSession ? held.high : s.seq;
    const from = inSession ? held.pos : (held?.seq ?? 0);
    const list = [...s.records.values()]
      .filter((r) => r.seq > from && r.seq <= high && (held || !r.deleted) && inScope(r))
      .sort((a, b) => a.seq - b.seq);
    const page = list.slice(0, limit);
    const hasMore = list.length > limit;
    const purge = held && !inSession ? s.purges.splice(0) : [];
    const cursor = hasMore ? { e: s.epoch, high, pos: page.at(-1).seq } : { e: s.epoch, seq: high };
    const body = {
      changes: page.map((r) => ({ type: r.type, id: r.id, version: r.version, deleted: r.deleted, data: r.deleted ? null : r.data })),
      purge,
      cursor: JSON.stringify(cursor),
      has_more: hasMore,
      remaining: list.length - page.length,
      server_time: '2026-11-23T10:00:00Z',
      epoch: s.epoch,
      min_app_version: s.minAppVersion,
    };
    if (s.nextPageHook) {
      const hook = s.nextPageHook;
      s.nextPageHook = null;
      hook(body);
    }
    return { status: 200, body, raw: true };
  }

  function login(body) {
    if (body.password !== 'secret') return { status: 401, body: { code: 401, message: 'Wrong username or password.', reason: 'invalid_credentials' } };
    if (body.device_id && !s.devices.has(body.device_id)) {
      return { status: 401, body: { code: 401, message: 'Not your device.', reason: 'unknown_device' } };
    }
    const deviceId = body.device_id ?? crypto.randomUUID();
    s.devices.add(deviceId);
    return { status: 200, body: { token: s.token, device_id: deviceId, user: s.user } };
  }

  function savePreferences(body) {
    const errors = {};
    const minutes = body?.minutes_before;
    if (!Number.isInteger(minutes) || minutes < FEWEST_MINUTES || minutes > MOST_MINUTES) errors.minutes_before = ['Must be greater than or equal to 5 and less than or equal to 240.'];
    for (const name of ['day_before', 'morning_digest']) {
      if (typeof body?.[name] !== 'boolean') errors[name] = ['Not a valid boolean.'];
    }
    if (Object.keys(errors).length) {
      return { status: 422, body: { code: 422, status: 'Unprocessable Entity', message: 'Invalid reminder settings.', errors: { json: errors } } };
    }
    s.preferences = { ...s.preferences, minutes_before: minutes, day_before: body.day_before, morning_digest: body.morning_digest };
    return { status: 200, body: s.preferences };
  }

  function route(method, path, query, body) {
    if (path === '/api/reminders/preferences') return method === 'PUT' ? savePreferences(body) : { status: 200, body: s.preferences };
    if (path === '/api/push/subscriptions' && method === 'DELETE') {
      s.pushSubscriptions = 0;
      return { status: 204, body: null };
    }
    if (path === '/api/push/workers-without-push') {
      if (s.user.role !== 'supervisor') return { status: 403, body: { code: 403, message: 'Only a supervisor sees this.', reason: 'forbidden' } };
      return { status: 200, body: s.withoutPush };
    }
    if (path === '/api/phone/settings') return { status: 200, body: s.phoneSettings };
    if (path === '/api/districts') return { status: 200, body: s.districts };
    if (path === '/api/auth/login') return login(body);
    if (path === '/api/auth/logout') return { status: 204, body: null };
    if (path === '/api/sync/push') return push(body);
    if (path === '/api/sync/pull') return pull(query);
    if (path === '/api/sync/digest') {
      return { status: 200, body: { digest: s.digest(), cursor: JSON.stringify({ e: s.epoch, seq: s.seq }) } };
    }
    return { status: 404, body: { code: 404, message: 'Not found' } };
  }

  s.fetch = async (url, init = {}) => {
    const parsed = new URL(url, 'https://faltstod.test');
    const body = init.body ? JSON.parse(init.body) : undefined;
    const request = { method: init.method ?? 'GET', path: parsed.pathname, query: parsed.searchParams, body, headers: init.headers ?? {} };
    s.requests.push(request);
    s.active += 1;
    s.maxActive = Math.max(s.maxActive, s.active);
    try {
      await new Promise((resolve) => setTimeout(resolve, s.delayMs));
      const failure = s.failures.findIndex((f) => f.path === request.path);
      if (failure >= 0) {
        const { how, body: errorBody, headers } = s.failures.splice(failure, 1)[0];
        if (how === 'network') throw new TypeError('Failed to fetch');
        return response(how, errorBody, false, headers);
      }
      const auth = request.path.startsWith('/api/auth/login') || request.headers.Authorization === `Bearer ${s.token}`;
      if (!auth) return response(401, { code: 401, message: 'Not logged in.', reason: 'invalid_token' });
      const answer = route(request.method, request.path, request.query, body);
      return response(answer.status, answer.body, answer.raw);
    } finally {
      s.active -= 1;
    }
  };

  return s;
}

/** A minimal fetch Response. `raw` hands the body over without a JSON round trip (so a test
 * can put a value in a page that IndexedDB cannot store). */
function response(status, body, raw = false, headers = {}) {
  const copy = raw ? body : JSON.parse(JSON.stringify(body ?? null));
  const named = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { ok: status >= 200 && status < 300, status, json: async () => copy, headers: { get: (name) => named.get(name.toLowerCase()) ?? null } };
}

/** Sample records in the server's shapes. */
export function clientData(overrides = {}) {
  return { name: 'Karin', service: 'housing_support', team_id: 't1', protected_identity: false, ...overrides };
}

export function visitData(clientId, overrides = {}) {
  return {
    client_id: clientId, worker_id: 'u1', status: 'planned',
    starts_at: '2026-11-23T10:00:00+01:00', ends_at: '2026-11-23T11:00:00+01:00',
    started_at: null, ended_at: null, minutes: null, activities: [], place: null,
    cancel_reason: null, cancelled_at: null, ...overrides,
  };
}

export function reminderData(overrides = {}) {
  return {
    worker_id: 'u1', client_id: null, text: 'Ring psykiatrin', remind_at: '2026-11-23T09:00:00+01:00',
    status: 'open', done_at: null, ...overrides,
  };
}

// The test phone's PIN, and a PBKDF2 count that keeps tests fast (the app's is 600 000).
export const TEST_PIN = '135790';
export const TEST_ITERATIONS = 10;

/** The phone as after a login against `server` and the PIN chosen: token and user in meta
 * (sealed, the vault open), `fetch` stubbed. */
export async function signIn(server, { vi }) {
  const { setMeta } = await import('../src/data/db.js');
  const { beginVault, setPin } = await import('../src/data/vault.js');
  vi.stubGlobal('fetch', server.fetch);
  await beginVault();
  await setPin(TEST_PIN, { iterations: TEST_ITERATIONS });
  await setMeta('token', server.token);
  await setMeta('user', server.user);
  await setMeta('device_id', 'device-1');
  await setMeta('online_at', new Date().toISOString());
}

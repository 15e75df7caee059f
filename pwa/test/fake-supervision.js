/**
 * The supervisor's side of the fake server: the team and its caseloads (GET /api/team,
 * POST /api/team/assignments[/end], as server/api/team.py), the sync dashboard and the
 * device routes, the workload dashboard and the monthly report (the shapes of
 * ../shared/docs/supervision.md). `supervise(server, world)` answers those paths and hands
 * every other one to the sync fake (fake-server.js), whose user should be a supervisor.
 * `world` is plain data a test changes at will; `requests` records what was asked.
 */

const CAPS = { cm: 10, support_worker: 15 };
const SERVES = { cm: 'cm', support_worker: 'housing_support' };

/** A team of two field workers (Anna, boendestöd, 14 of 15; Bo, CM, 10 of 10) and their
 * supervisor Sara, with one client each; a second team led by Sara, for switching. */
export function aTeamWorld() {
  const t1 = { id: 't1', name: 'Team Södermalm', district: 'Södermalm' };
  const t2 = { id: 't2', name: 'Team Farsta', district: 'Farsta' };
  return {
    teams: [t1, t2],
    workers: {
      t1: [
        { id: 'w-anna', name: 'Anna Berg', username: 'anna', role: 'support_worker', active: true, caseload: 14, cap: 15, device_records: 12000, record_bytes: 2048 },
        { id: 'w-bo', name: 'Bo Ek', username: 'bo', role: 'cm', active: true, caseload: 10, cap: 10, device_records: 9000, record_bytes: 2048 },
        { id: 'w-cia', name: 'Cia Holm', username: 'cia', role: 'support_worker', active: true, caseload: 3, cap: 15, device_records: 3000, record_bytes: 2048 },
        { id: 's1', name: 'Sara Lind', username: 'sara', role: 'supervisor', active: true, caseload: 0, cap: null, device_records: 0, record_bytes: 2048 },
      ],
      t2: [{ id: 'w-dan', name: 'Dan Falk', username: 'dan', role: 'support_worker', active: true, caseload: 2, cap: 15, device_records: 1500, record_bytes: 2048 }],
    },
    clients: {
      t1: [
        { id: 'c-karin', name: 'Karin Ås', service: 'housing_support', protected_identity: false, workers: [{ worker_id: 'w-anna', service: 'housing_support' }], records: 800 },
        { id: 'c-lars', name: 'Lars Öst', service: 'cm', protected_identity: false, workers: [{ worker_id: 'w-bo', service: 'cm' }], records: 900 },
        { id: 'c-maja', name: 'Maja Ny', service: 'housing_support', protected_identity: false, workers: [], records: 600 },
      ],
      t2: [{ id: 'c-nils', name: 'Nils Sand', service: 'housing_support', protected_identity: false, workers: [{ worker_id: 'w-dan', service: 'housing_support' }], records: 500 }],
    },
    deviceBudget: { records: 20000, megabytes: 100 },
    // Cover grants in force, as GET /api/cover answers them (server/security/cover.py).
    cover: [],
    dashboards: { t1: { devices: [] }, t2: { devices: [] } },
    workload: {},
    reports: {},
    csv: {},
    html: {},
    now: '2026-11-27T15:00:00+01:00',
  };
}

/** A device row of the sync dashboard. */
export function aDevice(overrides = {}) {
  return {
    device_id: 'd-anna', device_name: 'Annas telefon', worker_id: 'w-anna', worker_name: 'Anna Berg',
    status: 'active', last_push_at: '2026-11-27T14:00:00+01:00', last_pull_at: '2026-11-27T14:00:00+01:00',
    outbox_size: 0, outbox_oldest_at: null, app_version: '1.0.0', clock_skew_seconds: 0, seq_gaps: 0,
    push: 'ok', parked_open: 0, alerts: [], ...overrides,
  };
}

const json = (status, body) => ({ status, body });
const problem = (status, reason, message) => json(status, { code: status, status: 'Error', message, reason });

export function supervise(server, world = aTeamWorld()) {
  const requests = [];
  const own = () => server.user.team_id;
  const teamOf = (teamId) => teamId || own();
  const leads = (teamId) => world.teams.some((t) => t.id === teamId);

  function teamAnswer(teamId) {
    return {
      team: world.teams.find((t) => t.id === teamId),
      teams: world.teams,
      workers: world.workers[teamId] ?? [],
      clients: world.clients[teamId] ?? [],
      device_budget: world.deviceBudget,
    };
  }

  function findWorker(workerId) {
    for (const [teamId, workers] of Object.entries(world.workers)) {
      const worker = workers.find((w) => w.id === workerId);
      if (worker) return { teamId, worker };
    }
    return null;
  }

  function assign({ client_id: clientId, worker_id: workerId }) {
    const found = findWorker(workerId);
    if (!found) return problem(404, 'not_found', 'No worker with this id.');
    const client = (world.clients[found.teamId] ?? []).find((c) => c.id === clientId);
    if (!client) return problem(403, 'forbidden', "The client is not of the worker's team.");
    const { worker } = found;
    if (SERVES[worker.role] !== client.service) {
      return problem(422, 'role_mismatch', `a ${worker.role} works in ${SERVES[worker.role]}, not in ${client.service}`);
    }
    if (client.workers.some((w) => w.worker_id === workerId)) return problem(409, 'assignment_refused', 'already assigned to this worker');
    if (worker.caseload >= CAPS[worker.role]) {
      return problem(409, 'assignment_refused', `the worker already has ${CAPS[worker.role]} clients, the cap for the role ${worker.role}`);
    }
    if (worker.device_records + client.records > world.deviceBudget.records) {
      return problem(409, 'over_device_budget', "With this client the worker's phone would hold more than the data budget.");
    }
    for (const previous of client.workers.filter((w) => w.service === client.service)) {
      findWorker(previous.worker_id).worker.caseload -= 1;
      findWorker(previous.worker_id).worker.device_records -= client.records;
    }
    worker.device_records += client.records;
    client.workers = [...client.workers.filter((w) => w.service !== client.service), { worker_id: workerId, service: client.service }];
    worker.caseload += 1;
    return json(200, teamAnswer(found.teamId));
  }

  function end({ client_id: clientId, worker_id: workerId }) {
    const found = findWorker(workerId);
    if (!found) return problem(404, 'not_found', 'No worker with this id.');
    const client = (world.clients[found.teamId] ?? []).find((c) => c.id === clientId);
    if (!client || !client.workers.some((w) => w.worker_id === workerId)) return problem(404, 'not_found', 'not assigned to this worker');
    client.workers = client.workers.filter((w) => w.worker_id !== workerId);
    found.worker.caseload -= 1;
    return json(200, teamAnswer(found.teamId));
  }

  function endDevice(deviceId, how) {
    for (const dashboard of Object.values(world.dashboards)) {
      const device = dashboard.devices.find((d) => d.device_id === deviceId);
      if (!device) continue;
      if (how === 'retire' && device.status === 'revoked') return problem(409, 'already_revoked', 'This device has been revoked; it cannot be retired.');
      if (device.status !== 'revoked') device.status = how === 'revoke' ? 'revoked' : 'retired';
      return json(200, how === 'revoke' ? { ...device, unsent_reported: device.outbox_size } : device);
    }
    return problem(404, 'not_found', 'No device with this id.');
  }

  function report(month, query) {
    const teamId = teamOf(query.get('team_id'));
    const held = world.reports[`${teamId}:${month}`];
    if (!held) return problem(404, 'not_found', 'No report.');
    const orderer = query.get('orderer');
    const format = query.get('format') || 'json';
    if (format === 'csv') return { status: 200, text: world.csv[`${teamId}:${month}:${orderer ?? ''}`] ?? '\uFEFForderer;client\r\n', type: 'text/csv; charset=utf-8' };
    if (format === 'html') return { status: 200, text: world.html[`${teamId}:${month}`] ?? '<!doctype html><title>Rapport</title><p>Rapport', type: 'text/html; charset=utf-8' };
    const rows = orderer ? held.rows.filter((r) => r.orderer === orderer) : held.rows;
    return json(200, { ...held, rows });
  }

  function approve(month, query) {
    const teamId = teamOf(query.get('team_id'));
    const held = world.reports[`${teamId}:${month}`];
    if (!held) return problem(404, 'not_found', 'No report.');
    if (month >= world.now.slice(0, 7)) return problem(422, 'invalid_month', 'only a month that has ended can be approved');
    if (held.approved_at) return problem(409, 'already_approved', `${month} is already approved for this team.`);
    held.approved_at = world.now;
    held.approved_by = server.user.id;
    held.approved_by_name = server.user.name;
    return json(200, { team_id: teamId, month, approved_at: held.approved_at, approved_by: held.approved_by });
  }

  function grantCover({ absent_worker_id: absentId, covering_worker_id: coveringId, until }) {
    const absent = findWorker(absentId)?.worker;
    const covering = findWorker(coveringId)?.worker;
    if (!absent || !covering) return problem(404, 'not_found', 'No worker with this id.');
    if (absent.id === covering.id || absent.role !== covering.role || !covering.active || until < world.now.slice(0, 10)) {
      return problem(422, 'cover_refused', 'A worker covers a colleague of the same role only.');
    }
    const grant = {
      id: `g-${world.cover.length + 1}`, absent_worker_id: absentId, covering_worker_id: coveringId, until,
      starts_at: world.now, ends_at: `${until}T23:00:00Z`, granted_by: server.user.id, granted_at: world.now, ended_at: null, in_force: true,
    };
    world.cover.push(grant);
    return json(200, grant);
  }

  function endCover(grantId) {
    const grant = world.cover.find((g) => g.id === grantId);
    if (!grant) return problem(404, 'not_found', 'No cover grant with this id.');
    world.cover = world.cover.filter((g) => g.id !== grantId);
    return json(200, { ...grant, in_force: false, ended_at: world.now });
  }

  function route(method, path, query, body) {
    const teamId = teamOf(query.get('team_id'));
    if (path === '/api/cover' && method === 'GET') {
      const ids = new Set((world.workers[teamId] ?? []).map((w) => w.id));
      return json(200, { grants: world.cover.filter((g) => ids.has(g.absent_worker_id) || ids.has(g.covering_worker_id)) });
    }
    if (path === '/api/cover' && method === 'POST') return grantCover(body);
    const coverEnd = /^\/api\/cover\/([^/]+)\/end$/.exec(path);
    if (coverEnd && method === 'POST') return endCover(decodeURIComponent(coverEnd[1]));
    if (path === '/api/team' && method === 'GET') return leads(teamId) ? json(200, teamAnswer(teamId)) : problem(403, 'forbidden', 'Only a team\'s supervisor sees the team.');
    if (path === '/api/team/assignments' && method === 'POST') return assign(body);
    if (path === '/api/team/assignments/end' && method === 'POST') return end(body);
    if (path === '/api/dashboard/sync' && method === 'GET') {
      const dashboard = world.dashboards[teamId];
      return dashboard ? json(200, { generated_at: world.now, team_id: teamId, parked_open: 0, ...dashboard }) : problem(403, 'forbidden', 'Only a team\'s supervisor sees its dashboards and reports.');
    }
    const device = /^\/api\/devices\/([^/]+)\/(revoke|retire)$/.exec(path);
    if (device && method === 'POST') return endDevice(decodeURIComponent(device[1]), device[2]);
    if (path === '/api/dashboard/workload' && method === 'GET') {
      const month = query.get('month') || world.now.slice(0, 7);
      const held = world.workload[`${teamId}:${month}`];
      return held ? json(200, held) : problem(404, 'not_found', 'No workload.');
    }
    const monthly = /^\/api\/reports\/monthly\/(\d{4}-\d{2})(\/approve)?$/.exec(path);
    if (monthly && method === 'GET' && !monthly[2]) return report(monthly[1], query);
    if (monthly && method === 'POST' && monthly[2]) return approve(monthly[1], query);
    return null;
  }

  const syncFetch = server.fetch;
  const fetch = async (url, init = {}) => {
    const parsed = new URL(url, 'https://faltstod.test');
    const body = init.body ? JSON.parse(init.body) : undefined;
    const method = init.method ?? 'GET';
    const answer = route(method, parsed.pathname, parsed.searchParams, body);
    if (!answer) return syncFetch(url, init);
    requests.push({ method, path: parsed.pathname, query: parsed.searchParams, body });
    const failure = server.failures.findIndex((f) => f.path === parsed.pathname);
    if (failure >= 0) {
      const { how, body: errorBody } = server.failures.splice(failure, 1)[0];
      if (how === 'network') throw new TypeError('Failed to fetch');
      return respond({ status: how, body: errorBody });
    }
    if (init.headers?.Authorization !== `Bearer ${server.token}`) return respond(problem(401, 'invalid_token', 'Not logged in.'));
    return respond(answer);
  };
  server.fetch = fetch;
  return { world, requests, requestsTo: (path) => requests.filter((r) => r.path === path), fetch };
}

function respond({ status, body, text, type }) {
  const ok = status >= 200 && status < 300;
  const copy = text === undefined ? JSON.parse(JSON.stringify(body ?? null)) : null;
  return {
    ok,
    status,
    headers: new Map([['content-type', type ?? 'application/json']]),
    json: async () => {
      if (text !== undefined) throw new SyntaxError('not JSON');
      return copy;
    },
    text: async () => text ?? JSON.stringify(copy),
    blob: async () => new Blob([text ?? JSON.stringify(copy)], { type: type ?? 'application/json' }),
  };
}

/** The supervisor Sara of aTeamWorld, as the sync fake's user. */
export const SUPERVISOR = { id: 's1', name: 'Sara Lind', role: 'supervisor', team_id: 't1' };

/**
 * The supervisor's server calls (../shared/docs/supervision.md, server/api/team.py): the
 * team and its caseloads, the sync dashboard and the devices, the workload dashboard and
 * the monthly report. Reads are cached on the phone (meta, through db.js) with the time
 * they were fetched, so a supervisor offline still sees the last answer ("senast hämtad
 * HH:MM"); actions (assign, revoke, approve, …) need the server and throw NetworkError
 * offline. What a person is called and which worker serves which client, as last fetched,
 * is kept in the team directory (meta `team_directory`), which the phone's own screens read
 * (data/queries.js: Mina brukare, a visit, a parked item).
 */
import { getMeta, setMeta, transaction } from '../data/db.js';
import { NetworkError, request } from './api.js';

// meta keys: the cached answers ({[key]: {fetched_at, data}}), the team directory, and the
// team the supervisor last chose (a unit manager leads several).
const CACHE = 'supervision_cache';
const DIRECTORY = 'team_directory';
const CHOSEN_TEAM = 'supervision_team';

// Enough answers for a month's work (teams × screens × months looked at); the oldest go first.
const MAX_CACHED = 60;

const nowISO = () => new Date().toISOString();

async function remember(key, data) {
  const fetchedAt = nowISO();
  await transaction('rw', ['meta'], async () => {
    const all = { ...((await getMeta(CACHE)) || {}), [key]: { fetched_at: fetchedAt, data } };
    const keys = Object.keys(all).sort((a, b) => all[a].fetched_at.localeCompare(all[b].fetched_at));
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_CACHED))) delete all[old];
    await setMeta(CACHE, all);
  });
  return fetchedAt;
}

/** The last answer stored under `key`: {fetched_at, data} or null. */
export async function cachedAnswer(key) {
  return ((await getMeta(CACHE)) || {})[key] ?? null;
}

/**
 * `load()` from the server, remembered under `key`: {data, fetchedAt, offline: false}; when
 * the server cannot be reached, the remembered answer with `offline: true` (or the
 * NetworkError when there is none). Other errors (ApiError) are thrown.
 */
export async function fetchRemembered(key, load) {
  try {
    const data = await load();
    return { data, fetchedAt: await remember(key, data), offline: false };
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const held = await cachedAnswer(key);
    if (!held) throw error;
    return { data: held.data, fetchedAt: held.fetched_at, offline: true };
  }
}

/** The team the supervisor last chose (null: their own). */
export const chosenTeam = () => getMeta(CHOSEN_TEAM).then((id) => id ?? null);
export const chooseTeam = (teamId) => setMeta(CHOSEN_TEAM, teamId);

// ---- The team directory: names and who serves whom, for the phone's own screens -------

async function updateDirectory(change) {
  await transaction('rw', ['meta'], async () => {
    const held = (await getMeta(DIRECTORY)) || { workers: {}, clients: {}, devices: {} };
    const next = { workers: { ...held.workers }, clients: { ...held.clients }, devices: { ...held.devices } };
    change(next);
    await setMeta(DIRECTORY, next);
  });
}

/** A team answer (GET /api/team) into the directory: its workers' names, and who serves
 * each of its clients now. */
function learnTeam(team) {
  return updateDirectory((directory) => {
    for (const worker of team.workers || []) directory.workers[worker.id] = { name: worker.name, role: worker.role };
    for (const client of team.clients || []) directory.clients[client.id] = (client.workers || []).map((w) => w.worker_id);
  });
}

/** A sync dashboard answer into the directory: each device's name and worker. */
function learnDevices(dashboard) {
  return updateDirectory((directory) => {
    for (const device of dashboard.devices || []) {
      directory.devices[device.device_id] = { name: device.device_name, worker_id: device.worker_id };
      if (device.worker_name && !directory.workers[device.worker_id]) directory.workers[device.worker_id] = { name: device.worker_name };
    }
  });
}

// ---- The team and its caseloads ------------------------------------------------------

const teamKey = (teamId) => `team:${teamId ?? ''}`;

/** GET /api/team (the team `teamId`, else the supervisor's own), remembered. */
export async function loadTeam(teamId = null) {
  const answer = await fetchRemembered(teamKey(teamId), () => request('GET', '/api/team', { query: { team_id: teamId } }));
  if (!answer.offline) await learnTeam(answer.data);
  return answer;
}

/** Fetch every team the supervisor leads into the directory, its workers and their phones
 * (at start and after syncs); never throws. */
export async function refreshDirectory() {
  const attempt = async (load) => {
    try {
      return await load();
    } catch (error) {
      if (!(error instanceof NetworkError)) console.warn('team directory', error);
      return null;
    }
  };
  const own = await attempt(() => loadTeam(null));
  for (const team of own?.data?.teams || []) {
    if (team.id !== own.data.team?.id) await attempt(() => loadTeam(team.id));
    await attempt(() => loadSyncDashboard(team.id));
  }
}

async function changeAssignment(path, clientId, workerId) {
  const team = await request('POST', path, { body: { client_id: clientId, worker_id: workerId } });
  await remember(teamKey(team.team?.id), team);
  await learnTeam(team);
  return team;
}

/** Assign a client to a worker (a handover from the worker of the same service who has
 * them); the team as it is now. 409 `assignment_refused` at the cap. */
export const assignClient = (clientId, workerId) => changeAssignment('/api/team/assignments', clientId, workerId);

/** End a worker's assignment to a client; the team as it is now. */
export const endAssignment = (clientId, workerId) => changeAssignment('/api/team/assignments/end', clientId, workerId);

// ---- Cover for an absent colleague ----------------------------------------------------

const coverKey = (teamId) => `cover:${teamId ?? ''}`;

/** GET /api/cover: the grants in force for a team's workers, remembered. */
export const loadCover = (teamId = null) =>
  fetchRemembered(coverKey(teamId), () => request('GET', '/api/cover', { query: { team_id: teamId } }));

/** Let `coveringWorkerId` work with `absentWorkerId`'s clients to the end of `until`
 * (YYYY-MM-DD); the grant. 422 `cover_refused` when it cannot be. */
export const grantCover = ({ absentWorkerId, coveringWorkerId, until }) =>
  request('POST', '/api/cover', { body: { absent_worker_id: absentWorkerId, covering_worker_id: coveringWorkerId, until } });

/** End a grant now; the grant as ended. */
export const endCover = (grantId) => request('POST', `/api/cover/${encodeURIComponent(grantId)}/end`);

// ---- The sync dashboard and the devices -----------------------------------------------

/** GET /api/dashboard/sync for a team, remembered. */
export async function loadSyncDashboard(teamId = null) {
  const answer = await fetchRemembered(`sync:${teamId ?? ''}`, () => request('GET', '/api/dashboard/sync', { query: { team_id: teamId } }));
  if (!answer.offline) await learnDevices(answer.data);
  return answer;
}

/** Revoke a lost device (it wipes itself at its next contact): the device, with
 * `unsent_reported`, how many unsent changes it last reported (lost with it). */
export const revokeDevice = (deviceId) => request('POST', `/api/devices/${encodeURIComponent(deviceId)}/revoke`);

/** Retire a replaced device (it may still send its unsent changes): the device. */
export const retireDevice = (deviceId) => request('POST', `/api/devices/${encodeURIComponent(deviceId)}/retire`);

// ---- The workload dashboard and the monthly report -------------------------------------

/** GET /api/dashboard/workload for a month (YYYY-MM) and team, remembered. */
export const loadWorkload = (month, teamId = null) =>
  fetchRemembered(`workload:${teamId ?? ''}:${month}`, () => request('GET', '/api/dashboard/workload', { query: { month, team_id: teamId } }));

const reportPath = (month) => `/api/reports/monthly/${encodeURIComponent(month)}`;

/** GET /api/reports/monthly/<month> as JSON (all orderers, or one), remembered. */
export const loadReport = (month, { teamId = null, orderer = null } = {}) =>
  fetchRemembered(`report:${teamId ?? ''}:${month}:${orderer ?? ''}`, () =>
    request('GET', reportPath(month), { query: { team_id: teamId, orderer } }));

/** The report as a file: `format` 'csv' (for Swedish spreadsheets) or 'html' (printable);
 * a Blob. */
export async function reportFile(month, format, { teamId = null, orderer = null } = {}) {
  const response = await request('GET', reportPath(month), { query: { team_id: teamId, orderer, format }, raw: true });
  return response.blob();
}

/** Approve (lock) a past month: {approved_at, approved_by, …}. 422 for a month not over,
 * 409 when already approved. */
export const approveMonth = (month, teamId = null) =>
  request('POST', `${reportPath(month)}/approve`, { query: { team_id: teamId } });

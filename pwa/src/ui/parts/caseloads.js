// The caseload decisions behind the Team screen, pure: who may take a client, what an
// assignment, a handover or an ending does to each worker's caseload (shown BEFORE saving),
// and why the server refused one (409 `assignment_refused`), told from the team as it is
// now. `team` is GET /api/team's answer.

import { ROLE_SERVICES } from '../../data/contract.js';

// The service each field role carries out comes from the contract (the server refuses any
// other pairing with 422 `role_mismatch`, which the screen words too).
export const servesClient = (worker, client) => ROLE_SERVICES[worker.role] === client.service;

export const workerById = (team, id) => (team?.workers || []).find((w) => w.id === id) ?? null;

export const isFull = (worker) => worker.cap != null && worker.caseload >= worker.cap;

/** The workers currently serving a client, with their records (unknown ids left out). */
export function servingWorkers(team, client) {
  return (client.workers || []).map((w) => workerById(team, w.worker_id)).filter(Boolean);
}

/** Who could be given the client: active, of a role that serves its service, not serving it
 * already; with `full` for those at their cap (shown, but not chosen). */
export function candidates(team, client) {
  const serving = new Set((client.workers || []).map((w) => w.worker_id));
  return (team?.workers || [])
    .filter((w) => w.active && servesClient(w, client) && !serving.has(w.id))
    .map((w) => ({ ...w, full: isFull(w) }));
}

// Bytes a record takes on a phone when the server says nothing of the worker's phones.
const RECORD_BYTES = 2048;
const MEGABYTE = 1024 * 1024;

/** What a phone of `worker` holds with `client` added, against the team's data budget
 * (the server refuses an assignment over it, 409 `over_device_budget`); null when the
 * team's answer says nothing of it. */
export function phoneEffect(team, client, worker) {
  const budget = team?.device_budget;
  if (!budget || worker.device_records == null) return null;
  const records = worker.device_records + (client.records ?? 0);
  const megabytes = (records * (worker.record_bytes ?? RECORD_BYTES)) / MEGABYTE;
  return { records, megabytes, budget, over: records > budget.records || megabytes > budget.megabytes };
}

/** What assigning `client` to `worker` does: the worker's caseload before and after, the
 * worker of the same service it is handed over from (whose caseload goes down), and what
 * the worker's phone then holds (`phone`, see phoneEffect). */
export function assignmentEffect(team, client, worker) {
  const from = (client.workers || [])
    .filter((w) => w.service === client.service && w.worker_id !== worker.id)
    .map((w) => workerById(team, w.worker_id))
    .filter(Boolean);
  return {
    to: { worker, before: worker.caseload, after: worker.caseload + 1, cap: worker.cap, full: isFull(worker) },
    from: from.map((w) => ({ worker: w, before: w.caseload, after: Math.max(0, w.caseload - 1), cap: w.cap })),
    handover: from.length > 0,
    phone: phoneEffect(team, client, worker),
  };
}

/** What ending `worker`'s assignment does: their caseload after, and whether the client is
 * then left without anyone for the service. */
export function endEffect(team, client, worker) {
  const others = (client.workers || []).filter((w) => w.worker_id !== worker.id && w.service === client.service);
  return { worker, before: worker.caseload, after: Math.max(0, worker.caseload - 1), cap: worker.cap, leavesNobody: others.length === 0 };
}

/** Why an assignment was refused (409), judged from the team as fetched after the refusal:
 * 'full' (at the cap), 'already' (has the client already), 'inactive', 'overBudget' (the
 * worker's phone would hold more than the data budget), or 'other'. */
export function refusalOf(team, clientId, workerId) {
  const worker = workerById(team, workerId);
  const client = (team?.clients || []).find((c) => c.id === clientId);
  if (!worker) return 'other';
  if (!worker.active) return 'inactive';
  if (client && (client.workers || []).some((w) => w.worker_id === workerId)) return 'already';
  if (isFull(worker)) return 'full';
  if (client && phoneEffect(team, client, worker)?.over) return 'overBudget';
  return 'other';
}

/** Each client's workers' names (for lists). */
export const workerNames = (team, client) => servingWorkers(team, client).map((w) => w.name);

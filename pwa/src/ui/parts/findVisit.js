// A visit by id, with its client and the client's plan. The data layer has no single-visit
// query, so this reads the span of days a phone can hold (visits come with `state`).
import { clientPage, visitsBetween } from '../../data/queries.js';
import { addDays, fromLocal, today } from '../time.js';

// Wider than the server's history window (90 days) and any planning horizon in use.
const LOOKBACK_DAYS = 400;
const LOOKAHEAD_DAYS = 400;

export async function findVisit(id) {
  const visits = await visitsBetween(
    fromLocal(addDays(today(), -LOOKBACK_DAYS), '00:00'),
    fromLocal(addDays(today(), LOOKAHEAD_DAYS), '23:59'),
  );
  const visit = visits.find((v) => v.id === id);
  if (!visit) return { visit: null };
  const page = await clientPage(visit.client_id);
  return { visit, client: page?.client || visit.client || null, plan: page?.plan || null, state: visit.state };
}

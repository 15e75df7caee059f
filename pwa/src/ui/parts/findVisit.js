// A visit by id, with its client and the client's plan (visits come with `state`; `mine`
// says whether it is the logged-in worker's own, `worker` whose it is).
import { clientPage, visitById } from '../../data/queries.js';

export async function findVisit(id) {
  const visit = await visitById(id);
  if (!visit) return { visit: null };
  const page = await clientPage(visit.client_id);
  return { visit, client: page?.client || visit.client || null, plan: page?.plan || null, state: visit.state };
}

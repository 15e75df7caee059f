/**
 * Who has read a client's records (GET /api/audit/clients/<id>, server/api/audit.py): for
 * the supervisor of the client's team. The first page is remembered like the supervisor's
 * other reads (shown offline as last fetched); older pages are fetched when asked for.
 */
import { request } from './api.js';
import { fetchRemembered } from './supervision.js';

const path = (clientId) => `/api/audit/clients/${encodeURIComponent(clientId)}`;

/** The newest page: {client, people, entries, workers, has_more, next_before}. */
export const loadClientAccess = (clientId) => fetchRemembered(`access:${clientId}`, () => request('GET', path(clientId)));

/** The page of entries older than `before` (a `next_before`). */
export const loadOlderAccess = (clientId, before) => request('GET', path(clientId), { query: { before } });

// How a client is named where: a client with a protected identity is "Skyddad identitet" in
// every list (no name, no initials, no place); the full name only on the client page.
import common from '../../strings/sv/common.js';

export const isProtected = (client) => Boolean(client && client.protected_identity);

export const listName = (client) => (!client ? '' : isProtected(client) ? common.protectedIdentity : client.name);

/** The place of a visit as a list may show it (never for a protected identity). */
export const listPlace = (visit, client) => (isProtected(client) ? '' : visit.place || '');

export function byName(a, b) {
  return (isProtected(a) - isProtected(b)) || String(a.name).localeCompare(String(b.name), 'sv');
}

// How a client is named where: a client with a protected identity is "Skyddad identitet" in
// every list (no name, no initials, no place); the full name only on the client page.
import common from '../../strings/sv/common.js';

export const isProtected = (client) => Boolean(client && client.protected_identity);

// A namesake's hint is cut to this many characters (a whereabouts may be a paragraph).
const HINT_MAX = 40;

/** What tells a client with a namesake apart in a list (data/namesakes.js), or ''. */
export function hintText(client) {
  const hint = client?.hint;
  if (!hint) return '';
  if (typeof hint === 'number') return common.namesakeNumber(hint);
  return hint.length > HINT_MAX ? `${hint.slice(0, HINT_MAX - 1).trimEnd()}…` : hint;
}

/** The name a list shows: "Skyddad identitet" for a protected identity, and a namesake's
 * hint after it ("Kent Abdi · Härbärget Klara", "Skyddad identitet (2)"). */
export function listName(client) {
  if (!client) return '';
  const name = isProtected(client) ? common.protectedIdentity : client.name;
  const hint = hintText(client);
  if (!hint) return name;
  return typeof client.hint === 'number' ? `${name} ${hint}` : `${name}${common.namesakeSeparator}${hint}`;
}

/** The place of a visit as a list may show it (never for a protected identity). */
export const listPlace = (visit, client) => (isProtected(client) ? '' : visit.place || '');

export function byName(a, b) {
  return (isProtected(a) - isProtected(b)) || String(a.name).localeCompare(String(b.name), 'sv');
}

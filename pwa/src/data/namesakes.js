/**
 * Namesakes: two clients a list would show alike (two called "Kent Abdi"; two with a
 * protected identity, both "Skyddad identitet") get a hint that tells them apart. Pure.
 *
 * A client's hint is the first of its whereabouts and phone number that no namesake shares
 * (what the worker knows them by: "Kent Abdi · Härbärget Klara"), else its place among its
 * namesakes by id (1, 2, …: stable while the caseload is). A protected identity's hint is
 * only that number: its whereabouts must not reach a list.
 */

const DISTINGUISHING = ['whereabouts', 'phone'];

const listKey = (client) => (client.protected_identity ? '\u0000protected' : String(client.name ?? '').trim().toLowerCase());

const valueOf = (client, field) => String(client[field] ?? '').trim();

/** Map client id → hint (text, or a number counting from 1) for the clients with namesakes. */
export function namesakeHints(clients) {
  const groups = new Map();
  for (const client of clients) groups.set(listKey(client), [...(groups.get(listKey(client)) ?? []), client]);
  const hints = new Map();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const ordered = [...group].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    ordered.forEach((client, i) => {
      const unique = client.protected_identity
        ? null
        : DISTINGUISHING.map((field) => valueOf(client, field)).find(
          (value, f) => value && group.filter((other) => valueOf(other, DISTINGUISHING[f]).toLowerCase() === value.toLowerCase()).length === 1,
        );
      hints.set(client.id, unique || i + 1);
    });
  }
  return hints;
}

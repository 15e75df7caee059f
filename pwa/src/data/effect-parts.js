/**
 * What every local effect shares (effects.js, casework-effects.js): how a record is named in
 * a view ("type:id") and the note a mutation's `note` becomes. Pure.
 */

/** "type:id": how the outbox, the view and the attention index name a record. */
export function recordKey(type, id) {
  return `${type}:${id}`;
}

/** [type, id] of a "type:id" key (ids are UUIDs: no colon). */
export function parseKey(key) {
  const at = key.indexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}

/** The fields of `writes` an edit gives (an edit names only what it changes; the others are
 * left as they are). */
export function given(writes) {
  return Object.fromEntries(Object.entries(writes).filter(([, value]) => value !== undefined));
}

/**
 * A `note` given with a mutation is a note record on the server, with the id the action
 * derived from the mutation id (see ids.js), so the local one is replaced in place. It names
 * the record it came with (`link`: {visit_id}, {contact_id}, {appointment_id}, {consent_id}).
 */
export function withNote(view, mutation, ctx, clientId, link) {
  if (!mutation.args.note || !mutation.note_id || !clientId) return view;
  const key = recordKey('note', mutation.note_id);
  if (view[key]) return view;
  return {
    ...view,
    [key]: {
      id: mutation.note_id,
      client_id: clientId,
      ...link,
      author_id: ctx.userId ?? null,
      text: mutation.args.note,
      written_at: mutation.occurred_at,
    },
  };
}

/**
 * The local effects of the casework of casework.md (effects.js explains effects): a client's
 * contact details, and later contacts, appointments and consents. Pure; effects.js puts them
 * in its tables (`CASEWORK_WRITES`, `CASEWORK_EFFECTS`).
 */
import { given, recordKey } from './effect-parts.js';

/** What each casework edit writes: exactly the catalogue's `writes`; a field the edit does
 * not name is undefined (left as it is: `given`). */
export const CASEWORK_WRITES = {
  'client.update': ({ args }) => ({ whereabouts: args.whereabouts, phone: args.phone, contact_notes: args.contact_notes }),
};

const writes = (m) => given(CASEWORK_WRITES[m.name](m));

/** client.update: the contact fields it names, the others as they were. */
function clientUpdate(view, m) {
  const key = recordKey('client', m.args.id);
  const client = view[key];
  if (!client) return view;
  return { ...view, [key]: { ...client, ...writes(m) } };
}

export const CASEWORK_EFFECTS = {
  'client.update': clientUpdate,
};

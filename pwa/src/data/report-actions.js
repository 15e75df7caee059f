/**
 * What a worker reports for the supervisor's queue (casework.md, "concerns, deviations"):
 * a concern about a client (`concern.add`: violence, children, health, a risk of losing the
 * home, other) and a deviation (`deviation.add`, an avvikelse: lex Sarah, medication,
 * safety, other; about a client or none). Quick and offline, like every action (actions.js):
 * saved on the phone first, with the supervisor at the next sync. The report screens
 * (screens/reports/) import this module, so it loads with them.
 */
import { MUTATION_SPECS } from './contract.js';
import { ActionError, cleaned, perform, requireClient } from './perform.js';
import { newId } from './ids.js';

const spec = (name, arg) => MUTATION_SPECS[name].args[arg];
export const CONCERN_TEXT_MAX = spec('concern.add', 'text').max;
export const DEVIATION_TEXT_MAX = spec('deviation.add', 'text').max;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function requireText(text, max) {
  const given = cleaned(text);
  if (!given) throw new ActionError('text_required');
  if ([...given].length > max) throw new ActionError('too_long');
  return given;
}

/** A concern about the client; returns its id. */
export async function addConcern({ client_id, category, text }, options) {
  await requireClient(client_id);
  if (!category) throw new ActionError('category_required');
  const id = newId();
  await perform('concern.add', { id, client_id, category, text: requireText(text, CONCERN_TEXT_MAX) }, options);
  return id;
}

/** A deviation (about a client, or none), on the day it happened; returns its id. */
export async function addDeviation({ client_id = null, category, occurred_on, text }, options) {
  if (client_id) await requireClient(client_id);
  if (!category) throw new ActionError('category_required');
  if (typeof occurred_on !== 'string' || !DATE.test(occurred_on)) throw new ActionError('invalid_date');
  const id = newId();
  const args = { id, category, occurred_on, text: requireText(text, DEVIATION_TEXT_MAX) };
  await perform('deviation.add', client_id ? { ...args, client_id } : args, options);
  return id;
}

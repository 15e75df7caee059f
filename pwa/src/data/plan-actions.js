/**
 * The plan as the worker keeps it (`plan.update`, casework.md): per activity how, how often,
 * the support level, the minutes a month and the ordered activities it carries out (two when
 * merged, none for one of the plan's own); an activity is ended (`active: false`), never
 * removed, because visits recorded offline still name it. Saved on the phone first, like
 * every action (actions.js); the plan screens (screens/plans/) import this module, so it
 * loads with them.
 *
 * And the plan's dialogue with the orderer (`plan.dialogue`): the notice that tells how the
 * plan departs from the order, the orderer's reply with its outcome, and notes of the talk
 * between, documented on the plan for the supervisor to see.
 */
import { DIALOGUE_KINDS, DIALOGUE_OUTCOMES, MUTATION_SPECS, PLAN_ACTIVITY, SUPPORT_LEVELS } from './contract.js';
import { records } from './db.js';
import { newId } from './ids.js';
import { ActionError, cleaned, perform } from './perform.js';

// The longest text of each field of an activity, and the most minutes a month one may need.
const TEXT_MAX = { name: PLAN_ACTIVITY.name.max, how: PLAN_ACTIVITY.how.max, frequency: PLAN_ACTIVITY.frequency.max };
export const MAX_MINUTES_PER_MONTH = PLAN_ACTIVITY.minutes_per_month.max;

/** A new activity of the plan's own, to fill in. */
export const newActivity = () => ({
  id: newId(), name: '', how: '', frequency: '', support_level: SUPPORT_LEVELS[0], order_activity_ids: [], minutes_per_month: null, active: true,
});

/** An activity as plan.update sends it: trimmed, the ordered ids as a list. */
function normalized(activity, ordered) {
  const name = cleaned(activity.name);
  if (!name) throw new ActionError('name_required');
  for (const [field, max] of Object.entries(TEXT_MAX)) {
    if ((activity[field] ?? '').trim().length > max) throw new ActionError('too_long');
  }
  if (!SUPPORT_LEVELS.includes(activity.support_level)) throw new ActionError('invalid_support_level');
  const minutes = activity.minutes_per_month;
  if (minutes != null && !(Number.isInteger(minutes) && minutes >= 0 && minutes <= MAX_MINUTES_PER_MONTH)) {
    throw new ActionError('invalid_minutes');
  }
  const ids = Array.isArray(activity.order_activity_ids) ? activity.order_activity_ids
    : activity.order_activity_id ? [activity.order_activity_id] : [];
  if (ids.some((id) => !ordered.has(id))) throw new ActionError('not_of_the_order');
  return {
    id: activity.id, name, how: (activity.how ?? '').trim(), frequency: (activity.frequency ?? '').trim(),
    support_level: activity.support_level, order_activity_ids: [...new Set(ids)], minutes_per_month: minutes ?? null,
    active: activity.active !== false,
  };
}

/**
 * Save the plan's activities (`plan.update`). Every activity the plan held must still be
 * there (end it instead); the ordered ids must be the plan's order's. Nothing changed:
 * `nothing_changed`. Returns the plan's id.
 */
export async function updatePlan({ id, activities }, options) {
  const row = await records.get(['plan', id]);
  if (!row) throw new ActionError('unknown_plan');
  const order = row.data.order_id ? await records.get(['order', row.data.order_id]) : null;
  const ordered = new Set((order?.data.activities ?? []).map((a) => a.id));
  const next = activities.map((a) => normalized(a, ordered));
  const kept = new Set(next.map((a) => a.id));
  if ((row.data.activities ?? []).some((a) => !kept.has(a.id))) throw new ActionError('activity_removed');
  if (JSON.stringify(next) === JSON.stringify(row.data.activities)) throw new ActionError('nothing_changed');
  await perform('plan.update', { id, activities: next }, options);
  return id;
}

const DIALOGUE = MUTATION_SPECS['plan.dialogue'].args;
export const DIALOGUE_TEXT_MAX = DIALOGUE.text.max;

/**
 * An entry of the plan's dialogue with the orderer: `kind` 'notice' (with the `points` it
 * told), 'reply' (with its `outcome`, or none yet) or 'note'; `text` the worker's words.
 * Returns its id.
 */
export async function addDialogue({ plan_id, kind, text, points = null, outcome = null }, options) {
  const row = await records.get(['plan', plan_id]);
  if (!row) throw new ActionError('unknown_plan');
  if (!DIALOGUE_KINDS.includes(kind)) throw new ActionError('kind_required');
  const given = cleaned(text);
  if (!given) throw new ActionError('text_required');
  if ([...given].length > DIALOGUE_TEXT_MAX) throw new ActionError('too_long');
  if (outcome && (kind !== 'reply' || !DIALOGUE_OUTCOMES.includes(outcome))) throw new ActionError('invalid_outcome');
  const told = points?.length ? points : null;
  if (told && (told.length > DIALOGUE.points.max || told.some((p) => [...p].length > DIALOGUE.points.items_max))) throw new ActionError('too_long');
  const id = newId();
  await perform('plan.dialogue', { id, client_id: row.data.client_id, plan_id, kind, text: given, points: told, outcome: outcome || null }, options);
  return id;
}

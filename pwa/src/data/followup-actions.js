/**
 * Following up a goal of the order (`followup.record`, casework.md): one follow-up of the
 * goal itself, reached / partly / not reached, with a measure where one exists (AUDIT 0-40,
 * DUDIT 0-44, the motivation stage: the contract's `followups.measures`) and a note; and one
 * of each subgoal judged. Saved on the phone first like every action (actions.js), with the
 * office at the next sync. The follow-up screen imports this module, so it loads with it.
 */
import { FOLLOWUP_RESULTS, FOLLOWUP_RULE, MUTATION_SPECS } from './contract.js';
import { newId } from './ids.js';
import { ActionError, cleaned, perform } from './perform.js';
import { records } from './db.js';

export const MEASURES = FOLLOWUP_RULE.measures;
export const FOLLOWUP_NOTE_MAX = MUTATION_SPECS['followup.record'].args.note.max;

/** The goal `goalId` of an order of the client held on the phone, or null. */
async function goalOf(clientId, goalId) {
  const orders = (await records.ofClient(clientId)).filter((row) => row.type === 'order');
  for (const { data: order } of orders) {
    const goal = (order.goals || []).find((g) => g.id === goalId);
    if (goal) return goal;
  }
  return null;
}

/** A measure as the server takes it ({name, value}), or null for none; throws for a value out
 * of the measure's range. `value` may be the text of a number field. */
export function measureOf(name, value) {
  if (!name) return null;
  const spec = MEASURES[name];
  if (!spec) throw new ActionError('invalid_measure');
  if (spec.values) {
    if (!spec.values.includes(value)) throw new ActionError('measure_value_required');
    return { name, value };
  }
  const text = String(value ?? '').trim();
  if (!text) throw new ActionError('measure_value_required');
  const number = Number(text);
  if (!/^\d+$/.test(text) || number < spec.min || number > spec.max) throw new ActionError('measure_out_of_range');
  return { name, value: number };
}

/**
 * Record the follow-up of a goal: `result` of the goal itself (required), `subgoals`
 * ({subgoal id: result}, those not judged left out), `measure` ({name, value} or null) and
 * `note` with the goal's own. Every check comes before the first save, so nothing is half
 * saved. Returns the ids of the follow-ups, the goal's first.
 */
export async function recordFollowup({ client_id, goal_id, result, subgoals = {}, measure = null, note = null }, options) {
  const goal = await goalOf(client_id, goal_id);
  if (!goal) throw new ActionError('unknown_goal');
  if (!FOLLOWUP_RESULTS.includes(result)) throw new ActionError('result_required');
  const known = new Set((goal.subgoals || []).map((s) => s.id));
  const judged = Object.entries(subgoals).filter(([, r]) => r);
  for (const [id, r] of judged) {
    if (!known.has(id)) throw new ActionError('unknown_goal');
    if (!FOLLOWUP_RESULTS.includes(r)) throw new ActionError('result_required');
  }
  const text = cleaned(note);
  if (text && [...text].length > FOLLOWUP_NOTE_MAX) throw new ActionError('too_long');
  const checked = measure ? measureOf(measure.name, measure.value) : null;

  const own = { id: newId(), client_id, goal_id, subgoal_id: null, result, measure: checked, note: text };
  await perform('followup.record', own, options);
  const ids = [own.id];
  // The goal's subgoals in the order's order, so the journal reads as the order does.
  for (const sub of goal.subgoals || []) {
    const r = subgoals[sub.id];
    if (!r) continue;
    const id = newId();
    await perform('followup.record', { id, client_id, goal_id, subgoal_id: sub.id, result: r, measure: null, note: null }, options);
    ids.push(id);
  }
  return ids;
}

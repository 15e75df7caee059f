/**
 * How a plan departs from its order, on the phone (casework.md, "Ids of goals and
 * activities, plans"), the same as the server's server/casework/divergence.py: the golden
 * cases are contract/vectors/divergence.json, which both sides' tests read. Pure. The phone
 * shows it on the client page as soon as the plan is edited, offline too, and words the
 * notice to the orderer from it.
 *
 * dropped: ordered activities no active plan activity names; merged: an active plan activity
 * naming two or more of them; notInOrder: active plan activities naming none; subgoals
 * reworded, left out or added (when the plan words subgoals at all); the minutes a month the
 * active activities need against the hours granted (none for CM).
 */

/** The ordered activities a plan activity carries out (a plan's old single id included). */
export function orderedIds(activity) {
  if (Array.isArray(activity.order_activity_ids)) return [...activity.order_activity_ids];
  return activity.order_activity_id ? [activity.order_activity_id] : [];
}

function subgoalsChanged(order, plan) {
  if (!Array.isArray(plan.subgoals)) return [];
  const ordered = new Map();
  for (const goal of order.goals || []) for (const subgoal of goal.subgoals || []) ordered.set(subgoal.id, subgoal);
  const worded = new Map(plan.subgoals.map((s) => [s.id, s]));
  const changes = [];
  for (const [id, subgoal] of ordered) {
    const own = worded.get(id);
    if (!own) changes.push({ id, change: 'left_out', order_text: subgoal.text });
    else if (own.text.trim() !== subgoal.text.trim()) changes.push({ id, change: 'reworded', order_text: subgoal.text, plan_text: own.text });
  }
  for (const [id, own] of worded) if (!ordered.has(id)) changes.push({ id, change: 'added', plan_text: own.text });
  return changes;
}

/** How `plan` departs from `order` (the server's record shape), or null without both. */
export function divergence(order, plan) {
  if (!order || !plan) return null;
  const ordered = new Map((order.activities || []).map((a) => [a.id, a]));
  const active = (plan.activities || []).filter((a) => a.active !== false);
  const inOrder = (a) => orderedIds(a).filter((id) => ordered.has(id));
  const named = new Set(active.flatMap(inOrder));
  const hours = order.hours_per_month;
  const found = {
    order_id: order.id,
    plan_id: plan.id,
    dropped: (order.activities || []).filter((a) => !named.has(a.id)).map((a) => ({ id: a.id, name: a.name })),
    merged: active
      .filter((a) => inOrder(a).length >= 2)
      .map((a) => ({ id: a.id, name: a.name, order_activities: inOrder(a).map((id) => ({ id, name: ordered.get(id).name })) })),
    not_in_order: active.filter((a) => inOrder(a).length === 0).map((a) => ({ id: a.id, name: a.name })),
    subgoals_changed: subgoalsChanged(order, plan),
    planned_minutes: active.reduce((sum, a) => sum + (Number.isInteger(a.minutes_per_month) ? a.minutes_per_month : 0), 0),
    granted_minutes: hours == null ? null : Math.round(hours * 60),
  };
  found.hours_over = found.granted_minutes != null && found.planned_minutes > found.granted_minutes;
  return found;
}

/** Whether the plan departs from the order in anything. */
export const departs = (found) =>
  Boolean(found && (found.dropped.length || found.merged.length || found.not_in_order.length || found.subgoals_changed.length || found.hours_over));

const names = (items) => {
  const all = items.map((i) => i.name);
  return all.length === 1 ? all[0] : `${all.slice(0, -1).join(', ')} och ${all.at(-1)}`;
};
// Hours as the orderer reads them: 4,25, 4 (not 4,00).
const hoursText = (minutes) => String(minutes / 60).replace('.', ',');

/** The notice to the orderer (Swedish, the orderer's language): the order by its reference
 * (no name: the orderer knows whom its order is about) and one point per departure. */
export function notice(order, found) {
  const points = [];
  if (found.dropped.length) points.push(`Beställda insatser som inte finns med i planen: ${names(found.dropped)}.`);
  for (const merged of found.merged) points.push(`${names(merged.order_activities)} görs tillsammans, som ”${merged.name}”.`);
  if (found.not_in_order.length) points.push(`Insatser i planen som inte finns i beställningen: ${names(found.not_in_order)}.`);
  for (const change of found.subgoals_changed) {
    if (change.change === 'reworded') points.push(`Delmålet ”${change.order_text}” lyder i planen ”${change.plan_text}”.`);
    else if (change.change === 'left_out') points.push(`Delmålet ”${change.order_text}” finns inte med i planen.`);
    else points.push(`Planen har ett eget delmål: ”${change.plan_text}”.`);
  }
  if (found.hours_over) {
    points.push(`Planens insatser behöver ${hoursText(found.planned_minutes)} timmar i månaden; beviljat är ${hoursText(found.granted_minutes)} timmar.`);
  }
  const reference = [order.order_ref, order.orderer].filter(Boolean).join(' ');
  return { title: 'Genomförandeplanen avviker från beställningen', order: reference || order.id, points };
}

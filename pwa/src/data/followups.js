/**
 * Follow-ups (uppföljning) of an order's goals on the phone (casework.md, "Follow-ups of
 * goals"): the rule of when each goal is next due, the server's `followups_due`
 * (server/casework/followups.py); contract/vectors/followups.json pins both. The audits
 * found one case in six with no documented follow-up (domain.md), so Idag and the client
 * page say what is due before the supervisor has to.
 *
 * A goal is due `months` (the city's FALTSTOD_FOLLOWUP_MONTHS, served in the phone's
 * settings) after the later of the order's start and the local day of the goal's last
 * follow-up (one of a subgoal names the goal and counts), a month end clamped; overdue when
 * today is more than `overdue_days` (30) past that. An order not started has nothing due.
 *
 * Loaded with the screens that show follow-ups (the client page's and Idag's parts, the
 * follow-up screen), not with the app.
 */
import { FOLLOWUP_RULE, USERS_ZONE } from './contract.js';
import { addMonths, dayIn } from './consents.js';
import { records } from './db.js';
import { clientSummaries, currentOrder } from './queries.js';
import { phoneSettings } from './phone-settings.js';
import { localDate } from './time.js';

export const DUE = 'due';
export const OVERDUE = 'overdue';
export const NOT_DUE = 'not_due';

/** 'YYYY-MM-DD' plus `days` days. */
function plusDays(day, days) {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** When each goal of `order` ({period_start, goals: [{id}]}) is next due for follow-up and
 * whether it is due or overdue on `today` ('YYYY-MM-DD', a local day): [{goal_id, due_on,
 * status}] in the order's order. `followups`: the client's ({goal_id, recorded_at}); those
 * of other goals do not count. Pure. */
export function followupsDue(order, followups, today, months = followupMonths(), zone = USERS_ZONE) {
  const start = order?.period_start;
  if (!start || today < start) return [];
  const last = new Map();
  for (const followup of followups) {
    const day = dayIn(followup.recorded_at, zone);
    if (!(last.get(followup.goal_id) >= day)) last.set(followup.goal_id, day);
  }
  return (order.goals || [])
    .filter((goal) => goal.id)
    .map((goal) => {
      const since = last.get(goal.id);
      const due_on = addMonths(since && since > start ? since : start, months);
      let status = NOT_DUE;
      if (today > plusDays(due_on, FOLLOWUP_RULE.overdue_days)) status = OVERDUE;
      else if (today >= due_on) status = DUE;
      return { goal_id: goal.id, due_on, status };
    });
}

/** The months between follow-ups this city set (its phone settings), else the contract's. */
export function followupMonths() {
  return phoneSettings().followup_months ?? FOLLOWUP_RULE.months;
}

const byNewest = (a, b) => Date.parse(b.recorded_at) - Date.parse(a.recorded_at);

/** A goal of the order with what the follow-ups say of it: {goal, due_on, status, last (the
 * newest follow-up of the goal itself, or null), subgoals: [{subgoal, last}]}. Pure. */
export function goalsWithFollowups(order, followups, today) {
  const due = new Map(followupsDue(order, followups, today).map((d) => [d.goal_id, d]));
  const sorted = [...followups].sort(byNewest);
  return (order?.goals || [])
    .filter((goal) => due.has(goal.id))
    .map((goal) => ({
      goal,
      ...due.get(goal.id),
      last: sorted.find((f) => f.goal_id === goal.id && !f.subgoal_id) ?? null,
      subgoals: (goal.subgoals || []).map((subgoal) => ({ subgoal, last: sorted.find((f) => f.subgoal_id === subgoal.id) ?? null })),
    }));
}

const urgency = { [OVERDUE]: 0, [DUE]: 1 };

/** The goals due or overdue today of every client held, for Idag: [{client: {id, name,
 * protected_identity, hint?}, goal, due_on, status}], overdue first, then by due day. */
export async function followupsDueNow({ now = new Date() } = {}) {
  const [clients, orders, followups] = await Promise.all([records.ofType('client'), records.ofType('order'), records.ofType('followup')]);
  const today = localDate(now);
  const byClient = (rows) => {
    const map = new Map();
    for (const { data } of rows) map.set(data.client_id, [...(map.get(data.client_id) ?? []), data]);
    return map;
  };
  const ordersOf = byClient(orders);
  const followupsOf = byClient(followups);
  const found = [];
  for (const { data: client } of clients) {
    const order = currentOrder(ordersOf.get(client.id) ?? [], today);
    if (!order) continue;
    for (const item of followupsDue(order, followupsOf.get(client.id) ?? [], today)) {
      if (item.status === NOT_DUE) continue;
      const goal = order.goals.find((g) => g.id === item.goal_id);
      found.push({ client_id: client.id, goal, ...item });
    }
  }
  const summaries = await clientSummaries(found.map((item) => item.client_id));
  return found
    .map((item) => ({ ...item, client: summaries.get(item.client_id) }))
    .sort((a, b) => urgency[a.status] - urgency[b.status] || a.due_on.localeCompare(b.due_on) || String(a.client.name).localeCompare(String(b.client.name), 'sv'));
}

// The follow-ups of the order's goals on the client page (loaded with the page's first use,
// ui/later.js): each goal with when it is next due, or how late it is, what the last
// follow-up said, and "Följ upp" (screens/plans/RecordFollowup.jsx). The rule is
// data/followups.js, the server's too.
import { DUE, OVERDUE, goalsWithFollowups } from '../../data/followups.js';
import { localDate } from '../../data/time.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/followup.js';
import { href } from '../routes.js';
import { formatDate, today } from '../time.js';

/** Whether a goal is overdue, due or when next, and its last follow-up. */
export function GoalState({ item }) {
  const { status, due_on: dueOn, last } = item;
  const day = formatDate(dueOn);
  return (
    <>
      <WhenDue status={status} day={day} />
      <span class="muted">{last ? t.last(formatDate(localDate(last.recorded_at)), last.result) : t.never}</span>
    </>
  );
}

/** "Försenad" or "Dags" (a badge) and the day; for one not due, the day it will be. */
export function WhenDue({ status, day }) {
  if (status === OVERDUE) return <span class="due-state"><span class="badge overdue">{t.overdue}</span> {t.overdueSince(day)}</span>;
  if (status === DUE) return <span class="due-state"><span class="badge">{t.due}</span> {t.dueSince(day)}</span>;
  return <span class="due-state">{t.next(day)}</span>;
}

export function Followups({ clientId, order, followups }) {
  const day = today();
  const items = goalsWithFollowups(order, followups, day);
  return (
    <section class="card" aria-labelledby="followups-title" data-testid="followups">
      <h2 id="followups-title">{t.section}</h2>
      {items.length === 0 && <p class="muted">{order.period_start > day ? t.notStarted : t.noGoals}</p>}
      <ul class="goals">
        {items.map((item) => (
          <li key={item.goal.id} data-status={item.status}>
            <span class="life-area">{common.lifeAreas[item.goal.life_area] || item.goal.life_area}</span>
            <span>{item.goal.text}</span>
            <GoalState item={item} />
            <a class="button small secondary" href={href.followup(clientId, item.goal.id)}>
              {t.followUp}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

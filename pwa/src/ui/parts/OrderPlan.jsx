// The office's side of a client, on the client page: the order (orderer, period, the hours
// granted this month against those used, the goals by life area) and the plan
// (genomförandeplan: its active activities with their support levels), with how it departs
// from the order and the way to change it or tell the orderer (screens/plans/), and the
// follow-ups of the goals (the comparison and the follow-ups load with the page, not with
// the app: parts/Divergence.jsx, parts/Followups.jsx).
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/client.js';
import { useLater } from '../later.js';
import { href } from '../routes.js';
import { formatDate, formatMonth, formatNumber } from '../time.js';

function Hours({ hours }) {
  if (!hours || hours.granted == null) return null;
  const used = hours.used || 0;
  const over = used - hours.granted;
  return (
    <div class="hours">
      <p class="hours-label" id="hours-label">
        {t.hoursThisMonth(formatMonth())}
      </p>
      <meter min="0" max={hours.granted || 1} value={Math.min(used, hours.granted)} aria-labelledby="hours-label hours-text" />
      <p id="hours-text" class="key-info">
        {t.hoursUsed(formatNumber(used), formatNumber(hours.granted))}
      </p>
      {over > 0 && <p class="warning">{t.hoursOver(formatNumber(over))}</p>}
    </div>
  );
}

export function Order({ order, hours }) {
  return (
    <section class="card" aria-labelledby="order-title">
      <h2 id="order-title">{t.order}</h2>
      {!order && <p class="muted">{t.noOrder}</p>}
      {order && (
        <>
          <dl class="facts compact">
            {order.orderer && (
              <div>
                <dt>{t.orderer}</dt>
                <dd>{order.orderer}</dd>
              </div>
            )}
            {order.period_start && (
              <div>
                <dt>{t.period}</dt>
                <dd>
                  {order.period_end
                    ? `${formatDate(order.period_start)} – ${formatDate(order.period_end)}`
                    : t.periodOpen(formatDate(order.period_start))}
                </dd>
              </div>
            )}
          </dl>
          <Hours hours={hours} />
          {(order.goals || []).length > 0 && (
            <>
              <h3>{t.goals}</h3>
              <ul class="goals">
                {order.goals.map((goal) => (
                  <li key={goal.id}>
                    <span class="life-area">{common.lifeAreas[goal.life_area] || goal.life_area}</span>
                    <span>{goal.text}</span>
                    {(goal.subgoals || []).length > 0 && (
                      <ul class="subgoals" aria-label={t.subgoals}>
                        {goal.subgoals.map((sub) => (
                          <li key={sub.id}>{sub.text}</li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}

const loadFollowups = () => import('./Followups.jsx').then((module) => module.Followups);

/** The follow-ups of the order's goals (parts/Followups.jsx), once loaded. */
export function GoalFollowups({ clientId, order, followups }) {
  const Followups = useLater(loadFollowups);
  if (!order || !Followups) return null;
  return <Followups clientId={clientId} order={order} followups={followups || []} />;
}

const loadDivergence = () => import('./Divergence.jsx').then((module) => module.Divergence);

/** The comparison with the order, once its module has loaded (precached: offline too). */
function PlanDivergence({ order, plan, clientId, dialogue }) {
  const Divergence = useLater(loadDivergence);
  if (!Divergence) return null;
  return (
    <Divergence order={order} plan={plan} told={dialogue.find((entry) => entry.kind === 'notice') ?? null}>
      <a class="button secondary" href={href.planNotice(clientId)}>
        {t.tellOrderer}
      </a>
    </Divergence>
  );
}

export function Plan({ plan, order, clientId, dialogue = [] }) {
  const activities = (plan?.activities || []).filter((a) => a.active !== false);
  return (
    <section class="card" aria-labelledby="plan-title">
      <h2 id="plan-title">{t.plan}</h2>
      {!activities.length && <p class="muted">{t.noPlan}</p>}
      {plan && order && <PlanDivergence order={order} plan={plan} clientId={clientId} dialogue={dialogue} />}
      <ul class="plan">
        {activities.map((activity) => (
          <li key={activity.id}>
            <span class="plan-name">{activity.name}</span>
            {activity.support_level && (
              <span class="badge level">
                <span class="visually-hidden">{t.supportLevel}: </span>
                {common.supportLevels[activity.support_level]}
              </span>
            )}
            {activity.frequency && <span class="muted">{`${t.frequency}: ${activity.frequency}`}</span>}
            {activity.how && <span class="muted">{`${t.how}: ${activity.how}`}</span>}
          </li>
        ))}
      </ul>
      {plan && (
        <div class="row wrap">
          <a class="button secondary" href={href.editPlan(clientId)}>
            {t.editPlan}
          </a>
          <a class="button ghost" href={href.planDialogue(clientId)}>
            {t.dialogue(dialogue.length)}
          </a>
        </div>
      )}
    </section>
  );
}

// Ändra genomförandeplanen: the worker keeps the plan (offline too) — per activity what, how,
// how often, the support level, the minutes a month and the ordered activities it carries
// out; an activity is ended, never removed; new ones are added. How the plan then departs
// from the order shows as it is edited. Saved as `plan.update` (data/plan-actions.js); a
// colleague's edit of the same plan meanwhile is a conflict the worker decides on the card.
import { useState } from 'preact/hooks';
import { SUPPORT_LEVELS } from '../../../data/contract.js';
import { MAX_MINUTES_PER_MONTH, newActivity, updatePlan } from '../../../data/plan-actions.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/plans.js';
import { useLive } from '../../live.js';
import { Choices } from '../../parts/Choices.jsx';
import { Divergence } from '../../parts/Divergence.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { navigate } from '../../router.js';
import { useSave } from '../../save.js';
import { href } from '../../routes.js';

const idsOf = (activity) => activity.order_activity_ids ?? (activity.order_activity_id ? [activity.order_activity_id] : []);

function ActivityFields({ activity, index, order, onChange }) {
  const id = (field) => `plan-${index}-${field}`;
  const set = (field) => (e) => onChange({ ...activity, [field]: e.currentTarget.value });
  return (
    <fieldset class={activity.active === false ? 'card plan-activity is-ended' : 'card plan-activity'} data-testid={`plan-activity-${index}`}>
      <legend>{activity.name || t.activity(index + 1)}</legend>
      <div class="field">
        <label for={id('name')}>{t.name}</label>
        <input id={id('name')} type="text" value={activity.name} onInput={set('name')} />
      </div>
      <div class="field">
        <label for={id('how')}>{t.how}</label>
        <textarea id={id('how')} rows={2} value={activity.how ?? ''} onInput={set('how')} />
      </div>
      <div class="field">
        <label for={id('frequency')}>{t.frequency}</label>
        <input id={id('frequency')} type="text" value={activity.frequency ?? ''} onInput={set('frequency')} />
      </div>
      <div class="field">
        <label for={id('level')}>{t.supportLevel}</label>
        <select id={id('level')} value={activity.support_level} onChange={set('support_level')}>
          {SUPPORT_LEVELS.map((level) => (
            <option key={level} value={level}>
              {common.supportLevels[level]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={id('minutes')}>{t.minutes}</label>
        <input
          id={id('minutes')}
          type="number"
          inputMode="numeric"
          min="0"
          max={MAX_MINUTES_PER_MONTH}
          step="5"
          aria-describedby={`${id('minutes')}-hint`}
          value={activity.minutes_per_month ?? ''}
          onInput={(e) => onChange({ ...activity, minutes_per_month: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
        />
        <p class="hint" id={`${id('minutes')}-hint`}>
          {t.minutesHint}
        </p>
      </div>
      {(order?.activities ?? []).length > 0 && (
        <Choices
          legend={t.ordered}
          hint={t.orderedHint}
          name={id('ordered')}
          options={order.activities.map((ordered) => [ordered.id, ordered.name])}
          value={idsOf(activity)}
          onChange={(ids) => onChange({ ...activity, order_activity_ids: ids })}
          multiple
        />
      )}
      <label class="check">
        <input type="checkbox" checked={activity.active === false} onChange={(e) => onChange({ ...activity, active: !e.currentTarget.checked })} />
        {t.ended}
      </label>
    </fieldset>
  );
}

function Form({ client, order, plan }) {
  const [activities, setActivities] = useState(() => plan.activities.map((a) => ({ ...a, order_activity_ids: idsOf(a) })));
  const { problem, busy, run } = useSave({ ...t.errors, failed: t.failed });
  const back = href.client(client.id);

  async function save(event) {
    event.preventDefault();
    await run(() => updatePlan({ id: plan.id, activities }), () => {
      navigate(back, { replace: true });
    });
  }

  return (
    <Screen
      title={t.title}
      subtitle={client.name}
      back={back}
      actions={
        <button type="submit" form="plan-form" class="button primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      }
    >
      <form id="plan-form" onSubmit={save} noValidate>
        <p class="hint">{t.intro}</p>
        {order ? <Divergence order={order} plan={{ ...plan, activities }} /> : <p class="muted">{t.noOrder}</p>}
        {activities.map((activity, index) => (
          <ActivityFields
            key={activity.id}
            activity={activity}
            index={index}
            order={order}
            onChange={(next) => setActivities(activities.map((a) => (a.id === next.id ? next : a)))}
          />
        ))}
        <button type="button" class="button secondary block" onClick={() => setActivities([...activities, newActivity()])}>
          {t.add}
        </button>
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

export function EditPlan({ id }) {
  const { data, error } = useLive(() => clientPage(id), [id]);
  if (error) return <Screen title={common.loadFailed} back={href.client(id)} />;
  if (data === undefined) return <Screen title={t.title} back={href.client(id)}><Loading /></Screen>;
  if (!data?.plan) return <Screen title={common.notFound} back={href.client(id)} />;
  return <Form client={data.client} order={data.order} plan={data.plan} />;
}

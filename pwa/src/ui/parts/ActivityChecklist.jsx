// Checking off the plan's activities, used by the visit flow and by logging a visit
// afterwards. Per activity one radio group: the four support levels, or "Inte gjort" with a
// reason. `checks` is {activityId: {choice, reason}}; an activity without a choice is not
// part of the visit.
import { NOT_DONE_REASON_MAX, SUPPORT_LEVELS } from '../../data/contract.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/visit.js';

const NOT_DONE = 'not_done';

/** The activities of a plan a visit can check off (ended ones are not offered). */
export const activeActivities = (plan) => (plan?.activities || []).filter((a) => a.active !== false);

/** The checks as the data layer's `activities` argument. */
export function toActivities(checks) {
  return Object.entries(checks)
    .filter(([, check]) => check && check.choice)
    .map(([activity_id, { choice, reason }]) =>
      choice === NOT_DONE
        ? { activity_id, done: false, support_level: null, not_done_reason: (reason || '').trim() }
        : { activity_id, done: true, support_level: choice },
    );
}

/** Ids of activities marked "Inte gjort" without a reason. */
export function missingReasons(checks) {
  return Object.entries(checks)
    .filter(([, check]) => check?.choice === NOT_DONE && !(check.reason || '').trim())
    .map(([id]) => id);
}

export function ActivityChecklist({ activities, checks, onChange, showErrors }) {
  if (!activities.length) return <p class="muted">{t.noActivities}</p>;
  const set = (id, patch) => onChange({ ...checks, [id]: { ...checks[id], ...patch } });
  return (
    <div class="activities">
      <p class="hint">{t.activitiesHint}</p>
      {activities.map((activity) => {
        const check = checks[activity.id] || {};
        const name = `activity-${activity.id}`;
        const reasonMissing = showErrors && check.choice === NOT_DONE && !(check.reason || '').trim();
        return (
          <fieldset class={check.choice ? 'activity is-checked' : 'activity'} key={activity.id}>
            <legend>{activity.name}</legend>
            {activity.how && <p class="hint">{activity.how}</p>}
            {activity.support_level && (
              <p class="hint">{t.plannedLevel(common.supportLevels[activity.support_level])}</p>
            )}
            <div class="choices">
              {[...SUPPORT_LEVELS, NOT_DONE].map((choice) => (
                <label class={choice === NOT_DONE ? 'choice not-done' : 'choice'} key={choice}>
                  <input
                    type="radio"
                    name={name}
                    value={choice}
                    checked={check.choice === choice}
                    onChange={() => set(activity.id, { choice })}
                  />
                  <span>{choice === NOT_DONE ? t.notDone : common.supportLevels[choice]}</span>
                </label>
              ))}
            </div>
            {check.choice === NOT_DONE && (
              <div class="field">
                <label for={`${name}-reason`}>{t.notDoneReason}</label>
                <input
                  id={`${name}-reason`}
                  type="text"
                  value={check.reason || ''}
                  maxLength={NOT_DONE_REASON_MAX}
                  aria-invalid={reasonMissing ? 'true' : undefined}
                  aria-describedby={reasonMissing ? `${name}-error` : undefined}
                  onInput={(e) => set(activity.id, { reason: e.currentTarget.value })}
                />
                {reasonMissing && (
                  <p class="field-error" id={`${name}-error`}>
                    {t.notDoneReasonMissing}
                  </p>
                )}
              </div>
            )}
            {check.choice && (
              <button type="button" class="link-button" onClick={() => set(activity.id, { choice: null, reason: '' })}>
                {t.clear}
                <span class="visually-hidden">: {activity.name}</span>
              </button>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}

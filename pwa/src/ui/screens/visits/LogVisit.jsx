// Logging an unplanned visit after the fact: when, where, what was done, minutes and a note.
import { useState } from 'preact/hooks';
import { logVisit } from '../../../data/actions.js';
import { MAX_VISIT_MINUTES, PLACE_MAX, VISIT_NOTE_MAX } from '../../../data/contract.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/log.js';
import { useDraft } from '../../drafts.js';
import { showFirstError } from '../../first-error.js';
import { useLive } from '../../live.js';
import { ActivityChecklist, activeActivities, missingReasons, toActivities } from '../../parts/ActivityChecklist.jsx';
import { listName } from '../../parts/clients.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { TimeInput } from '../../parts/TimeInput.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { fromLocal, minutesBetween, toLocal } from '../../time.js';
import { minutesProblem } from './Visit.jsx';

// Default span of a visit logged afterwards: the hour that just ended, on five-minute steps.
const DEFAULT_MINUTES = 60;
const STEP_MS = 5 * 60 * 1000;

function defaults() {
  const end = new Date(Math.floor(Date.now() / STEP_MS) * STEP_MS);
  const start = new Date(end.getTime() - DEFAULT_MINUTES * 60 * 1000);
  const s = toLocal(start.toISOString());
  return { date: s.date, start: s.time, end: toLocal(end.toISOString()).time, place: '', checks: {}, minutes: null, note: '' };
}

export function LogVisit({ clientId }) {
  const { data, error } = useLive(() => clientPage(clientId), [clientId]);
  const [draft, update, discard] = useDraft(`log.${clientId}`, defaults());
  const [showErrors, setShowErrors] = useState(false);
  const { problem, setProblem, busy, run } = useSave();
  const back = href.client(clientId);

  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (!data) return <Screen title={t.title} back={back}><Loading /></Screen>;
  if (!data.client) return <Screen title={common.notFound} back={href.clients()} />;

  const complete = draft.date && draft.start && draft.end;
  const startedAt = complete ? fromLocal(draft.date, draft.start) : null;
  const endedAt = complete ? fromLocal(draft.date, draft.end) : null;
  const computed = complete ? minutesBetween(startedAt, endedAt) : 0;
  const minutes = draft.minutes ?? computed;

  async function save(event) {
    event.preventDefault();
    const missing = missingReasons(draft.checks).length > 0;
    setShowErrors(missing);
    const problemText = !complete
      ? t.required
      : new Date(endedAt) < new Date(startedAt)
        ? t.endBeforeStart
        : missing
          ? null
          : minutesProblem(minutes);
    if (problemText || missing) {
      setProblem(problemText);
      if (missing) showFirstError();
      return;
    }
    await run(
      () =>
        logVisit({
          client_id: clientId,
          started_at: startedAt,
          ended_at: endedAt,
          minutes,
          activities: toActivities(draft.checks),
          ...(draft.place.trim() ? { place: draft.place.trim() } : {}),
          ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
        }),
      () => {
        discard();
        navigate(back, { replace: true });
      },
    );
  }

  return (
    <Screen
      title={t.title}
      subtitle={listName(data.client)}
      back={back}
      actions={
        <button type="submit" form="log-form" class="button primary" disabled={busy}>
          {t.save}
        </button>
      }
    >
      <form id="log-form" onSubmit={save} noValidate>
        <div class="card">
          <div class="field">
            <label for="log-date">{t.date}</label>
            <input id="log-date" type="date" value={draft.date} onInput={(e) => update({ date: e.currentTarget.value })} />
          </div>
          <div class="row two">
            <div class="field">
              <label for="log-start">{t.startedAt}</label>
              <TimeInput id="log-start" value={draft.start} invalidText={common.timeInvalid} onChange={(start) => update({ start })} />
            </div>
            <div class="field">
              <label for="log-end">{t.endedAt}</label>
              <TimeInput id="log-end" value={draft.end} invalidText={common.timeInvalid} onChange={(end) => update({ end })} />
            </div>
          </div>
          <div class="field">
            <label for="log-place">{t.place}</label>
            <input id="log-place" type="text" maxLength={PLACE_MAX} value={draft.place} onInput={(e) => update({ place: e.currentTarget.value })} />
          </div>
        </div>
        <h2>{t.activities}</h2>
        <ActivityChecklist
          activities={activeActivities(data.plan)}
          checks={draft.checks}
          onChange={(checks) => update({ checks })}
          showErrors={showErrors}
        />
        <div class="card">
          <div class="field">
            <label for="log-minutes">{t.minutes}</label>
            <input
              id="log-minutes"
              type="number"
              inputMode="numeric"
              min="0"
              max={MAX_VISIT_MINUTES}
              value={minutes}
              aria-describedby="log-minutes-hint"
              onInput={(e) => update({ minutes: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
            />
            <p class="hint" id="log-minutes-hint">
              {t.minutesHint(computed)}
            </p>
          </div>
          <div class="field">
            <label for="log-note">{t.note}</label>
            <textarea id="log-note" rows={4} maxLength={VISIT_NOTE_MAX} value={draft.note} onInput={(e) => update({ note: e.currentTarget.value })} />
          </div>
        </div>
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

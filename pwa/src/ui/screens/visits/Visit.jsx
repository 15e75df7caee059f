// The visit flow: start the visit → check off each planned activity with its support level,
// or "Inte gjort" with a reason → end it (minutes computed from the times, editable) → note →
// save. Work in progress is a draft (ui/drafts.js) until saved, so a reload loses nothing.
// A visit already done or cancelled shows what was recorded.
import { useState } from 'preact/hooks';
import { completeVisit, startVisit } from '../../../data/actions.js';
import { MAX_VISIT_MINUTES, VISIT_NOTE_MAX } from '../../../data/contract.js';
import common from '../../../strings/sv/common.js';
import tMove from '../../../strings/sv/reschedule.js';
import t from '../../../strings/sv/visit.js';
import { announceSaved, saveProblem } from '../../announce.js';
import { useDraft } from '../../drafts.js';
import { showFirstError } from '../../first-error.js';
import { useLive } from '../../live.js';
import { ActivityChecklist, activeActivities, missingReasons, toActivities } from '../../parts/ActivityChecklist.jsx';
import { listName } from '../../parts/clients.js';
import { findVisit } from '../../parts/findVisit.js';
import { RecordState } from '../../parts/RecordState.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { TimeInput } from '../../parts/TimeInput.jsx';
import { endOf, localStart, startOf, statusText, visitDayHref } from '../../parts/visits.js';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { addDays, formatDay, formatSpan, formatTime, fromLocal, minutesBetween, nowISO, toLocal, today } from '../../time.js';

const EMPTY_DRAFT = { step: 'activities', checks: {}, started_at: null, ended_at: null, minutes: null, note: '' };

/** Replace the wall-clock time of an instant, keeping its Stockholm date. */
export const withTime = (iso, time) => fromLocal(toLocal(iso).date, time);

export function minutesProblem(minutes) {
  return Number.isInteger(minutes) && minutes >= 0 && minutes <= MAX_VISIT_MINUTES ? null : t.minutesInvalid;
}

function Facts({ visit, client, state, movable = false }) {
  return (
    <section class="card visit-facts" aria-label={t.title}>
      <p class="key-info">{formatSpan(startOf(visit), endOf(visit))}</p>
      <p class="muted">{formatDay(toLocal(startOf(visit)).date)}</p>
      {visit.place && (
        <p>
          <span class="visually-hidden">{t.place}: </span>
          {visit.place}
        </p>
      )}
      <p class="row wrap">
        <span class="visit-status">{statusText(visit)}</span>
        <RecordState state={state} />
      </p>
      <p class="row wrap">
        {client && (
          <a class="link" href={href.client(client.id)}>
            {t.toClient}
          </a>
        )}
        {movable && (
          <a class="link" href={href.reschedule(visit.id)}>
            {tMove.link}
          </a>
        )}
      </p>
    </section>
  );
}

function Summary({ visit, plan }) {
  const names = new Map((plan?.activities || []).map((a) => [a.id, a.name]));
  if (visit.status === 'cancelled') {
    return <p class="card">{t.cancelled(common.cancelReasons[visit.cancel_reason] || visit.cancel_reason)}</p>;
  }
  return (
    <section class="card" aria-labelledby="summary-title">
      <h2 id="summary-title">{t.done}</h2>
      {visit.minutes != null && <p class="key-info">{t.summaryMinutes(visit.minutes)}</p>}
      <ul class="plan">
        {(visit.activities || []).map((a) => (
          <li key={a.activity_id}>
            <span class="plan-name">{names.get(a.activity_id) || a.activity_id}</span>
            <span class="badge level">{a.done ? common.supportLevels[a.support_level] : t.notDone}</span>
            {!a.done && a.not_done_reason && <span class="muted">{a.not_done_reason}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

// The three steps of a planned visit. Each is its own Screen, so the heading takes focus
// when the step changes and a screen reader starts there.

/** "i morgon, torsdag 3 december" / "i går, …" / "fredag 4 december" of a date, or null for today. */
export function otherDay(date, now = new Date()) {
  const current = today(now);
  if (date === current) return null;
  const word = date === addDays(current, 1) ? t.tomorrow : date === addDays(current, -1) ? t.yesterday : null;
  return word ? `${word}, ${formatDay(date)}` : formatDay(date);
}

function StartStep({ title, facts, activities, visitId, onStart, busy, alert, home, day }) {
  // A visit of another day is started only once the worker has been told and said so.
  const [asking, setAsking] = useState(false);
  return (
    <Screen
      title={title}
      docTitle={t.title}
      back={home}
      actions={
        <>
          <button type="button" class="button primary" onClick={() => (day && !asking ? setAsking(true) : onStart())} disabled={busy}>
            {asking ? t.startAnyway : t.start}
          </button>
          <a class="button secondary" href={href.cancel(visitId)}>
            {t.cancelVisit}
          </a>
        </>
      }
    >
      {facts}
      {asking && (
        <div class="card confirm warning" role="alert">
          <p>{t.notToday(day)}</p>
          <button type="button" class="button ghost" onClick={() => setAsking(false)}>
            {common.cancel}
          </button>
        </div>
      )}
      {alert}
      {activities.length > 0 && (
        <section class="card" aria-labelledby="planned-title">
          <h2 id="planned-title">{t.activities}</h2>
          <ul class="plan">
            {activities.map((a) => (
              <li key={a.id}>
                <span class="plan-name">{a.name}</span>
                {a.support_level && <span class="badge level">{common.supportLevels[a.support_level]}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Screen>
  );
}

function CheckStep({ title, startedAt, activities, checks, onChecks, showErrors, onEnd, alert, home }) {
  return (
    <Screen
      title={title}
      docTitle={t.title}
      subtitle={t.started(formatTime(startedAt))}
      back={home}
      actions={
        <button type="button" class="button primary" onClick={onEnd}>
          {t.end}
        </button>
      }
    >
      <h2>{t.activities}</h2>
      <ActivityChecklist activities={activities} checks={checks} onChange={onChecks} showErrors={showErrors} />
      {alert}
    </Screen>
  );
}

function EndStep({ title, startedAt, draft, update, minutes, computed, onSave, busy, alert, home }) {
  return (
    <Screen
      title={t.endTitle}
      docTitle={t.title}
      subtitle={title}
      back={home}
      actions={
        <button type="button" class="button primary" onClick={onSave} disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      }
    >
      <div class="card">
        <div class="row two">
          <div class="field">
            <label for="started-at">{t.startedAt}</label>
            <TimeInput
              id="started-at"
              value={toLocal(startedAt).time}
              invalidText={common.timeInvalid}
              onChange={(time) => time && update({ started_at: withTime(startedAt, time) })}
            />
          </div>
          <div class="field">
            <label for="ended-at">{t.endedAt}</label>
            <TimeInput
              id="ended-at"
              value={toLocal(draft.ended_at).time}
              invalidText={common.timeInvalid}
              onChange={(time) => time && update({ ended_at: withTime(draft.ended_at, time) })}
            />
          </div>
        </div>
        <div class="field">
          <label for="minutes">{t.minutes}</label>
          <input
            id="minutes"
            type="number"
            inputMode="numeric"
            min="0"
            max={MAX_VISIT_MINUTES}
            step="1"
            value={minutes}
            aria-describedby="minutes-hint"
            onInput={(e) => update({ minutes: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
          />
          <p class="hint" id="minutes-hint">
            {t.minutesHint(computed)}
          </p>
        </div>
        <div class="field">
          <label for="visit-note">{t.note}</label>
          <textarea
            id="visit-note"
            rows={4}
            maxLength={VISIT_NOTE_MAX}
            value={draft.note}
            onInput={(e) => update({ note: e.currentTarget.value })}
          />
        </div>
        <button type="button" class="link-button" onClick={() => update({ step: 'activities' })}>
          {t.backToActivities}
        </button>
      </div>
      {alert}
    </Screen>
  );
}

function Flow({ visit, client, plan, state }) {
  const [draft, update, discard] = useDraft(`visit.${visit.id}`, EMPTY_DRAFT);
  const [showErrors, setShowErrors] = useState(false);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  // The draft's start wins: the worker may have corrected it at the end of the visit.
  const startedAt = draft.started_at || localStart(visit);
  const activities = activeActivities(plan);
  const computed = draft.ended_at && startedAt ? minutesBetween(startedAt, draft.ended_at) : 0;
  const minutes = draft.minutes ?? computed;
  const title = listName(client) || t.title;
  const alert = problem && <Problem>{problem}</Problem>;
  // The day's view the visit belongs to (the worker may have come from another day's).
  const home = visitDayHref(visit);

  async function start() {
    const at = nowISO();
    setBusy(true);
    try {
      await startVisit(visit.id, at);
      update({ started_at: at, step: 'activities' });
    } catch (error) {
      console.error(error);
      setProblem(saveProblem(error));
    }
    setBusy(false);
  }

  function end() {
    const missing = missingReasons(draft.checks).length > 0;
    setShowErrors(missing);
    if (missing) showFirstError();
    else update({ step: 'end', started_at: startedAt, ended_at: nowISO(), minutes: null });
  }

  async function save() {
    const problemText =
      new Date(draft.ended_at) < new Date(startedAt) ? t.endBeforeStart : minutesProblem(minutes);
    setProblem(problemText);
    if (problemText) return;
    setBusy(true);
    try {
      await completeVisit({
        id: visit.id,
        started_at: startedAt,
        ended_at: draft.ended_at,
        minutes,
        activities: toActivities(draft.checks),
        ...(draft.note.trim() ? { note: draft.note.trim() } : {}),
      });
      discard();
      announceSaved();
      navigate(home, { replace: true });
    } catch (error) {
      console.error(error);
      setProblem(saveProblem(error));
      setBusy(false);
    }
  }

  if (!startedAt) {
    const facts = <Facts visit={visit} client={client} state={state} movable />;
    const day = otherDay(toLocal(visit.starts_at).date);
    return <StartStep {...{ title, facts, activities, busy, alert, home, day }} visitId={visit.id} onStart={start} />;
  }
  if (draft.step !== 'end') {
    return (
      <CheckStep
        {...{ title, startedAt, activities, showErrors, alert, home }}
        checks={draft.checks}
        onChecks={(checks) => update({ checks })}
        onEnd={end}
      />
    );
  }
  return <EndStep {...{ title, startedAt, draft, update, minutes, computed, busy, alert, home }} onSave={save} />;
}

// Someone else's visit (a supervisor looking at the team's, a colleague's for a shared
// client): what it is and whose, nothing to do in it.
function OthersVisit({ visit, client, plan, state }) {
  const who = visit.worker?.name;
  return (
    <Screen title={listName(client) || t.title} docTitle={t.title} back={client ? href.client(client.id) : href.today()}>
      <Facts visit={visit} client={client} state={state} />
      <p class="card" data-testid="visit-worker">
        {who ? t.othersVisit(who) : t.othersVisitUnnamed}
      </p>
      {visit.status === 'planned' ? (
        activeActivities(plan).length > 0 && (
          <section class="card" aria-labelledby="planned-title">
            <h2 id="planned-title">{t.activities}</h2>
            <ul class="plan">
              {activeActivities(plan).map((a) => (
                <li key={a.id}>
                  <span class="plan-name">{a.name}</span>
                  {a.support_level && <span class="badge level">{common.supportLevels[a.support_level]}</span>}
                </li>
              ))}
            </ul>
          </section>
        )
      ) : (
        <Summary visit={visit} plan={plan} />
      )}
    </Screen>
  );
}

export function Visit({ id }) {
  const { data, error } = useLive(() => findVisit(id), [id]);
  if (error) return <Screen title={common.loadFailed} back={href.today()} />;
  if (!data) return <Screen title={common.loading} back={href.today()}><Loading /></Screen>;
  if (!data.visit) return <Screen title={t.notFound} back={href.today()} />;
  const { visit, client, plan, state } = data;
  if (!visit.mine && visit.worker_id) return <OthersVisit visit={visit} client={client} plan={plan} state={state} />;
  if (visit.status !== 'planned') {
    return (
      <Screen title={listName(client) || t.title} docTitle={t.title} back={visitDayHref(visit)}>
        <Facts visit={visit} client={client} state={state} />
        <Summary visit={visit} plan={plan} />
      </Screen>
    );
  }
  return <Flow visit={visit} client={client} plan={plan} state={state} />;
}

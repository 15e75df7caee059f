// Följ upp målet: a goal of the order followed up (followup.record), offline too: how it went
// with the goal and with each subgoal judged, a measure where one was used (AUDIT, DUDIT, the
// motivation stage) and what has happened, in the worker's words. Opened from the client
// page's follow-ups and from Idag's list of those due.
import { useState } from 'preact/hooks';
import { FOLLOWUP_NOTE_MAX, MEASURES, recordFollowup } from '../../../data/followup-actions.js';
import { goalsWithFollowups } from '../../../data/followups.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/followup.js';
import { announce } from '../../announce.js';
import { Choices } from '../../parts/Choices.jsx';
import { listName } from '../../parts/clients.js';
import { GoalState } from '../../parts/Followups.jsx';
import { useLive } from '../../live.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { today } from '../../time.js';

const RESULTS = Object.entries(t.results);
const SUB_RESULTS = [...RESULTS, ['', t.notJudged]];

function Measure({ name, value, onName, onValue }) {
  const spec = MEASURES[name];
  return (
    <>
      <Choices legend={t.measure} name="followup-measure" options={Object.entries(t.measures)} value={name} onChange={(next) => { onName(next); onValue(''); }} />
      {spec?.values && <Choices legend={t.stage} name="followup-stage" options={spec.values.map((v) => [v, t.stages[v] ?? v])} value={value} onChange={onValue} />}
      {spec && !spec.values && (
        <div class="field">
          <label for="followup-score">{t.measureValue(name)}</label>
          <input id="followup-score" type="number" inputMode="numeric" min={spec.min} max={spec.max} step="1" value={value} onInput={(e) => onValue(e.currentTarget.value)} />
        </div>
      )}
    </>
  );
}

function FollowupForm({ client, item }) {
  const [result, setResult] = useState('');
  const [subgoals, setSubgoals] = useState({});
  const [measure, setMeasure] = useState('');
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const { problem, busy, run } = useSave({ ...t.errors, failed: t.failed });
  const back = href.client(client.id);

  async function save(event) {
    event.preventDefault();
    const given = measure ? { name: measure, value } : null;
    await run(() => recordFollowup({ client_id: client.id, goal_id: item.goal.id, result, subgoals, measure: given, note }), () => {
      announce(t.saved);
      navigate(back, { replace: true });
    });
  }

  return (
    <Screen title={t.title} subtitle={listName(client)} back={back}>
      <section class="card" aria-labelledby="followup-goal">
        <p class="life-area">{common.lifeAreas[item.goal.life_area] || item.goal.life_area}</p>
        <h2 id="followup-goal">{item.goal.text}</h2>
        <GoalState item={item} />
      </section>
      <form class="card" onSubmit={save} noValidate>
        <Choices legend={t.goalResult} name="followup-result" options={RESULTS} value={result} onChange={setResult} />
        {item.subgoals.length > 0 && (
          <>
            <p class="hint">{t.subgoalsIntro}</p>
            {item.subgoals.map(({ subgoal }) => (
              <Choices
                key={subgoal.id}
                legend={subgoal.text}
                name={`followup-sub-${subgoal.id}`}
                options={SUB_RESULTS}
                value={subgoals[subgoal.id] ?? ''}
                onChange={(r) => setSubgoals((current) => ({ ...current, [subgoal.id]: r }))}
              />
            ))}
          </>
        )}
        <Measure name={measure} value={value} onName={setMeasure} onValue={setValue} />
        <div class="field">
          <label for="followup-note">{t.note}</label>
          <textarea id="followup-note" rows={5} maxLength={FOLLOWUP_NOTE_MAX} value={note} aria-describedby="followup-note-hint" onInput={(e) => setNote(e.currentTarget.value)} />
          <p class="hint" id="followup-note-hint">
            {t.noteHint}
          </p>
        </div>
        {problem && <Problem>{problem}</Problem>}
        <button type="submit" class="button primary block" disabled={busy}>
          {t.save}
        </button>
      </form>
    </Screen>
  );
}

export function RecordFollowup({ id, goalId }) {
  const { data, error } = useLive(() => clientPage(id), [id]);
  const back = href.client(id);
  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (data === undefined) return <Screen title={t.title} back={back}><Loading /></Screen>;
  if (!data?.client) return <Screen title={common.notFound} back={href.clients()} />;
  const item = data.order ? goalsWithFollowups(data.order, data.followups, today()).find((g) => g.goal.id === goalId) : null;
  if (!item) return <Screen title={common.notFound} back={back}><p class="muted">{t.errors.unknown_goal}</p></Screen>;
  return <FollowupForm client={data.client} item={item} />;
}

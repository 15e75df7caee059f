// Flytta besöket: a planned visit moved to another day, time or place (`visit.reschedule`),
// from the visit screen; the reminders follow the new time. The day it is moved to is the
// day the visit screen then leads back to.
import { useState } from 'preact/hooks';
import { rescheduleVisit } from '../../../data/actions.js';
import { PLACE_MAX } from '../../../data/contract.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/reschedule.js';
import { useLive } from '../../live.js';
import { listName } from '../../parts/clients.js';
import { findVisit } from '../../parts/findVisit.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { TimeInput } from '../../parts/TimeInput.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { formatDay, formatSpan, fromLocal, toLocal } from '../../time.js';
import { plusDefault } from './PlanVisit.jsx';

function Form({ visit, client }) {
  const start = toLocal(visit.starts_at);
  const [form, setForm] = useState({
    date: start.date, start: start.time, end: visit.ends_at ? toLocal(visit.ends_at).time : '', place: visit.place ?? '', endTouched: false,
  });
  const { problem, setProblem, busy, run } = useSave();
  const set = (patch) => setForm((current) => ({ ...current, ...patch }));
  const back = href.visit(visit.id);

  async function save(event) {
    event.preventDefault();
    if (!form.date || !form.start) return setProblem(t.required);
    const startsAt = fromLocal(form.date, form.start);
    const endsAt = form.end ? fromLocal(form.date, form.end) : null;
    if (endsAt && new Date(endsAt) < new Date(startsAt)) return setProblem(t.endBeforeStart);
    await run(
      () => rescheduleVisit({ id: visit.id, starts_at: startsAt, ends_at: endsAt, place: form.place }),
      () => navigate(back, { replace: true }),
    );
  }

  return (
    <Screen
      title={t.title}
      subtitle={`${listName(client)} · ${t.was(`${formatDay(start.date)} ${formatSpan(visit.starts_at, visit.ends_at)}`)}`}
      back={back}
      actions={
        <button type="submit" form="move-form" class="button primary" disabled={busy}>
          {t.save}
        </button>
      }
    >
      <form id="move-form" class="card" onSubmit={save} noValidate>
        <div class="field">
          <label for="move-date">{t.date}</label>
          <input id="move-date" type="date" value={form.date} onInput={(e) => set({ date: e.currentTarget.value })} required />
        </div>
        <div class="row two">
          <div class="field">
            <label for="move-start">{t.startsAt}</label>
            <TimeInput
              id="move-start"
              value={form.start}
              invalidText={common.timeInvalid}
              onChange={(time) => set(form.endTouched || !form.end ? { start: time } : { start: time, end: plusDefault(time) })}
              required
            />
          </div>
          <div class="field">
            <label for="move-end">{t.endsAt}</label>
            <TimeInput id="move-end" value={form.end} invalidText={common.timeInvalid} onChange={(end) => set({ end, endTouched: true })} />
          </div>
        </div>
        <div class="field">
          <label for="move-place">{t.place}</label>
          <input id="move-place" type="text" maxLength={PLACE_MAX} value={form.place} onInput={(e) => set({ place: e.currentTarget.value })} />
        </div>
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

export function Reschedule({ id }) {
  const { data, error } = useLive(() => findVisit(id), [id]);
  if (error) return <Screen title={common.loadFailed} back={href.visit(id)} />;
  if (!data) return <Screen title={t.title} back={href.visit(id)}><Loading /></Screen>;
  if (!data.visit) return <Screen title={common.notFound} back={href.today()} />;
  if (data.visit.status !== 'planned') {
    return (
      <Screen title={t.title} back={href.visit(id)}>
        <p class="card">{common.actionErrors.not_planned}</p>
      </Screen>
    );
  }
  return <Form visit={data.visit} client={data.client} />;
}

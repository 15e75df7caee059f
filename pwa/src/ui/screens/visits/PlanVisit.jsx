// Planning a new visit: date, start, optional end and place; or a series of them in one step
// (every week or every other week, as the plan's "how often" says), each its own visit, so
// one of them is moved or cancelled like any other.
import { useState } from 'preact/hooks';
import { planVisit } from '../../../data/actions.js';
import { PLACE_MAX } from '../../../data/contract.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/plan.js';
import { useLive } from '../../live.js';
import { listName } from '../../parts/clients.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { TimeInput } from '../../parts/TimeInput.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { addDays, fromLocal, toLocal } from '../../time.js';

// A new visit starts at the next whole hour and lasts this long unless changed.
const DEFAULT_MINUTES = 60;
const HOUR_MS = 60 * 60 * 1000;

/** The default end for a start time ("HH:MM"), or '' when it would pass midnight. */
export function plusDefault(start) {
  const [h, m] = start.split(':').map(Number);
  const end = h * 60 + m + DEFAULT_MINUTES;
  if (end >= 24 * 60) return '';
  return `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
}

// How many visits one series may plan at most (half a year of weekly visits).
export const SERIES_MAX = 26;

/** The visits of a series: the same local clock times every `everyDays` days from `date`
 * (Stockholm time: a visit at 10:00 stays at 10:00 across a clock change). Pure. */
export function occurrences(date, start, end, everyDays, count) {
  return Array.from({ length: everyDays ? count : 1 }, (_, i) => {
    const day = addDays(date, i * (everyDays || 0));
    return { starts_at: fromLocal(day, start), ends_at: end ? fromLocal(day, end) : null };
  });
}

function defaults() {
  const start = new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS);
  const end = new Date(start.getTime() + DEFAULT_MINUTES * 60 * 1000);
  const s = toLocal(start.toISOString());
  return { date: s.date, start: s.time, end: toLocal(end.toISOString()).time, place: '', endTouched: false, every: 0, count: 6 };
}

export function PlanVisit({ clientId }) {
  const { data, error } = useLive(() => clientPage(clientId), [clientId]);
  const [form, setForm] = useState(defaults);
  const { problem, setProblem, busy, run } = useSave();
  const back = href.client(clientId);
  const set = (patch) => setForm((current) => ({ ...current, ...patch }));

  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (!data) return <Screen title={t.title} back={back}><Loading /></Screen>;
  if (!data.client) return <Screen title={common.notFound} back={href.clients()} />;

  async function save(event) {
    event.preventDefault();
    if (!form.date || !form.start) {
      setProblem(t.required);
      return;
    }
    const startsAt = fromLocal(form.date, form.start);
    const endsAt = form.end ? fromLocal(form.date, form.end) : null;
    if (endsAt && new Date(endsAt) < new Date(startsAt)) {
      setProblem(t.endBeforeStart);
      return;
    }
    const count = Number(form.count);
    if (form.every && !(Number.isInteger(count) && count >= 2 && count <= SERIES_MAX)) {
      setProblem(t.countInvalid(SERIES_MAX));
      return;
    }
    const place = form.place.trim();
    await run(
      async () => {
        for (const visit of occurrences(form.date, form.start, form.end, form.every, count)) {
          await planVisit({ client_id: clientId, starts_at: visit.starts_at, ...(visit.ends_at ? { ends_at: visit.ends_at } : {}), ...(place ? { place } : {}) });
        }
      },
      () => navigate(back, { replace: true }),
    );
  }

  return (
    <Screen
      title={t.title}
      subtitle={listName(data.client)}
      back={back}
      actions={
        <button type="submit" form="plan-form" class="button primary" disabled={busy}>
          {form.every ? t.saveSeries(Number(form.count) || 0) : t.save}
        </button>
      }
    >
      <form id="plan-form" class="card" onSubmit={save} noValidate>
        <div class="field">
          <label for="plan-date">{t.date}</label>
          <input id="plan-date" type="date" value={form.date} onInput={(e) => set({ date: e.currentTarget.value })} required />
        </div>
        <div class="row two">
          <div class="field">
            <label for="plan-start">{t.startsAt}</label>
            <TimeInput
              id="plan-start"
              value={form.start}
              invalidText={common.timeInvalid}
              onChange={(start) => set(form.endTouched ? { start } : { start, end: plusDefault(start) })}
              required
            />
          </div>
          <div class="field">
            <label for="plan-end">{t.endsAt}</label>
            <TimeInput
              id="plan-end"
              value={form.end}
              invalidText={common.timeInvalid}
              onChange={(end) => set({ end, endTouched: true })}
            />
          </div>
        </div>
        <div class="row two">
          <div class="field">
            <label for="plan-every">{t.repeat}</label>
            <select id="plan-every" value={form.every} onChange={(e) => set({ every: Number(e.currentTarget.value) })}>
              <option value={0}>{t.once}</option>
              <option value={7}>{t.weekly}</option>
              <option value={14}>{t.fortnightly}</option>
            </select>
          </div>
          {form.every > 0 && (
            <div class="field">
              <label for="plan-count">{t.count}</label>
              <input id="plan-count" type="number" inputMode="numeric" min="2" max={SERIES_MAX} value={form.count} onInput={(e) => set({ count: e.currentTarget.value })} />
            </div>
          )}
        </div>
        {form.every > 0 && form.date && <p class="hint">{t.seriesHint(Number(form.count) || 0, form.every)}</p>}
        <div class="field">
          <label for="plan-place">{t.place}</label>
          <input
            id="plan-place"
            type="text"
            maxLength={PLACE_MAX}
            value={form.place}
            placeholder={(!data.client.protected_identity && data.client.whereabouts) || ''}
            onInput={(e) => set({ place: e.currentTarget.value })}
          />
        </div>
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

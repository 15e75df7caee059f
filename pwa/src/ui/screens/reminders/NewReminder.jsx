// "Ny påminnelse": the worker's own reminder (text, date, time, optionally a client), saved
// on the phone (offline too) and synced. Opened from Idag, or from a client's page with that
// client chosen. The text stays in the app: the lock screen shows only the time and, for a
// client without protected identity, initials.
import { useState } from 'preact/hooks';
import { addReminder } from '../../../data/actions.js';
import { REMINDER_TEXT_MAX } from '../../../data/contract.js';
import { caseload } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/reminder.js';
import { useLive } from '../../live.js';
import { byName, listName } from '../../parts/clients.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { TimeInput } from '../../parts/TimeInput.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { fromLocal, toLocal } from '../../time.js';

const HOUR_MS = 60 * 60 * 1000;

/** A new reminder is for the next whole hour unless changed. */
function defaults(clientId) {
  const next = toLocal(new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS).toISOString());
  return { text: '', date: next.date, time: next.time, client_id: clientId || '' };
}

const clientsOf = async () => (await caseload()).map((entry) => entry.client).sort(byName);

export function NewReminder({ clientId }) {
  const { data: clients, error } = useLive(clientsOf, []);
  const [form, setForm] = useState(() => defaults(clientId));
  const { problem, setProblem, busy, run } = useSave();
  const back = clientId ? href.client(clientId) : href.today();
  const set = (patch) => setForm((current) => ({ ...current, ...patch }));

  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (!clients) return <Screen title={t.title} back={back}><Loading /></Screen>;
  if (clientId && !clients.some((c) => c.id === clientId)) return <Screen title={common.notFound} back={href.today()} />;

  async function save(event) {
    event.preventDefault();
    if (!form.text.trim() || !form.date || !form.time) {
      setProblem(t.required);
      return;
    }
    await run(
      () => addReminder({ text: form.text, remind_at: fromLocal(form.date, form.time), client_id: form.client_id || undefined }),
      () => navigate(back, { replace: true }),
    );
  }

  return (
    <Screen
      title={t.title}
      back={back}
      actions={
        <button type="submit" form="reminder-form" class="button primary" disabled={busy}>
          {t.save}
        </button>
      }
    >
      <form id="reminder-form" class="card" onSubmit={save} noValidate>
        <div class="field">
          <label for="reminder-text">{t.text}</label>
          <textarea
            id="reminder-text"
            rows={3}
            maxLength={REMINDER_TEXT_MAX}
            value={form.text}
            aria-describedby="reminder-text-hint"
            onInput={(e) => set({ text: e.currentTarget.value })}
            required
          />
          <p class="hint" id="reminder-text-hint">
            {t.textHint}
          </p>
        </div>
        <div class="row two">
          <div class="field">
            <label for="reminder-date">{t.date}</label>
            <input id="reminder-date" type="date" value={form.date} onInput={(e) => set({ date: e.currentTarget.value })} required />
          </div>
          <div class="field">
            <label for="reminder-time">{t.time}</label>
            <TimeInput id="reminder-time" value={form.time} invalidText={common.timeInvalid} onChange={(time) => set({ time })} required />
          </div>
        </div>
        <div class="field">
          <label for="reminder-client">{t.client}</label>
          <select id="reminder-client" value={form.client_id} onChange={(e) => set({ client_id: e.currentTarget.value })}>
            <option value="">{t.noClient}</option>
            {clients.map((client) => (
              <option key={client.id} value={client.id}>
                {listName(client)}
              </option>
            ))}
          </select>
        </div>
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

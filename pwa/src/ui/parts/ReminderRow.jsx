// One personal reminder in a list (Idag, the client page): its time (with the day when it is
// not today), "Försenad" once its time has passed, the worker's text, the client (a link;
// "Skyddad identitet" for a protected identity), the sync state, and the buttons Klar and
// Skjut upp (+15 min, +1 tim, i morgon 09:00). data-testid="reminder-<id>".
import { useState } from 'preact/hooks';
import { doneReminder, snoozeReminder } from '../../data/actions.js';
import t from '../../strings/sv/reminder.js';
import { announceSaved, saveProblem } from '../announce.js';
import { href } from '../routes.js';
import { addDays, formatWhen, fromLocal, toZonedISO, today } from '../time.js';
import { listName } from './clients.js';
import { RecordState } from './RecordState.jsx';

// The snooze choices: from now (not from the reminder's time, which may be long past).
const MINUTE = 60_000;
export const SNOOZES = [
  ['quarter', (now) => toZonedISO(new Date(now + 15 * MINUTE))],
  ['hour', (now) => toZonedISO(new Date(now + 60 * MINUTE))],
  ['tomorrow', (now) => fromLocal(addDays(today(new Date(now)), 1), '09:00')],
];
const SNOOZE_LABELS = { quarter: t.snoozeQuarter, hour: t.snoozeHour, tomorrow: t.snoozeTomorrow };

export function ReminderRow({ reminder, now = Date.now(), withClient = true }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const overdue = reminder.status === 'open' && Date.parse(reminder.remind_at) < now;
  const textId = `reminder-text-${reminder.id}`;

  async function act(action) {
    setBusy(true);
    setProblem(null);
    try {
      await action();
      announceSaved();
    } catch (error) {
      console.error(error);
      setProblem(saveProblem(error));
    }
    setBusy(false);
  }

  return (
    <li class={overdue ? 'reminder-row is-overdue' : 'reminder-row'} data-testid={`reminder-${reminder.id}`}>
      <div class="reminder-head">
        <span class="reminder-time">{formatWhen(reminder.remind_at, new Date(now))}</span>
        {overdue && <span class="badge overdue">{t.overdue}</span>}
        <span class="reminder-state">
          <RecordState state={reminder.state} />
        </span>
      </div>
      <p class="reminder-text pre" id={textId}>
        {reminder.text}
      </p>
      {withClient && reminder.client && (
        <a class="link" href={href.client(reminder.client.id)}>
          {listName(reminder.client)}
        </a>
      )}
      <div class="row wrap reminder-actions" role="group" aria-label={t.actionsFor(reminder.text)}>
        <button type="button" class="button small primary" disabled={busy} aria-describedby={textId} onClick={() => act(() => doneReminder(reminder.id))}>
          {t.done}
        </button>
        <span class="visually-hidden">{t.snooze}:</span>
        {SNOOZES.map(([key, until]) => (
          <button
            key={key}
            type="button"
            class="button small ghost"
            disabled={busy}
            onClick={() => act(() => snoozeReminder(reminder.id, until(Date.now())))}
          >
            {SNOOZE_LABELS[key]}
          </button>
        ))}
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}

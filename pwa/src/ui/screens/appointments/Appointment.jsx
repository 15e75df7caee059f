// One of the client's appointments: when, what, with whom, where, whether the worker goes
// along or reminds the client, the participants of a SIP or network meeting, what the
// server found about consent, and the notes about it. While planned: how it went once it
// has begun (the client came or not, and what was decided: `appointment.outcome`), Ändra eller flytta
// (`appointment.update`) and Avboka (`appointment.cancel`, with why).
import { useState } from 'preact/hooks';
import { cancelAppointment, recordOutcome } from '../../../data/actions.js';
import { OUTCOMES, VISIT_NOTE_MAX } from '../../../data/contract.js';
import { appointmentById } from '../../../data/casework-queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/appointment.js';
import { useLive } from '../../live.js';
import { Choices } from '../../parts/Choices.jsx';
import { listName } from '../../parts/clients.js';
import { RecordState } from '../../parts/RecordState.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { dayHref } from '../../parts/visits.js';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { formatDay, formatDayShort, formatSpan, formatTime, toLocal } from '../../time.js';

function Facts({ a }) {
  return (
    <section class="card" aria-label={t.title}>
      <p class="key-info">{formatSpan(a.starts_at, a.ends_at)}</p>
      <p class="muted">{formatDay(toLocal(a.starts_at).date)}</p>
      {a.place && <p>{a.place}</p>}
      <p class="row wrap">
        <span class="visit-status">{t.statuses[a.status]}</span>
        <RecordState state={a.state} />
      </p>
      {a.status === 'planned' && <p class={a.accompany ? '' : 'warning'}>{a.accompany ? t.accompanies : t.remindClientLong}</p>}
      {a.consent_warning && <span class="badge overdue">{a.consent_stale ? t.withStaleConsent : t.withoutConsent}</span>}
      {a.participants?.length > 0 && (
        <>
          <h2>{t.participants}</h2>
          <ul class="people">
            {a.participants.map((p, i) => (
              <li key={i}>{p.org ? `${p.role}, ${p.org}` : p.role}</li>
            ))}
          </ul>
        </>
      )}
      {a.client && (
        <a class="link" href={href.client(a.client.id)}>
          {t.toClient}
        </a>
      )}
    </section>
  );
}

function Outcome({ a, home }) {
  const [outcome, setOutcome] = useState(null);
  const [note, setNote] = useState('');
  const { problem, setProblem, busy, run } = useSave();
  async function save(event) {
    event.preventDefault();
    if (!outcome) return setProblem(t.chooseOutcome);
    await run(() => recordOutcome({ id: a.id, outcome, note }), () => navigate(home, { replace: true }));
  }
  return (
    <form class="card" onSubmit={save} aria-label={t.outcome} noValidate>
      <Choices legend={t.outcome} name="outcome" options={OUTCOMES.map((code) => [code, t.outcomes[code]])} value={outcome} onChange={setOutcome} />
      <div class="field">
        <label for="outcome-note">{t.decided}</label>
        <textarea id="outcome-note" rows={3} maxLength={VISIT_NOTE_MAX} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      {problem && <Problem>{problem}</Problem>}
      <button type="submit" class="button primary block" disabled={busy}>
        {t.saveOutcome}
      </button>
    </form>
  );
}

function Cancel({ a, home }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const { problem, busy, run } = useSave();
  if (!open) {
    return (
      <button type="button" class="button ghost danger-text block" onClick={() => setOpen(true)}>
        {t.cancel}
      </button>
    );
  }
  return (
    <div class="card confirm" role="group" aria-label={t.cancel}>
      <div class="field">
        <label for="cancel-note">{t.cancelNote}</label>
        <textarea id="cancel-note" rows={2} maxLength={VISIT_NOTE_MAX} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      {problem && <Problem>{problem}</Problem>}
      <div class="row">
        <button type="button" class="button danger" disabled={busy} onClick={() => run(() => cancelAppointment({ id: a.id, note }), () => navigate(home, { replace: true }))}>
          {t.cancelYes}
        </button>
        <button type="button" class="button ghost" onClick={() => setOpen(false)}>
          {common.cancel}
        </button>
      </div>
    </div>
  );
}

export function Appointment({ id }) {
  const { data: a, error } = useLive(() => appointmentById(id), [id]);
  if (error) return <Screen title={common.loadFailed} back={href.today()} />;
  if (a === undefined) return <Screen title={t.title} back={href.today()}><Loading /></Screen>;
  if (!a) return <Screen title={t.notFound} back={href.today()} />;
  const home = dayHref(toLocal(a.starts_at).date);
  const planned = a.status === 'planned';
  return (
    <Screen
      title={a.with}
      docTitle={t.title}
      subtitle={[t.kinds[a.kind], listName(a.client)].filter(Boolean).join(' · ')}
      back={home}
      actions={
        planned && (
          <a class="button secondary" href={href.editAppointment(a.id)}>
            {t.edit}
          </a>
        )
      }
    >
      <Facts a={a} />
      {planned && (Date.parse(a.starts_at) <= Date.now() ? <Outcome a={a} home={home} /> : <p class="card muted">{t.outcomeLater}</p>)}
      {planned && <Cancel a={a} home={home} />}
      {a.notes.length > 0 && (
        <section class="card" aria-labelledby="appointment-notes">
          <h2 id="appointment-notes">{t.notes}</h2>
          <ul class="notes">
            {a.notes.map((note) => (
              <li key={note.id}>
                <p class="muted">{`${formatDayShort(note.written_at)} ${formatTime(note.written_at)}`}</p>
                <p class="pre">{note.text}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Screen>
  );
}

// The fields of an appointment, for Ny tid and Ändra tiden: what kind, with whom, when,
// where, whether the worker goes along, and for a SIP or network meeting the participants
// by role and organisation. `form` is {kind, with, date, start, end, place, accompany
// ('yes' | 'no' | ''), participants: [{role, org}]}; `set(patch)` changes it.
import { APPOINTMENT_KINDS, APPOINTMENT_WITH_MAX, PARTICIPANT_ORG_MAX, PARTICIPANT_ROLE_MAX, PARTICIPANTS_MAX, PLACE_MAX } from '../../data/contract.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/appointment.js';
import { fromLocal, toLocal, today } from '../time.js';
import { Choices } from './Choices.jsx';
import { TimeInput } from './TimeInput.jsx';

// The kinds that gather several parties (casework.md): their participants are asked for.
const MEETINGS = ['sip', 'network_meeting'];

/** The form of an appointment held, or a new one's (on today's date until another is chosen). */
export function formOf(a = {}) {
  const start = a.starts_at ? toLocal(a.starts_at) : { date: today(), time: '' };
  return {
    kind: a.kind ?? '', with: a.with ?? '', date: start.date, start: start.time, end: a.ends_at ? toLocal(a.ends_at).time : '',
    place: a.place ?? '', accompany: a.accompany === undefined ? '' : a.accompany ? 'yes' : 'no', participants: a.participants ?? [],
  };
}

/** The form as the data layer's arguments, or null when what is required is missing. */
export function argsOf(form) {
  if (!form.kind || !form.with.trim() || !form.date || !form.start || !form.accompany) return null;
  return {
    kind: form.kind,
    with: form.with,
    starts_at: fromLocal(form.date, form.start),
    ends_at: form.end ? fromLocal(form.date, form.end) : null,
    place: form.place,
    accompany: form.accompany === 'yes',
    participants: form.participants,
  };
}

function Participants({ list, set }) {
  const change = (i, patch) => set({ participants: list.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  return (
    <fieldset class="reasons participants">
      <legend>{t.participants}</legend>
      <p class="hint">{t.participantsHint}</p>
      {list.map((p, i) => (
        <div class="row two participant" key={i}>
          <div class="field">
            <label for={`participant-${i}-role`}>{t.role}</label>
            <input id={`participant-${i}-role`} type="text" maxLength={PARTICIPANT_ROLE_MAX} value={p.role} onInput={(e) => change(i, { role: e.currentTarget.value })} />
          </div>
          <div class="field">
            <label for={`participant-${i}-org`}>{t.org}</label>
            <input id={`participant-${i}-org`} type="text" maxLength={PARTICIPANT_ORG_MAX} value={p.org ?? ''} onInput={(e) => change(i, { org: e.currentTarget.value })} />
          </div>
          <button type="button" class="button icon" aria-label={t.removeParticipant(i + 1)} onClick={() => set({ participants: list.filter((_, j) => j !== i) })}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
      {list.length < PARTICIPANTS_MAX && (
        <button type="button" class="button small secondary" onClick={() => set({ participants: [...list, { role: '', org: '' }] })}>
          {t.addParticipant}
        </button>
      )}
    </fieldset>
  );
}

export function AppointmentFields({ form, set }) {
  const field = (name) => ({ value: form[name], onInput: (e) => set({ [name]: e.currentTarget.value }) });
  return (
    <>
      <div class="card">
        <div class="field">
          <label for="appointment-kind">{t.kind}</label>
          <select id="appointment-kind" value={form.kind} onChange={(e) => set({ kind: e.currentTarget.value })}>
            <option value="">{t.chooseKind}</option>
            {APPOINTMENT_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t.kinds[kind]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="appointment-with">{t.with}</label>
          <input id="appointment-with" type="text" maxLength={APPOINTMENT_WITH_MAX} aria-describedby="appointment-with-hint" {...field('with')} />
          <p class="hint" id="appointment-with-hint">
            {t.withHint}
          </p>
        </div>
        <div class="field">
          <label for="appointment-date">{t.date}</label>
          <input id="appointment-date" type="date" {...field('date')} />
        </div>
        <div class="row two">
          <div class="field">
            <label for="appointment-start">{t.startsAt}</label>
            <TimeInput id="appointment-start" value={form.start} invalidText={common.timeInvalid} onChange={(start) => set({ start })} />
          </div>
          <div class="field">
            <label for="appointment-end">{t.endsAt}</label>
            <TimeInput id="appointment-end" value={form.end} invalidText={common.timeInvalid} onChange={(end) => set({ end })} />
          </div>
        </div>
        <div class="field">
          <label for="appointment-place">{t.place}</label>
          <input id="appointment-place" type="text" maxLength={PLACE_MAX} {...field('place')} />
        </div>
      </div>
      <div class="card">
        <Choices
          legend={t.accompany}
          name="accompany"
          options={[['yes', t.accompanyYes], ['no', t.accompanyNo]]}
          value={form.accompany}
          onChange={(accompany) => set({ accompany })}
        />
        {(MEETINGS.includes(form.kind) || form.participants.length > 0) && <Participants list={form.participants} set={set} />}
      </div>
    </>
  );
}

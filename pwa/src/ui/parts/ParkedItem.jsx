// One item needing attention: a change the server parked (docs/sync-protocol.md, "Parked
// mutations"). Shows what it was, the server's reason, both sides of a conflict, and lets the
// worker send corrected values (resolveParked 'apply_data'), keep their own values in a
// conflict ('apply'), or throw the change away ('discard').
import { useState } from 'preact/hooks';
import { resolveParked } from '../../data/actions.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/attention.js';
import { announce, saveProblem } from '../announce.js';
import { formatDate, formatTime, fromLocal, toLocal } from '../time.js';
import { TimeInput } from './TimeInput.jsx';

const TIME_FIELDS = ['starts_at', 'ends_at', 'started_at', 'ended_at', 'remind_at', 'until'];
const SHOWN_AS_TIME = [...TIME_FIELDS, 'cancelled_at'];
const TEXT_FIELDS = ['place', 'whereabouts', 'phone'];
const LONG_TEXT_FIELDS = ['note', 'text', 'contact_notes'];
const EDITABLE = [...TIME_FIELDS, 'minutes', 'reason', ...TEXT_FIELDS, ...LONG_TEXT_FIELDS];

export function formatValue(field, value) {
  if (value === null || value === undefined || value === '') return '–';
  if (SHOWN_AS_TIME.includes(field)) return `${formatDate(value)} ${formatTime(value)}`;
  if (field === 'reason' || field === 'cancel_reason') return common.cancelReasons[value] || value;
  if (field === 'minutes') return common.minutes(value);
  if (field === 'status') return common.visitStatus[value] || value;
  if (field === 'activities' && Array.isArray(value)) return t.activitiesCount(value.length);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// What a visit mutation writes to the fields a conflict names, when its args do not say it.
const WRITTEN_STATUS = { 'visit.cancel': 'cancelled', 'visit.complete': 'done', 'visit.log': 'done' };

/** The value the parked mutation would have written to `field`. */
export function mineValue(parked, field) {
  const { name, args = {}, occurred_at } = parked.mutation || {};
  if (field in args) return args[field];
  if (field === 'status') return WRITTEN_STATUS[name];
  if (field === 'cancel_reason') return args.reason;
  if (field === 'cancelled_at') return occurred_at;
  return undefined;
}

/** The fields of a parked mutation a worker can correct here, the ones the server named first. */
export function editableFields(parked) {
  const args = parked.mutation?.args || {};
  const named = (parked.fields || []).filter((f) => EDITABLE.includes(f));
  if (named.length) return named;
  return EDITABLE.filter((f) => f in args);
}

function toInput(field, value) {
  if (value === null || value === undefined) return '';
  if (TIME_FIELDS.includes(field)) {
    const { date, time } = toLocal(value);
    return `${date}T${time}`;
  }
  return String(value);
}

function fromInput(field, text) {
  if (TIME_FIELDS.includes(field)) {
    const [date, time] = (text || '').split('T');
    return date && time ? fromLocal(date, time) : null;
  }
  if (field === 'minutes') return text === '' ? null : Number(text);
  return text;
}

function FieldInput({ field, id, value, onInput }) {
  const handle = (e) => onInput(e.currentTarget.value);
  if (TIME_FIELDS.includes(field)) {
    // "YYYY-MM-DDTHH:MM" as a date field and a 24-hour time field.
    const [date = '', time = ''] = (value || '').split('T');
    return (
      <div class="row two">
        <input id={id} type="date" value={date} onInput={(e) => onInput(`${e.currentTarget.value}T${time}`)} />
        <TimeInput
          id={`${id}-time`}
          label={`${t.fields[field] || field}, ${t.clock}`}
          value={time}
          invalidText={common.timeInvalid}
          onChange={(next) => onInput(`${date}T${next}`)}
        />
      </div>
    );
  }
  if (field === 'minutes') return <input id={id} type="number" inputMode="numeric" min="0" max="960" value={value} onInput={handle} />;
  if (field === 'reason') {
    return (
      <select id={id} value={value} onChange={handle}>
        {Object.entries(common.cancelReasons).map(([code, label]) => (
          <option value={code}>{label}</option>
        ))}
      </select>
    );
  }
  if (LONG_TEXT_FIELDS.includes(field)) return <textarea id={id} rows={3} value={value} onInput={handle} />;
  return <input id={id} type="text" value={value} onInput={handle} />;
}

export function ParkedItem({ parked, clientLabel }) {
  const args = parked.mutation?.args || {};
  const fields = editableFields(parked);
  const [mode, setMode] = useState(null); // null | 'fix' | 'discard'
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f, toInput(f, args[f])])));
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const forbidden = parked.reason === 'forbidden';
  const conflict = parked.reason === 'conflict' && parked.server_values;
  // Correcting values fits a refused change; a conflict is decided (mine or theirs) instead.
  const fixable = !forbidden && !conflict && fields.length > 0;
  const titleId = `parked-${parked.id}`;

  async function resolve(action, data) {
    setBusy(true);
    setProblem(null);
    try {
      await resolveParked(data ? { parked_id: parked.id, action, data } : { parked_id: parked.id, action });
      announce(t.resolved);
    } catch (error) {
      console.error(error);
      setProblem(saveProblem(error));
      setBusy(false);
    }
  }

  function sendFix(event) {
    event.preventDefault();
    const data = {};
    for (const field of fields) {
      if (values[field] !== toInput(field, args[field])) data[field] = fromInput(field, values[field]);
    }
    if (!Object.keys(data).length) {
      setProblem(t.noChange);
      return;
    }
    resolve('apply_data', data);
  }

  const fieldErrors = Object.entries(parked.field_errors || {});
  return (
    <article class="card parked" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {t.what[parked.mutation?.name] || t.unknownWhat}
        {clientLabel && <span class="parked-client">{` · ${clientLabel}`}</span>}
      </h3>
      {parked.mutation?.occurred_at && (
        <p class="muted">{t.occurred(`${formatDate(parked.mutation.occurred_at)} ${formatTime(parked.mutation.occurred_at)}`)}</p>
      )}
      <p class="parked-reason">
        {t.reasonsFor[parked.mutation?.name]?.[parked.reason] || t.reasons[parked.reason] || t.unknownReason}
      </p>
      {parked.message && (
        <p class="muted">
          {t.serverSaid}: <q lang="en">{parked.message}</q>
        </p>
      )}
      {conflict ? (
        <dl class="conflict">
          {(parked.fields || []).map((field) => (
            <div class="conflict-row">
              <dt>{t.fields[field] || field}</dt>
              <dd>
                {t.mine}: <strong>{formatValue(field, mineValue(parked, field))}</strong>
              </dd>
              <dd>
                {t.theirs}: <strong>{formatValue(field, parked.server_values[field])}</strong>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        fieldErrors.length > 0 && (
          <ul class="field-errors">
            {fieldErrors.map(([field, messages]) => (
              <li lang="en">
                <span lang="sv">{t.fields[field] || field}</span>: {[].concat(messages).join(' ')}
              </li>
            ))}
          </ul>
        )
      )}

      {mode === 'fix' && (
        <form class="fix" onSubmit={sendFix} aria-label={t.fixTitle}>
          {fields.map((field) => {
            const id = `${titleId}-${field}`;
            return (
              <div class="field">
                <label for={id}>{t.fields[field] || field}</label>
                <FieldInput field={field} id={id} value={values[field]} onInput={(v) => setValues({ ...values, [field]: v })} />
              </div>
            );
          })}
          <div class="row">
            <button type="submit" class="button primary" disabled={busy}>
              {t.send}
            </button>
            <button type="button" class="button ghost" onClick={() => setMode(null)}>
              {common.cancel}
            </button>
          </div>
        </form>
      )}

      {mode === 'discard' && (
        <div class="confirm" role="alertdialog" aria-labelledby={`${titleId}-confirm`}>
          <p id={`${titleId}-confirm`}>{t.discardConfirm}</p>
          <div class="row">
            <button type="button" class="button danger" disabled={busy} onClick={() => resolve('discard')}>
              {t.discardYes}
            </button>
            <button type="button" class="button ghost" onClick={() => setMode(null)}>
              {common.cancel}
            </button>
          </div>
        </div>
      )}

      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}

      {mode === null && (
        <div class="row wrap">
          {fixable && (
            <button type="button" class="button secondary" onClick={() => setMode('fix')}>
              {t.fix}
            </button>
          )}
          {!forbidden && conflict && (
            <button type="button" class="button secondary" disabled={busy} onClick={() => resolve('apply')}>
              {t.keepMine}
            </button>
          )}
          <button type="button" class="button ghost danger-text" onClick={() => setMode('discard')}>
            {t.discard}
          </button>
        </div>
      )}
      {mode === null && !fixable && !conflict && <p class="hint">{t.cannotEdit}</p>}
    </article>
  );
}

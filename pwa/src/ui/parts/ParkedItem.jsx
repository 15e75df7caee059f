// One item needing attention: a change the server parked (docs/sync-protocol.md, "Parked
// mutations"). Shows what it was, the server's reason (in Swedish, by its code: never the
// server's English message), both sides of a conflict, and lets the worker send corrected
// values (resolveParked 'apply_data'), keep their own values in a conflict ('apply'), or
// throw the change away ('discard'). Someone else's change (a supervisor's queue) names the
// worker and the phone, words both sides for a third person, and may be applied as it is
// or corrected, on behalf of the client's current worker when the author has left them.
// The decisions are in parked.js.
import { useState } from 'preact/hooks';
import { resolveParked } from '../../data/actions.js';
import { MAX_VISIT_MINUTES } from '../../data/contract.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/attention.js';
import { announce, saveProblem } from '../announce.js';
import { formatDate, formatTime } from '../time.js';
import { LONG_TEXT_FIELDS, TIME_FIELDS, editableFields, fieldProblem, formatValue, fromInput, mineValue, toInput } from './parked.js';
import { TimeInput } from './TimeInput.jsx';

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
  if (field === 'minutes') return <input id={id} type="number" inputMode="numeric" min="0" max={MAX_VISIT_MINUTES} value={value} onInput={handle} />;
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

export function ParkedItem({ parked, clientLabel, own = true, author = null, device = null, currentWorkers = null }) {
  const args = parked.mutation?.args || {};
  const fields = editableFields(parked);
  const [mode, setMode] = useState(null); // null | 'fix' | 'discard'
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f, toInput(f, args[f])])));
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const forbidden = parked.reason === 'forbidden';
  const conflict = parked.reason === 'conflict' && parked.server_values;
  // Correcting values fits a refused change; a conflict is decided (mine or theirs) instead.
  // Someone else's change is a supervisor's to decide, who may also apply one refused as
  // forbidden (the author has left the client, or it came too late).
  const fixable = (own ? !forbidden : true) && !conflict && fields.length > 0;
  const applicable = !own && forbidden;
  const leftClient = !own && author && currentWorkers && !currentWorkers.some((w) => w.id === author.id);
  const nowServing = (currentWorkers || []).map((w) => w.name).filter(Boolean).join(', ');
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
      {!own && (
        <p class="parked-who" data-testid="parked-who">
          {t.from(author?.name, device ? device.name || t.unknownDevice : null)}
        </p>
      )}
      <p class="parked-reason">
        {t.reasonsFor[parked.mutation?.name]?.[parked.reason] || (!own && t.reasonsOthers[parked.reason]) || t.reasons[parked.reason] || t.unknownReason}
      </p>
      {applicable && <p class="hint">{leftClient ? t.onBehalf(author.name, nowServing) : t.applyHint}</p>}
      {conflict ? (
        <dl class="conflict">
          {(parked.fields || []).map((field) => (
            <div class="conflict-row">
              <dt>{t.fields[field] || field}</dt>
              <dd>
                {own ? t.mine : t.workerValue}: <strong>{formatValue(field, mineValue(parked, field))}</strong>
              </dd>
              <dd>
                {own ? t.theirs : t.serverValue}: <strong>{formatValue(field, parked.server_values[field])}</strong>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        fieldErrors.length > 0 && (
          <ul class="field-errors">
            {fieldErrors.map(([field, messages]) => (
              <li>{fieldProblem(field, messages)}</li>
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
              {own ? t.send : t.fixAndApply}
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
              {own ? t.fix : t.fixAndApply}
            </button>
          )}
          {!forbidden && conflict && (
            <button type="button" class="button secondary" disabled={busy} onClick={() => resolve('apply')}>
              {own ? t.keepMine : t.keepWorkers}
            </button>
          )}
          {applicable && (
            <button type="button" class="button primary" disabled={busy} onClick={() => resolve('apply')}>
              {t.apply}
            </button>
          )}
          <button type="button" class="button ghost danger-text" onClick={() => setMode('discard')}>
            {t.discard}
          </button>
        </div>
      )}
      {mode === null && !fixable && !conflict && !applicable && <p class="hint">{own ? t.cannotEdit : t.othersCannotEdit}</p>}
    </article>
  );
}

// Recording a cancellation: who cancelled and how late (the orderer is told, and pays for
// booked time), with an optional note.
import { useState } from 'preact/hooks';
import { cancelVisit } from '../../../data/actions.js';
import { CANCEL_REASONS, VISIT_NOTE_MAX } from '../../../data/contract.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/cancel.js';
import { dropDraft } from '../../drafts.js';
import { useLive } from '../../live.js';
import { listName } from '../../parts/clients.js';
import { findVisit } from '../../parts/findVisit.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { startOf, visitDayHref } from '../../parts/visits.js';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { formatDay, formatSpan, toLocal } from '../../time.js';

// A cancellation later than this before the start is a late one (glossary: under 24 h).
const LATE_MS = 24 * 60 * 60 * 1000;

export function Cancel({ id }) {
  const { data, error } = useLive(() => findVisit(id), [id]);
  const [reason, setReason] = useState(null);
  const [note, setNote] = useState('');
  const { problem, setProblem, busy, run } = useSave();

  if (error) return <Screen title={common.loadFailed} back={href.visit(id)} />;
  if (!data) return <Screen title={common.loading} back={href.visit(id)}><Loading /></Screen>;
  if (!data.visit) return <Screen title={common.notFound} back={href.today()} />;
  const { visit, client } = data;
  const subtitle = `${listName(client)} · ${formatDay(toLocal(startOf(visit)).date)} ${formatSpan(visit.starts_at, visit.ends_at)}`;
  if (visit.status !== 'planned') {
    return (
      <Screen title={t.title} subtitle={subtitle} back={href.visit(id)}>
        <p class="card">{t.notPlanned}</p>
      </Screen>
    );
  }
  const late = new Date(visit.starts_at) - Date.now() < LATE_MS;

  async function save(event) {
    event?.preventDefault();
    if (!reason) {
      setProblem(t.choose);
      return;
    }
    await run(
      () => cancelVisit({ id: visit.id, reason, ...(note.trim() ? { note: note.trim() } : {}) }),
      () => {
        dropDraft(`visit.${visit.id}`);
        navigate(visitDayHref(visit), { replace: true });
      },
    );
  }

  return (
    <Screen
      title={t.title}
      subtitle={subtitle}
      back={href.visit(id)}
      actions={
        <button type="submit" form="cancel-form" class="button primary" disabled={busy}>
          {t.save}
        </button>
      }
    >
      <form id="cancel-form" onSubmit={save} class="card">
        <fieldset class="reasons">
          <legend>{t.who}</legend>
          {late && <p class="hint">{t.within24h}</p>}
          {CANCEL_REASONS.map((code) => (
            <label class="choice tall" key={code}>
              <input type="radio" name="reason" value={code} checked={reason === code} onChange={() => setReason(code)} />
              <span>
                <span class="choice-title">{common.cancelReasons[code]}</span>
                <span class="hint">{t.hints[code]}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="cancel-note">{t.note}</label>
          <textarea id="cancel-note" rows={3} maxLength={VISIT_NOTE_MAX} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

// The client's consents on the client page: whom each covers, when it was signed and until
// when, whether it is in force today (a stale one flagged: older than the rule allows, ask
// for a new one), its sync state, and Återkalla (the day it is withdrawn from, then confirm).
import { useState } from 'preact/hooks';
import { withdrawConsent } from '../../data/actions.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/consent.js';
import { announceSaved, saveProblem } from '../announce.js';
import { href } from '../routes.js';
import { formatDate, today } from '../time.js';
import { RecordState } from './RecordState.jsx';

const FLAGGED = ['stale', 'expired', 'withdrawn', 'pending'];

function Withdraw({ consent, onClose }) {
  const [day, setDay] = useState(today());
  const [problem, setProblem] = useState(null);
  const id = `withdraw-${consent.id}`;
  async function confirm() {
    try {
      await withdrawConsent({ id: consent.id, withdrawn_on: day });
      announceSaved();
      onClose();
    } catch (error) {
      console.error(error);
      setProblem(saveProblem(error));
    }
  }
  return (
    <div class="confirm" role="group" aria-label={t.withdrawFor(consent.party)}>
      <div class="field">
        <label for={id}>{t.withdrawDay}</label>
        <input id={id} type="date" value={day} min={consent.signed_on} onInput={(e) => setDay(e.currentTarget.value)} />
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <div class="row">
        <button type="button" class="button danger" onClick={confirm}>
          {t.withdrawYes}
        </button>
        <button type="button" class="button ghost" onClick={onClose}>
          {common.cancel}
        </button>
      </div>
    </div>
  );
}

function Consent({ consent }) {
  const [withdrawing, setWithdrawing] = useState(false);
  const flagged = FLAGGED.includes(consent.standing);
  return (
    <li class="consent" data-testid={`consent-${consent.id}`}>
      <div class="row wrap">
        <strong class="consent-party">{consent.party}</strong>
        <span class={flagged ? 'badge overdue' : 'badge state-confirmed'}>{t.standing[consent.standing]}</span>
        <RecordState state={consent.state} />
      </div>
      <p class="muted">
        {[t.signed(formatDate(consent.signed_on)), consent.valid_until && t.until(formatDate(consent.valid_until))].filter(Boolean).join(', ')}
        {consent.withdrawn_on && `. ${t.withdrawnOn(formatDate(consent.withdrawn_on))}`}
      </p>
      {consent.standing === 'stale' && <p class="warning">{t.staleHint}</p>}
      {!consent.withdrawn_on && !withdrawing && (
        <button type="button" class="button small ghost" aria-label={t.withdrawFor(consent.party)} onClick={() => setWithdrawing(true)}>
          {t.withdraw}
        </button>
      )}
      {withdrawing && <Withdraw consent={consent} onClose={() => setWithdrawing(false)} />}
    </li>
  );
}

export function ConsentList({ clientId, consents }) {
  return (
    <section class="card" aria-labelledby="consents-title">
      <h2 id="consents-title">{t.title}</h2>
      {!consents.length && <p class="muted">{t.none}</p>}
      {consents.length > 0 && (
        <ul class="consents" aria-labelledby="consents-title">
          {consents.map((consent) => (
            <Consent key={consent.id} consent={consent} />
          ))}
        </ul>
      )}
      <a class="button secondary" href={href.newConsent(clientId)}>
        {t.newConsent}
      </a>
    </section>
  );
}

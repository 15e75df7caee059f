// The question asked before saving a contact or an appointment with a party the client's
// consents do not cover: "Samtycke saknas för Psykiatrin: spara ändå?" with Spara ändå and
// Avbryt. It takes focus when it appears (it is the answer to the button just pressed).
import { useEffect, useRef } from 'preact/hooks';
import { consentFor } from '../../data/actions.js';
import { CONSENT_STALE_MONTHS } from '../../data/contract.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/contact.js';

/** The question before saving work with `party` at `at` (an instant), or null when a
 * consent the phone holds covers it (the server's rule, data/consents.js). */
export async function consentQuestion(clientId, party, at) {
  const check = await consentFor(clientId, party, at);
  if (!check.consent_warning) return null;
  const name = party.trim();
  return check.consent_stale ? t.staleConsent(name, CONSENT_STALE_MONTHS) : t.noConsent(name);
}

export function ConsentWarning({ text, busy, onSave, onCancel }) {
  const box = useRef(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'center' });
    box.current?.focus({ preventScroll: true });
  }, [text]);
  return (
    <div class="card warning consent-warning" role="alertdialog" aria-labelledby="consent-warning-text" tabIndex={-1} ref={box} data-testid="consent-warning">
      <p id="consent-warning-text">
        <strong>{text}</strong>
      </p>
      <div class="row">
        <button type="button" class="button primary" disabled={busy} onClick={onSave}>
          {t.saveAnyway}
        </button>
        <button type="button" class="button ghost" onClick={onCancel}>
          {common.cancel}
        </button>
      </div>
    </div>
  );
}

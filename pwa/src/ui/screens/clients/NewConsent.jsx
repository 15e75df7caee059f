// Nytt samtycke: a consent the client has signed (`consent.record`): whom it covers, the day
// it was signed, optionally until when, and a note. Saved on the phone, offline too.
import { useState } from 'preact/hooks';
import { recordConsent } from '../../../data/actions.js';
import { PARTY_MAX, VISIT_NOTE_MAX } from '../../../data/contract.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/consent.js';
import { useLive } from '../../live.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { today } from '../../time.js';

export function NewConsent({ clientId }) {
  const { data, error } = useLive(() => clientPage(clientId), [clientId]);
  const [form, setForm] = useState(() => ({ party: '', signed_on: today(), valid_until: '', note: '' }));
  const { problem, setProblem, busy, run } = useSave();
  const back = href.client(clientId);
  const field = (name) => ({ value: form[name], onInput: (e) => setForm({ ...form, [name]: e.currentTarget.value }) });

  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (data === undefined) return <Screen title={t.newConsent} back={back}><Loading /></Screen>;
  if (!data) return <Screen title={common.notFound} back={href.clients()} />;

  async function save(event) {
    event.preventDefault();
    if (!form.party.trim() || !form.signed_on) return setProblem(t.required);
    await run(() => recordConsent({ client_id: clientId, ...form }), () => navigate(back, { replace: true }));
  }

  return (
    <Screen
      title={t.newConsent}
      subtitle={data.client.name}
      back={back}
      actions={
        <button type="submit" form="consent-form" class="button primary" disabled={busy}>
          {t.save}
        </button>
      }
    >
      <form id="consent-form" class="card" onSubmit={save} noValidate>
        <div class="field">
          <label for="consent-party">{t.party}</label>
          <input id="consent-party" type="text" maxLength={PARTY_MAX} aria-describedby="consent-party-hint" {...field('party')} required />
          <p class="hint" id="consent-party-hint">
            {t.partyHint}
          </p>
        </div>
        <div class="row two">
          <div class="field">
            <label for="consent-signed">{t.signedOn}</label>
            <input id="consent-signed" type="date" {...field('signed_on')} required />
          </div>
          <div class="field">
            <label for="consent-until">{t.validUntil}</label>
            <input id="consent-until" type="date" min={form.signed_on} {...field('valid_until')} />
          </div>
        </div>
        <div class="field">
          <label for="consent-note">{t.note}</label>
          <textarea id="consent-note" rows={3} maxLength={VISIT_NOTE_MAX} {...field('note')} />
        </div>
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

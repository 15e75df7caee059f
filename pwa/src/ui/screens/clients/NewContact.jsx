// Ny kontakt: a case manager's outreach or coordination contact, logged in a few taps with
// one hand, offline too (`contact.log`): how (channel), where (met in person), with whom
// besides the client, what was done (the coordination actions), when and for how long, a
// note. With a party the client's consents do not cover (none, or only a stale one) the
// worker is asked before saving ("Samtycke saknas för Psykiatrin: spara ändå?"); the server
// records the warning on the contact. Opened from Idag (choose the client) or the client
// page. The form is kept as a draft until saved.
import { useState } from 'preact/hooks';
import { logContact } from '../../../data/actions.js';
import { CHANNELS, CONTACT_ACTIONS, CONTACT_PLACE_TYPES, MAX_CONTACT_MINUTES, PARTY_MAX, VISIT_NOTE_MAX } from '../../../data/contract.js';
import { caseload } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/contact.js';
import { useDraft } from '../../drafts.js';
import { useLive } from '../../live.js';
import { Choices } from '../../parts/Choices.jsx';
import { byName, listName } from '../../parts/clients.js';
import { ConsentWarning, consentQuestion } from '../../parts/ConsentWarning.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { TimeInput } from '../../parts/TimeInput.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { fromLocal, toLocal } from '../../time.js';

const QUICK_MINUTES = [10, 15, 30, 45, 60, 90];
const STEP_MS = 5 * 60_000;
const labelled = (codes, names) => codes.map((code) => [code, names[code]]);

function defaults(clientId) {
  const now = toLocal(new Date(Math.floor(Date.now() / STEP_MS) * STEP_MS).toISOString());
  return { client_id: clientId || '', channel: 'in_person', place_type: '', party: '', actions: [], date: now.date, time: now.time, minutes: 30, note: '' };
}

const clientsOf = async () => (await caseload()).map((entry) => entry.client).sort(byName);

export function NewContact({ clientId }) {
  const { data: clients, error } = useLive(clientsOf, []);
  const [draft, update, discard] = useDraft(`contact.${clientId || 'any'}`, defaults(clientId));
  const [warning, setWarning] = useState(null);
  const { problem, setProblem, busy, run } = useSave();
  const back = clientId ? href.client(clientId) : href.today();
  const set = (patch) => {
    setWarning(null);
    update(patch);
  };

  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (!clients) return <Screen title={t.title} back={back}><Loading /></Screen>;
  const client = clients.find((c) => c.id === draft.client_id);

  async function save(event, anyway = false) {
    event?.preventDefault();
    if (!client || !draft.channel || !draft.date || !draft.time) return setProblem(t.required);
    const startedAt = fromLocal(draft.date, draft.time);
    const party = draft.party.trim();
    if (party && !anyway) {
      const question = await consentQuestion(client.id, party, startedAt);
      if (question) {
        setProblem(null);
        return setWarning(question);
      }
    }
    await run(
      () => logContact({
        client_id: client.id,
        started_at: startedAt,
        minutes: draft.minutes,
        channel: draft.channel,
        place_type: draft.channel === 'in_person' ? draft.place_type || undefined : undefined,
        party,
        actions: draft.actions,
        note: draft.note,
      }),
      () => {
        discard();
        navigate(back, { replace: true });
      },
    );
  }

  return (
    <Screen
      title={t.title}
      subtitle={client ? listName(client) : null}
      back={back}
      actions={
        <button type="submit" form="contact-form" class="button primary" disabled={busy || Boolean(warning)}>
          {t.save}
        </button>
      }
    >
      <form id="contact-form" onSubmit={(e) => save(e)} noValidate>
        <div class="card">
          {!clientId && (
            <div class="field">
              <label for="contact-client">{t.client}</label>
              <select id="contact-client" value={draft.client_id} onChange={(e) => set({ client_id: e.currentTarget.value })}>
                <option value="">{t.chooseClient}</option>
                {clients.map((c) => (
                  <option key={c.id} value={c.id}>
                    {listName(c)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <Choices legend={t.channel} name="channel" options={labelled(CHANNELS, t.channels)} value={draft.channel} onChange={(channel) => set({ channel })} />
          {draft.channel === 'in_person' && (
            <Choices legend={t.place} name="place" options={labelled(CONTACT_PLACE_TYPES, t.placeTypes)} value={draft.place_type} onChange={(place_type) => set({ place_type })} />
          )}
        </div>
        <div class="card">
          <Choices legend={t.actions} hint={t.actionsHint} name="actions" multiple options={labelled(CONTACT_ACTIONS, t.actionNames)} value={draft.actions} onChange={(actions) => set({ actions })} />
          <div class="field">
            <label for="contact-party">{t.party}</label>
            <input id="contact-party" type="text" maxLength={PARTY_MAX} aria-describedby="contact-party-hint" value={draft.party} onInput={(e) => set({ party: e.currentTarget.value })} />
            <p class="hint" id="contact-party-hint">
              {t.partyHint}
            </p>
          </div>
        </div>
        <div class="card">
          <div class="row two">
            <div class="field">
              <label for="contact-date">{t.date}</label>
              <input id="contact-date" type="date" value={draft.date} onInput={(e) => set({ date: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="contact-time">{t.time}</label>
              <TimeInput id="contact-time" value={draft.time} invalidText={common.timeInvalid} onChange={(time) => set({ time })} />
            </div>
          </div>
          <div class="field">
            <label for="contact-minutes">{t.minutes}</label>
            <input
              id="contact-minutes"
              type="number"
              inputMode="numeric"
              min="0"
              max={MAX_CONTACT_MINUTES}
              value={draft.minutes ?? ''}
              onInput={(e) => set({ minutes: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
            />
            <div class="row wrap" role="group" aria-label={t.minutesQuick}>
              {QUICK_MINUTES.map((n) => (
                <button key={n} type="button" class="button small ghost" aria-pressed={draft.minutes === n ? 'true' : 'false'} onClick={() => set({ minutes: n })}>
                  {t.minutesShort(n)}
                </button>
              ))}
            </div>
          </div>
          <div class="field">
            <label for="contact-note">{t.note}</label>
            <textarea id="contact-note" rows={3} maxLength={VISIT_NOTE_MAX} value={draft.note} onInput={(e) => set({ note: e.currentTarget.value })} />
          </div>
        </div>
        {warning && <ConsentWarning text={warning} busy={busy} onSave={() => save(null, true)} onCancel={() => setWarning(null)} />}
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

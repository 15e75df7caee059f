// Ändra uppgifter: where the client is now, their phone and other contact details, edited
// on the phone (offline too) and sent as `client.update` with only the fields changed. Two
// workers changing different fields at once both land; the same field changed by both is a
// conflict the worker decides on the parked card (the client page shows it).
import { useState } from 'preact/hooks';
import { updateClient } from '../../../data/actions.js';
import { CLIENT_PHONE_MAX, CONTACT_NOTES_MAX, WHEREABOUTS_MAX } from '../../../data/contract.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/edit-client.js';
import { useLive } from '../../live.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';

const FIELDS = ['whereabouts', 'phone', 'contact_notes'];

function Form({ client }) {
  const [form, setForm] = useState(() => Object.fromEntries(FIELDS.map((f) => [f, client[f] ?? ''])));
  const { problem, busy, run } = useSave();
  const back = href.client(client.id);
  const field = (name) => ({ value: form[name], onInput: (e) => setForm({ ...form, [name]: e.currentTarget.value }) });

  async function save(event) {
    event.preventDefault();
    await run(() => updateClient({ id: client.id, ...form }), () => navigate(back, { replace: true }));
  }

  return (
    <Screen
      title={t.title}
      subtitle={client.name}
      back={back}
      actions={
        <button type="submit" form="client-form" class="button primary" disabled={busy}>
          {t.save}
        </button>
      }
    >
      <form id="client-form" class="card" onSubmit={save} noValidate>
        <div class="field">
          <label for="client-whereabouts">{t.whereabouts}</label>
          <textarea id="client-whereabouts" rows={3} maxLength={WHEREABOUTS_MAX} aria-describedby="client-whereabouts-hint" {...field('whereabouts')} />
          <p class="hint" id="client-whereabouts-hint">
            {t.whereaboutsHint}
          </p>
        </div>
        <div class="field">
          <label for="client-phone">{t.phone}</label>
          <input id="client-phone" type="tel" autocomplete="off" maxLength={CLIENT_PHONE_MAX} aria-describedby="client-phone-hint" {...field('phone')} />
          <p class="hint" id="client-phone-hint">
            {t.phoneHint}
          </p>
        </div>
        <div class="field">
          <label for="client-notes">{t.contactNotes}</label>
          <textarea id="client-notes" rows={4} maxLength={CONTACT_NOTES_MAX} {...field('contact_notes')} />
        </div>
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

export function EditClient({ id }) {
  const { data, error } = useLive(() => clientPage(id), [id]);
  if (error) return <Screen title={common.loadFailed} back={href.client(id)} />;
  if (data === undefined) return <Screen title={t.title} back={href.client(id)}><Loading /></Screen>;
  if (!data) return <Screen title={common.notFound} back={href.clients()} />;
  return <Form client={data.client} />;
}

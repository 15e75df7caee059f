// Ny tid: one of the client's own appointments (psychiatry, Kronofogden, Försäkringskassan,
// a SIP or network meeting…), saved on the phone offline too (`appointment.add`); the
// worker is reminded before it (and, when not going along, in time to remind the client).
// An appointment with a party the client's consents do not cover asks before saving. The
// form is kept as a draft until saved.
import { useState } from 'preact/hooks';
import { addAppointment } from '../../../data/actions.js';
import { VISIT_NOTE_MAX } from '../../../data/contract.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/appointment.js';
import { useDraft } from '../../drafts.js';
import { useLive } from '../../live.js';
import { AppointmentFields, argsOf, formOf } from '../../parts/AppointmentFields.jsx';
import { listName } from '../../parts/clients.js';
import { ConsentWarning, consentQuestion } from '../../parts/ConsentWarning.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';

export function NewAppointment({ clientId }) {
  const { data, error } = useLive(() => clientPage(clientId), [clientId]);
  const [form, update, discard] = useDraft(`appointment.${clientId}`, { ...formOf(), note: '' });
  const [warning, setWarning] = useState(null);
  const { problem, setProblem, busy, run } = useSave();
  const back = href.client(clientId);
  const set = (patch) => {
    setWarning(null);
    update(patch);
  };

  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (data === undefined) return <Screen title={t.newAppointment} back={back}><Loading /></Screen>;
  if (!data) return <Screen title={common.notFound} back={href.clients()} />;

  async function save(event, anyway = false) {
    event?.preventDefault();
    const args = argsOf(form);
    if (!args) return setProblem(t.required);
    if (!anyway) {
      const question = await consentQuestion(clientId, args.with, args.starts_at);
      if (question) {
        setProblem(null);
        return setWarning(question);
      }
    }
    await run(
      () => addAppointment({ client_id: clientId, ...args, note: form.note }),
      () => {
        discard();
        navigate(back, { replace: true });
      },
    );
  }

  return (
    <Screen
      title={t.newAppointment}
      subtitle={listName(data.client)}
      back={back}
      actions={
        <button type="submit" form="appointment-form" class="button primary" disabled={busy || Boolean(warning)}>
          {t.save}
        </button>
      }
    >
      <form id="appointment-form" onSubmit={(e) => save(e)} noValidate>
        <AppointmentFields form={form} set={set} />
        <div class="card">
          <div class="field">
            <label for="appointment-note">{t.note}</label>
            <textarea id="appointment-note" rows={3} maxLength={VISIT_NOTE_MAX} value={form.note} onInput={(e) => set({ note: e.currentTarget.value })} />
          </div>
        </div>
        {warning && <ConsentWarning text={warning} busy={busy} onSave={() => save(null, true)} onCancel={() => setWarning(null)} />}
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

// Ändra tiden: a planned appointment moved or changed (`appointment.update`, only what
// changed is sent); the reminders follow the new time. A new party (or a new day) that the
// client's consents do not cover asks before saving, as when it was added.
import { useState } from 'preact/hooks';
import { updateAppointment } from '../../../data/actions.js';
import { appointmentById } from '../../../data/casework-queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/appointment.js';
import { useLive } from '../../live.js';
import { AppointmentFields, argsOf, formOf } from '../../parts/AppointmentFields.jsx';
import { listName } from '../../parts/clients.js';
import { ConsentWarning, consentQuestion } from '../../parts/ConsentWarning.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { navigate } from '../../router.js';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';

function Form({ appointment }) {
  const [form, setForm] = useState(() => formOf(appointment));
  const [warning, setWarning] = useState(null);
  const { problem, setProblem, busy, run } = useSave();
  const back = href.appointment(appointment.id);
  const set = (patch) => {
    setWarning(null);
    setForm((current) => ({ ...current, ...patch }));
  };

  async function save(event, anyway = false) {
    event?.preventDefault();
    const args = argsOf(form);
    if (!args) return setProblem(t.required);
    // Asked when the change loses a consent's cover: a new party, or a new day that its
    // consent does not reach. A warning already answered when it was added is not asked again.
    const partyChanged = args.with.trim().toLowerCase() !== appointment.with.trim().toLowerCase();
    if (!anyway && (partyChanged || Date.parse(args.starts_at) !== Date.parse(appointment.starts_at))) {
      const question = await consentQuestion(appointment.client_id, args.with, args.starts_at);
      const before = partyChanged ? null : await consentQuestion(appointment.client_id, appointment.with, appointment.starts_at);
      if (question && !before) {
        setProblem(null);
        return setWarning(question);
      }
    }
    await run(() => updateAppointment({ id: appointment.id, ...args }), () => navigate(back, { replace: true }));
  }

  return (
    <Screen
      title={t.editTitle}
      subtitle={listName(appointment.client)}
      back={back}
      actions={
        <button type="submit" form="appointment-form" class="button primary" disabled={busy || Boolean(warning)}>
          {t.saveChanges}
        </button>
      }
    >
      <form id="appointment-form" onSubmit={(e) => save(e)} noValidate>
        <AppointmentFields form={form} set={set} />
        {warning && <ConsentWarning text={warning} busy={busy} onSave={() => save(null, true)} onCancel={() => setWarning(null)} />}
        {problem && <Problem>{problem}</Problem>}
      </form>
    </Screen>
  );
}

export function EditAppointment({ id }) {
  const { data, error } = useLive(() => appointmentById(id), [id]);
  if (error) return <Screen title={common.loadFailed} back={href.appointment(id)} />;
  if (data === undefined) return <Screen title={t.editTitle} back={href.appointment(id)}><Loading /></Screen>;
  if (!data) return <Screen title={t.notFound} back={href.today()} />;
  if (data.status !== 'planned') {
    return (
      <Screen title={t.editTitle} back={href.appointment(id)}>
        <p class="card">{common.actionErrors.not_planned}</p>
      </Screen>
    );
  }
  return <Form appointment={data} />;
}

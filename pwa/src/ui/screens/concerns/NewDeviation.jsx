// Rapportera avvikelse (deviation.add): lex Sarah, medication, safety or other, on the day it
// happened, about a client or none; seen by its author and the team's supervisors only (the
// client's other workers do not pull it). Offline too; with the supervisor at the next sync.
import { useState } from 'preact/hooks';
import { DEVIATION_TEXT_MAX, addDeviation } from '../../../data/report-actions.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/concern.js';
import { Choices } from '../../parts/Choices.jsx';
import { Problem, Screen } from '../../parts/Screen.jsx';
import { navigate } from '../../router.js';
import { useSave } from '../../save.js';
import { href } from '../../routes.js';
import { today } from '../../time.js';

export function NewDeviation({ clientId }) {
  const [category, setCategory] = useState('');
  const [occurredOn, setOccurredOn] = useState(today());
  const [text, setText] = useState('');
  const { problem, busy, run } = useSave({ ...t.errors, failed: t.failed });
  const back = clientId ? href.client(clientId) : href.today();

  async function save(event) {
    event.preventDefault();
    await run(() => addDeviation({ client_id: clientId || null, category, occurred_on: occurredOn, text }), () => {
      navigate(back, { replace: true });
    });
  }

  return (
    <Screen title={t.deviationTitle} back={back}>
      <form class="card" onSubmit={save} noValidate>
        <p class="hint">{t.deviationIntro}</p>
        <Choices legend={t.deviationCategory} name="deviation-category" options={Object.entries(t.deviationCategories)} value={category} onChange={setCategory} />
        <div class="field">
          <label for="deviation-day">{t.occurredOn}</label>
          <input id="deviation-day" type="date" max={today()} value={occurredOn} onInput={(e) => setOccurredOn(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="deviation-text">{t.deviationText}</label>
          <textarea id="deviation-text" rows={5} maxLength={DEVIATION_TEXT_MAX} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        {problem && <Problem>{problem}</Problem>}
        <button type="submit" class="button primary block" disabled={busy}>
          {t.save}
        </button>
      </form>
    </Screen>
  );
}

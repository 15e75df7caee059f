// Anmäl oro: a concern about a client (concern.add) in a few taps, offline too; it reaches the
// supervisor's queue at the next sync. A concern about children says at once, before it is
// saved, that a report of concern (orosanmälan) goes to the social services without delay:
// the law does not let it wait for a sync.
import { useState } from 'preact/hooks';
import { concernPhone } from '../../../data/districts.js';
import { CONCERN_TEXT_MAX, addConcern } from '../../../data/report-actions.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/concern.js';
import { announce } from '../../announce.js';
import { Choices } from '../../parts/Choices.jsx';
import { useLive } from '../../live.js';
import { listName } from '../../parts/clients.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { navigate } from '../../router.js';
import { useSave } from '../../save.js';
import { href } from '../../routes.js';

export function NewConcern({ clientId }) {
  // The client's district's number for the report of concern, kept from the last sync.
  const { data, error } = useLive(async () => {
    const page = await clientPage(clientId);
    const district = page?.order?.district ?? null;
    return page && { ...page, district, districtPhone: await concernPhone(district) };
  }, [clientId]);
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  const { problem, busy, run } = useSave({ ...t.errors, failed: t.failed });
  const back = href.client(clientId);
  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (!data) return <Screen title={t.concernTitle} back={back}><Loading /></Screen>;
  if (!data.client) return <Screen title={common.notFound} back={href.clients()} />;

  async function save(event) {
    event.preventDefault();
    await run(() => addConcern({ client_id: clientId, category, text }), () => {
      announce(t.saved);
      navigate(back, { replace: true });
    });
  }

  return (
    <Screen title={t.concernTitle} subtitle={listName(data.client)} back={back}>
      <form class="card" onSubmit={save} noValidate>
        <p class="hint">{t.concernIntro}</p>
        <Choices legend={t.category} name="concern-category" options={Object.entries(t.categories)} value={category} onChange={setCategory} />
        {category === 'children' && (
          <div class="warning" role="alert" data-testid="children-now">
            <p>{t.childrenNow}</p>
            {data.districtPhone && (
              <a class="button primary block" href={`tel:${data.districtPhone.replace(/[^\d+]/g, '')}`}>
                {t.callDistrict(data.district, data.districtPhone)}
              </a>
            )}
          </div>
        )}
        <div class="field">
          <label for="concern-text">{t.text}</label>
          <textarea id="concern-text" rows={5} maxLength={CONCERN_TEXT_MAX} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        {problem && <Problem>{problem}</Problem>}
        <button type="submit" class="button primary block" disabled={busy}>
          {t.save}
        </button>
      </form>
    </Screen>
  );
}

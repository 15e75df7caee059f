// Meddelande till beställaren: the notice that the plan departs from the order, in one step
// from the client page: the order by its reference (never the client's name), one point per
// departure (data/divergence.js, the server words it the same), a box for the reasons and
// what was agreed with the client, the worker and the day; saved in the plan's dialogue with
// the orderer (plan.dialogue, a notice the supervisor sees) and printed or saved as PDF by
// the browser (window.print), offline too.
import { useState } from 'preact/hooks';
import { divergence, notice } from '../../../data/divergence.js';
import { DIALOGUE_TEXT_MAX, addDialogue } from '../../../data/plan-actions.js';
import { clientPage } from '../../../data/queries.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/plans.js';
import { useLive } from '../../live.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { formatDate, today } from '../../time.js';

function Notice({ client, order, plan, author }) {
  const [why, setWhy] = useState('');
  const [saved, setSaved] = useState(false);
  const { problem, busy, run } = useSave({ ...t.errors, failed: t.failed });
  const told = notice(order, divergence(order, plan));
  const save = () => run(() => addDialogue({ plan_id: plan.id, kind: 'notice', text: why, points: told.points }), () => setSaved(true));
  return (
    <Screen title={t.noticeTitle} subtitle={client.name} back={href.client(client.id)}>
      <p class="hint no-print">{t.noticeIntro}</p>
      <article class="card notice" data-testid="plan-notice">
        <h2>{told.title}</h2>
        <p>{t.noticeOrder(told.order)}</p>
        {told.points.length === 0 ? (
          <p>{t.nothingToTell}</p>
        ) : (
          <>
            <p>{t.noticeDeparts}</p>
            <ul>
              {told.points.map((point) => (
                <li key={point}>{point}</li>
              ))}
            </ul>
          </>
        )}
        <div class="field">
          <label for="notice-why">{t.noticeWhy}</label>
          <textarea id="notice-why" rows={5} maxLength={DIALOGUE_TEXT_MAX} value={why} readOnly={saved} aria-describedby="notice-why-hint" onInput={(e) => setWhy(e.currentTarget.value)} />
          <p class="hint no-print" id="notice-why-hint">
            {t.noticeWhyHint}
          </p>
        </div>
        <p>{t.noticeFrom(author ?? '', formatDate(today()))}</p>
      </article>
      {problem && <Problem>{problem}</Problem>}
      {told.points.length > 0 && !saved && (
        <button type="button" class="button primary block no-print" disabled={busy} onClick={save}>
          {t.saveNotice}
        </button>
      )}
      {saved && (
        <p class="card no-print" role="status" data-testid="notice-saved">
          {t.noticeSaved}
        </p>
      )}
      <button type="button" class={saved || told.points.length === 0 ? 'button primary block no-print' : 'button secondary block no-print'} onClick={() => window.print()}>
        {t.print}
      </button>
      <a class="button ghost block no-print" href={href.planDialogue(client.id)}>
        {t.dialogueTitle}
      </a>
    </Screen>
  );
}

export function PlanNotice({ id, session }) {
  const { data, error } = useLive(() => clientPage(id), [id]);
  if (error) return <Screen title={common.loadFailed} back={href.client(id)} />;
  if (data === undefined) return <Screen title={t.noticeTitle} back={href.client(id)}><Loading /></Screen>;
  if (!data?.plan || !data.order) return <Screen title={common.notFound} back={href.client(id)} />;
  return <Notice client={data.client} order={data.order} plan={data.plan} author={session?.user?.name} />;
}

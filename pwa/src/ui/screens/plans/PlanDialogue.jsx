// Dialog med beställaren: what has been said with the orderer about the plan, documented on
// the plan (plan.dialogue), newest first: the notices sent (with what they told), the
// orderer's replies with their outcome, notes of calls; and a form to add a reply or a note,
// offline too. The supervisor sees the same entries (the workload dashboard, the queue).
import './plans.css';
import { useState } from 'preact/hooks';
import { DIALOGUE_TEXT_MAX, addDialogue } from '../../../data/plan-actions.js';
import { clientPage, teamDirectory } from '../../../data/queries.js';
import { getMeta } from '../../../data/db.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/plans.js';
import { announce } from '../../announce.js';
import { Choices } from '../../parts/Choices.jsx';
import { listName } from '../../parts/clients.js';
import { useLive } from '../../live.js';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { href } from '../../routes.js';
import { useSave } from '../../save.js';
import { formatDayShort, formatTime } from '../../time.js';

/** The client's page with each dialogue entry's author: the user for their own, else the
 * team directory's name (a supervisor's phone), else none. */
async function dialogueOf(clientId) {
  const [page, user, directory] = await Promise.all([clientPage(clientId), getMeta('user'), teamDirectory()]);
  if (!page) return page;
  const author = (id) => (id && id === user?.id ? t.me : directory?.workers?.[id]?.name ?? null);
  return { ...page, dialogue: page.dialogue.map((entry) => ({ ...entry, author: author(entry.author_id) })) };
}

function Entry({ entry }) {
  return (
    <li class="card" data-testid={`dialogue-${entry.id}`} data-kind={entry.kind}>
      <p class="dialogue-head">
        <span class="badge">{t.dialogueKinds[entry.kind] ?? entry.kind}</span>
      </p>
      {entry.outcome && <p><strong>{t.outcomeLine(t.outcomes[entry.outcome] ?? entry.outcome)}</strong></p>}
      {entry.points?.length > 0 && (
        <ul class="divergence-points">
          {entry.points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
      )}
      <p class="pre">{entry.text}</p>
      <p class="muted">{t.by(entry.author, `${formatDayShort(entry.written_at)} ${formatTime(entry.written_at)}`)}</p>
    </li>
  );
}

function AddEntry({ planId }) {
  const [kind, setKind] = useState('reply');
  const [outcome, setOutcome] = useState('');
  const [text, setText] = useState('');
  const { problem, busy, run } = useSave({ ...t.errors, failed: t.failed });

  async function save(event) {
    event.preventDefault();
    await run(() => addDialogue({ plan_id: planId, kind, text, outcome: kind === 'reply' ? outcome : null }), () => {
      announce(t.dialogueSaved);
      setText('');
      setOutcome('');
    });
  }

  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="dialogue-add">
      <h2 id="dialogue-add">{t.addTitle}</h2>
      <Choices legend={t.addKind} name="dialogue-kind" options={Object.entries(t.addKinds)} value={kind} onChange={setKind} />
      {kind === 'reply' && (
        <Choices legend={t.outcome} name="dialogue-outcome" hint={t.outcomeHint} options={Object.entries(t.outcomes)} value={outcome} onChange={setOutcome} />
      )}
      <div class="field">
        <label for="dialogue-text">{t.dialogueText}</label>
        <textarea id="dialogue-text" rows={4} maxLength={DIALOGUE_TEXT_MAX} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      {problem && <Problem>{problem}</Problem>}
      <button type="submit" class="button primary block" disabled={busy}>
        {t.saveDialogue}
      </button>
    </form>
  );
}

export function PlanDialogue({ id }) {
  const { data, error } = useLive(() => dialogueOf(id), [id]);
  const back = href.client(id);
  if (error) return <Screen title={common.loadFailed} back={back} />;
  if (data === undefined) return <Screen title={t.dialogueTitle} back={back}><Loading /></Screen>;
  if (!data?.plan) return <Screen title={common.notFound} back={back} />;
  return (
    <Screen title={t.dialogueTitle} subtitle={listName(data.client)} back={back}>
      <p class="hint">{t.dialogueIntro}</p>
      {data.order && (
        <a class="button secondary" href={href.planNotice(id)}>
          {t.tellOrderer}
        </a>
      )}
      {data.dialogue.length === 0 ? (
        <p class="muted">{t.dialogueNone}</p>
      ) : (
        <ul class="dialogue-list" aria-label={t.dialogueTitle}>
          {data.dialogue.map((entry) => (
            <Entry key={entry.id} entry={entry} />
          ))}
        </ul>
      )}
      <AddEntry planId={data.plan.id} />
    </Screen>
  );
}

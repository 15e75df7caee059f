// Cover for an absent colleague, on the Team screen: the grants in force (who covers whom
// until when, each with "Avsluta" after a confirmation) and a form to give one. The
// server decides (`server/security/cover.py`: two active field workers of one role, at
// most 60 days counting today); the form offers only what it would accept. Online only.
import { useState } from 'preact/hooks';
import { ApiError } from '../../sync/api.js';
import { endCover, grantCover, loadCover } from '../../sync/supervision.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/cover.js';
import { announce } from '../announce.js';
import { problemText, useFetched } from '../fetched.js';
import { addDays, formatDate, today } from '../time.js';
import { workerById } from './caseloads.js';

// The longest cover one grant gives, counting today (the server's MAX_COVER_DAYS).
const MAX_COVER_DAYS = 60;

const fieldWorkers = (team) => (team?.workers || []).filter((w) => w.cap != null);

function Grants({ team, grants, online, onEnded }) {
  const [ending, setEnding] = useState(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const name = (id) => workerById(team, id)?.name ?? '?';

  async function end(grant) {
    setBusy(true);
    setProblem(null);
    try {
      await endCover(grant.id);
      setEnding(null);
      announce(t.ended(name(grant.covering_worker_id)));
      onEnded();
    } catch (error) {
      setProblem(problemText(error));
    }
    setBusy(false);
  }

  if (!grants.length) return <p class="muted">{t.none}</p>;
  return (
    <>
      <ul class="cover-grants">
        {grants.map((grant) => {
          const covering = name(grant.covering_worker_id);
          const absent = name(grant.absent_worker_id);
          return (
            <li key={grant.id} class="cover-grant" data-testid={`cover-${grant.id}`}>
              <p>{t.grant(covering, absent, formatDate(grant.until))}</p>
              <p class="muted">{t.grantedBy(grant.granted_by ? name(grant.granted_by) : t.operator)}</p>
              {ending === grant.id ? (
                <div class="confirm" role="alertdialog" aria-labelledby={`end-cover-${grant.id}`}>
                  <p id={`end-cover-${grant.id}`} class="warning">
                    {t.endConfirm(covering, absent)}
                  </p>
                  <div class="row wrap">
                    <button type="button" class="button danger" disabled={busy || !online} onClick={() => end(grant)}>
                      {t.endYes}
                    </button>
                    <button type="button" class="button ghost" onClick={() => setEnding(null)}>
                      {common.cancel}
                    </button>
                  </div>
                </div>
              ) : (
                <button type="button" class="button small ghost danger-text" disabled={!online} onClick={() => setEnding(grant.id)}>
                  {t.end}
                  <span class="visually-hidden">{t.endFor(covering)}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}

function NewGrant({ team, online, onGranted }) {
  const first = today();
  const last = addDays(first, MAX_COVER_DAYS - 1);
  const [absentId, setAbsentId] = useState('');
  const [coveringId, setCoveringId] = useState('');
  const [until, setUntil] = useState(addDays(first, 6));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const workers = fieldWorkers(team);
  const absent = workers.find((w) => w.id === absentId) ?? null;
  // A colleague of the same role, active, not the absent one.
  const colleagues = absent ? workers.filter((w) => w.active && w.id !== absent.id && w.role === absent.role) : [];

  async function submit(event) {
    event.preventDefault();
    if (!absent || !colleagues.some((w) => w.id === coveringId) || !until) {
      setProblem(t.required);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const grant = await grantCover({ absentWorkerId: absent.id, coveringWorkerId: coveringId, until });
      announce(t.granted(workerById(team, coveringId)?.name, absent.name, formatDate(grant.until)));
      setAbsentId('');
      setCoveringId('');
      onGranted();
    } catch (error) {
      setProblem(error instanceof ApiError || error?.code === 'offline' ? problemText(error) : problemText(null));
    }
    setBusy(false);
  }

  return (
    <form class="cover-new" onSubmit={submit} noValidate aria-labelledby="cover-new-title">
      <h3 id="cover-new-title">{t.newTitle}</h3>
      <div class="field">
        <label for="cover-absent">{t.absent}</label>
        <select id="cover-absent" value={absentId} onChange={(e) => { setAbsentId(e.currentTarget.value); setCoveringId(''); }}>
          <option value="">{t.choose}</option>
          {workers.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </div>
      {absent && (
        <div class="field">
          <label for="cover-covering">{t.covering}</label>
          {colleagues.length === 0 ? (
            <p class="muted" id="cover-covering">
              {t.nobodyToCover}
            </p>
          ) : (
            <select id="cover-covering" value={coveringId} onChange={(e) => setCoveringId(e.currentTarget.value)}>
              <option value="">{t.choose}</option>
              {colleagues.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </div>
      )}
      <div class="field">
        <label for="cover-until">{t.until}</label>
        <input id="cover-until" type="date" min={first} max={last} value={until} aria-describedby="cover-until-hint" onInput={(e) => setUntil(e.currentTarget.value)} />
        <p class="hint" id="cover-until-hint">
          {t.untilHint(formatDate(last))}
        </p>
      </div>
      {!online && <p class="warning">{t.needsServer}</p>}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" class="button primary" disabled={busy || !online}>
        {busy ? t.saving : t.submit}
      </button>
    </form>
  );
}

export function Cover({ team, online }) {
  const teamId = team.team?.id ?? null;
  const fetched = useFetched(() => loadCover(teamId), [teamId]);
  return (
    <section class="card" aria-labelledby="cover-title" data-testid="cover">
      <h2 id="cover-title">{t.title}</h2>
      <p class="hint">{t.intro}</p>
      {fetched.problem && !fetched.offline && <p class="problem">{fetched.problem}</p>}
      <Grants team={team} grants={fetched.data?.grants ?? []} online={online} onEnded={fetched.reload} />
      <NewGrant team={team} online={online} onGranted={fetched.reload} />
    </section>
  );
}

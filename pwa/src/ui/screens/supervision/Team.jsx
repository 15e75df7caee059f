// The team, a supervisor's first screen: the workers with their caseload against the cap
// (a chart with a table alternative), the team's clients with who serves them, and changing
// an assignment (assign, hand over, end) with what it does to each caseload shown before
// saving; cover for an absent colleague (parts/Cover.jsx). A unit manager switches between
// the teams they lead. Offline: the team as last fetched, and the changes say they need the
// server.
import '../../supervision.css';
import { useState } from 'preact/hooks';
import { ApiError } from '../../../sync/api.js';
import { assignClient, endAssignment, loadTeam } from '../../../sync/supervision.js';
import common from '../../../strings/sv/common.js';
import s from '../../../strings/sv/supervision.js';
import reported from '../../../strings/sv/reported.js';
import t from '../../../strings/sv/team.js';
import { announce } from '../../announce.js';
import { problemText, useFetched } from '../../fetched.js';
import { BarChart } from '../../parts/BarChart.jsx';
import { assignmentEffect, candidates, endEffect, isFull, refusalOf, servingWorkers, workerById } from '../../parts/caseloads.js';
import { byName, listName } from '../../parts/clients.js';
import { Cover } from '../../parts/Cover.jsx';
import { Fetched } from '../../parts/Fetched.jsx';
import { Loading, Screen } from '../../parts/Screen.jsx';
import { TeamPicker, useChosenTeam } from '../../parts/TeamPicker.jsx';
import { useOnline } from '../../parts/StatusBar.jsx';
import { href } from '../../routes.js';

const fieldWorkers = (team) => (team?.workers || []).filter((w) => w.cap != null);

function Workers({ team }) {
  const workers = fieldWorkers(team);
  // The caps as the server's settings give them (each worker carries their role's).
  const caps = [...new Map(workers.map((w) => [w.role, t.capOf(s.roles[w.role] || w.role, w.cap)])).values()];
  const rows = workers.map((w) => {
    const over = w.caseload > w.cap;
    return {
      key: w.id,
      label: w.active ? w.name : `${w.name} (${t.inactive})`,
      value: w.caseload,
      max: w.cap,
      text: `${t.caseload(w.caseload, w.cap)}${over ? `, ${t.over}` : isFull(w) ? `, ${t.full}` : ''}`,
      tone: over ? 'bad' : isFull(w) ? 'warn' : 'ok',
      mark: over ? '!' : isFull(w) ? '●' : undefined,
    };
  });
  return (
    <section class="card" aria-labelledby="workers-title">
      <h2 id="workers-title">{t.workers}</h2>
      <BarChart
        id="caseload-chart"
        title={t.caseloadChart}
        rows={rows}
        table={{
          caption: t.caseloadChart,
          columns: [t.tableWorker, t.tableRole, t.tableCaseload, t.tableCap, t.tableRoom],
          numeric: [2, 3, 4],
          rows: workers.map((w) => [w.name, s.roles[w.role] || w.role, w.caseload, w.cap, Math.max(0, w.cap - w.caseload)]),
        }}
      />
      {caps.length > 0 && <p class="hint">{t.capLine(caps.join(', '))}</p>}
    </section>
  );
}

function Change({ team, client, online, onTeam }) {
  const options = candidates(team, client);
  const firstFree = options.find((w) => !w.full);
  const [chosen, setChosen] = useState(firstFree?.id ?? '');
  const [ending, setEnding] = useState(null); // the worker whose assignment is being ended
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const worker = options.find((w) => w.id === chosen) ?? null;
  const effect = worker && assignmentEffect(team, client, worker);
  const name = listName(client);
  const handover = (client.workers || []).some((w) => w.service === client.service);

  async function run(action, workerId, done) {
    setBusy(true);
    setProblem(null);
    try {
      const next = await action(client.id, workerId);
      onTeam(next);
      announce(done);
    } catch (error) {
      if (error instanceof ApiError && ['assignment_refused', 'over_device_budget'].includes(error.reason)) {
        // Said in Swedish from the team as it is now (someone may have filled the caseload).
        let now = team;
        try {
          now = (await loadTeam(team.team?.id)).data;
          onTeam(now);
        } catch {
          // The refusal is still worth telling.
        }
        const judged = refusalOf(now, client.id, workerId);
        // The server said why; the team as it is now may not show it (a report since).
        const why = error.reason === 'over_device_budget' ? 'overBudget' : judged;
        const who = workerById(now, workerId) ?? worker;
        setProblem(why === 'other' ? t.refused.other : t.refused[why](who.name, who.cap));
      } else {
        setProblem(problemText(error));
      }
    }
    setBusy(false);
  }

  return (
    <div class="change" role="group" aria-label={t.changeFor(name)}>
      {!online && <p class="warning">{t.offlineActions}</p>}
      {options.length === 0 ? (
        <p class="muted">{t.noCandidates}</p>
      ) : (
        <div class="field">
          <label for={`give-${client.id}`}>{t.giveTo(handover)}</label>
          <select id={`give-${client.id}`} value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
            <option value="">{t.chooseWorker}</option>
            {options.map((w) => (
              <option key={w.id} value={w.id}>
                {t.candidate(w)}
              </option>
            ))}
          </select>
        </div>
      )}
      {effect && (
        <div class="effect" aria-live="polite">
          {effect.to.full ? (
            <p class="warning">{t.fullWarning(worker.name, worker.cap)}</p>
          ) : effect.phone?.over ? (
            <p class="warning">{t.overBudgetWarning(worker.name, effect.phone.records, effect.phone.budget.records)}</p>
          ) : (
            <>
              <p class="hint">{t.before}</p>
              <ul class="effect-list">
                <li>{t.afterTo(worker.name, effect.to.after, effect.to.cap)}</li>
                {effect.from.map((f) => (
                  <li key={f.worker.id}>{t.afterFrom(f.worker.name, f.after, f.cap)}</li>
                ))}
                {effect.phone && <li>{t.phoneAfter(worker.name, effect.phone.records, effect.phone.budget.records)}</li>}
              </ul>
            </>
          )}
          <button
            type="button"
            class="button primary"
            disabled={busy || !online || effect.to.full || Boolean(effect.phone?.over)}
            onClick={() => run(assignClient, worker.id, t.assigned(name, worker.name))}
          >
            {busy ? t.saving : effect.handover ? t.handOver : t.assign}
          </button>
        </div>
      )}
      {servingWorkers(team, client).map((w) => {
        const end = endEffect(team, client, w);
        return ending === w.id ? (
          <div key={w.id} class="confirm" role="alertdialog" aria-labelledby={`end-${client.id}-${w.id}`}>
            <p id={`end-${client.id}-${w.id}`} class="warning">
              {t.endConfirm(w.name, end.after, end.cap, end.leavesNobody)}
            </p>
            <div class="row wrap">
              <button
                type="button"
                class="button danger"
                disabled={busy || !online}
                onClick={() => run(endAssignment, w.id, t.ended(name, w.name)).then(() => setEnding(null))}
              >
                {t.endYes}
              </button>
              <button type="button" class="button ghost" onClick={() => setEnding(null)}>
                {common.cancel}
              </button>
            </div>
          </div>
        ) : (
          <button key={w.id} type="button" class="button ghost danger-text" disabled={busy || !online} onClick={() => setEnding(w.id)}>
            {t.end(w.name)}
          </button>
        );
      })}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function Clients({ team, online, onTeam }) {
  const [open, setOpen] = useState(null);
  const clients = [...(team?.clients || [])].sort(byName);
  return (
    <section class="card" aria-labelledby="team-clients-title">
      <h2 id="team-clients-title">
        {t.clients} <span class="muted">({clients.length})</span>
      </h2>
      <p class="hint">{t.clientsHint}</p>
      <ul class="team-clients">
        {clients.map((client) => {
          const names = servingWorkers(team, client).map((w) => w.name);
          const isOpen = open === client.id;
          return (
            <li key={client.id} class="team-client" data-testid={`team-client-${client.id}`}>
              <div class="team-client-row">
                <a class="team-client-name" href={href.client(client.id)}>
                  {listName(client)}
                </a>
                <span class="team-client-service">{common.services[client.service] || client.service}</span>
                <span class={names.length ? 'team-client-workers' : 'team-client-workers is-missing'}>
                  {names.length ? names.join(', ') : t.noWorker}
                </span>
                <a class="link team-client-access" href={href.clientAccess(client.id)}>
                  {t.whoRead}
                  <span class="visually-hidden">{t.whoseRecords(listName(client))}</span>
                </a>
                <button
                  type="button"
                  class="button small secondary"
                  aria-expanded={isOpen ? 'true' : 'false'}
                  onClick={() => setOpen(isOpen ? null : client.id)}
                >
                  {isOpen ? t.close : t.change}
                  <span class="visually-hidden">{t.whose(listName(client))}</span>
                </button>
              </div>
              {isOpen && <Change team={team} client={client} online={online} onTeam={onTeam} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function Team() {
  const [teamId, setTeamId] = useChosenTeam();
  const online = useOnline();
  const fetched = useFetched(() => (teamId === undefined ? new Promise(() => {}) : loadTeam(teamId)), [teamId]);
  const team = fetched.data;
  return (
    <Screen
      title={team?.team?.name || t.title}
      docTitle={t.title}
      wide
      headingExtra={team && <TeamPicker teams={team.teams} current={team.team?.id} onChoose={setTeamId} />}
    >
      <Fetched fetched={fetched} />
      <nav class="subnav" aria-label={t.title}>
        <a class="link" href={href.workload()}>
          {t.workload}
        </a>
        <a class="link" href={href.dashboard()}>
          {t.sync}
        </a>
        <a class="link" href={href.reported()}>
          {reported.link}
        </a>
      </nav>
      {!team && fetched.busy && <Loading />}
      {team && (
        <div class="split">
          <Workers team={team} />
          <Clients team={team} online={online} onTeam={fetched.replace} />
        </div>
      )}
      {team && <Cover team={team} online={online} />}
    </Screen>
  );
}

// The workload dashboard (GET /api/dashboard/workload, its shape in server/api/workload.py):
// the team's totals, caseloads against the caps and hours delivered against granted (charts
// with table alternatives), every client's month (visits, cancellations by reason, late
// cancellations and no-shows in 90 days, days since last met, goals due for follow-up), and
// what to follow up: goals whose follow-up is overdue, the client who in practice gets
// support once a month, work with a party without a valid consent, plans that diverge from
// the order, clients not met for long.
import '../../supervision.css';
import { loadWorkload } from '../../../sync/supervision.js';
import team from '../../../strings/sv/team.js';
import t from '../../../strings/sv/workload.js';
import { useFetched } from '../../fetched.js';
import { BarChart, DataTable } from '../../parts/BarChart.jsx';
import { listName } from '../../parts/clients.js';
import { Fetched } from '../../parts/Fetched.jsx';
import { MonthField } from '../../parts/MonthField.jsx';
import { formatHours, monthName, thisMonth } from '../../parts/months.js';
import { Loading, Screen } from '../../parts/Screen.jsx';
import { useChosenTeam } from '../../parts/TeamPicker.jsx';
import { href } from '../../routes.js';

// Not met for this many days is worth a look (a weekly visit missed three times over).
const LONG_AGO_DAYS = 21;
const REASONS = ['client_cancelled', 'client_late_cancel', 'no_show', 'staff_cancelled'];

const nameOf = (client) => listName({ name: client.client_name, protected_identity: client.protected_identity });
const cancelled = (visits) => REASONS.reduce((sum, r) => sum + (visits?.cancelled?.[r] || 0), 0);

function Totals({ totals }) {
  if (!totals) return null;
  const flagged = totals.clients_flagged || {};
  return (
    <section class="card totals" aria-labelledby="totals-title">
      <h2 id="totals-title">{t.totals}</h2>
      <ul class="figures">
        <li>{t.totalCaseload(totals.caseload, totals.cap)}</li>
        <li>{totals.workers_over_cap ? <strong>{t.overCap(totals.workers_over_cap)}</strong> : t.noneOverCap}</li>
        <li>{t.totalHours(formatHours(totals.hours_delivered), formatHours(totals.hours_granted))}</li>
        <li>{t.totalVisits(totals.visits?.planned || 0, totals.visits?.done || 0, cancelled(totals.visits))}</li>
        {totals.followups_due > 0 && <li>{t.totalFollowups(totals.followups_due, totals.followups_overdue || 0)}</li>}
        {flagged.late_cancels_and_no_shows > 0 && <li>{t.flaggedLate(flagged.late_cancels_and_no_shows)}</li>}
        {flagged.consent_missing_or_stale > 0 && <li>{t.flaggedConsent(flagged.consent_missing_or_stale)}</li>}
        {flagged.plan_diverges_from_order > 0 && <li>{t.flaggedPlan(flagged.plan_diverges_from_order)}</li>}
      </ul>
    </section>
  );
}

function Workers({ workers }) {
  const rows = workers.map((w) => ({
    key: w.worker_id,
    label: w.worker_name,
    value: w.caseload,
    max: w.cap,
    text: `${team.caseload(w.caseload, w.cap)}${w.over_cap ? `, ${team.over}` : w.at_cap ? `, ${team.full}` : ''}`,
    tone: w.over_cap ? 'bad' : w.at_cap ? 'warn' : 'ok',
    mark: w.over_cap ? '!' : w.at_cap ? '●' : undefined,
  }));
  return (
    <section class="card" aria-labelledby="wl-workers-title">
      <h2 id="wl-workers-title">{t.workers}</h2>
      <BarChart
        id="wl-caseload"
        title={team.caseloadChart}
        rows={rows}
        table={{
          caption: team.caseloadChart,
          columns: [team.tableWorker, team.tableCaseload, team.tableCap],
          numeric: [1, 2],
          rows: workers.map((w) => [w.worker_name, w.caseload, w.cap]),
        }}
      />
    </section>
  );
}

function Hours({ clients }) {
  const granted = clients.filter((c) => c.hours_granted != null);
  const rows = granted.map((c) => {
    const over = c.hours_delivered > c.hours_granted;
    return {
      key: c.client_id,
      label: nameOf(c),
      value: c.hours_delivered,
      max: c.hours_granted,
      text: `${t.hoursText(formatHours(c.hours_delivered), formatHours(c.hours_granted), c.band)}${over ? `, ${t.hoursOver}` : ''}`,
      tone: over ? 'bad' : 'ok',
      mark: over ? '!' : undefined,
    };
  });
  return (
    <section class="card" aria-labelledby="hours-title">
      <h2 id="hours-title">{t.hoursChart}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t.hoursNone}</p>
      ) : (
        <>
          <BarChart
            id="hours-chart"
            title={t.hoursChart}
            quietTitle
            rows={rows}
            table={{
              caption: t.hoursChart,
              columns: [t.columns.client, t.columns.band, t.columns.granted, t.columns.delivered],
              numeric: [2, 3],
              rows: granted.map((c) => [nameOf(c), c.band || '', formatHours(c.hours_granted), formatHours(c.hours_delivered)]),
            }}
          />
          <p class="hint">{t.hoursHint}</p>
        </>
      )}
    </section>
  );
}

function Patterns({ clients }) {
  // Overdue follow-ups first (the most first), then the once-a-month pattern (the most late
  // cancellations first), work without a valid consent, plans that diverge from their order,
  // then those not met for long.
  const flagged = (flag) => clients.filter((c) => (c.flags || []).includes(flag));
  const items = [
    ...flagged('followup_overdue')
      .sort((a, b) => b.followups_overdue - a.followups_overdue)
      .map((c) => t.followupPattern(nameOf(c), c.followups_overdue)),
    ...flagged('late_cancels_and_no_shows')
      .sort((a, b) => b.late_cancels_and_no_shows_90d - a.late_cancels_and_no_shows_90d)
      .map((c) => t.latePattern(nameOf(c), c.late_cancels_and_no_shows_90d)),
    ...flagged('consent_missing_or_stale').map((c) => t.consentPattern(nameOf(c), (c.consent_warnings || []).map((w) => w.party))),
    ...flagged('plan_diverges_from_order').map((c) => t.planPattern(nameOf(c), c.flags.includes('plan_diverges_without_dialogue'), c.plan_divergence?.dialogue)),
  ];
  const unmet = clients
    .filter((c) => c.days_since_last_met == null || c.days_since_last_met >= LONG_AGO_DAYS)
    .sort((a, b) => (b.days_since_last_met ?? Infinity) - (a.days_since_last_met ?? Infinity));
  for (const c of unmet) items.push(c.days_since_last_met == null ? t.neverMet(nameOf(c)) : t.longAgo(nameOf(c), c.days_since_last_met));
  return (
    <section class="card" aria-labelledby="patterns-title">
      <h2 id="patterns-title">{t.patterns}</h2>
      {items.length === 0 ? (
        <p class="muted">{t.noPatterns}</p>
      ) : (
        <ul class="patterns">
          {items.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Workload({ month: routeMonth }) {
  const month = routeMonth && /^\d{4}-\d{2}$/.test(routeMonth) ? routeMonth : thisMonth();
  const [teamId] = useChosenTeam();
  const fetched = useFetched(() => (teamId === undefined ? new Promise(() => {}) : loadWorkload(month, teamId)), [teamId, month]);
  const data = fetched.data;
  const clients = data?.clients || [];
  return (
    <Screen title={t.title} wide back={href.team()}>
      <Fetched fetched={fetched} />
      <div class="filters">
        <MonthField id="workload-month" label={t.month} month={month} hrefOf={href.workload} />
      </div>
      {!data && fetched.busy && <Loading />}
      {data && (
        <>
          <div class="split">
            <Totals totals={data.totals} />
            <Patterns clients={clients} />
          </div>
          <div class="split">
            <Workers workers={data.workers || []} />
            <Hours clients={clients} />
          </div>
          <DataTable
            caption={`${t.clients}, ${monthName(month)}`}
            columns={[t.columns.client, t.columns.worker, t.columns.band, t.columns.granted, t.columns.delivered, t.columns.planned,
              t.columns.done, ...REASONS.map((r) => t.columns[r]), t.columns.late90, t.columns.lastMet, t.columns.followups]}
            numeric={[3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]}
            rows={clients.map((c) => [
              nameOf(c),
              c.worker_name || t.noWorker,
              c.band || '',
              c.hours_granted == null ? '' : formatHours(c.hours_granted),
              formatHours(c.hours_delivered),
              c.visits?.planned ?? 0,
              c.visits?.done ?? 0,
              ...REASONS.map((r) => c.visits?.cancelled?.[r] ?? 0),
              (c.flags || []).includes('late_cancels_and_no_shows') ? `${c.late_cancels_and_no_shows_90d} !` : c.late_cancels_and_no_shows_90d ?? 0,
              c.days_since_last_met ?? t.never,
              c.followups_overdue ? t.followupsCell(c.followups_due, c.followups_overdue) : c.followups_due ?? 0,
            ])}
          />
          <p class="hint">
            <a class="link" href={href.reports(month)}>
              {t.report}
            </a>
          </p>
        </>
      )}
    </Screen>
  );
}

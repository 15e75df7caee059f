// The monthly report to the orderer (GET /api/reports/monthly/<YYYY-MM>): pick the month
// and the orderer (each district receives only its own clients' figures), the table with
// its totals, the CSV for Swedish spreadsheets and the printable page, and approving the
// month (confirmed first), which locks it; after approval, when and by whom, and the late
// corrections. The month is in the route (#/reports/2026-11), the last one by default.
import '../../supervision.css';
import { useState } from 'preact/hooks';
import { approveMonth, loadReport, reportFile } from '../../../sync/supervision.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/report.js';
import { problemText, useFetched } from '../../fetched.js';
import { DataTable } from '../../parts/BarChart.jsx';
import { Fetched } from '../../parts/Fetched.jsx';
import { MonthField } from '../../parts/MonthField.jsx';
import { formatHours, monthName, previousMonth, thisMonth } from '../../parts/months.js';
import { Loading, Screen } from '../../parts/Screen.jsx';
import { useOnline } from '../../parts/StatusBar.jsx';
import { useChosenTeam } from '../../parts/TeamPicker.jsx';
import { href } from '../../routes.js';
import { formatDate, formatTime, formatWhen } from '../../time.js';

const SHOWN = ['client', 'orderer', 'order_ref', 'worker', 'hours_granted', 'band', 'hours_delivered', 'visits_done',
  'client_cancelled', 'client_late_cancel', 'no_show', 'staff_cancelled', 'booked_hours_cancelled', 'activities_done',
  'goals_followed_up', 'late_corrections'];
const HOURS = new Set(['hours_granted', 'hours_delivered', 'booked_hours_cancelled']);
const TEXT = new Set(['client', 'orderer', 'order_ref', 'worker', 'band']);

const cell = (column, value) => (HOURS.has(column) ? (value == null ? '' : formatHours(value)) : value ?? '');

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Show the server's printable page in a window opened from the app. That window is of the
 * app's origin and keeps the app's Content-Security-Policy, which refuses the page's own
 * <style>: its rules are given as a constructed stylesheet instead (CSSOM, which the policy
 * allows), and nothing of the page runs (it has no script).
 */
export function showPrintable(win, html) {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const css = [...parsed.querySelectorAll('style')].map((el) => el.textContent).join('\n');
  for (const el of parsed.querySelectorAll('style, script, link')) el.remove();
  const doc = win.document;
  doc.documentElement.replaceWith(doc.importNode(parsed.documentElement, true));
  doc.title = parsed.title;
  const sheet = new win.CSSStyleSheet();
  sheet.replaceSync(css);
  doc.adoptedStyleSheets = [sheet];
}

const fileName = (month, orderer) => `manadsrapport-${month}${orderer ? `-${orderer.replace(/[^\p{L}\p{N}]+/gu, '-')}` : ''}`;

function Files({ month, teamId, orderer, online }) {
  const [busy, setBusy] = useState(null);
  const [problem, setProblem] = useState(null);

  async function csv() {
    setBusy('csv');
    setProblem(null);
    try {
      save(await reportFile(month, 'csv', { teamId, orderer }), `${fileName(month, orderer)}.csv`);
    } catch (error) {
      setProblem(problemText(error));
    }
    setBusy(null);
  }

  async function html() {
    // Opened at once, while the tap still counts as the user's (popup blockers), then filled.
    const opened = window.open('', '_blank');
    setBusy('html');
    setProblem(null);
    try {
      const html = await (await reportFile(month, 'html', { teamId, orderer })).text();
      if (opened) showPrintable(opened, html);
      else setProblem(t.popupBlocked);
    } catch (error) {
      opened?.close();
      setProblem(problemText(error));
    }
    setBusy(null);
  }

  return (
    <div class="report-files">
      <div class="row wrap">
        <button type="button" class="button secondary" disabled={!online || busy} onClick={csv}>
          {busy === 'csv' ? t.downloading : t.csv}
        </button>
        <button type="button" class="button secondary" disabled={!online || busy} onClick={html}>
          {busy === 'html' ? t.downloading : t.html}
        </button>
      </div>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function Approval({ report, month, teamId, online, onApproved }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const over = month < thisMonth();
  const lateTotal = report.totals?.late_corrections || 0;

  async function approve() {
    setBusy(true);
    setProblem(null);
    try {
      await approveMonth(month, teamId);
      setAsking(false);
      onApproved();
    } catch (error) {
      setProblem(problemText(error));
    }
    setBusy(false);
  }

  return (
    <section class="card approval" aria-labelledby="approval-title">
      <h2 id="approval-title">{t.approve}</h2>
      {report.approved_at ? (
        <p class="approved" data-testid="approved">
          <strong>{t.approved(`${formatDate(report.approved_at)} ${formatTime(report.approved_at)}`, report.approved_by_name)}</strong>
          {lateTotal > 0 && ` ${t.lateCorrections(lateTotal)}`}
        </p>
      ) : (
        <>
          <p class="muted">{over ? t.notApproved : t.notOver}</p>
          {asking ? (
            <div class="confirm" role="alertdialog" aria-labelledby="approve-confirm">
              <p id="approve-confirm" class="warning">
                {t.approveConfirm(monthName(month), report.team_name || '')}
              </p>
              <div class="row wrap">
                <button type="button" class="button primary" disabled={busy || !online} onClick={approve}>
                  {busy ? t.approving : t.approveYes}
                </button>
                <button type="button" class="button ghost" onClick={() => setAsking(false)}>
                  {common.cancel}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="button primary" disabled={!over || !online} onClick={() => setAsking(true)}>
              {t.approve}
            </button>
          )}
        </>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

function Corrections({ corrections, month }) {
  if (!corrections || corrections.length === 0) return null;
  const about = corrections[0].month || previousMonth(month);
  return (
    <section class="card" aria-labelledby="corrections-title">
      <h2 id="corrections-title">{t.corrections(monthName(about))}</h2>
      <ul class="corrections">
        {corrections.map((c) => (
          <li key={`${c.mutation_id || c.visit_id}-${c.recorded_at}`}>
            <strong>{c.client}</strong>: {t.correctionChange[c.change] || c.change},{' '}
            {t.correctionAt(c.visit_at ? formatWhen(c.visit_at) : '–', formatWhen(c.recorded_at))}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Reports({ month: routeMonth }) {
  const month = routeMonth && /^\d{4}-\d{2}$/.test(routeMonth) ? routeMonth : previousMonth(thisMonth());
  const [teamId] = useChosenTeam();
  const [orderer, setOrderer] = useState('');
  const online = useOnline();
  // The whole team's report gives the orderers to choose from; the table shows the chosen one.
  const fetched = useFetched(() => (teamId === undefined ? new Promise(() => {}) : loadReport(month, { teamId })), [teamId, month]);
  const report = fetched.data;
  const orderers = [...new Set((report?.rows || []).map((r) => r.orderer).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'sv'));
  const rows = (report?.rows || []).filter((r) => !orderer || r.orderer === orderer);
  const totals = {};
  for (const column of SHOWN) if (!TEXT.has(column)) totals[column] = rows.reduce((sum, r) => sum + (Number(r[column]) || 0), 0);

  return (
    <Screen title={t.title} wide>
      <Fetched fetched={fetched} />
      <div class="filters">
        <MonthField id="report-month" label={t.month} month={month} hrefOf={href.reports} />
        <div class="field">
          <label for="report-orderer">{t.orderer}</label>
          <select id="report-orderer" value={orderer} onChange={(e) => setOrderer(e.currentTarget.value)}>
            <option value="">{t.allOrderers}</option>
            {orderers.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class="hint">{t.ordererHint}</p>
      {!report && fetched.busy && <Loading />}
      {report && (
        <>
          <div class="split">
            <Approval report={report} month={month} teamId={teamId} online={online} onApproved={fetched.reload} />
            <section class="card" aria-labelledby="files-title">
              <h2 id="files-title">{orderer || t.allOrderers}</h2>
              <p class="muted">{t.rows(rows.length)}</p>
              <Files month={month} teamId={teamId} orderer={orderer || null} online={online} />
              {!online && <p class="hint">{t.offlineActions}</p>}
            </section>
          </div>
          {rows.length === 0 ? (
            <p class="empty">{t.empty}</p>
          ) : (
            <DataTable
              caption={t.tableCaption(monthName(month), orderer)}
              columns={SHOWN.map((c) => t.columns[c])}
              numeric={SHOWN.map((c, i) => (TEXT.has(c) ? -1 : i)).filter((i) => i >= 0)}
              rows={rows.map((row) => SHOWN.map((c) => cell(c, row[c])))}
              foot={SHOWN.map((c, i) => (i === 0 ? t.total : TEXT.has(c) ? '' : cell(c, totals[c])))}
            />
          )}
          <Corrections corrections={report.corrections} month={month} />
          <p class="hint">
            <a class="link" href={href.workload(month)}>
              {t.workload}
            </a>
          </p>
        </>
      )}
    </Screen>
  );
}

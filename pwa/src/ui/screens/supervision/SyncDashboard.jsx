// The sync dashboard (GET /api/dashboard/sync): one row per worker and phone, the problems
// first (newest first), each alert worded with what to do; hours since each phone last
// synced as a chart with a table alternative; revoking a lost phone and retiring a replaced
// one, each confirmed first, and after a revoke how many unsent changes were lost.
import '../../supervision.css';
import { useState } from 'preact/hooks';
import { thisDeviceId } from '../../../data/queries.js';
import { loadSyncDashboard, retireDevice, revokeDevice } from '../../../sync/supervision.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/dashboard.js';
import team from '../../../strings/sv/team.js';
import { problemText, useFetched } from '../../fetched.js';
import { useLive } from '../../live.js';
import { BarChart, DataTable } from '../../parts/BarChart.jsx';
import { Fetched } from '../../parts/Fetched.jsx';
import { Loading, Screen } from '../../parts/Screen.jsx';
import { useOnline } from '../../parts/StatusBar.jsx';
import { alertsOf, byNewestProblem, firstName, hoursSince, lastContact } from '../../parts/sync-alerts.js';
import { useChosenTeam } from '../../parts/TeamPicker.jsx';
import { href } from '../../routes.js';
import { formatWhen } from '../../time.js';

const ENDABLE = new Set(['active', 'logged_out']);

function DeviceActions({ device, online, onEnded }) {
  const [asking, setAsking] = useState(null); // 'revoke' | 'retire'
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  const name = device.device_name || t.columns.device;
  if (!ENDABLE.has(device.status)) return null;

  async function end(how) {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await (how === 'revoke' ? revokeDevice : retireDevice)(device.device_id);
      setAsking(null);
      onEnded(how === 'revoke'
        ? t.revoked(name, answer?.unsent_reported ?? null)
        : t.retired(name, answer?.may_push_until ? formatWhen(answer.may_push_until) : null));
    } catch (error) {
      setProblem(problemText(error));
    }
    setBusy(false);
  }

  const id = `end-${device.device_id}`;
  return (
    <div class="device-actions">
      {asking ? (
        <div class="confirm" role="alertdialog" aria-labelledby={id}>
          <p id={id} class="warning">
            {asking === 'revoke' ? t.revokeConfirm(name, firstName(device), device.outbox_size || 0) : t.retireConfirm(name)}
          </p>
          <div class="row wrap">
            <button type="button" class="button danger" disabled={busy || !online} onClick={() => end(asking)}>
              {asking === 'revoke' ? t.revokeYes : t.retireYes}
            </button>
            <button type="button" class="button ghost" onClick={() => setAsking(null)}>
              {common.cancel}
            </button>
          </div>
        </div>
      ) : (
        <div class="row wrap">
          <button type="button" class="button small ghost danger-text" disabled={!online} onClick={() => setAsking('revoke')}>
            {t.revoke}
          </button>
          <button type="button" class="button small ghost" disabled={!online} onClick={() => setAsking('retire')}>
            {t.retire}
          </button>
        </div>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

function DeviceCard({ device, now, online, onEnded, mine }) {
  const alerts = alertsOf(device, now);
  const contact = lastContact(device);
  return (
    <li class={alerts.length ? 'card device has-alerts' : 'card device'} data-testid={`device-${device.device_id}`}>
      <h3>
        {device.worker_name} <span class="muted">· {device.device_name}{mine ? ` (${t.thisDevice})` : ''}</span>
      </h3>
      {alerts.map((alert) => (
        <div class="alert" key={alert.code} data-alert={alert.code}>
          <p class="alert-text">
            <span class="attention-mark" aria-hidden="true">
              !
            </span>
            {alert.text}
          </p>
          <p class="alert-todo">{alert.todo}</p>
        </div>
      ))}
      <dl class="device-facts">
        <div>
          <dt>{t.columns.status}</dt>
          <dd>{t.status[device.status] || device.status}</dd>
        </div>
        <div>
          <dt>{t.columns.contact}</dt>
          <dd>{contact ? `${formatWhen(contact)} (${t.ago(hoursSince(contact, now))})` : t.never}</dd>
        </div>
        <div>
          <dt>{t.columns.unsent}</dt>
          <dd>{device.outbox_size ?? '–'}</dd>
        </div>
        <div>
          <dt>{t.columns.version}</dt>
          <dd>{device.app_version || '–'}</dd>
        </div>
        <div>
          <dt>{t.columns.push}</dt>
          <dd>{t.push[device.push] || device.push || '–'}</dd>
        </div>
      </dl>
      {!mine && <DeviceActions device={device} online={online} onEnded={onEnded} />}
    </li>
  );
}

function AgeChart({ devices, now }) {
  const live = devices.filter((d) => d.status === 'active' || d.status === 'retired');
  if (!live.length) return null;
  const rows = live.map((d) => {
    const hours = hoursSince(lastContact(d), now);
    return {
      key: d.device_id,
      label: `${d.worker_name} · ${d.device_name}`,
      value: hours == null ? 72 : Math.min(hours, 72),
      text: t.ageText(hours),
      tone: hours == null || hours >= 24 ? 'bad' : 'ok',
      mark: hours == null || hours >= 24 ? '!' : undefined,
    };
  });
  return (
    <section class="card" aria-labelledby="age-title">
      <h2 id="age-title">{t.ageChart}</h2>
      <BarChart
        id="age-chart"
        title={t.ageChart}
        quietTitle
        rows={rows}
        scale={72}
        limit={{ value: 24, label: t.ageLine }}
        table={{
          caption: t.ageChart,
          columns: [t.columns.worker, t.columns.device, t.columns.contact, t.columns.unsent],
          numeric: [3],
          rows: live.map((d) => [d.worker_name, d.device_name, t.ageText(hoursSince(lastContact(d), now)), d.outbox_size ?? '–']),
        }}
      />
    </section>
  );
}

export function SyncDashboard() {
  const [teamId] = useChosenTeam();
  const online = useOnline();
  const fetched = useFetched(() => (teamId === undefined ? new Promise(() => {}) : loadSyncDashboard(teamId)), [teamId]);
  const [told, setTold] = useState(null);
  const { data: mine } = useLive(thisDeviceId, []);
  const board = fetched.data;
  const now = board?.generated_at && fetched.offline ? Date.parse(board.generated_at) : Date.now();
  const devices = board ? byNewestProblem(board.devices || [], now) : [];
  const withAlerts = devices.filter((d) => (d.alerts || []).length);
  return (
    <Screen title={t.title} wide>
      <Fetched fetched={fetched} />
      {told && (
        <p class="notice" role="status" data-testid="device-ended">
          {told}
        </p>
      )}
      {!board && fetched.busy && <Loading />}
      {board && (
        <>
          {board.parked_open > 0 && (
            <p class="card parked-summary">
              <strong>{t.parked(board.parked_open)}</strong>{' '}
              <a class="link" href={href.parked()}>
                {t.toParked}
              </a>
            </p>
          )}
          {!online && <p class="hint">{t.offlineActions}</p>}
          <div class="split">
            <section aria-labelledby="devices-title">
              <h2 id="devices-title">
                {withAlerts.length ? t.alerts : t.devices}
              </h2>
              {withAlerts.length === 0 && <p class="muted">{t.noAlerts}</p>}
              <ul class="devices">
                {devices.map((device) => (
                  <DeviceCard
                    key={device.device_id}
                    device={device}
                    mine={device.device_id === mine}
                    now={now}
                    online={online}
                    onEnded={(text) => {
                      setTold(text);
                      fetched.reload();
                    }}
                  />
                ))}
              </ul>
            </section>
            <div>
              <AgeChart devices={devices} now={now} />
            </div>
          </div>
          <section class="card wide-only" aria-labelledby="device-table-title">
            <h2 id="device-table-title">{t.devices}</h2>
            <DataTable
              caption={t.devices}
              columns={[t.columns.worker, t.columns.device, t.columns.status, t.columns.contact, t.columns.unsent, t.columns.version, t.columns.push, t.columns.problems]}
              numeric={[4]}
              rows={devices.map((d) => [
                d.worker_name,
                d.device_name,
                t.status[d.status] || d.status,
                lastContact(d) ? formatWhen(lastContact(d)) : t.never,
                d.outbox_size ?? '–',
                d.app_version || '–',
                t.push[d.push] || d.push || '–',
                alertsOf(d, now).map((a) => a.text).join('. ') || t.noProblems,
              ])}
            />
          </section>
          <p class="hint">
            <a class="link" href={href.team()}>
              {team.title}
            </a>
          </p>
        </>
      )}
    </Screen>
  );
}

// Today: the first screen after login. The day's visits in time order, each with its status
// and its sync state; large time, client and place. A client with a protected identity is
// "Skyddad identitet" here, without place.
import { useEffect, useState } from 'preact/hooks';
import { visitsOn } from '../../data/queries.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/today.js';
import { useLive } from '../live.js';
import { dueReminders, upcomingVisits } from '../reminders.js';
import { Loading, Problem, Screen } from '../parts/Screen.jsx';
import { VisitRow } from '../parts/VisitRow.jsx';
import { byStart } from '../parts/visits.js';
import { useStore } from '../store.js';
import { neverSynced, syncStatus } from '../sync-status.js';
import { addDays, formatDay, today } from '../time.js';

// visitsOn gives each visit its client ({id, name, protected_identity}) and sync state.
const dayOf = async (date) => [...(await visitsOn(date))].sort(byStart);

export function Today() {
  const [date, setDate] = useState(today);
  const { data, error } = useLive(() => dayOf(date), [date]);
  const status = useStore(syncStatus);
  const isToday = date === today();
  // What is due soon (the phone's own reminders): re-read every half minute.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  // Due soon includes a visit just after midnight, which is tomorrow's.
  const { data: upcoming } = useLive(() => upcomingVisits(), [date]);
  const due = isToday && upcoming ? dueReminders(upcoming, now) : [];

  return (
    <Screen
      title={isToday ? t.title : formatDay(date)}
      subtitle={isToday ? formatDay(date) : null}
      headingExtra={
        <div class="day-nav">
          <button type="button" class="button icon" aria-label={t.previousDay} onClick={() => setDate(addDays(date, -1))}>
            <span aria-hidden="true">‹</span>
          </button>
          {!isToday && (
            <button type="button" class="button small ghost" onClick={() => setDate(today())}>
              {t.backToToday}
            </button>
          )}
          <button type="button" class="button icon" aria-label={t.nextDay} onClick={() => setDate(addDays(date, 1))}>
            <span aria-hidden="true">›</span>
          </button>
        </div>
      }
    >
      {due.length > 0 && (
        <section class="card due-soon" data-testid="due-soon" aria-label={t.dueSoon}>
          <h2>{t.dueSoon}</h2>
          <ul>
            {due.map((r) => (
              <li key={r.tag}>
                <a href={`#/visit/${encodeURIComponent(r.visit_id)}`}>
                  {r.title}
                  {r.body && ` · ${r.body}`} ({t.inMinutes(Math.max(0, Math.round((r.startsAt - now) / 60_000)))})
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && <Problem>{common.loadFailed}</Problem>}
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="empty">{status?.firstSync || neverSynced(status) ? t.emptyFirstSync : t.empty}</p>}
      {data && data.length > 0 && (
        <>
          <p class="visually-hidden">{t.count(data.length)}</p>
          <ol class="visit-list" aria-label={t.visitsLabel}>
            {data.map((visit) => (
              <VisitRow key={visit.id} visit={visit} client={visit.client} state={visit.state} />
            ))}
          </ol>
        </>
      )}
    </Screen>
  );
}

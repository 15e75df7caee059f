// Today: the first screen after login. What is due soon (the phone's own reminders, by the
// server's rules and the worker's settings) and the personal reminders whose time has come
// (where their notification leads), the day's visits in time order, each with its status
// and its sync state (large time, client and place), then the rest of today's personal
// reminders (each with Klar and Skjut upp), the goals due for follow-up. A client with a protected
// identity is "Skyddad identitet" here, without place.
import { useEffect, useState } from 'preact/hooks';
import { appointmentsAwaitingOutcome, appointmentsBetween, upcomingAppointments } from '../../../data/casework-queries.js';
import { remindersBetween, todaysReminders, upcomingReminders, visitsOn } from '../../../data/queries.js';
import { cachedPreferences } from '../../../sync/preferences.js';
import common from '../../../strings/sv/common.js';
import tAppointment from '../../../strings/sv/appointment.js';
import tContact from '../../../strings/sv/contact.js';
import t from '../../../strings/sv/today.js';
import { useLater } from '../../later.js';
import { useLive } from '../../live.js';
import { dueSoon, upcomingVisits } from '../../reminders.js';
import { AppointmentRow } from '../../parts/AppointmentRow.jsx';
import { ReminderRow } from '../../parts/ReminderRow.jsx';
import { Loading, Problem, Screen } from '../../parts/Screen.jsx';
import { VisitRow } from '../../parts/VisitRow.jsx';
import { href } from '../../routes.js';
import { byStart, dayHref, startOf } from '../../parts/visits.js';
import { navigate } from '../../router.js';
import { useStore } from '../../store.js';
import { neverSynced, syncStatus } from '../../sync-status.js';
import { addDays, formatDay, today } from '../../time.js';

// visitsOn gives each visit its client ({id, name, protected_identity}) and sync state.
const dayOf = async (date) => [...(await visitsOn(date))].sort(byStart);
// A visit or an appointment in the day's list, by its time.
const byAt = (a, b) => Date.parse(a.at) - Date.parse(b.at);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// The goals due for follow-up: a part loaded with Idag's first use (ui/later.js).
const loadFollowupsDue = () => import('../../parts/FollowupsDue.jsx').then((module) => module.FollowupsDue);

/** `date`: the day shown (from the route; none is today). Moving to another day replaces the
 * route, so a visit opened from that day, and the browser's back, return to it. */
export function Today({ date: shown, role }) {
  const date = DATE.test(shown ?? '') ? shown : today();
  const setDate = (day) => navigate(dayHref(day), { replace: true });
  const { data: visits, error } = useLive(() => dayOf(date), [date]);
  // The clients' own appointments of the day, beside the visits.
  const { data: appointments } = useLive(() => appointmentsBetween(date, date), [date]);
  const data = visits && appointments ? [...visits.map((visit) => ({ at: startOf(visit), visit })), ...appointments.map((appointment) => ({ at: appointment.starts_at, appointment }))].sort(byAt) : undefined;
  const FollowupsDue = useLater(loadFollowupsDue);
  const status = useStore(syncStatus);
  const isToday = date === today();
  // Nothing on the phone yet is not "nothing": the first sync is still fetching it.
  const fetching = Boolean(status?.firstSync || neverSynced(status));
  // What is due soon (the phone's own reminders): re-read every half minute.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  // Due soon includes a visit just after midnight, which is tomorrow's.
  const { data: upcoming } = useLive(() => Promise.all([upcomingVisits(), cachedPreferences()]), [date]);
  const due = isToday && upcoming ? dueSoon(upcoming[0], now, upcoming[1]) : [];
  // Today's (and the overdue) on Idag; another day's own on that day; and the coming ones
  // below today's, so a reminder set for another day is seen before its day.
  const { data: reminders } = useLive(() => (isToday ? todaysReminders() : remindersOn(date)), [date]);
  const { data: coming } = useLive(() => (isToday ? upcomingReminders() : Promise.resolve([])), [date]);
  const { data: comingAppointments } = useLive(() => (isToday ? upcomingAppointments() : Promise.resolve([])), [date]);
  // The appointments that have been, without how they went: asked for on Idag until answered.
  const { data: awaitingOutcome } = useLive(() => (isToday ? appointmentsAwaitingOutcome({ now: new Date(now) }) : Promise.resolve([])), [date, now]);
  // A personal reminder whose time has come is shown at the top, where its notification
  // leads; the rest of today's below the visits.
  const reminderDue = (r) => Date.parse(r.remind_at) <= now;
  const dueReminders = isToday && reminders ? reminders.filter(reminderDue) : [];
  const laterReminders = isToday && reminders ? reminders.filter((r) => !reminderDue(r)) : [];

  return (
    <Screen
      title={isToday ? t.title : formatDay(date)}
      subtitle={isToday ? formatDay(date) : null}
      actions={
        // A case manager logs outreach as it happens: within reach of the thumb.
        role === 'cm' ? (
          <a class="button primary" href={href.newContact()}>
            {tContact.newContact}
          </a>
        ) : undefined
      }
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
                <a href={href.visit(r.visit_id)}>
                  {r.title}
                  {r.body && ` · ${r.body}`} ({t.inMinutes(Math.max(0, Math.round((r.startsAt - now) / 60_000)))})
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {dueReminders.length > 0 && (
        <section class="reminders due-reminders" data-testid="due-reminders" aria-labelledby="due-reminders-title">
          <h2 id="due-reminders-title">{t.remindersDue}</h2>
          <ul class="reminder-list" aria-labelledby="due-reminders-title">
            {dueReminders.map((reminder) => (
              <ReminderRow key={reminder.id} reminder={reminder} now={now} />
            ))}
          </ul>
        </section>
      )}
      {error && <Problem>{common.loadFailed}</Problem>}
      {!data && !error && <Loading />}
      {data && data.length === 0 && <p class="empty">{fetching ? t.emptyFirstSync : t.empty}</p>}
      {data && data.length > 0 && (
        <>
          <p class="visually-hidden">{t.count(visits.length)}</p>
          <ol class="visit-list" aria-label={t.visitsLabel}>
            {data.map(({ visit, appointment }) =>
              visit ? (
                <VisitRow key={visit.id} visit={visit} client={visit.client} state={visit.state} />
              ) : (
                <AppointmentRow key={appointment.id} appointment={appointment} />
              ),
            )}
          </ol>
        </>
      )}
      {isToday && reminders && <Reminders reminders={laterReminders} anyDue={dueReminders.length > 0} now={now} fetching={fetching} />}
      {!isToday && reminders && <Reminders reminders={reminders} now={now} empty={t.noRemindersThatDay} fetching={fetching} />}
      {isToday && coming && coming.length > 0 && (
        <Coming id="coming-reminders" title={t.comingReminders} items={coming} row={(r) => <ReminderRow key={r.id} reminder={r} now={now} />} />
      )}
      {isToday && awaitingOutcome && awaitingOutcome.length > 0 && (
        <section class="reminders" aria-labelledby="awaiting-outcome" data-testid="awaiting-outcome">
          <h2 id="awaiting-outcome">{tAppointment.awaitingOutcome}</h2>
          <p class="hint">{tAppointment.awaitingOutcomeHint}</p>
          <ul class="reminder-list" aria-labelledby="awaiting-outcome">
            {awaitingOutcome.map((a) => (
              <AppointmentRow key={a.id} appointment={a} withDate />
            ))}
          </ul>
        </section>
      )}
      {isToday && FollowupsDue && <FollowupsDue />}
      {isToday && comingAppointments && comingAppointments.length > 0 && (
        <Coming id="coming-appointments" title={tAppointment.upcoming} items={comingAppointments} row={(a) => <AppointmentRow key={a.id} appointment={a} withDate />} />
      )}
    </Screen>
  );
}

const remindersOn = async (date) => (await remindersBetween(date, date)).filter((r) => r.status === 'open');

// How many coming reminders Idag lists before "Visa alla".
const COMING_SHOWN = 5;

// What comes after today (the open reminders, the planned appointments): the first few,
// then all on request.
function Coming({ id, title, items, row }) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, COMING_SHOWN);
  return (
    <section class="reminders" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul class="reminder-list" aria-labelledby={id}>
        {shown.map(row)}
      </ul>
      {shown.length < items.length && (
        <button type="button" class="button small ghost" onClick={() => setAll(true)}>
          {t.showAll(items.length)}
        </button>
      )}
    </section>
  );
}

// The rest of today's own reminders (those due are at the top), or another day's, each with
// Klar and Skjut upp; and the way to add one.
function Reminders({ reminders, anyDue, now, empty, fetching }) {
  return (
    <section class="reminders" aria-labelledby="reminders-title">
      <div class="screen-head">
        <h2 id="reminders-title">{t.reminders}</h2>
        <a class="button small secondary" href={href.newReminder()}>
          {t.newReminder}
        </a>
      </div>
      {reminders.length === 0 ? (
        <p class="muted">{fetching ? t.remindersFirstSync : empty || (anyDue ? t.noMoreReminders : t.noReminders)}</p>
      ) : (
        <ul class="reminder-list" aria-labelledby="reminders-title">
          {reminders.map((reminder) => (
            <ReminderRow key={reminder.id} reminder={reminder} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

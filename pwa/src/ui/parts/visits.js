// Small facts about a visit the screens share.
import common from '../../strings/sv/common.js';
import { href } from '../routes.js';
import { toLocal, today } from '../time.js';

/** When the visit was started on this phone and not yet completed, else null. */
export const localStart = (visit) => visit.local_started_at || null;

/** planned | in_progress | done | cancelled (in_progress: started on this phone, not ended). */
export function visitPhase(visit) {
  if (visit.status === 'planned' && localStart(visit)) return 'in_progress';
  return visit.status;
}

export function statusText(visit) {
  const phase = visitPhase(visit);
  const text = common.visitStatus[phase] || phase;
  if (phase === 'cancelled' && visit.cancel_reason) {
    return `${text}: ${(common.cancelReasons[visit.cancel_reason] || visit.cancel_reason).toLowerCase()}`;
  }
  return text;
}

export const startOf = (visit) => visit.started_at || visit.starts_at;
export const endOf = (visit) => (visit.started_at ? visit.ended_at : visit.ends_at);


// Compare instants, not strings: two offsets (+01:00, +02:00) do not sort as text.
export const byStart = (a, b) => new Date(startOf(a)) - new Date(startOf(b));

/** Idag's link for a day (YYYY-MM-DD): "#/today" for today, else that day's view. */
export const dayHref = (date) => href.today(date && date !== today() ? date : undefined);

/** The day's view a visit belongs to (where its screens lead back to). */
export const visitDayHref = (visit) => dayHref(toLocal(startOf(visit)).date);

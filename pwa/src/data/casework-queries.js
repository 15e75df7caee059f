/**
 * What screens read of the casework (queries.js explains queries): a client's appointments
 * (their own: psychiatry, Kronofogden, a SIP meeting), for Idag, the client page, the
 * appointment's screen and the phone's own reminders. Appointments are few (a caseload of
 * at most 15 clients), so they are read by type, not by day.
 */
import { records } from './db.js';
import { clientSummaries, withStates } from './queries.js';
import { instantMs, localDate } from './time.js';

const byTime = (a, b) => instantMs(a.starts_at) - instantMs(b.starts_at);

/** Appointments with their client ({id, name, protected_identity, hint?}) and sync state,
 * in time order. */
async function decorate(list) {
  const [withState, clients] = await Promise.all([withStates('appointment', list), clientSummaries(list.map((a) => a.client_id))]);
  return withState.map((a) => ({ ...a, client: clients.get(a.client_id) ?? null })).sort(byTime);
}

const all = async () => (await records.ofType('appointment')).map((row) => row.data);

/** The appointments (any status) of the clients held, from one date to another (Stockholm
 * dates of starts_at, both included; 'YYYY-MM-DD' or an instant). */
export async function appointmentsBetween(fromISO, toISO) {
  const [from, to] = [localDate(fromISO), localDate(toISO)];
  return decorate((await all()).filter((a) => {
    const day = localDate(a.starts_at);
    return from <= day && day <= to;
  }));
}

/** The planned appointments after today (Idag's "Kommande tider"). */
export async function upcomingAppointments({ now = new Date() } = {}) {
  const today = localDate(now);
  return decorate((await all()).filter((a) => a.status === 'planned' && localDate(a.starts_at) > today));
}

/** The planned appointments that have begun by `now` without an outcome recorded, the
 * last `days` days (Idag's "Hur gick det?": attended, missed or cancelled, so none is left
 * open). */
export async function appointmentsAwaitingOutcome({ now = new Date(), days = 30 } = {}) {
  const until = now.getTime();
  const since = until - days * 24 * 3600_000;
  return decorate((await all()).filter((a) => {
    const starts = instantMs(a.starts_at);
    return a.status === 'planned' && since <= starts && starts <= until;
  }));
}

/** A client's appointments, in time order. */
export async function appointmentsOf(clientId) {
  return decorate((await records.ofClient(clientId)).filter((row) => row.type === 'appointment').map((row) => row.data));
}

/** One appointment as appointmentsBetween gives it, with the notes about it (newest first:
 * what was decided); null when not held. */
export async function appointmentById(id) {
  const row = await records.get(['appointment', id]);
  if (!row) return null;
  const [[appointment], rows] = await Promise.all([decorate([row.data]), records.ofClient(row.data.client_id)]);
  const notes = rows.filter((r) => r.type === 'note' && r.data.appointment_id === id).map((r) => r.data)
    .sort((a, b) => instantMs(b.written_at) - instantMs(a.written_at));
  return { ...appointment, notes };
}

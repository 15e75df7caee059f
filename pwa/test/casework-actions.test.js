// The casework a worker records on the phone (casework.md): each action is one transaction
// with its local effect and its queued mutation, sends only what the catalogue names, and
// is refused on the phone, with a code the screens say in Swedish, when it cannot be right.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addAppointment, cancelAppointment, cancelVisit, consentFor, logContact, recordConsent, recordOutcome, rescheduleVisit,
  updateAppointment, updateClient, withdrawConsent,
} from '../src/data/actions.js';
import { appointmentById, appointmentsBetween, appointmentsOf, upcomingAppointments } from '../src/data/casework-queries.js';
import { outbox, records, setMeta } from '../src/data/db.js';
import { clientPage } from '../src/data/queries.js';
import { serverRow } from '../src/data/records.js';
import { clientData, visitData } from './fake-server.js';

const queued = async () => (await outbox.inOrder()).map((m) => ({ name: m.name, args: m.args, base: m.base_version ?? m.base_mutation_id }));

beforeEach(async () => {
  await setMeta('user', { id: 'u1', name: 'Ada' });
  await records.put(serverRow('client', 'c1', 3, { id: 'c1', ...clientData({ name: 'Kent Abdi', service: 'cm', whereabouts: 'Härbärget Klara', phone: '070-111 22 33', contact_notes: null }) }));
});

describe("a client's whereabouts and contact details", () => {
  it('sends only the fields that changed, on the version the phone holds, and shows them at once', async () => {
    await updateClient({ id: 'c1', whereabouts: '  Stadsmissionen, Fristad ', phone: '070-111 22 33', contact_notes: '' });
    expect(await queued()).toEqual([{ name: 'client.update', args: { id: 'c1', whereabouts: 'Stadsmissionen, Fristad' }, base: 3 }]);
    expect((await records.get(['client', 'c1'])).data).toMatchObject({ whereabouts: 'Stadsmissionen, Fristad', phone: '070-111 22 33', contact_notes: null, name: 'Kent Abdi' });
  });

  it('an emptied field is cleared', async () => {
    await updateClient({ id: 'c1', phone: '  ' });
    expect((await queued())[0].args).toEqual({ id: 'c1', phone: null });
    expect((await records.get(['client', 'c1'])).data.phone).toBeNull();
  });

  it('a second edit before the first is sent builds on the first', async () => {
    await updateClient({ id: 'c1', whereabouts: 'Ute' });
    await updateClient({ id: 'c1', whereabouts: 'Sjukhuset' });
    const [first, second] = await outbox.inOrder();
    expect(second.base_mutation_id).toBe(first.id);
  });

  it('nothing changed, nothing sent', async () => {
    await expect(updateClient({ id: 'c1', whereabouts: 'Härbärget Klara' })).rejects.toMatchObject({ code: 'nothing_changed' });
    await expect(updateClient({ id: 'nobody', whereabouts: 'Ute' })).rejects.toMatchObject({ code: 'unknown_client' });
    await expect(updateClient({ id: 'c1', phone: '0'.repeat(41) })).rejects.toMatchObject({ code: 'too_long' });
    expect(await outbox.count()).toBe(0);
  });
});

describe('moving a planned visit', () => {
  beforeEach(async () => {
    await records.put(serverRow('visit', 'v1', 2, { id: 'v1', ...visitData('c1', { place: 'Hemma' }) }));
  });

  it('sends the new time with the place it had, and the visit moves to its new day', async () => {
    await rescheduleVisit({ id: 'v1', starts_at: '2026-11-25T13:00:00+01:00' });
    expect(await queued()).toEqual([{ name: 'visit.reschedule', args: { id: 'v1', starts_at: '2026-11-25T13:00:00+01:00', ends_at: null, place: 'Hemma' }, base: 2 }]);
    const row = await records.get(['visit', 'v1']);
    expect(row.day).toBe('2026-11-25');
    expect(row.data).toMatchObject({ starts_at: '2026-11-25T13:00:00+01:00', ends_at: null, place: 'Hemma', status: 'planned' });
  });

  it('a new place replaces it, an emptied one clears it', async () => {
    await rescheduleVisit({ id: 'v1', starts_at: '2026-11-25T13:00:00+01:00', ends_at: '2026-11-25T14:00:00+01:00', place: ' Kafé ' });
    await rescheduleVisit({ id: 'v1', starts_at: '2026-11-25T13:00:00+01:00', place: '' });
    expect((await queued()).map((m) => m.args.place)).toEqual(['Kafé', null]);
  });

  it('only a planned visit moves, and never to end before it starts', async () => {
    await expect(rescheduleVisit({ id: 'v1', starts_at: '2026-11-25T13:00:00+01:00', ends_at: '2026-11-25T12:00:00+01:00' })).rejects.toMatchObject({ code: 'ends_before_start' });
    await expect(rescheduleVisit({ id: 'v1', starts_at: 'i morgon' })).rejects.toMatchObject({ code: 'invalid_time' });
    await cancelVisit({ id: 'v1', reason: 'staff_cancelled' });
    await expect(rescheduleVisit({ id: 'v1', starts_at: '2026-11-25T13:00:00+01:00' })).rejects.toMatchObject({ code: 'not_planned' });
    expect((await queued()).map((m) => m.name)).toEqual(['visit.cancel']);
  });
});

describe('consents', () => {
  const now = new Date('2026-11-23T10:00:00+01:00');

  it('a consent recorded is on the client page at once, in force from the day it was signed', async () => {
    const id = await recordConsent({ client_id: 'c1', party: '  Psykiatrin Södermalm ', signed_on: '2026-11-23', valid_until: '', note: ' ' });
    expect(await queued()).toEqual([{ name: 'consent.record', args: { id, client_id: 'c1', party: 'Psykiatrin Södermalm', signed_on: '2026-11-23' }, base: undefined }]);
    const [consent] = (await clientPage('c1', { now })).consents;
    expect(consent).toMatchObject({ id, party: 'Psykiatrin Södermalm', signed_on: '2026-11-23', valid_until: null, withdrawn_on: null, worker_id: 'u1', standing: 'valid', state: 'saved' });
  });

  it('the client page flags a stale consent, one run out and one withdrawn', async () => {
    await recordConsent({ client_id: 'c1', party: 'Socialtjänsten', signed_on: '2022-09-01' });
    await recordConsent({ client_id: 'c1', party: 'Banken', signed_on: '2026-01-10', valid_until: '2026-06-30' });
    const gone = await recordConsent({ client_id: 'c1', party: 'Kronofogden', signed_on: '2026-01-10' });
    await withdrawConsent({ id: gone, withdrawn_on: '2026-11-20' });
    const standing = Object.fromEntries((await clientPage('c1', { now })).consents.map((c) => [c.party, c.standing]));
    expect(standing).toEqual({ Banken: 'expired', Kronofogden: 'withdrawn', Socialtjänsten: 'stale' });
    expect((await outbox.inOrder()).at(-1)).toMatchObject({ name: 'consent.withdraw', args: { id: gone, withdrawn_on: '2026-11-20' } });
  });

  it('is refused without a party, with a bad day, valid until before it was signed, or withdrawn before it was signed or twice', async () => {
    await expect(recordConsent({ client_id: 'c1', party: ' ', signed_on: '2026-11-23' })).rejects.toMatchObject({ code: 'empty_party' });
    await expect(recordConsent({ client_id: 'c1', party: 'Banken', signed_on: '23/11' })).rejects.toMatchObject({ code: 'invalid_date' });
    await expect(recordConsent({ client_id: 'c1', party: 'Banken', signed_on: '2026-11-23', valid_until: '2026-11-01' })).rejects.toMatchObject({ code: 'until_before_signed' });
    await expect(recordConsent({ client_id: 'nobody', party: 'Banken', signed_on: '2026-11-23' })).rejects.toMatchObject({ code: 'unknown_client' });
    const id = await recordConsent({ client_id: 'c1', party: 'Banken', signed_on: '2026-11-23' });
    await expect(withdrawConsent({ id, withdrawn_on: '2026-11-22' })).rejects.toMatchObject({ code: 'withdrawn_before_signed' });
    await withdrawConsent({ id, withdrawn_on: '2026-11-23' });
    await expect(withdrawConsent({ id, withdrawn_on: '2026-11-24' })).rejects.toMatchObject({ code: 'already_withdrawn' });
    expect((await queued()).map((m) => m.name)).toEqual(['consent.record', 'consent.withdraw']);
  });
});

describe('contacts', () => {
  const now = new Date('2026-11-23T12:00:00+01:00');
  const street = { client_id: 'c1', started_at: '2026-11-23T10:00:00+01:00', minutes: 40, channel: 'in_person', place_type: 'street' };

  it('a contact is on the client page at once, each action once, the client met', async () => {
    const id = await logContact({ ...street, actions: ['harm_reduction', 'booked_meeting', 'harm_reduction'], note: ' Fick sovsäck ' });
    const [m] = await outbox.inOrder();
    expect(m.args).toEqual({ id, ...street, actions: ['harm_reduction', 'booked_meeting'], note: 'Fick sovsäck' });
    const page = await clientPage('c1', { now });
    expect(page.contacts).toEqual([expect.objectContaining({ id, channel: 'in_person', party: null, actions: ['harm_reduction', 'booked_meeting'], state: 'saved', worker_id: 'u1' })]);
    expect(page.notes[0]).toMatchObject({ text: 'Fick sovsäck', contact_id: id });
    expect(page).toMatchObject({ lastMet: '2026-11-23T10:00:00+01:00', lastContact: '2026-11-23T10:00:00+01:00' });
  });

  it('a phone call is a contact but not a meeting', async () => {
    await logContact({ ...street, place_type: 'home', started_at: '2026-11-20T10:00:00+01:00' });
    await logContact({ client_id: 'c1', started_at: '2026-11-23T09:00:00+01:00', minutes: 10, channel: 'phone', party: 'Psykiatrin' });
    expect(await clientPage('c1', { now })).toMatchObject({ lastMet: '2026-11-20T10:00:00+01:00', lastContact: '2026-11-23T09:00:00+01:00' });
  });

  it('with a party a fresh consent covers, the contact names the consent; without one it names none', async () => {
    const consent = await recordConsent({ client_id: 'c1', party: 'Psykiatrin Södermalm', signed_on: '2026-10-01' });
    expect(await consentFor('c1', 'psykiatrin södermalm', street.started_at)).toMatchObject({ consent_warning: false });
    expect(await consentFor('c1', 'Kronofogden', street.started_at)).toMatchObject({ consent_warning: true, consent_stale: false });
    await logContact({ ...street, channel: 'phone', place_type: undefined, party: ' Psykiatrin Södermalm ' });
    await logContact({ ...street, channel: 'phone', place_type: undefined, party: 'Kronofogden' });
    const contacts = (await outbox.inOrder()).filter((m) => m.name === 'contact.log').map((m) => [m.args.party, m.args.consent_id]);
    expect(contacts).toEqual([['Psykiatrin Södermalm', consent], ['Kronofogden', undefined]]);
  });

  it('is refused with minutes out of range, an unknown channel, place or action', async () => {
    await expect(logContact({ ...street, minutes: 961 })).rejects.toMatchObject({ code: 'invalid_minutes' });
    await expect(logContact({ ...street, minutes: 12.5 })).rejects.toMatchObject({ code: 'invalid_minutes' });
    await expect(logContact({ ...street, channel: 'pigeon' })).rejects.toMatchObject({ code: 'invalid_channel' });
    await expect(logContact({ ...street, place_type: 'moon' })).rejects.toMatchObject({ code: 'invalid_place' });
    await expect(logContact({ ...street, actions: ['coffee'] })).rejects.toMatchObject({ code: 'invalid_contact_action' });
    await expect(logContact({ ...street, client_id: 'nobody' })).rejects.toMatchObject({ code: 'unknown_client' });
    expect(await outbox.count()).toBe(0);
  });
});

describe("the client's appointments", () => {
  const court = { client_id: 'c1', starts_at: '2026-11-25T09:30:00+01:00', kind: 'court', with: ' Stockholms tingsrätt ', accompany: true };

  it('an appointment added is planned, on its day, with its client, at once', async () => {
    const id = await addAppointment({ ...court, place: '', note: 'Kallelsen i pärmen' });
    const [m] = await outbox.inOrder();
    expect(m.args).toEqual({ id, client_id: 'c1', starts_at: court.starts_at, kind: 'court', with: 'Stockholms tingsrätt', accompany: true, note: 'Kallelsen i pärmen' });
    const [shown] = await appointmentsBetween('2026-11-25', '2026-11-25');
    expect(shown).toMatchObject({ id, status: 'planned', with: 'Stockholms tingsrätt', ends_at: null, place: null, participants: null, state: 'saved', worker_id: 'u1' });
    expect(shown.client).toEqual({ id: 'c1', name: 'Kent Abdi', protected_identity: false });
    expect((await appointmentById(id)).notes.map((n) => [n.text, n.appointment_id])).toEqual([['Kallelsen i pärmen', id]]);
    expect(await appointmentsBetween('2026-11-24', '2026-11-24')).toEqual([]);
  });

  it('a SIP meeting has its participants by role and organisation (a row without a role is left out)', async () => {
    const id = await addAppointment({ ...court, kind: 'sip', with: 'Socialtjänsten', participants: [{ role: ' Läkare ', org: 'Psykiatrin' }, { role: 'Brukaren', org: '' }, { role: '', org: 'x' }] });
    expect((await records.get(['appointment', id])).data.participants).toEqual([{ role: 'Läkare', org: 'Psykiatrin' }, { role: 'Brukaren', org: null }]);
  });

  it('a move sends only what changed and shows at once; an outcome or a cancellation ends it', async () => {
    const id = await addAppointment(court);
    await updateAppointment({ id, ...court, with: 'Stockholms tingsrätt', starts_at: '2026-11-25T10:30:00+01:00' });
    await expect(updateAppointment({ id, ...court, starts_at: '2026-11-25T10:30:00+01:00' })).rejects.toMatchObject({ code: 'nothing_changed' });
    await recordOutcome({ id, outcome: 'missed', note: 'Ny kallelse kommer' });
    const names = (await outbox.inOrder()).map((m) => [m.name, m.args]);
    expect(names.slice(1)).toEqual([
      ['appointment.update', { id, starts_at: '2026-11-25T10:30:00+01:00' }],
      ['appointment.outcome', { id, outcome: 'missed', note: 'Ny kallelse kommer' }],
    ]);
    expect((await appointmentsOf('c1'))[0]).toMatchObject({ status: 'missed', starts_at: '2026-11-25T10:30:00+01:00' });
    await expect(cancelAppointment({ id })).rejects.toMatchObject({ code: 'not_planned' });
    await expect(updateAppointment({ id, place: 'Sal 3' })).rejects.toMatchObject({ code: 'not_planned' });
  });

  it('the coming ones are the planned ones after today', async () => {
    const soon = await addAppointment(court);
    const gone = await addAppointment({ ...court, starts_at: '2026-11-26T09:00:00+01:00' });
    await addAppointment({ ...court, starts_at: '2026-11-23T15:00:00+01:00' });
    await cancelAppointment({ id: gone, note: 'Inställt' });
    expect((await upcomingAppointments({ now: new Date('2026-11-23T10:00:00+01:00') })).map((a) => a.id)).toEqual([soon]);
  });

  it('is refused without a kind, a party, whether the worker goes along, or ending before it starts', async () => {
    await expect(addAppointment({ ...court, kind: 'picnic' })).rejects.toMatchObject({ code: 'invalid_kind' });
    await expect(addAppointment({ ...court, with: '  ' })).rejects.toMatchObject({ code: 'empty_with' });
    await expect(addAppointment({ ...court, accompany: undefined })).rejects.toMatchObject({ code: 'accompany_required' });
    await expect(addAppointment({ ...court, ends_at: '2026-11-25T09:00:00+01:00' })).rejects.toMatchObject({ code: 'ends_before_start' });
    await expect(addAppointment({ ...court, client_id: 'nobody' })).rejects.toMatchObject({ code: 'unknown_client' });
    await expect(recordOutcome({ id: 'x', outcome: 'late' })).rejects.toMatchObject({ code: 'invalid_outcome' });
    expect(await outbox.count()).toBe(0);
  });
});

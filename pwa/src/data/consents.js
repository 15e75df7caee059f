/**
 * Consents (samtycke): whether the client's consents cover work with a party on a day, the
 * rule of casework.md that the server applies to every contact and appointment
 * (server/casework/consents.py; contract/vectors/consents.json pins both). The phone computes
 * it from the consents it holds to warn before saving; the server's record says what it
 * found. Pure.
 *
 * - valid on a day: signed on or before it, the day not past `valid_until`, not withdrawn
 *   on or before it;
 * - stale on a day: signed more than `staleMonths` months before it (the same day of the
 *   month, clamped to the month's end: 29 February plus 12 months is 28 February);
 * - the day is the local date (the users' zone) of the contact's or appointment's time;
 *   parties are compared trimmed and case-insensitively.
 */
import { CONSENT_STALE_MONTHS, USERS_ZONE } from './contract.js';


/** A party's name as compared: trimmed, case-insensitive ('' for none). */
export const partyKey = (name) => String(name ?? '').trim().toLocaleLowerCase('sv');

const dates = new Map();

/** 'YYYY-MM-DD' of an instant in `zone`. */
export function dayIn(instant, zone = USERS_ZONE) {
  if (!dates.has(zone)) dates.set(zone, new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }));
  return dates.get(zone).format(new Date(instant));
}

/** The same day `months` later, clamped to the month's last day ('YYYY-MM-DD'). */
export function addMonths(day, months) {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Whether a consent is in force on a day ('YYYY-MM-DD' compare as text). */
export function isValid(consent, day) {
  return consent.signed_on <= day && (!consent.valid_until || day <= consent.valid_until) && (!consent.withdrawn_on || day < consent.withdrawn_on);
}

/** Whether a consent is older on `day` than the rule allows. */
export const isStale = (consent, day, staleMonths = CONSENT_STALE_MONTHS) => addMonths(consent.signed_on, staleMonths) < day;

/**
 * {consent_warning, consent_stale, consent} of work with `party` at the instant `at`:
 * no party, no warning; no valid consent for the party, a warning; only stale valid ones, a
 * warning that is stale. `consent` is a fresh valid one that covers it (or null).
 */
export function consentCheck(consents, party, at, { zone = USERS_ZONE, staleMonths = CONSENT_STALE_MONTHS } = {}) {
  const key = partyKey(party);
  if (!key) return { consent_warning: false, consent_stale: false, consent: null };
  const day = dayIn(at, zone);
  const valid = consents.filter((c) => partyKey(c.party) === key && isValid(c, day));
  const fresh = valid.filter((c) => !isStale(c, day, staleMonths));
  return { consent_warning: !fresh.length, consent_stale: valid.length > 0 && !fresh.length, consent: fresh[0] ?? null };
}

/** A consent as the client page shows it on `day`: 'valid' | 'stale' | 'withdrawn' |
 * 'expired' | 'pending' (signed for a later day). */
export function consentState(consent, day, staleMonths = CONSENT_STALE_MONTHS) {
  if (consent.withdrawn_on && consent.withdrawn_on <= day) return 'withdrawn';
  if (consent.valid_until && consent.valid_until < day) return 'expired';
  if (consent.signed_on > day) return 'pending';
  return isStale(consent, day, staleMonths) ? 'stale' : 'valid';
}


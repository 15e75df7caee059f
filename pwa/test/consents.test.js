// The consent rule on the phone (data/consents.js); its golden cases are in contract.test.js
// (vectors/consents.json), what the client page makes of it here.
import { describe, expect, it } from 'vitest';
import { addMonths, consentCheck, consentState } from '../src/data/consents.js';

const consent = (extra) => ({ id: 'k1', party: 'Kronofogden', signed_on: '2026-01-10', valid_until: null, withdrawn_on: null, ...extra });

describe('consents on the client page', () => {
  it.each([
    ['valid', {}, '2026-11-23'],
    ['stale', { signed_on: '2025-11-22' }, '2026-11-23'],
    ['expired', { valid_until: '2026-11-22' }, '2026-11-23'],
    ['withdrawn', { withdrawn_on: '2026-11-23' }, '2026-11-23'],
    ['valid', { withdrawn_on: '2026-11-24' }, '2026-11-23'],
    ['pending', { signed_on: '2026-11-24' }, '2026-11-23'],
  ])('is %s: %j on %s', (standing, extra, day) => {
    expect(consentState(consent(extra), day)).toBe(standing);
  });

  it('the check names a fresh consent that covers the work (for the contact to refer to)', () => {
    const fresh = consent({ id: 'k2', signed_on: '2026-10-01' });
    const check = consentCheck([consent({ signed_on: '2022-01-01' }), fresh], 'kronofogden ', '2026-11-23T10:00:00+01:00');
    expect(check).toEqual({ consent_warning: false, consent_stale: false, consent: fresh });
  });

  it('months are added as the server adds them, clamped to the month', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });
});

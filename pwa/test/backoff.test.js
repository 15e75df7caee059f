import { describe, expect, it } from 'vitest';
import { BASE_MS, Backoff, MAX_MS, backoffDelay } from '../src/sync/backoff.js';

describe('backoff', () => {
  it('the first retry waits between half the base delay and the base delay', () => {
    expect(backoffDelay(0, () => 0)).toBe(BASE_MS / 2);
    expect(backoffDelay(0, () => 1)).toBe(BASE_MS);
  });

  it('the ceiling doubles with each failure', () => {
    const ceilings = [0, 1, 2, 3, 4].map((attempt) => backoffDelay(attempt, () => 1));
    expect(ceilings).toEqual([BASE_MS, 2 * BASE_MS, 4 * BASE_MS, 8 * BASE_MS, 16 * BASE_MS]);
  });

  it('no delay ever exceeds the maximum, however many failures', () => {
    for (const attempt of [10, 20, 100, 5000]) {
      expect(backoffDelay(attempt, () => 1)).toBe(MAX_MS);
      expect(backoffDelay(attempt, () => 0)).toBe(MAX_MS / 2);
    }
  });

  it('jitter spreads the delay over the upper half of the ceiling', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(3));
    const ceiling = 8 * BASE_MS;
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(ceiling / 2);
    expect(Math.max(...delays)).toBeLessThanOrEqual(ceiling);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });

  it('successive failures grow the delay and a success starts over from the base', () => {
    const backoff = new Backoff({ random: () => 1 });
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([BASE_MS, 2 * BASE_MS, 4 * BASE_MS]);
    backoff.reset();
    expect(backoff.next()).toBe(BASE_MS);
  });

  it('the failure count stops growing at the ceiling', () => {
    const backoff = new Backoff({ random: () => 1 });
    for (let i = 0; i < 1000; i += 1) backoff.next();
    expect(backoff.next()).toBe(MAX_MS);
    expect(backoff.attempt).toBeLessThan(20);
  });
});

/**
 * Exponential backoff with jitter, for retrying a sync that failed on the network or a 5xx.
 *
 * The ceiling doubles per failure from BASE_MS up to MAX_MS, and the delay is drawn
 * between half the ceiling and the ceiling ("equal jitter"): a team's phones that lost the
 * network together (a server restart, a tunnel) do not all come back in the same second,
 * and no retry comes sooner than half the ceiling. When the server said how long to wait
 * (`Retry-After` on a 503 `busy` or a 429), the retry comes no sooner than that.
 */

// First retry after 1–2 s: a blip (a lift, a tunnel) is usually over by then.
export const BASE_MS = 2_000;
// Never wait more than 5 minutes: a worker who saves expects it to go soon after the
// network is back (and `online` / saving / reopening the app sync at once anyway).
export const MAX_MS = 5 * 60_000;

/** The delay before retry number `attempt` (0 for the first retry). Pure. */
export function backoffDelay(attempt, random = Math.random, { base = BASE_MS, max = MAX_MS } = {}) {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The failures counted so far: `next()` gives the next delay, `reset()` after a success. */
export class Backoff {
  constructor({ random = Math.random, base = BASE_MS, max = MAX_MS } = {}) {
    this.random = random;
    this.options = { base, max };
    this.attempt = 0;
  }

  /** The next delay; `atLeastMs`: the server's `Retry-After`, which the delay honours. */
  next(atLeastMs = 0) {
    const delay = backoffDelay(this.attempt, this.random, this.options);
    // Stop counting once the ceiling is reached (2 ** attempt must not grow without end).
    if (this.options.base * 2 ** this.attempt < this.options.max) this.attempt += 1;
    return Math.max(delay, Number.isFinite(atLeastMs) ? atLeastMs : 0);
  }

  reset() {
    this.attempt = 0;
  }
}

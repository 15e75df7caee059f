// Months as the supervisor's screens pick and name them ('YYYY-MM' in the users' zone,
// "november 2026"), and hours as the report writes them (two decimals, decimal comma). Pure.
import { ZONE, today } from '../time.js';

const monthLong = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, month: 'long', year: 'numeric' });
const hours = new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const thisMonth = (now = new Date()) => today(now).slice(0, 7);

/** The month before 'YYYY-MM'. */
export function previousMonth(month) {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** This month and the `n - 1` before it, newest first. */
export function lastMonths(n, now = new Date()) {
  const months = [thisMonth(now)];
  while (months.length < n) months.push(previousMonth(months.at(-1)));
  return months;
}

/** "november 2026" (noon on the 15th: safely inside the month in any zone). */
export const monthName = (month) => monthLong.format(new Date(`${month}-15T12:00:00Z`));

/** 1.5 → "1,50". */
export const formatHours = (n) => hours.format(Number(n) || 0);

// The month a supervisor's screen is about (workload, report): the last 13 months by their
// Swedish names; choosing one replaces the route with that month's link.
import { navigate } from '../router.js';
import { lastMonths, monthName } from './months.js';

export function MonthField({ id, label, month, hrefOf }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={month} onChange={(e) => navigate(hrefOf(e.currentTarget.value), { replace: true })}>
        {lastMonths(13).map((m) => (
          <option key={m} value={m}>
            {monthName(m)}
          </option>
        ))}
      </select>
    </div>
  );
}

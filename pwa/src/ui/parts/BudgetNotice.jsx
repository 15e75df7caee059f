// Above every screen when the phone's last report found it over its data budget
// (sync/device-report.js): what it holds, the budget, and whom to ask.
import { lastReport } from '../../sync/device-report.js';
import t from '../../strings/sv/privacy.js';
import { useLive } from '../live.js';

export function BudgetNotice() {
  const { data: report } = useLive(lastReport, []);
  if (!report?.over_budget) return null;
  return (
    <p class="warning" role="status" data-testid="over-budget">
      {t.overBudget(report)}
    </p>
  );
}

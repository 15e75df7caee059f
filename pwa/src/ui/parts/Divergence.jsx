// How a plan departs from its order (data/divergence.js), in Swedish: the notice's points,
// the minutes the plan needs against the hours granted, and (given `told`: the latest notice
// or null) whether the orderer has been told. Used by the plan screens and,
// loaded when the client page opens, by its plan section.
import { departs, divergence, notice } from '../../data/divergence.js';
import t from '../../strings/sv/plans.js';
import { formatDate } from '../time.js';

export function Divergence({ order, plan, told, children }) {
  const found = divergence(order, plan);
  if (!found) return null;
  const points = notice(order, found).points;
  const off = departs(found);
  return (
    <div class={off ? 'divergence is-off' : 'divergence'} data-testid="divergence" role={off ? 'status' : undefined}>
      {off ? <p class="warning">{t.departsTitle}</p> : <p class="hint">{t.keeps}</p>}
      {points.length > 0 && (
        <ul class="divergence-points">
          {points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
      )}
      {found.planned_minutes > 0 && <p class="muted">{t.minutesLine(found.planned_minutes, found.granted_minutes)}</p>}
      {off && told !== undefined && <p class="muted">{told ? t.lastNotice(formatDate(told.written_at)) : t.noNoticeYet}</p>}
      {off && children}
    </div>
  );
}

// Idag's list of the goals due or overdue for follow-up, of every client on the phone
// (loaded with Idag's first use, ui/later.js): overdue first, each leading to its follow-up.
import { followupsDueNow } from '../../data/followups.js';
import t from '../../strings/sv/followup.js';
import { useLive } from '../live.js';
import { listName } from './clients.js';
import { WhenDue } from './Followups.jsx';
import { href } from '../routes.js';
import { formatDate } from '../time.js';

export function FollowupsDue() {
  const { data } = useLive(() => followupsDueNow(), []);
  if (!data || data.length === 0) return null;
  return (
    <section class="reminders" aria-labelledby="followups-due" data-testid="followups-due">
      <h2 id="followups-due">{t.dueTitle}</h2>
      <p class="hint">{t.dueHint}</p>
      <ul class="reminder-list" aria-labelledby="followups-due">
        {data.map((item) => (
          <li key={`${item.client.id}:${item.goal.id}`} class="reminder-row">
            <WhenDue status={item.status} day={formatDate(item.due_on)} />
            <a class="reminder-text followup-goal" href={href.followup(item.client.id, item.goal.id)}>
              <strong>{listName(item.client)}</strong>
              <span>{item.goal.text}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

// The team a supervisor is looking at: a unit manager leads several and switches between
// them here (the choice is kept on the phone, for every supervisor screen). One team: just
// its name.
import { useLive } from '../live.js';
import { chooseTeam, chosenTeam } from '../../sync/supervision.js';
import t from '../../strings/sv/supervision.js';

/** The chosen team id (null: the supervisor's own) and a setter. */
export function useChosenTeam() {
  const { data } = useLive(() => chosenTeam(), []);
  return [data === undefined ? undefined : data, (teamId) => chooseTeam(teamId)];
}

export function TeamPicker({ teams, current, onChoose }) {
  if (!teams || teams.length < 2) return null;
  return (
    <div class="team-picker field">
      <label for="team-picker">{t.chooseTeam}</label>
      <select id="team-picker" value={current} onChange={(e) => onChoose(e.currentTarget.value)}>
        {teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </select>
    </div>
  );
}

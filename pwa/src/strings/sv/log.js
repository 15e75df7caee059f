// Logging an unplanned visit after the fact.
import { MAX_VISIT_MINUTES } from '../../data/contract.js';

export default {
  title: 'Logga besök i efterhand',
  date: 'Datum',
  startedAt: 'Starttid',
  endedAt: 'Sluttid',
  place: 'Plats (frivillig)',
  activities: 'Aktiviteter',
  minutes: 'Minuter',
  minutesHint: (n) => `Räknat från tiderna: ${n} min. Ändra om det inte stämmer.`,
  note: 'Anteckning (frivillig)',
  save: 'Spara besöket',
  endBeforeStart: 'Sluttiden är före starttiden.',
  minutesInvalid: `Ange minuter mellan 0 och ${MAX_VISIT_MINUTES}.`,
  required: 'Välj datum, starttid och sluttid.',
};

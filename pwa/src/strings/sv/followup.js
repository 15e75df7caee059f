// Uppföljning: following up the goals of the order (screens/plans/RecordFollowup.jsx), what is
// due on the client page and on Idag (parts/Followups.jsx, parts/FollowupsDue.jsx).
// A long compound in a tile has a soft hyphen between its parts (see contact.js): at 360 px
// a tile is too narrow for "Vidmakthållande" in bold.
const SHY = '\u00ad';

const results = {
  reached: 'Uppnått',
  partly: 'Delvis uppnått',
  not_reached: 'Inte uppnått',
};

export default {
  title: 'Följ upp målet',
  results,
  goalResult: 'Hur har det gått med målet?',
  subgoalsIntro: 'Delmålen (de du inte bedömer nu lämnas)',
  notJudged: 'Bedöms inte nu',
  measure: 'Mått, om ni har använt något',
  measures: {
    '': 'Inget mått',
    audit: 'AUDIT (0–40)',
    dudit: 'DUDIT (0–44)',
    motivation_stage: `Motivations${SHY}fas`,
  },
  measureValue: (name) => (name === 'audit' ? 'Poäng, 0–40' : 'Poäng, 0–44'),
  stage: 'Vilken fas?',
  stages: {
    precontemplation: 'Inte beredd',
    contemplation: 'Funderar',
    preparation: 'Förbereder sig',
    action: 'Handling',
    maintenance: `Vidmakt${SHY}hållande`,
  },
  note: 'Vad har hänt sedan förra uppföljningen?',
  // The audits found follow-ups that said only "the person is satisfied" (domain.md).
  noteHint: 'Skriv vad som har gjorts, vad som har förändrats och vad personen själv säger – inte bara att hen är nöjd.',
  save: 'Spara uppföljningen',
  saved: 'Uppföljningen är sparad.',
  // The goal's state, on the screen, the client page and Idag.
  section: 'Uppföljning av målen',
  followUp: 'Följ upp',
  overdue: 'Försenad',
  due: 'Dags',
  overdueSince: (day) => `Skulle ha följts upp ${day}`,
  dueSince: (day) => `Ska följas upp från ${day}`,
  next: (day) => `Nästa uppföljning ${day}`,
  last: (day, result) => `Senast ${day}: ${results[result] ?? result}`,
  never: 'Inte uppföljt än',
  notStarted: 'Uppdraget har inte börjat än.',
  noGoals: 'Beställningen har inga mål med id att följa upp.',
  dueTitle: 'Uppföljningar att göra',
  dueHint: 'Mål i beställningarna som är dags att följa upp.',
  errors: {
    result_required: 'Välj hur det har gått med målet.',
    unknown_goal: 'Målet finns inte längre i beställningen på telefonen.',
    invalid_measure: 'Välj ett mått i listan.',
    measure_value_required: 'Fyll i måttets värde, eller välj Inget mått.',
    measure_out_of_range: 'Värdet ligger utanför måttets skala.',
    too_long: 'Texten är för lång.',
  },
  failed: 'Det gick inte att spara på telefonen.',
};

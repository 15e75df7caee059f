export default {
  title: 'Mina brukare',
  empty: 'Du har inga brukare på telefonen ännu.',
  nextVisit: (when) => `Nästa besök ${when}`,
  noNextVisit: 'Inget planerat besök',
  attention: 'Behöver åtgärd',
  // A supervisor's phone: the team's clients and who serves each.
  teamTitle: 'Teamets brukare',
  workers: (names) => `Medarbetare: ${names}`,
  noWorker: 'Ingen medarbetare',
  unknownWorker: 'okänd',
};

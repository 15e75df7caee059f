export default {
  title: 'Mina brukare',
  empty: 'Du har inga brukare på telefonen ännu.',
  nextVisit: (when) => `Nästa besök ${when}`,
  noNextVisit: 'Inget planerat besök',
  attention: 'Behöver åtgärd',
};

export default {
  title: 'Registrera avbokning',
  who: 'Vem avbokade, och när?',
  hints: {
    client_cancelled: 'Brukaren hörde av sig minst 24 timmar innan.',
    client_late_cancel: 'Brukaren hörde av sig mindre än 24 timmar innan.',
    no_show: 'Brukaren var inte där och hade inte hört av sig.',
    staff_cancelled: 'Vi ställde in besöket.',
  },
  within24h: 'Besöket börjar om mindre än 24 timmar, eller har redan börjat.',
  note: 'Anteckning (frivillig)',
  save: 'Spara avbokningen',
  choose: 'Välj vem som avbokade.',
  notPlanned: 'Bara planerade besök kan avbokas.',
};

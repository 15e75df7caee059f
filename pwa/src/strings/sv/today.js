export default {
  title: 'Idag',
  previousDay: 'Föregående dag',
  nextDay: 'Nästa dag',
  backToToday: 'Tillbaka till idag',
  empty: 'Inga besök den här dagen.',
  emptyFirstSync: 'Dina besök hämtas. De visas här så snart de finns på telefonen.',
  visitsLabel: 'Besök',
  count: (n) => (n === 1 ? '1 besök' : `${n} besök`),
  dueSoon: 'Snart dags',
  inMinutes: (n) => (n === 0 ? 'nu' : `om ${n} min`),
  attention: (n) => (n === 1 ? '1 sak behöver åtgärd' : `${n} saker behöver åtgärd`),
};

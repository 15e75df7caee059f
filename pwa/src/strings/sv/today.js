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
  inMinutes: (n) => {
    if (n === 0) return 'nu';
    if (n < 60) return `om ${n} min`;
    const rest = n % 60;
    return rest ? `om ${Math.floor(n / 60)} tim ${rest} min` : `om ${n / 60} tim`;
  },
  reminders: 'Påminnelser',
  remindersDue: 'Påminnelser nu',
  noReminders: 'Inga påminnelser idag.',
  noMoreReminders: 'Inga fler påminnelser idag.',
  remindersFirstSync: 'Dina påminnelser hämtas. De visas här så snart de finns på telefonen.',
  noRemindersThatDay: 'Inga påminnelser den här dagen.',
  comingReminders: 'Kommande påminnelser',
  showAll: (n) => `Visa alla ${n}`,
  newReminder: 'Ny påminnelse',
  attention: (n) => (n === 1 ? '1 sak behöver åtgärd' : `${n} saker behöver åtgärd`),
};

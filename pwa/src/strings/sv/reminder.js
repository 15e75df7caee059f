// Personal reminders (påminnelser): the "Ny påminnelse" screen and a reminder in a list
// (Idag, the client page).
export default {
  title: 'Ny påminnelse',
  text: 'Vad vill du bli påmind om?',
  textHint: 'Texten syns bara i appen, aldrig på låsskärmen.',
  date: 'Datum',
  time: 'Tid',
  client: 'Gäller brukare (frivillig)',
  noClient: 'Ingen brukare',
  save: 'Spara påminnelsen',
  required: 'Skriv vad du vill bli påmind om och välj datum och tid.',
  done: 'Klar',
  snooze: 'Skjut upp',
  snoozeQuarter: '+15 min',
  snoozeHour: '+1 tim',
  snoozeTomorrow: 'I morgon 09:00',
  overdue: 'Försenad',
  actionsFor: (text) => `Påminnelse: ${text}`,
};

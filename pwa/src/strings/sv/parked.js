// The team's parked changes (the supervisor's queue).
export default {
  title: 'Parkerade ändringar',
  intro: 'Ändringar från teamets telefoner som servern inte kunde ta emot. De ligger kvar tills du eller medarbetaren har bestämt vad som ska hända.',
  empty: 'Inga parkerade ändringar i teamet.',
  worker: 'Visa ändringar från',
  everyone: (n) => `Alla (${n})`,
  unknownWorker: 'Okänd medarbetare',
  toDashboard: 'Synk och telefoner',
};

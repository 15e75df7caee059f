// Oro och avvikelser, the supervisor's queue of what workers reported (screens/supervision/Reported.jsx).
export default {
  title: 'Oro och avvikelser',
  intro: 'Det medarbetarna har anmält, och deras meddelanden till beställare om planer som avviker, senaste först. Oro för barn ska även ha anmälts till socialtjänsten direkt.',
  none: 'Inget anmält.',
  concern: 'Oro',
  deviation: 'Avvikelse',
  someone: 'Medarbetare',
  happened: (day) => `hände ${day}`,
  link: 'Oro och avvikelser',
};

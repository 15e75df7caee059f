export default {
  title: 'Konto',
  signedInAs: 'Inloggad som',
  roles: {
    cm: 'Case manager',
    support_worker: 'Boendestödjare',
    supervisor: 'Teamledare',
    admin: 'Administratör',
  },
  device: 'Telefonens id',
  version: (v) => `Appversion ${v}`,
  logout: 'Logga ut',
  loggingOut: 'Loggar ut…',
  unsent: (n) =>
    n === 1
      ? '1 ändring har inte skickats. Loggar du ut nu går den förlorad.'
      : `${n} ändringar har inte skickats. Loggar du ut nu går de förlorade.`,
  unsentAdvice: 'Synka först när du har nät, så försvinner ingenting.',
  logoutAnyway: (n) => (n === 1 ? 'Logga ut och förlora 1 ändring' : `Logga ut och förlora ${n} ändringar`),
  keep: 'Stanna inloggad',
  reminders: 'Påminnelser',
  pushOn: 'Påminnelser via push är på. De kommer även när appen är stängd.',
  pushOff: 'Påminnelser via push är avstängda. Appen påminner bara när den är öppen.',
  pushAsk: 'Slå på påminnelser så att de kommer även när appen är stängd.',
  pushDenied: 'Påminnelser via push är avstängda: telefonen tillåter inte notiser från appen. Det ändras i webbläsarens inställningar.',
  pushOffline: 'Påminnelser via push slås på när telefonen har nät.',
  pushEnable: 'Slå på påminnelser',
  failed: 'Utloggningen misslyckades. Försök igen.',
};

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
  failed: 'Utloggningen misslyckades. Försök igen.',
};

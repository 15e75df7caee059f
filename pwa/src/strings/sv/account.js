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
  minutesBefore: 'Påminn före besök',
  minutesOption: (n) => {
    if (n < 60) return `${n} minuter före`;
    const hours = Math.floor(n / 60);
    const rest = n % 60;
    const h = hours === 1 ? '1 timme' : `${hours} timmar`;
    return rest ? `${h} ${rest} minuter före` : `${h} före`;
  },
  dayBefore: 'Påminn även dagen före',
  dayBeforeHint: 'Vid samma klockslag dagen innan besöket.',
  morningDigest: 'Morgonsammanfattning (Idag: 4 besök)',
  morningDigestHint: 'En notis när arbetsdagen börjar, med hur många besök du har.',
  workingHours: (start, end) =>
    `Påminnelser kommer bara mellan ${start} och ${end}. En påminnelse som skulle ha kommit på natten kommer i stället ${start}, eller ${end} kvällen före om besöket är tidigare än så.`,
  saveSettings: 'Spara inställningarna',
  savingSettings: 'Sparar…',
  settingsSaved: 'Inställningarna är sparade.',
  settingsOffline: 'Inställningarna kan bara sparas när telefonen har nät. Dina val finns kvar här: spara igen när du har nät.',
  settingsRefused: 'Servern tog inte emot inställningarna. Kontrollera valen och försök igen.',
  settingsFailed: 'Det gick inte att spara inställningarna just nu. Dina val finns kvar här: försök igen om en stund.',
  pushServerOff: 'Push är avstängd på servern.',
  pushServerOffHint: 'Kontakta driften: orsaken står i serverns logg.',
  schedulerTrouble: {
    stopped: 'Påminnelser skickas inte just nu: servern som skickar dem är stoppad.',
    late: 'Påminnelser skickas sent just nu.',
  },
  schedulerTroubleHint: 'Kontakta driften, och be teamet hålla appen öppen under tiden.',
  withoutPush: 'Utan fungerande push',
  withoutPushHint: 'De här i teamet får påminnelser bara när appen är öppen.',
  allHavePush: 'Alla i teamet har fungerande push.',
  failed: 'Utloggningen misslyckades. Försök igen.',
};

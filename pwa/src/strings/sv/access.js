// Vem har läst? A client's access log, as the supervisor of the client's team reads it:
// who read, changed or was refused the client's records, when and how.
export default {
  title: (name) => `Vem har läst om ${name}?`,
  docTitle: 'Vem har läst?',
  intro: 'Alla som har läst, ändrat eller nekats uppgifter om brukaren, enligt serverns logg. Loggen går inte att ändra.',
  people: 'Personer',
  peopleTable: 'Läst, ändrat och nekats per person',
  columns: { person: 'Person', role: 'Roll', read: 'Läst', write: 'Ändrat', denied: 'Nekats', last: 'Senast' },
  counts: (read, write, denied, last) => `Läst ${read}, ändrat ${write}, nekats ${denied} · senast ${last}`,
  nobody: 'Ingen har läst något om brukaren ännu.',
  events: 'Händelser',
  eventsHint: 'Senaste först.',
  operator: 'Driftansvarig (kommandoraden)',
  unknownPerson: 'Okänd användare',
  device: (name) => `från ${name}`,
  // What an entry says, by its action and purpose.
  read: {
    sync: (n) => (n === 1 ? 'fick 1 uppgift till telefonen' : `fick ${n} uppgifter till telefonen`),
    team: 'såg brukaren i teamöversikten',
    dashboard: 'såg brukaren i arbetsbelastningen',
    report: 'såg brukaren i månadsrapporten',
    audit: 'läste vem som har läst',
    extract: 'tog ut ett registerutdrag',
    other: 'läste uppgifter',
  },
  write: (what) => `ändrade: ${what.toLowerCase()}`,
  denied: (what) => (what ? `nekades: ${what.toLowerCase()}` : 'nekades åtkomst'),
  granted: (covering, absent, until) => `gav ${covering} tillfällig åtkomst (täcker för ${absent}) till och med ${until}`,
  ended: (covering) => `avslutade tillfällig åtkomst för ${covering}`,
  older: 'Visa äldre',
  loadingOlder: 'Hämtar…',
  back: 'Till teamet',
};

// Contacts (kontakter): "Ny kontakt", a case manager's outreach and coordination, and the
// contact history on the client page. The codes are the catalogue's (casework.md).
//
// A long compound in a tile has a soft hyphen (\u00ad) between its parts: at 360 px a tile
// is about 120 px wide, too narrow for "Skademinimering" in bold, which then breaks as
// "Skade-minimering" instead of anywhere ("Skademinim-ering" without a hyphen). The soft
// hyphen shows only where the line breaks.
const SHY = '\u00ad';
export default {
  title: 'Ny kontakt',
  newContact: 'Ny kontakt',
  client: 'Brukare',
  chooseClient: 'Välj brukare',
  channel: 'Hur hade ni kontakt?',
  channels: { in_person: 'Träffades', phone: 'Telefon', video: 'Video', message: 'Meddelande' },
  place: 'Var?',
  placeTypes: {
    street: 'Ute', shelter: 'Härbärge, boende', day_centre: `Dag${SHY}verksamhet`, hospital: 'Sjukhus',
    home: 'Hemma', office: 'Kontoret', other: 'Annan plats',
  },
  party: 'Med vem, om inte bara brukaren? (frivillig)',
  partyHint: 'Till exempel Psykiatrin Södermalm eller Kronofogden. Utan giltigt samtycke får du en varning.',
  actions: 'Vad gjorde du?',
  actionsHint: 'Markera allt som gäller.',
  actionNames: {
    phoned_care: 'Ringde vården', booked_meeting: 'Bokade möte', accompanied: 'Följde med', application_help: 'Hjälp med ansökan',
    id_document: 'ID-handling', bank_matter: `Bank${SHY}ärende`, benefits_matter: 'Ersättning, bidrag', housing_matter: `Boende${SHY}fråga`,
    motivational_talk: 'Motiverande samtal', harm_reduction: `Skade${SHY}minimering`, violence_support: 'Stöd vid våld', other: 'Annat',
  },
  date: 'Datum',
  time: 'Tid',
  minutes: 'Minuter',
  minutesQuick: 'Snabbval för minuter',
  note: 'Anteckning (frivillig)',
  save: 'Spara kontakten',
  required: 'Välj brukare, hur ni hade kontakt, datum och tid.',
  // The consent warning before saving.
  noConsent: (party) => `Samtycke saknas för ${party}: spara ändå?`,
  staleConsent: (party, months) => `Samtycket för ${party} är äldre än ${months} månader: spara ändå?`,
  saveAnyway: 'Spara ändå',
  // The client page.
  history: 'Kontakter',
  noContacts: 'Inga kontakter ännu.',
  lastMet: (when) => `Senast träffad ${when}`,
  lastContact: (when) => `Senaste kontakt ${when}`,
  neverMet: 'Inte träffad ännu',
  withoutConsent: 'Utan giltigt samtycke',
  withStaleConsent: 'Samtycket var för gammalt',
  minutesShort: (n) => `${n} min`,
};

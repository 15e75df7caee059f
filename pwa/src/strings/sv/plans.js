// The plan screens: the worker edits the genomförandeplan (offline too), sees how it departs
// from the order, and writes the notice to the orderer.
const minutesText = (m) => (m % 60 === 0 ? `${m / 60} tim` : m > 60 ? `${Math.floor(m / 60)} tim ${m % 60} min` : `${m} min`);

export default {
  title: 'Ändra genomförandeplanen',
  intro: 'Ändra hur, hur ofta och hur mycket. En aktivitet som inte längre görs avslutas, den tas inte bort: besök som redan är gjorda hänvisar till den.',
  activity: (n) => `Aktivitet ${n}`,
  name: 'Vad',
  how: 'Hur',
  frequency: 'Hur ofta',
  supportLevel: 'Stödnivå',
  minutes: 'Minuter i månaden',
  minutesHint: 'Den tid aktiviteten behöver en vanlig månad.',
  ordered: 'Beställda insatser som aktiviteten utför',
  orderedHint: 'Två valda: insatserna görs tillsammans. Ingen vald: aktiviteten är planens egen.',
  ended: 'Avslutad (görs inte längre)',
  add: 'Lägg till en aktivitet',
  save: 'Spara planen',
  saving: 'Sparar…',
  noOrder: 'Det finns ingen beställning på telefonen att jämföra med.',
  // How the plan departs from the order (data/divergence.js), shown live while editing and on
  // the client page.
  departsTitle: 'Planen avviker från beställningen',
  keeps: 'Planen följer beställningen.',
  minutesLine: (planned, granted) =>
    granted == null ? `Planen behöver ${minutesText(planned)} i månaden.` : `Planen behöver ${minutesText(planned)} i månaden av ${minutesText(granted)} beviljat.`,
  edit: 'Ändra planen',
  tellOrderer: 'Meddela beställaren',
  errors: {
    name_required: 'Varje aktivitet behöver ett namn.',
    too_long: 'En text är för lång.',
    invalid_support_level: 'Välj en stödnivå.',
    invalid_minutes: 'Minuterna ska vara ett heltal mellan 0 och en hel månad.',
    not_of_the_order: 'En vald insats finns inte i beställningen. Hämta planen igen.',
    activity_removed: 'En aktivitet saknas. Avsluta den i stället för att ta bort den.',
    nothing_changed: 'Inget är ändrat.',
    unknown_plan: 'Planen finns inte längre på telefonen.',
  },
  failed: 'Det gick inte att spara på telefonen.',
  // The notice to the orderer (screens/plans/PlanNotice.jsx): printable.
  noticeTitle: 'Meddelande till beställaren',
  noticeIntro: 'Skriv ut eller spara som PDF och skicka till beställaren. Meddelandet nämner beställningen, inte brukarens namn.',
  noticeOrder: (reference) => `Beställning: ${reference}`,
  noticeDeparts: 'Så här avviker genomförandeplanen:',
  noticeWhy: 'Skäl och vad brukaren och utföraren har kommit överens om',
  noticeWhyHint: 'Syns bara i utskriften; skriv inget som inte ska till beställaren.',
  noticeFrom: (name, date) => `Från ${name}, ${date}`,
  print: 'Skriv ut',
  nothingToTell: 'Planen följer beställningen: det finns inget att meddela.',
};

// Oro and Avvikelse: what a worker reports for the supervisor's queue, quickly and offline
// (screens/concerns/).
export default {
  concernTitle: 'Anmäl oro',
  concernIntro: 'Det du skriver når din teamledare vid nästa synk.',
  category: 'Vad gäller oron?',
  categories: {
    violence: 'Våld',
    children: 'Barn',
    health: 'Hälsa',
    housing_risk: 'Risk att förlora bostaden',
    other: 'Annat',
  },
  // Said at once when the concern is about children: the law does not let it wait.
  childrenNow:
    'Oro för ett barn ska anmälas till socialtjänsten utan dröjsmål (orosanmälan). Den kan inte vänta på att telefonen synkar: ring socialtjänsten i stadsdelen nu, utanför kontorstid socialjouren. Vid akut fara: ring 112.',
  // The client's district's number (GET /api/districts), when the phone knows it.
  callDistrict: (district, phone) => `Ring socialtjänsten ${district}: ${phone}`,
  text: 'Beskriv vad du har sett eller hört',
  save: 'Spara',
  saved: 'Oron är sparad. Teamledaren ser den vid nästa synk.',
  deviationTitle: 'Rapportera avvikelse',
  deviationIntro: 'Avvikelsen ses bara av dig och teamledaren.',
  deviationCategory: 'Vilken sorts avvikelse?',
  deviationCategories: {
    lex_sarah: 'Lex Sarah (missförhållande eller risk för det)',
    medication: 'Läkemedel',
    safety: 'Säkerhet',
    other: 'Annat',
  },
  occurredOn: 'När hände det?',
  deviationText: 'Vad hände?',
  errors: {
    category_required: 'Välj vad det gäller.',
    text_required: 'Skriv vad det gäller.',
    too_long: 'Texten är för lång.',
    invalid_date: 'Välj ett datum.',
    unknown_client: 'Brukaren finns inte längre på telefonen.',
  },
  failed: 'Det gick inte att spara på telefonen.',
};

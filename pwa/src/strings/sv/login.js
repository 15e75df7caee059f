export default {
  title: 'Logga in',
  intro: 'Första inloggningen på en telefon kräver nät. Sedan fungerar appen även utan.',
  again: 'Logga in igen för att fortsätta synka. Inget på telefonen försvinner.',
  waiting: (n) =>
    n === 1
      ? '1 ändring väntar på telefonen och skickas när du har loggat in.'
      : `${n} ändringar väntar på telefonen och skickas när du har loggat in.`,
  wiped: (n) =>
    `Telefonen har spärrats för Fältstöd och allt på den har raderats` +
    (n > 0 ? ` (${n === 1 ? '1 ändring' : `${n} ändringar`} hann inte skickas).` : '.') +
    ' Logga in för att registrera telefonen på nytt.',
  otherUser: (n) =>
    n === 1
      ? 'En annan användares ändring har inte skickats från telefonen. Loggar du in går den förlorad.'
      : `En annan användares ${n} ändringar har inte skickats från telefonen. Loggar du in går de förlorade.`,
  loginAnyway: 'Logga in ändå',
  username: 'Användarnamn',
  password: 'Lösenord',
  submit: 'Logga in',
  submitting: 'Loggar in…',
  wrong: 'Fel användarnamn eller lösenord.',
  offline: 'Ingen anslutning. Inloggningen kräver nät.',
  failed: 'Inloggningen misslyckades. Försök igen om en stund.',
  required: 'Fyll i användarnamn och lösenord.',
  // The server's refusals of a login by their `reason` (the Retry-After tells how long).
  reasons: {
    too_many_attempts: 'För många misslyckade inloggningar. Vänta en stund och försök igen.',
    busy: 'Servern är upptagen just nu. Försök igen om en stund.',
    password_login_off: 'Logga in med e-legitimation.',
  },
  // The login through the city's identity provider (BankID, SITHS, …).
  oidc: {
    button: 'Logga in med e-legitimation',
    or: 'eller med användarnamn och lösenord',
    returning: 'Loggar in…',
    // Why it did not go through, by the server's answer (`?error=` or the exchange's reason).
    errors: {
      oidc_failed: 'Inloggningen med e-legitimation gick inte igenom. Försök igen, eller kontakta din teamledare om det fortsätter.',
      oidc_expired: 'Inloggningen tog för lång tid. Försök igen.',
      oidc_cancelled: 'Inloggningen avbröts.',
      oidc_unavailable: 'Inloggningstjänsten svarar inte just nu. Försök igen om en stund.',
      oidc_off: 'Inloggning med e-legitimation finns inte här. Logga in med användarnamn och lösenord.',
      invalid_ticket: 'Inloggningen hann gå ut eller är redan använd. Försök igen.',
    },
  },
  retryIn: (ms) => {
    const [n, one, many] = ms < 60_000 ? [Math.ceil(ms / 1000), 'sekund', 'sekunder'] : [Math.ceil(ms / 60_000), 'minut', 'minuter'];
    return `Du kan försöka igen om ${n} ${n === 1 ? one : many}.`;
  },
};

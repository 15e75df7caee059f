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
  },
  retryIn: (ms) => {
    const [n, one, many] = ms < 60_000 ? [Math.ceil(ms / 1000), 'sekund', 'sekunder'] : [Math.ceil(ms / 60_000), 'minut', 'minuter'];
    return `Du kan försöka igen om ${n} ${n === 1 ? one : many}.`;
  },
};

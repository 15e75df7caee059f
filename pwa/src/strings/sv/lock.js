// The lock: choosing the PIN after the first login, unlocking, and what the login screen says
// after the lock deleted the phone's data or asks for an online login.
const changes = (n) => (n === 1 ? '1 ändring' : `${n} ändringar`);

export default {
  chooseTitle: 'Välj en PIN-kod',
  chooseIntro: (min, max) =>
    `Med den låser du upp Fältstöd, även utan nät. Uppgifterna på telefonen krypteras med den. ${min}–${max} siffror, inte samma siffra eller en nummerföljd.`,
  newPin: 'Ny PIN-kod',
  again: 'Upprepa PIN-koden',
  save: 'Spara PIN-koden',
  pinLength: (min, max) => `PIN-koden ska vara ${min}–${max} siffror.`,
  pinSimple: 'PIN-koden är för lätt att gissa.',
  mismatch: 'PIN-koderna är inte lika.',
  renewTitle: 'Välj en ny PIN-kod',
  renewIntro: (min, max) =>
    `Kommunen kräver nu en längre PIN-kod: ${min}–${max} siffror, inte samma siffra eller en nummerföljd. Uppgifterna på telefonen finns kvar.`,

  lockedTitle: 'Fältstöd är låst',
  pin: 'PIN-kod',
  unlock: 'Lås upp',
  wrong: (left) => `Fel PIN-kod. ${left} försök kvar, sedan raderas uppgifterna på telefonen.`,
  wait: (s) => `Vänta ${s < 60 ? `${s} s` : `${Math.ceil(s / 60)} min`} innan du försöker igen.`,
  forgot: 'Glömt PIN-koden?',
  forgotConfirm: (n) =>
    'Utan PIN-koden går uppgifterna inte att läsa. De raderas och du loggar in på nytt' +
    (n > 0 ? ` (${changes(n)} som inte skickats går förlorade).` : '.'),
  forgotDo: 'Radera och logga in',

  wiped: (n) => `För många fel PIN-koder. Allt på telefonen har raderats${n > 0 ? ` (${changes(n)} hann inte skickas)` : ''}. Logga in igen.`,
  forgotten: 'Uppgifterna på telefonen har raderats. Logga in igen.',
  offlineTooLong: (days) => `Telefonen har inte varit ansluten på ${days} dagar. Logga in med nät för att fortsätta. Inget försvinner.`,
};

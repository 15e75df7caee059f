// The offer to unlock with the fingerprint or face instead of the PIN (ui/parts/PasskeyOffer.jsx),
// after the PIN is chosen and on the account screen, and the lock screen once it is set up.
// Loaded with them, not with the app.
const changes = (n) => (n === 1 ? '1 ändring' : `${n} ändringar`);

export default {
  // The lock screen of a phone whose passkey replaced the PIN (screens/lock/Unlock.jsx).
  lock: {
    intro: 'Använd telefonens fingeravtryck, ansikte eller skärmlås.',
    submit: 'Lås upp med fingeravtryck eller ansikte',
    refused: 'Telefonen kunde inte bekräfta att det är du. Försök igen.',
    wrong: (left) => `Nyckeln öppnade inte uppgifterna. ${left} försök kvar, sedan raderas uppgifterna på telefonen.`,
    lost: 'Går det inte att låsa upp?',
    lostConfirm: (n) =>
      'Utan fingeravtrycket, ansiktet eller skärmlåset går uppgifterna inte att läsa. De raderas och du loggar in på nytt med lösenord' +
      (n > 0 ? ` (${changes(n)} som inte skickats går förlorade).` : '.'),
  },

  offerTitle: 'Lås upp med fingeravtryck eller ansikte?',
  offerIntro:
    'Då låser du upp Fältstöd som du låser upp telefonen, och PIN-koden slutar gälla. Uppgifterna krypteras med en nyckel som bara telefonen lämnar ut, efter fingeravtryck, ansikte eller skärmlås: den går inte att gissa.',
  offerDo: 'Lås upp med fingeravtryck eller ansikte',
  offerLater: 'Inte nu',
  continue: 'Fortsätt',
  confirmPin: 'Din PIN-kod',
  cancelled: 'Inget ändrades. Du kan försöka igen.',
  unsupported: 'Telefonen kan inte låsa upp Fältstöd med fingeravtryck eller ansikte. Du fortsätter med PIN-koden.',
  on: 'Fältstöd låses upp med fingeravtryck eller ansikte. Försvinner nyckeln från telefonen går uppgifterna bara att radera, och du loggar in igen med lösenord.',
  title: 'Upplåsning',
};

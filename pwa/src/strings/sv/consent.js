// Consents (samtycken): the client page's list, withdrawing one, and "Nytt samtycke".
import { CONSENT_STALE_MONTHS } from '../../data/contract.js';

export default {
  title: 'Samtycken',
  none: 'Inga samtycken registrerade. Utan samtycke får du inte dela uppgifter med någon.',
  newConsent: 'Nytt samtycke',
  signed: (day) => `Undertecknat ${day}`,
  until: (day) => `gäller till ${day}`,
  withdrawnOn: (day) => `Återkallat ${day}`,
  standing: {
    valid: 'Gäller',
    stale: `Äldre än ${CONSENT_STALE_MONTHS} månader`,
    withdrawn: 'Återkallat',
    expired: 'Har gått ut',
    pending: 'Gäller inte än',
  },
  staleHint: 'Be brukaren skriva under ett nytt innan du delar något.',
  withdraw: 'Återkalla',
  withdrawFor: (party) => `Återkalla samtycket för ${party}`,
  withdrawDay: 'Återkallat från och med',
  withdrawYes: 'Återkalla samtycket',
  withdrawn: 'Samtycket är återkallat.',
  // Nytt samtycke.
  party: 'Vem får uppgifter delas med?',
  partyHint: 'Skriv mottagaren som den heter, till exempel Psykiatrin Södermalm eller Kronofogden.',
  signedOn: 'Undertecknat',
  validUntil: 'Giltigt till (frivillig)',
  note: 'Anteckning (frivillig)',
  save: 'Spara samtycket',
  required: 'Skriv vem samtycket gäller och när det skrevs under.',
};

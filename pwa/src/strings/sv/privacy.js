// A protected identity's details shown on demand (the client page), and the phone's data
// budget (the notice above every screen).
const n = (x) => x.toLocaleString('sv-SE');

export default {
  protectedHidden: 'Skyddad identitet: var brukaren finns, telefon och kontaktuppgifter visas bara när du ber om det. Det loggas.',
  show: 'Visa uppgifter',
  notForSupervisor: 'Skyddad identitet: uppgifterna visas bara för den som arbetar med brukaren.',
  showFailed: 'Uppgifterna kunde inte visas.',
  overBudget: ({ records, bytes_used: bytes, budget }) =>
    `Telefonen har mer data än den ska: ${n(records)} poster` +
    (bytes ? ` och ${n(Math.ceil(bytes / 1048576))} MB` : '') +
    (budget ? ` (högst ${n(budget.records)} poster och ${n(budget.megabytes)} MB).` : '.') +
    ' Be din arbetsledare se över vilka brukare du har.',
};

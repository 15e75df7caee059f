// Ändra uppgifter: a client's whereabouts and contact details, edited on the phone.
export default {
  title: 'Ändra uppgifter',
  whereabouts: 'Var brukaren finns',
  whereaboutsHint: 'Till exempel härbärget, en sovplats eller var hen brukar vara vilka dagar.',
  phone: 'Telefon',
  phoneHint: 'Lämna tomt om brukaren inte har någon telefon just nu.',
  contactNotes: 'Kontakter och övrigt',
  save: 'Spara uppgifterna',
  edit: 'Ändra uppgifter',
};

export default {
  title: 'Planera besök',
  date: 'Datum',
  startsAt: 'Starttid',
  endsAt: 'Sluttid (frivillig)',
  place: 'Plats (frivillig)',
  save: 'Spara besöket',
  required: 'Välj datum och starttid.',
  endBeforeStart: 'Sluttiden är före starttiden.',
};

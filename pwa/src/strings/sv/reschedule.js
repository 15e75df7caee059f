// Flytta besöket: a planned visit moved to another day, time or place.
export default {
  title: 'Flytta besöket',
  link: 'Flytta besöket',
  date: 'Nytt datum',
  startsAt: 'Ny starttid',
  endsAt: 'Sluttid (frivillig)',
  place: 'Plats (frivillig)',
  save: 'Spara ny tid',
  required: 'Välj datum och starttid.',
  endBeforeStart: 'Sluttiden är före starttiden.',
  was: (when) => `Planerat ${when}`,
};

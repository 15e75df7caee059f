// The prompt shown when a new version of the app is installed and waiting.
export default {
  title: 'Ny version finns',
  ready: 'Uppdatera när det passar. Appen laddas om.',
  sendFirst: (n) =>
    n === 1
      ? '1 ändring måste skickas först. Uppdatera när du har nät och allt är synkat.'
      : `${n} ändringar måste skickas först. Uppdatera när du har nät och allt är synkat.`,
  update: 'Uppdatera',
  updating: 'Uppdaterar…',
  later: 'Senare',
  activatedElsewhere: 'En ny version startades i en annan flik. Ladda om när allt är synkat.',
  reload: 'Ladda om',
  requiredTitle: 'Appen behöver uppdateras',
  required: 'Servern kräver en nyare version av appen. Den hämtas när du har nät.',
  check: 'Hämta ny version',
};

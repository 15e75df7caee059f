// The notice shown in Safari when the app is not on the home screen.
export default {
  title: 'Lägg till Fältstöd på hemskärmen',
  why:
    'Safari raderar sparade uppgifter för webbplatser som inte har använts på 7 dagar. ' +
    'Då kan ändringar som inte hunnit skickas försvinna. Som app på hemskärmen behåller ' +
    'telefonen dina uppgifter.',
  background: 'Safari skickar inte ändringar i bakgrunden: öppna appen när du har nät.',
  how: 'Tryck på Dela-knappen och välj ”Lägg till på hemskärmen”.',
  dismiss: 'Stäng',
};

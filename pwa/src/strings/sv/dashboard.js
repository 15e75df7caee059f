// The sync dashboard: each worker's phones, their alerts worded with what to do, revoking a
// lost phone and retiring a replaced one.
const changes = (n) => (n === 1 ? '1 ändring' : `${n} ändringar`);
/** "Annas", "Lars" (a name ending in s, x or z takes no further s). */
export const genitive = (name) => (/[sxz]$/i.test(name) ? name : `${name}s`);

export default {
  title: 'Synk och telefoner',
  alerts: 'Behöver åtgärd',
  noAlerts: 'Alla telefoner i teamet synkar som de ska.',
  devices: 'Telefoner',
  parked: (n) => (n === 1 ? '1 ändring väntar på beslut' : `${n} ändringar väntar på beslut`),
  toParked: 'Till parkerade ändringar',
  ago: (hours) => (hours < 1 ? 'nyss' : hours < 72 ? `för ${hours} h sedan` : `för ${Math.floor(hours / 24)} dagar sedan`),
  duration: (hours) => (hours < 72 ? `${hours} timmar` : `${Math.floor(hours / 24)} dagar`),
  never: 'aldrig',
  // Each alert code (supervision.md) as what is wrong and what to do about it.
  alert: {
    unsent_over_24h: (first, n, span) => `Ring ${first}: ${changes(n)} har inte skickats på ${span}`,
    silent_24h: (first, span) => `${genitive(first)} telefon har inte hört av sig på ${span}`,
    clock_skew: (first, minutes, ahead) => `Klockan i ${genitive(first)} telefon går ${minutes} minuter ${ahead ? 'före' : 'efter'}`,
    old_app: (first, version) => `${genitive(first)} telefon har en gammal version av appen (${version || 'okänd'})`,
    seq_gap: (first) => `En ändring från ${genitive(first)} telefon har kommit bort på vägen`,
    over_budget: (first, records) => `${genitive(first)} telefon har för mycket data (${records ?? '?'} poster)`,
  },
  todo: {
    unsent_over_24h: (first) => `Be ${first} öppna appen där det finns nät och trycka Synka nu. Är telefonen borttappad: spärra den.`,
    silent_24h: (first) => `Ring ${first} och be om att appen öppnas där det finns nät. Är telefonen borttappad: spärra den.`,
    clock_skew: (first) => `Be ${first} slå på automatisk tid i telefonens inställningar. Tider som registreras blir annars fel.`,
    old_app: (first) => `Be ${first} synka och sedan trycka Uppdatera när appen frågar.`,
    seq_gap: (first) => `Fråga ${first} vad som registrerades senast och kontrollera att det finns med.`,
    over_budget: (first) => `Se över ${genitive(first)} brukare: en borttappad telefon ska inte bära mer än arbetet kräver.`,
  },
  unknownAlert: (first) => `Något är fel med ${genitive(first)} telefon`,
  unknownTodo: 'Kontakta driften om det inte går över.',
  status: { active: 'I bruk', logged_out: 'Utloggad', retired: 'Ersatt', revoked: 'Spärrad' },
  push: { ok: 'Push fungerar', none: 'Ingen push', failing: 'Push misslyckas', off: 'Push avstängd' },
  columns: {
    worker: 'Medarbetare',
    device: 'Telefon',
    status: 'Status',
    contact: 'Senast kontakt',
    unsent: 'Ej skickade',
    version: 'Appversion',
    push: 'Push',
    problems: 'Problem',
  },
  noProblems: 'Inga',
  thisDevice: 'den här enheten',
  ageChart: 'Timmar sedan telefonen senast synkade',
  ageLine: 'Strecket: 24 timmar. Efter det larmar översikten.',
  ageText: (hours) => (hours == null ? 'aldrig synkad' : `${hours} h`),
  revoke: 'Spärra (borttappad)',
  retire: 'Ersätt (ny telefon)',
  revokeConfirm: (device, first, unsent) =>
    `Spärra ${device}? Allt i appen på telefonen raderas nästa gång den får kontakt, och ${first} kan inte längre använda den.` +
    (unsent > 0 ? ` Vid senaste kontakten hade den ${changes(unsent)} som inte skickats: de går förlorade.` : ''),
  revokeYes: 'Ja, spärra telefonen',
  retireConfirm: (device) =>
    `Ersätta ${device}? Telefonen får skicka det som inte har skickats en tid till, sedan raderas allt i appen på den.`,
  retireYes: 'Ja, telefonen är ersatt',
  // `lost`: the outbox size the phone last reported (null: it never pushed).
  revoked: (device, lost) =>
    lost == null
      ? `${device} är spärrad. Telefonen hade aldrig skickat något till servern.`
      : lost === 0
        ? `${device} är spärrad. Vid senaste kontakten hade den inga ändringar som inte skickats.`
        : `${device} är spärrad. Vid senaste kontakten hade den ${changes(lost)} som inte skickats: de gick förlorade.`,
  retired: (device, until) =>
    `${device} är ersatt. Det som inte har skickats kommer fortfarande fram${until ? ` (till och med ${until})` : ''}.`,
  offlineActions: 'Att spärra eller ersätta en telefon kräver anslutning till servern.',
  generated: (when) => `Serverns läge ${when}`,
};

// The workload dashboard: caseloads against the caps, each client's month (hours against
// granted, visits, cancellations by reason, goals due for follow-up), the once-a-month
// pattern, work without a valid consent, days since last met.
export default {
  title: 'Arbetsbelastning',
  month: 'Månad',
  totals: 'Teamet',
  totalCaseload: (n, cap) => `${n} brukare av ${cap} platser`,
  overCap: (n) => (n === 1 ? '1 medarbetare över taket' : `${n} medarbetare över taket`),
  noneOverCap: 'Ingen över taket',
  totalHours: (delivered, granted) => `${delivered} av ${granted} beviljade timmar utförda`,
  totalVisits: (planned, done, cancelled) => `${done} genomförda besök, ${planned} planerade kvar, ${cancelled} avbokade`,
  totalFollowups: (due, overdue) => `${due === 1 ? '1 mål' : `${due} mål`} att följa upp${overdue ? `, varav ${overdue} försenade` : ''}`,
  flaggedConsent: (n) => (n === 1 ? '1 brukare med kontakter utan giltigt samtycke' : `${n} brukare med kontakter utan giltigt samtycke`),
  flaggedLate: (n) => (n === 1 ? '1 brukare avbokar ofta i sista stund' : `${n} brukare avbokar ofta i sista stund`),
  flaggedPlan: (n) => (n === 1 ? '1 plan skiljer sig från beställningen' : `${n} planer skiljer sig från beställningen`),
  workers: 'Medarbetare mot taket',
  hoursChart: 'Utförda timmar mot beviljade',
  hoursText: (delivered, granted, band) => `${delivered} av ${granted} h${band ? ` (${band} h)` : ''}`,
  hoursOver: 'över',
  hoursNone: 'Inga brukare med beviljade timmar den här månaden.',
  hoursHint: 'Stapeln är utförda timmar; den ljusa delen bakom är de beviljade.',
  clients: 'Brukare',
  columns: {
    client: 'Brukare',
    worker: 'Medarbetare',
    band: 'Timintervall',
    granted: 'Beviljat (h)',
    delivered: 'Utfört (h)',
    planned: 'Planerade',
    done: 'Genomförda',
    client_cancelled: 'Avbokat av brukaren',
    client_late_cancel: 'Sen avbokning',
    no_show: 'Uteblev',
    staff_cancelled: 'Avbokat av personal',
    late90: 'Sena/uteblivna 90 dagar',
    lastMet: 'Dagar sedan träffad',
    followups: 'Mål att följa upp',
  },
  followupsCell: (due, overdue) => `${due} (${overdue} försenade)`,
  never: 'aldrig',
  patterns: 'Att följa upp',
  latePattern: (name, n) => `${name}: ${n} sena avbokningar eller uteblivna besök på 90 dagar. Stödet blir i praktiken kanske en gång i månaden: ta upp det med beställaren.`,
  followupPattern: (name, n) => `${name}: ${n === 1 ? 'ett mål' : `${n} mål`} i beställningen har inte följts upp, mer än 30 dagar efter att det skulle.`,
  consentPattern: (name, parties) => `${name}: kontakt med ${parties.length ? parties.join(', ') : 'en part'} utan giltigt samtycke (eller med ett gammalt).`,
  planPattern: (name, untold, dialogue) => {
    const said = `${name}: genomförandeplanen skiljer sig från beställningen.`;
    if (untold) return `${said} Beställaren har inte fått något meddelande om planen som den är nu.`;
    const outcome = { accepted: 'godtar planen', order_changes: 'ändrar beställningen', plan_changes: 'vill att planen ändras' }[dialogue?.last_outcome];
    return `${said} Meddelat beställaren ${dialogue?.last_notice_on ?? ''}${outcome ? `; beställaren ${outcome}` : ', inget svar ännu'}.`;
  },
  longAgo: (name, days) => `${name}: inte träffad på ${days} dagar.`,
  neverMet: (name) => `${name}: inte träffad ännu.`,
  noPatterns: 'Inget att följa upp just nu.',
  noWorker: 'Ingen',
  report: 'Månadsrapport',
};

/**
 * The contract the phone shares with the server (../contract, README there): the mutation
 * catalogue and the reminder rules, read as data instead of copied by hand. Everything the
 * phone needs of it is named here; the rest of the app imports these names, never the JSON.
 * Rules both sides compute (due times, wording, ids, digest, scope, what an edit writes) are
 * pinned by the contract's golden vectors (test/contract.test.js). `@contract` is the
 * contract folder beside pwa/ (scripts/project.mjs finds it for the build and the tests).
 */
import catalogue from '@contract/mutations.json';
import reminders from '@contract/reminders.json';

/** Every mutation's spec by name: kind, record, record_id arg, args, writes, phone. */
export const MUTATION_SPECS = catalogue.mutations;

/** The spec of one argument of a mutation (throws for a name the catalogue does not have:
 * a typo here must fail at load, not send something the server refuses). */
function argSpec(mutation, arg) {
  const spec = MUTATION_SPECS[mutation]?.args?.[arg];
  if (!spec) throw new Error(`the contract has no argument ${mutation} ${arg}`);
  return spec;
}

export const CANCEL_REASONS = catalogue.enums.cancel_reason;
export const RESOLVE_ACTIONS = catalogue.enums.resolve_action;
export const SUPPORT_LEVELS = catalogue.enums.support_level;

// The casework of casework.md: a contact's channel, place and coordination actions, an
// appointment's kind and outcome.
export const CHANNELS = catalogue.enums.channel;
export const CONTACT_PLACE_TYPES = catalogue.enums.place_type;
export const CONTACT_ACTIONS = catalogue.enums.contact_action;
export const APPOINTMENT_KINDS = catalogue.enums.appointment_kind;
export const OUTCOMES = catalogue.enums.outcome;
/** A contact's minutes above this are a typo. */
export const MAX_CONTACT_MINUTES = catalogue.limits.contact_minutes_max;
/** A consent signed longer ago than this many months is stale (the server's default of its
 * setting FALTSTOD_CONSENT_STALE_MONTHS). */
export const CONSENT_STALE_MONTHS = catalogue.consents.stale_months;
/** When a goal is due for follow-up (the server's default months of its setting
 * FALTSTOD_FOLLOWUP_MONTHS, the days to overdue) and the measures with their ranges. */
export const FOLLOWUP_RULE = catalogue.followups;
export const FOLLOWUP_RESULTS = catalogue.enums.followup_result;
/** The plan's dialogue with the orderer: notice, reply, note; a reply's outcome. */
export const DIALOGUE_KINDS = catalogue.enums.dialogue_kind;
export const DIALOGUE_OUTCOMES = catalogue.enums.dialogue_outcome;

/** The most records a pull page may hold: what the phone asks for. On 3G each page is a round
 * trip of 300 ms or more, so a first sync of 10,000 records takes 5 pages instead of the
 * server's default 20; compressed, a full page is about 170 KB. */
export const PULL_PAGE_MAX = catalogue.limits.pull_limit_max;
/** At most this many mutations in one push (the server refuses a larger request whole). */
export const MAX_MUTATIONS_PER_PUSH = catalogue.limits.mutations_per_push;
/** A visit's minutes above this are a typo. */
export const MAX_VISIT_MINUTES = catalogue.limits.visit_minutes_max;

// Text lengths the server accepts, for the forms' maxLength.
export const REMINDER_TEXT_MAX = argSpec('reminder.add', 'text').max;
export const NOTE_TEXT_MAX = argSpec('note.add', 'text').max;
export const VISIT_NOTE_MAX = argSpec('visit.complete', 'note').max;
export const PLACE_MAX = argSpec('visit.plan', 'place').max;
export const NOT_DONE_REASON_MAX = catalogue.objects.activity_check.not_done_reason.max;
export const WHEREABOUTS_MAX = argSpec('client.update', 'whereabouts').max;
export const CLIENT_PHONE_MAX = argSpec('client.update', 'phone').max;
export const CONTACT_NOTES_MAX = argSpec('client.update', 'contact_notes').max;
export const PARTY_MAX = argSpec('contact.log', 'party').max;
export const APPOINTMENT_WITH_MAX = argSpec('appointment.add', 'with').max;
export const PARTICIPANTS_MAX = argSpec('appointment.add', 'participants').max;
export const PARTICIPANT_ROLE_MAX = catalogue.objects.participant.role.max;
// A plan activity's fields as plan.update sends them (lengths, the minutes a month).
export const PLAN_ACTIVITY = catalogue.objects.plan_activity;
export const PARTICIPANT_ORG_MAX = catalogue.objects.participant.org.max;

/** The service each field role carries out (a client may be given to a worker of its
 * service only). */
export const ROLE_SERVICES = catalogue.role_services;

/** The scope each record type lives in on the server: 'client', 'worker' or 'parked'. */
export const RECORD_SCOPES = Object.fromEntries(
  Object.entries(catalogue.records).map(([type, { scope }]) => [type, scope]),
);

/** The note a visit mutation's `note` becomes: UUID v5 of this name in this namespace. */
export const NOTE_ID_NAME = catalogue.note_ids.name;
export const NOTE_ID_NAMESPACE = catalogue.note_ids.namespace;

const { defaults, minutes_before_range: range, working_hours: hours } = reminders.preferences;

/** What the server answers before a worker has chosen any reminder settings. */
export const DEFAULT_PREFERENCES = Object.freeze({ ...defaults, working_hours: Object.freeze({ ...hours }) });
/** The users' zone, in which the server asks calendar questions by default (its setting
 * FALTSTOD_TIMEZONE); the phone asks its own ("today", "this month") in the same. */
export const USERS_ZONE = hours.timezone;
/** [least, most] minutes_before the server accepts. */
export const MINUTES_BEFORE_RANGE = Object.freeze([...range]);

/** How long after its time a personal reminder is still worth showing. */
export const PERSONAL_USEFUL_FOR_MS = reminders.personal_useful_for_minutes * 60_000;

/** The lock screen's words: templates with {when}, {clock}, {weekday}, {day}, {month};
 * weekdays Monday first; the separator between a body's parts. */
export const LOCK_SCREEN = reminders.lock_screen;
/** A place typed by the worker, lower-cased and trimmed → the kind a lock screen may name. */
export const PLACE_TYPES = reminders.lock_screen.place_types;

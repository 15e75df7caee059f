// The decisions behind a parked item's card (ParkedItem.jsx), pure: how a field's value
// reads, what the worker's side of a conflict is, which fields can be corrected here, and
// how a correction's form text becomes an argument again.
import { writesOf } from '../../data/effects.js';
import common from '../../strings/sv/common.js';
import t from '../../strings/sv/attention.js';
import { formatDate, formatTime, fromLocal, toLocal } from '../time.js';

export const TIME_FIELDS = ['starts_at', 'ends_at', 'started_at', 'ended_at', 'remind_at', 'until'];
const SHOWN_AS_TIME = [...TIME_FIELDS, 'cancelled_at'];
const TEXT_FIELDS = ['place', 'whereabouts', 'phone'];
export const LONG_TEXT_FIELDS = ['note', 'text', 'contact_notes'];
const EDITABLE = [...TIME_FIELDS, 'minutes', 'reason', ...TEXT_FIELDS, ...LONG_TEXT_FIELDS];

export function formatValue(field, value) {
  if (value === null || value === undefined || value === '') return '–';
  if (SHOWN_AS_TIME.includes(field)) return `${formatDate(value)} ${formatTime(value)}`;
  if (field === 'reason' || field === 'cancel_reason') return common.cancelReasons[value] || value;
  if (field === 'minutes') return common.minutes(value);
  if (field === 'status') return common.visitStatus[value] || value;
  if (field === 'activities' && Array.isArray(value)) return t.activitiesCount(value.length);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The value the parked mutation would have written to `field`: what its edit writes (the
 * same rule as its local effect, data/effects.js), else the argument of that name. */
export function mineValue(parked, field) {
  const mutation = parked.mutation || {};
  const writes = writesOf(mutation);
  if (writes && field in writes) return writes[field];
  return (mutation.args || {})[field];
}

/** The fields of a parked mutation a worker can correct here, the ones the server named first. */
export function editableFields(parked) {
  const args = parked.mutation?.args || {};
  const named = (parked.fields || []).filter((f) => EDITABLE.includes(f));
  if (named.length) return named;
  return EDITABLE.filter((f) => f in args);
}

/** A field's value as the correction form's text. */
export function toInput(field, value) {
  if (value === null || value === undefined) return '';
  if (TIME_FIELDS.includes(field)) {
    const { date, time } = toLocal(value);
    return `${date}T${time}`;
  }
  return String(value);
}

/** The correction form's text as the field's value. */
export function fromInput(field, text) {
  if (TIME_FIELDS.includes(field)) {
    const [date, time] = (text || '').split('T');
    return date && time ? fromLocal(date, time) : null;
  }
  if (field === 'minutes') return text === '' ? null : Number(text);
  return text;
}

// What a field error's (English) message means, by its wording in marshmallow and the
// server's judge; the card shows the Swedish word for it, never the message.
const FIELD_PROBLEMS = [
  [/missing|required/i, 'missing'],
  [/one of/i, 'choice'],
  [/longer|shorter|length/i, 'length'],
  [/greater|less than|between|range/i, 'range'],
  [/changed on the server/i, 'changed'],
  [/not a valid|invalid/i, 'invalid'],
];

/** A field error as Swedish text: "Avbokning: inte ett av de tillåtna värdena". */
export function fieldProblem(field, messages) {
  const text = [].concat(messages).join(' ');
  const kind = FIELD_PROBLEMS.find(([pattern]) => pattern.test(text))?.[1] ?? 'other';
  return t.fieldProblem(t.fields[field] || field, t.fieldProblems[kind]);
}

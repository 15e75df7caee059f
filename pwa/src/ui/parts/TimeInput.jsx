// A 24-hour time field. A native <input type="time"> follows the phone's language, so a
// phone set to English would ask for AM/PM; this field always takes and shows 24-hour
// times: "930", "9.30", "09:30" all become 09:30 when the field is left.
import { useEffect, useRef, useState } from 'preact/hooks';

/** "HH:MM" of what was typed, or null when it is not a time of day. */
export function parseTime(text) {
  const match = /^\s*(\d{1,2})(?:[:.,\s]?(\d{2}))?\s*$/.exec(text || '');
  if (!match) return null;
  let [, hours, minutes = '00'] = match;
  if (!match[2] && hours.length > 2) return null;
  const h = Number(hours), m = Number(minutes);
  if (h > 23 || m > 59) return null;
  return `${String(h).padStart(2, '0')}:${minutes}`;
}

function digitsToTime(text) {
  // "930" and "0930" (no separator) read as hours and minutes.
  const digits = /^\s*(\d{3,4})\s*$/.exec(text || '');
  if (!digits) return parseTime(text);
  const d = digits[1].padStart(4, '0');
  return parseTime(`${d.slice(0, 2)}:${d.slice(2)}`);
}

/** `value` and `onChange` carry "HH:MM" (or '' when cleared); invalid text shows an error. */
export function TimeInput({ id, value, onChange, invalidText, describedBy, required, label }) {
  const [text, setText] = useState(value || '');
  const [invalid, setInvalid] = useState(false);
  // A new value from outside replaces what is shown; the first run of the effect is no new
  // value, so what was typed before it ran (a fast hand, a slow phone) is kept.
  const shown = useRef(value);
  useEffect(() => {
    if (shown.current === value) return;
    shown.current = value;
    setText(value || '');
    setInvalid(false);
  }, [value]);

  const commit = (raw) => {
    if (!raw.trim()) {
      setInvalid(false);
      if (value) onChange('');
      return;
    }
    const time = digitsToTime(raw);
    setInvalid(!time);
    if (time) {
      setText(time);
      if (time !== value) onChange(time);
    }
  };

  const errorId = `${id}-error`;
  return (
    <>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autocomplete="off"
        placeholder="tt:mm"
        aria-label={label}
        maxLength={5}
        value={text}
        required={required}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={[describedBy, invalid && errorId].filter(Boolean).join(' ') || undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          const time = parseTime(e.currentTarget.value);
          if (time && /^\d{1,2}[:.]\d{2}$/.test(e.currentTarget.value.trim())) commit(e.currentTarget.value);
        }}
        onBlur={(e) => commit(e.currentTarget.value)}
      />
      {invalid && (
        <p class="field-error" id={errorId}>
          {invalidText}
        </p>
      )}
    </>
  );
}

// A group of tiles to tap (one-handed): radio buttons (one of them) or checkboxes (any of
// them), each a real input inside its label, in a fieldset named by its <legend>, so
// `fieldset` + `get_by_label("Telefon")` picks one in a test and a screen reader hears the
// group's name. `options` is [[code, label]].

export function Choices({ legend, name, options, value, onChange, multiple = false, hint }) {
  const chosen = (code) => (multiple ? (value || []).includes(code) : value === code);
  const toggle = (code) => {
    if (!multiple) return onChange(code);
    const list = value || [];
    return onChange(list.includes(code) ? list.filter((c) => c !== code) : [...list, code]);
  };
  return (
    <fieldset class="reasons">
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      <div class="choices">
        {options.map(([code, label]) => (
          <label class="choice" key={code}>
            <input type={multiple ? 'checkbox' : 'radio'} name={name} value={code} checked={chosen(code)} onChange={() => toggle(code)} />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

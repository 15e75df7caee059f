// The lock's screens (choosing the PIN, unlocking): their frame, and a PIN input (digits on
// the phone's number pad, never shown, never remembered by the browser).
import { PIN_MAX } from '../../data/vault.js';
import common from '../../strings/sv/common.js';

export function LockFrame({ title, intro, onSubmit, problem, busy, submit, children, after }) {
  return (
    <main class="login" id="main">
      <p class="login-app">{common.appName}</p>
      <h1>{title}</h1>
      {intro && <p class="hint">{intro}</p>}
      <form onSubmit={onSubmit} noValidate>
        {children}
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="button primary block" disabled={busy}>
          {submit}
        </button>
      </form>
      {after}
    </main>
  );
}

export function PinField({ id, label, value, onInput }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="password" inputmode="numeric" maxLength={PIN_MAX} autocomplete="off" value={value} onInput={(e) => onInput(e.currentTarget.value)} />
    </div>
  );
}

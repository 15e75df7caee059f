// The offer to unlock with the fingerprint or face instead of the PIN (data/passkey.js,
// docs/phone-security.md): right after the PIN is chosen (`PasskeyStep`, the PIN just typed
// opens the key again) and on the account screen (`PasskeySetting`, which asks for the PIN).
// Offered only where the phone has a platform authenticator that verifies its user; whether
// it has PRF can only be learnt by making the passkey, and a phone without says so once and
// is not offered it again. Also the lock screen's unlock once it is set (`passkeyLock`).
// Loaded when wanted, never with the field worker's app.
import { useEffect, useState } from 'preact/hooks';
import { passkeyOffered, setUpPasskey, unlockWithPasskey } from '../../data/passkey.js';
import { unlockMethod } from '../../data/vault.js';
import common from '../../strings/sv/common.js';
import p from '../../strings/sv/passkey.js';
import t from '../../strings/sv/lock.js';
import { LockFrame, PinField } from './PinField.jsx';

/** The lock screen's unlock on a phone whose passkey replaced the PIN, and its words. */
export const passkeyLock = { unlock: () => unlockWithPasskey(), text: p.lock };

/** What a try to set the passkey up says ({done} when it is set). */
function said(answer) {
  if (answer.ok) return { done: true };
  if (answer.unsupported) return { text: p.unsupported, gone: true };
  if (answer.cancelled) return { text: p.cancelled };
  if (answer.early) return { text: null };
  return { text: t.wrong(answer.left) };
}

function useSetUp(pin) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState(null);
  async function run() {
    setBusy(true);
    setOutcome(null);
    try {
      const answer = await setUpPasskey(pin);
      // Too many wrong PINs: the data is gone; the app starts again at the login.
      if (answer.wiped) return location.reload();
      setOutcome(said(answer));
    } catch (error) {
      console.error(error);
      setOutcome({ text: common.saveFailed });
    }
    setBusy(false);
  }
  return { busy, outcome, run };
}

/** After the PIN: offered where it can be, else straight on (`onDone`). */
export function PasskeyStep({ pin, onDone }) {
  const [offered, setOffered] = useState(null);
  const { busy, outcome, run } = useSetUp(pin);
  useEffect(() => {
    passkeyOffered().then((yes) => (yes ? setOffered(true) : onDone()));
  }, []);
  useEffect(() => {
    if (outcome?.done) onDone();
  }, [outcome]);
  if (!offered) return <p class="boot">{common.loading}</p>;
  const gone = outcome?.gone;
  const later = (
    <button type="button" class="button ghost block" onClick={onDone}>
      {p.offerLater}
    </button>
  );
  return (
    <LockFrame
      title={p.offerTitle}
      intro={p.offerIntro}
      onSubmit={(event) => {
        event.preventDefault();
        if (gone) onDone();
        else run();
      }}
      problem={outcome?.text}
      busy={busy}
      submit={gone ? p.continue : p.offerDo}
      after={gone ? null : later}
    />
  );
}

/** The account screen's card: the offer with the PIN to confirm, or that the passkey is on. */
export function PasskeySetting() {
  const [state, setState] = useState(null); // 'offer', 'on', or null (nothing to show)
  const [pin, setPin] = useState('');
  const { busy, outcome, run } = useSetUp(pin);
  useEffect(() => {
    Promise.all([unlockMethod(), passkeyOffered()]).then(([method, offered]) =>
      setState(method === 'passkey' ? 'on' : offered ? 'offer' : null),
    );
  }, []);
  useEffect(() => {
    if (outcome?.done) setState('on');
    else if (outcome) setPin('');
  }, [outcome]);
  if (!state) return null;
  return (
    <section class="card" aria-labelledby="passkey-title" data-testid="passkey-setting">
      <h2 id="passkey-title">{p.title}</h2>
      {state === 'on' ? (
        <p>{p.on}</p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!outcome?.gone) run();
          }}
          noValidate
        >
          <p class="hint">{p.offerIntro}</p>
          {!outcome?.gone && <PinField id="passkey-pin" label={p.confirmPin} value={pin} onInput={setPin} />}
          {outcome?.text && (
            <p class="problem" role="alert">
              {outcome.text}
            </p>
          )}
          {!outcome?.gone && (
            <button type="submit" class="button secondary block" disabled={busy}>
              {p.offerDo}
            </button>
          )}
        </form>
      )}
    </section>
  );
}

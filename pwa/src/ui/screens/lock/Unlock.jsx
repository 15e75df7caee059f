// The locked app: the PIN, or the passkey's button where one replaced it, and nothing of the
// data (docs/phone-security.md). Wrong PINs are counted and delayed by vault.js; the screen
// says how long to wait and how many tries are left. A forgotten PIN or a lost passkey can
// only delete the data (nobody can read it without them). The passkey's code and words
// (WebAuthn, data/passkey.js, parts/PasskeyOffer.jsx) are loaded only on a phone that has one.
import { useEffect, useState } from 'preact/hooks';
import { pendingCount } from '../../../data/queries.js';
import { lockState, unlock, unlockMethod, wipeForPin } from '../../../data/vault.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/lock.js';
import { lockSettled } from '../../idle-lock.js';
import { LockFrame, PinField } from '../../parts/PinField.jsx';

/** `onUnlocked()`; `onWiped({lost, forgotten})`: the local data was deleted. */
export function Unlock({ onUnlocked, onWiped }) {
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState(null);
  const [retryAt, setRetryAt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [forgetting, setForgetting] = useState(null); // unsent changes, while asking
  // The passkey's unlock and words ({unlock, text}) on a phone whose passkey replaced the
  // PIN; null for the PIN; undefined until read.
  const [passkey, setPasskey] = useState(undefined);
  const [, tick] = useState(0);
  const wait = Math.ceil((retryAt - Date.now()) / 1000);
  const waitUntil = (at) => setRetryAt(at ? Date.parse(at) : 0);

  useEffect(() => {
    lockState().then((lock) => waitUntil(lock.retry_at), () => {});
    unlockMethod()
      .then((method) => (method === 'passkey' ? import('../../parts/PasskeyOffer.jsx').then((module) => module.passkeyLock) : null))
      .then((found) => setPasskey(() => found), (error) => {
        console.error(error);
        setPasskey(null);
      });
  }, []);
  // The wait counts down; the button works again when it is over.
  useEffect(() => {
    if (wait <= 0) return undefined;
    const timer = setTimeout(() => tick((n) => n + 1), 1000);
    return () => clearTimeout(timer);
  });

  const text = passkey?.text;
  async function submit(event) {
    event.preventDefault();
    if (busy || wait > 0) return;
    setBusy(true);
    setProblem(null);
    try {
      await lockSettled();
      const answer = passkey ? await passkey.unlock() : await unlock(pin);
      if (answer.ok) return onUnlocked();
      if (answer.wiped) return onWiped(answer.wiped);
      setPin('');
      waitUntil(answer.retry_at);
      setProblem(answer.refused ? text.refused : answer.early ? null : (text ?? t).wrong(answer.left));
    } catch (error) {
      console.error(error);
      setProblem(common.loadFailed);
    }
    setBusy(false);
  }

  const forget = (
    <div class="confirm">
      {forgetting === null ? (
        <button type="button" class="button ghost block" onClick={() => pendingCount().then(setForgetting)}>
          {text ? text.lost : t.forgot}
        </button>
      ) : (
        <>
          <p class="warning">{(text ? text.lostConfirm : t.forgotConfirm)(forgetting)}</p>
          <button type="button" class="button danger block" onClick={async () => onWiped({ lost: await wipeForPin(), forgotten: true })}>
            {t.forgotDo}
          </button>
          <button type="button" class="button ghost block" onClick={() => setForgetting(null)}>
            {common.cancel}
          </button>
        </>
      )}
    </div>
  );

  if (passkey === undefined) return <p class="boot">{common.loading}</p>;
  return (
    <LockFrame
      title={t.lockedTitle}
      intro={text?.intro}
      onSubmit={submit}
      problem={wait > 0 ? t.wait(wait) : problem}
      busy={busy || wait > 0}
      submit={text ? text.submit : t.unlock}
      after={forget}
    >
      {!passkey && <PinField id="pin" label={t.pin} value={pin} onInput={setPin} />}
    </LockFrame>
  );
}

// The locked app: the PIN, and nothing of the data (docs/phone-security.md). Wrong PINs are
// counted and delayed by vault.js; the screen says how long to wait and how many tries are
// left. A forgotten PIN can only delete the data (nobody can read it without the PIN).
import { useEffect, useState } from 'preact/hooks';
import { pendingCount } from '../../../data/queries.js';
import { lockState, unlock, wipeForPin } from '../../../data/vault.js';
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
  const [, tick] = useState(0);
  const wait = Math.ceil((retryAt - Date.now()) / 1000);
  const waitUntil = (at) => setRetryAt(at ? Date.parse(at) : 0);

  useEffect(() => {
    lockState().then((lock) => waitUntil(lock.retry_at), () => {});
  }, []);
  // The wait counts down; the button works again when it is over.
  useEffect(() => {
    if (wait <= 0) return undefined;
    const timer = setTimeout(() => tick((n) => n + 1), 1000);
    return () => clearTimeout(timer);
  });

  async function submit(event) {
    event.preventDefault();
    if (busy || wait > 0) return;
    setBusy(true);
    try {
      await lockSettled();
      const answer = await unlock(pin);
      if (answer.ok) return onUnlocked();
      if (answer.wiped) return onWiped(answer.wiped);
      setPin('');
      waitUntil(answer.retry_at);
      setProblem(answer.early ? null : t.wrong(answer.left));
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
          {t.forgot}
        </button>
      ) : (
        <>
          <p class="warning">{t.forgotConfirm(forgetting)}</p>
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

  return (
    <LockFrame title={t.lockedTitle} onSubmit={submit} problem={wait > 0 ? t.wait(wait) : problem} busy={busy || wait > 0} submit={t.unlock} after={forget}>
      <PinField id="pin" label={t.pin} value={pin} onInput={setPin} />
    </LockFrame>
  );
}

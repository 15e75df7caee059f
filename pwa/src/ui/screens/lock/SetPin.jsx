// Choosing the PIN, right after the first login on a phone (or on a phone whose data predates
// encryption, or at an unlock after the city asked for longer PINs): it wraps the data key
// (vault.js), so it is asked twice and checked first. A first PIN is followed by the offer
// of a passkey where the phone can have one (parts/PasskeyOffer.jsx).
import { useEffect, useState } from 'preact/hooks';
import { phoneSettings } from '../../../data/phone-settings.js';
import { PIN_MAX, pinProblem, renewingPin, setPin } from '../../../data/vault.js';
import common from '../../../strings/sv/common.js';
import t from '../../../strings/sv/lock.js';
import { PasskeyStep } from '../../parts/PasskeyOffer.jsx';
import { LockFrame, PinField } from '../../parts/PinField.jsx';

export function SetPin({ onDone }) {
  const [pin, setPinText] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const [renewing, setRenewing] = useState(false);
  const [chosen, setChosen] = useState(false);
  const min = phoneSettings().pin_min;
  useEffect(() => {
    renewingPin().then(setRenewing, () => {});
  }, []);

  async function submit(event) {
    event.preventDefault();
    const wrong = pinProblem(pin);
    if (wrong || pin !== again) return setProblem(wrong === 'simple' ? t.pinSimple : wrong ? t.pinLength(min, PIN_MAX) : t.mismatch);
    setBusy(true);
    try {
      await setPin(pin);
      if (renewing) onDone();
      else setChosen(true);
    } catch (error) {
      console.error(error);
      setProblem(common.saveFailed);
      setBusy(false);
    }
  }

  if (chosen) return <PasskeyStep pin={pin} onDone={onDone} />;
  return (
    <LockFrame title={renewing ? t.renewTitle : t.chooseTitle} intro={renewing ? t.renewIntro(min, PIN_MAX) : t.chooseIntro(min, PIN_MAX)} onSubmit={submit} problem={problem} busy={busy} submit={t.save}>
      <PinField id="new-pin" label={t.newPin} value={pin} onInput={setPinText} />
      <PinField id="new-pin-again" label={t.again} value={again} onInput={setAgain} />
    </LockFrame>
  );
}

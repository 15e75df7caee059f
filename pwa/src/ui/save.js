// Saving from a form: the one way a screen runs an action. While it runs the button is busy;
// on success the worker hears "Sparat på telefonen…" and moves on; on failure the reason
// (an ActionError code in Swedish) stays on the form and nothing is lost from it.
import { useState } from 'preact/hooks';
import { announceSaved, saveProblem } from './announce.js';

/** `words`: a screen's own Swedish for its ActionError codes ({code: text, failed: text}),
 * before the common ones (a screen loaded on demand keeps its words out of the app). */
export function useSave(words = null) {
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);

  /** Run `action`; after it succeeded, `done()` (e.g. navigate away). */
  async function run(action, done) {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      console.error(err);
      setProblem(words?.[err?.code] ?? (words?.failed && !err?.code ? words.failed : saveProblem(err)));
      setBusy(false);
      return;
    }
    announceSaved();
    done();
  }

  return { problem, setProblem, busy, run };
}

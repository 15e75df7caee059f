// A protected identity's whereabouts and contact details on the client page: hidden until the
// worker asks, and each showing recorded for the access log (data/protected.js). Until then
// `children` (the details) is not rendered at all.
import { useState } from 'preact/hooks';
import { mayShowProtected, showProtected } from '../../data/protected.js';
import t from '../../strings/sv/privacy.js';
import { useLive } from '../live.js';

export function ProtectedDetails({ client, children }) {
  const [shown, setShown] = useState(null);
  const [failed, setFailed] = useState(false);
  const { data: may } = useLive(mayShowProtected, []);
  if (!client.protected_identity) return children(client);
  if (shown) return children({ ...client, ...shown });
  if (may === false) return <p class="muted">{t.notForSupervisor}</p>;
  return (
    <>
      <p class="muted">{t.protectedHidden}</p>
      {failed && <p class="problem" role="alert">{t.showFailed}</p>}
      <button
        type="button"
        class="button small secondary"
        onClick={() => showProtected(client.id).then(setShown, (error) => (console.error(error), setFailed(true)))}
      >
        {t.show}
      </button>
    </>
  );
}

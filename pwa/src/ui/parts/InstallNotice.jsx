// In Safari outside the home screen, storage is evicted after 7 days without use and nothing
// syncs in the background: ask the worker to add the app to the home screen, and say why.
// Dismissed, it comes back after a while (the risk has not gone away).
import { useState } from 'preact/hooks';
import t from '../../strings/sv/install.js';

const DISMISSED_KEY = 'faltstod.installNoticeDismissedAt';
// Shown again this long after being dismissed: before Safari's 7-day eviction could bite.
const SHOW_AGAIN_MS = 3 * 24 * 60 * 60 * 1000;

export function isSafariInBrowser(nav = navigator, media = window.matchMedia?.bind(window)) {
  const ua = nav.userAgent || '';
  const safari = /Safari\//.test(ua) && !/Chrome|Chromium|CriOS|FxiOS|EdgiOS|EdgA|OPR|Android/.test(ua);
  const standalone = nav.standalone === true || Boolean(media && media('(display-mode: standalone)').matches);
  return (safari || nav.standalone === false) && !standalone;
}

function dismissedRecently() {
  const at = Number(localStorage.getItem(DISMISSED_KEY));
  return Boolean(at) && Date.now() - at < SHOW_AGAIN_MS;
}

export function InstallNotice() {
  const [show, setShow] = useState(() => isSafariInBrowser() && !dismissedRecently());
  if (!show) return null;
  const dismiss = () => {
    localStorage.setItem(DISMISSED_KEY, String(Date.now()));
    setShow(false);
  };
  return (
    <section class="banner install" data-testid="install-notice" aria-labelledby="install-title">
      <h2 id="install-title">{t.title}</h2>
      <p>{t.why}</p>
      <p>{t.background}</p>
      <p>
        <strong>{t.how}</strong>
      </p>
      <div class="banner-actions">
        <button type="button" class="button ghost" onClick={dismiss}>
          {t.dismiss}
        </button>
      </div>
    </section>
  );
}

// The frame of every screen: an optional back link, the heading (focused when the screen
// opens, so a screen reader starts there), the document title, the content, and the bottom
// action bar for the screen's primary actions (within reach of the thumb).
import { useEffect, useRef } from 'preact/hooks';
import common from '../../strings/sv/common.js';

// The first screen after the app starts keeps focus where the browser put it; every later one
// (a new route, the next step of a flow) moves focus to its heading.
let appJustStarted = true;

/** `wide`: a supervisor's screen, which uses a laptop's width (tables, side by side). */
export function Screen({ title, docTitle, subtitle, back, actions, children, headingExtra, wide = false }) {
  const heading = useRef(null);
  useEffect(() => {
    document.title = `${docTitle || title} – ${common.appName}`;
  }, [docTitle, title]);
  useEffect(() => {
    if (appJustStarted) appJustStarted = false;
    else heading.current?.focus();
  }, []);
  return (
    <div class={['screen', actions && 'has-actions', wide && 'wide'].filter(Boolean).join(' ')}>
      {back && (
        <a class="back" href={back}>
          <span aria-hidden="true">‹ </span>
          {common.back}
        </a>
      )}
      <div class="screen-head">
        <h1 tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {headingExtra}
      </div>
      {subtitle && <p class="subtitle">{subtitle}</p>}
      {children}
      {actions && <div class="action-bar">{actions}</div>}
    </div>
  );
}

export function Loading() {
  return (
    <p class="muted" role="status">
      {common.loading}
    </p>
  );
}

export function Problem({ children }) {
  return (
    <p class="problem" role="alert">
      {children}
    </p>
  );
}

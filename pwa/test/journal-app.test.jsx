// @vitest-environment happy-dom
// The journal in the whole app (casework.md, notes as a journal): from the client page to the
// client's journal, a correction saved on the phone, sent once, applied as a new version and
// pulled back, the earlier text still readable. The screen's own cases: journal.test.jsx.
import { afterEach, expect, it } from 'vitest';
import { WORKER, closeApp, follow, labelled, openApp } from './app.js';
import { clientData } from './fake-server.js';
import { click, fill, waitFor } from './screen.js';

afterEach(closeApp);

it('from the client page to the journal, a correction lands on the server and comes back as its version', async () => {
  const { server, view } = await openApp('#/client/c1', {
    user: WORKER,
    records: [
      ['client', 'c1', clientData({ name: 'Karin Ås' })],
      ['note', 'n1', { client_id: 'c1', visit_id: null, author_id: 'u1', text: 'Flyttat till Fristad.', written_at: '2026-11-20T09:00:00+01:00' }],
    ],
  });
  await waitFor(() => view.text().includes('Flyttat till Fristad.'), 'the note pulled');
  await follow(view, 'Visa journalen (1)');
  await waitFor(() => view.headings(1)[0] === 'Journal', 'the journal');
  const note = await waitFor(() => view.byTestId('note-n1'));
  await click([...note.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Rätta'));
  await fill(await waitFor(() => labelled(view, 'Rättad text')), 'Flyttat till Stadsmissionen, Fristad.');
  await click([...note.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Spara rättelse'));
  await waitFor(() => server.pushed.some((m) => m.name === 'note.correct'), 'sent');
  await waitFor(() => server.get('note', 'n1').data.versions?.length === 2, 'applied');
  await waitFor(() => view.byTestId('note-n1')?.querySelector('[data-testid="record-state"]') === null, 'confirmed');
  expect(view.byTestId('versions-n1').textContent).toContain('Flyttat till Fristad.');
  expect(view.byTestId('note-n1').textContent).toContain('Flyttat till Stadsmissionen, Fristad.');
});

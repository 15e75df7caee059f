// @vitest-environment happy-dom
// The client's journal (casework.md, "Notes as a journal"; data/journal.js,
// screens/journal/): a note is never erased; a correction (note.correct, an append) is a new
// version, shown at once and sent by the outbox, and every earlier version stays readable
// with who wrote it and when.
import { h } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// effects.js first: it is the module the app loads first, and the one that registers the
// journal's effect once wired.
import { MUTATIONS, replay } from '../src/data/effects.js';
import { MUTATION_SPECS } from '../src/data/contract.js';
import { outbox, records, setMeta } from '../src/data/db.js';
import { CORRECTION_TEXT_MAX, JOURNAL_EFFECTS, clientJournal, correctNote, noteCorrect } from '../src/data/journal.js';
import { serverRow } from '../src/data/records.js';
import { Journal } from '../src/ui/screens/journal/Journal.jsx';
import { formatDayShort, formatTime } from '../src/ui/time.js';
import { labelled } from './app.js';
import { click, fill, mount, unmountAll, waitFor } from './screen.js';

// Until effects.js registers JOURNAL_EFFECTS, the test registers it as effects.js registers
// every effect (kind, record and record id from the catalogue), so the action's transaction
// finds the mutation; once wired, this does nothing.
if (!MUTATIONS['note.correct']) {
  const spec = MUTATION_SPECS['note.correct'];
  MUTATIONS['note.correct'] = {
    kind: spec.kind, type: spec.record, record: (args) => [spec.record, args[spec.record_id]], effect: JOURNAL_EFFECTS['note.correct'],
  };
}

const ME = { id: 'a1b2c3d4-0000-4000-8000-00000000000a', name: 'Ada Lind', role: 'support_worker', team_id: 't1' };
const BO = 'a1b2c3d4-0000-4000-8000-00000000000b';
const CLIENT = '5b0e6f0a-1c2d-4e3f-8a4b-5c6d7e8f9a01';
const OTHER_CLIENT = '5b0e6f0a-1c2d-4e3f-8a4b-5c6d7e8f9a02';
const N1 = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d1';
const N2 = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d2';
const N3 = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d3';
const V2 = '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4e2';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const when = (iso) => `${formatDayShort(iso)} ${formatTime(iso)}`;

/** A note as the server gives it (load_notes): every version, the first included. */
function pulledNote(id, versions, overrides = {}) {
  const [first] = versions;
  return {
    id, client_id: CLIENT, visit_id: null, author_id: first.author_id, written_at: first.written_at,
    text: versions.at(-1).text, versions: versions.map((v, i) => ({ id: i === 0 ? id : v.id, ...v })), ...overrides,
  };
}

const written = { id: N1, author_id: ME.id, text: 'Karin har flyttat till Fristad.', written_at: '2026-11-20T09:00:00+01:00' };
const correction = (overrides = {}) => ({
  id: 'm1', name: 'note.correct', device_seq: 1, occurred_at: '2026-11-21T10:00:00+01:00',
  args: { id: V2, note_id: N1, text: 'Karin har flyttat till Stadsmissionen, Fristad.' }, ...overrides,
});

describe('the local effect of note.correct', () => {
  const key = `note:${N1}`;

  it('appends a version with who and when, and the note reads as the new text', () => {
    const view = { [key]: pulledNote(N1, [written]) };
    const after = noteCorrect(view, correction(), { userId: BO });
    expect(after[key].text).toBe('Karin har flyttat till Stadsmissionen, Fristad.');
    expect(after[key].versions).toEqual([
      { id: N1, author_id: ME.id, text: 'Karin har flyttat till Fristad.', written_at: '2026-11-20T09:00:00+01:00' },
      { id: V2, author_id: BO, text: 'Karin har flyttat till Stadsmissionen, Fristad.', written_at: '2026-11-21T10:00:00+01:00' },
    ]);
    expect(after[key].written_at).toBe('2026-11-20T09:00:00+01:00');
    expect(after[key].author_id).toBe(ME.id);
    expect(view[key].versions).toHaveLength(1);
  });

  it('gives a note without versions (made on the phone, or pulled before versions) its own text as the first', () => {
    const made = { id: N1, client_id: CLIENT, visit_id: null, author_id: ME.id, text: written.text, written_at: written.written_at };
    const after = noteCorrect({ [key]: made }, correction(), { userId: ME.id });
    expect(after[key].versions.map((v) => [v.id, v.author_id, v.text, v.written_at])).toEqual([
      [N1, ME.id, written.text, written.written_at],
      [V2, ME.id, 'Karin har flyttat till Stadsmissionen, Fristad.', '2026-11-21T10:00:00+01:00'],
    ]);
  });

  it('applied twice appends once, so a correction replayed over a server copy that has it is not doubled', () => {
    const once = noteCorrect({ [key]: pulledNote(N1, [written]) }, correction(), { userId: ME.id });
    expect(noteCorrect(once, correction(), { userId: ME.id })).toBe(once);
    const serverHasIt = pulledNote(N1, [written, { id: V2, author_id: ME.id, text: 'Rättad', written_at: '2026-11-21T10:00:00+01:00' }]);
    const replayed = replay({ [key]: serverHasIt }, [correction()], { userId: ME.id });
    expect(replayed[key].versions).toHaveLength(2);
    expect(replayed[key].text).toBe('Rättad');
  });

  it('two corrections land in the order they were made', () => {
    const second = correction({ id: 'm2', device_seq: 2, occurred_at: '2026-11-22T10:00:00+01:00', args: { id: N3, note_id: N1, text: 'Tredje' } });
    const after = replay({ [key]: pulledNote(N1, [written]) }, [second, correction()], { userId: ME.id });
    expect(after[key].versions.map((v) => v.id)).toEqual([N1, V2, N3]);
    expect(after[key].text).toBe('Tredje');
  });

  it('leaves a note the phone does not hold unheld', () => {
    const view = { [key]: null };
    expect(noteCorrect(view, correction(), { userId: ME.id })).toBe(view);
  });
});

describe('correcting a note (the action)', () => {
  beforeEach(async () => {
    await setMeta('user', ME);
    await records.bulkPut([
      serverRow('client', CLIENT, 1, { id: CLIENT, name: 'Karin Ås', service: 'housing_support', protected_identity: false }),
      serverRow('note', N1, 1, pulledNote(N1, [written])),
    ]);
  });

  it.each([
    ['no text', '', 'text_required'],
    ['only spaces', '   \n ', 'text_required'],
    ['a text longer than the catalogue allows', 'x'.repeat(CORRECTION_TEXT_MAX + 1), 'too_long'],
    ['the text it already has', `  ${written.text} `, 'unchanged'],
  ])('with %s is refused and nothing is queued', async (_, text, code) => {
    await expect(correctNote({ note_id: N1, text })).rejects.toMatchObject({ code });
    expect(await outbox.count()).toBe(0);
  });

  it('of a note not on the phone is refused', async () => {
    await expect(correctNote({ note_id: N2, text: 'Ny text' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await outbox.count()).toBe(0);
  });

  it('queues note.correct with the arguments the catalogue accepts, and the note has the version at once', async () => {
    expect(CORRECTION_TEXT_MAX).toBe(MUTATION_SPECS['note.correct'].args.text.max);
    const versionId = await correctNote({ note_id: N1, text: '  Karin bor på Fristad sedan i måndags.  ' });
    const [queued] = await outbox.inOrder();
    expect(queued.name).toBe('note.correct');
    expect(queued.args).toEqual({ id: versionId, note_id: N1, text: 'Karin bor på Fristad sedan i måndags.' });
    const specs = MUTATION_SPECS['note.correct'].args;
    expect(Object.keys(queued.args).sort()).toEqual(Object.keys(specs).sort());
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.type === 'uuid') expect(queued.args[name], name).toMatch(UUID);
      if (spec.type === 'text') expect([...queued.args[name]].length, name).toBeGreaterThanOrEqual(spec.min);
    }
    expect(queued.occurred_at).toMatch(TIME);
    // An append builds on nothing: no base to conflict with.
    expect(queued.base_version).toBeUndefined();
    expect(queued.base_mutation_id).toBeUndefined();
    expect(queued.keys).toEqual([`note:${N1}`]);
    const note = (await records.get(['note', N1])).data;
    expect(note.text).toBe('Karin bor på Fristad sedan i måndags.');
    expect(note.versions.at(-1)).toEqual({ id: versionId, author_id: ME.id, text: note.text, written_at: queued.occurred_at });
  });

  it('takes the most text the catalogue allows, counted in characters as the server counts them', async () => {
    await correctNote({ note_id: N1, text: '😀'.repeat(CORRECTION_TEXT_MAX) });
    expect(await outbox.count()).toBe(1);
  });
});

describe('the journal screen', () => {
  afterEach(unmountAll);

  // Ada's note, corrected by Bo; Bo's own older note; a note of another client.
  const adaCorrectedByBo = pulledNote(N1, [written, { id: V2, author_id: BO, text: 'Karin har flyttat till Stadsmissionen, Fristad.', written_at: '2026-11-22T14:30:00+01:00' }]);
  const bos = pulledNote(N2, [{ author_id: BO, text: 'Ringde hyresvärden om skulden.', written_at: '2026-11-18T11:15:00+01:00' }]);

  async function aJournal({ directory = { workers: { [BO]: { name: 'Bo Ek', role: 'support_worker' } } } } = {}) {
    await setMeta('user', ME);
    if (directory) await setMeta('team_directory', directory);
    await records.bulkPut([
      serverRow('client', CLIENT, 1, { id: CLIENT, name: 'Karin Ås', service: 'housing_support', protected_identity: false }),
      serverRow('client', OTHER_CLIENT, 1, { id: OTHER_CLIENT, name: 'Olle Berg', service: 'housing_support', protected_identity: false }),
      serverRow('note', N1, 1, adaCorrectedByBo),
      serverRow('note', N2, 1, bos),
      serverRow('note', N3, 1, pulledNote(N3, [{ author_id: ME.id, text: 'Om Olle.', written_at: '2026-11-23T08:00:00+01:00' }], { client_id: OTHER_CLIENT })),
    ]);
    const view = mount(h(Journal, { id: CLIENT }));
    await waitFor(() => view.byTestId(`note-${N1}`), 'the journal');
    return view;
  }

  const noteOf = (view, id) => view.byTestId(`note-${id}`);
  const buttonIn = (element, name) => [...element.querySelectorAll('button')].find((b) => b.textContent.trim() === name) ?? null;

  it('lists every note of the client, newest first, with who wrote it and when, and says a note is never erased', async () => {
    const view = await aJournal();
    expect(view.headings(1)).toEqual(['Journal']);
    expect(view.text()).toContain('Karin Ås');
    expect(view.byTestId('never-erased').textContent).toContain('raderas aldrig');
    expect(view.byTestId('never-erased').textContent).toContain('tidigare versionerna finns kvar');
    expect([...view.root.querySelectorAll('.journal-note')].map((li) => li.dataset.testid)).toEqual([`note-${N1}`, `note-${N2}`]);
    expect(view.text()).not.toContain('Om Olle.');
    const first = noteOf(view, N1).textContent;
    expect(first).toContain(`${when(written.written_at)} · Du`);
    expect(first).toContain('Karin har flyttat till Stadsmissionen, Fristad.');
    const second = noteOf(view, N2).textContent;
    expect(second).toContain(`${when('2026-11-18T11:15:00+01:00')} · Bo Ek`);
    expect(second).not.toContain('Rättad');
    expect(view.byTestId(`versions-${N2}`)).toBeNull();
  });

  it('says a corrected note is corrected, by whom and when, and keeps its earlier versions readable with their authors', async () => {
    const view = await aJournal();
    const note = noteOf(view, N1);
    expect(note.querySelector('.badge').textContent).toBe('Rättad');
    expect(note.textContent).toContain(`${when('2026-11-22T14:30:00+01:00')} av Bo Ek`);
    const versions = view.byTestId(`versions-${N1}`);
    expect(versions.tagName).toBe('DETAILS');
    expect(versions.querySelector('summary').textContent).toBe('Tidigare versioner (1)');
    const earlier = versions.querySelector('li').textContent;
    expect(earlier).toContain('Karin har flyttat till Fristad.');
    expect(earlier).toContain(`${when(written.written_at)} · Du · Första versionen`);
  });

  it('corrects a note offline: the new version shows at once, the earlier one stays, and the outbox holds it', async () => {
    const view = await aJournal();
    const note = noteOf(view, N2);
    await click(buttonIn(note, 'Rätta'));
    const field = await waitFor(() => labelled(view, 'Rättad text'), 'the correction');
    expect(field.value).toBe('Ringde hyresvärden om skulden.');
    await waitFor(() => document.activeElement === field, 'focus in the correction');
    await fill(field, 'Ringde hyresvärden om skulden (18 000 kr).');
    await click(buttonIn(note, 'Spara rättelse'));
    await waitFor(() => noteOf(view, N2).textContent.includes('Ringde hyresvärden om skulden (18 000 kr).'), 'the new version');
    const after = noteOf(view, N2);
    expect(labelled(view, 'Rättad text')).toBeNull();
    expect(after.querySelector('.badge').textContent).toBe('Rättad');
    expect(after.textContent).toContain('av dig');
    expect(view.byTestId(`versions-${N2}`).querySelector('summary').textContent).toBe('Tidigare versioner (1)');
    expect(view.byTestId(`versions-${N2}`).textContent).toContain('Ringde hyresvärden om skulden.');
    expect(after.querySelector('[data-testid="record-state"]').textContent).toBe('Sparad på telefonen');
    const [queued] = await outbox.inOrder();
    expect(queued).toMatchObject({ name: 'note.correct', args: { note_id: N2, text: 'Ringde hyresvärden om skulden (18 000 kr).' } });
    await waitFor(() => document.activeElement === buttonIn(noteOf(view, N2), 'Rätta'), 'focus back on Rätta');
  });

  it('a second correction lists both earlier versions', async () => {
    const view = await aJournal();
    await click(buttonIn(noteOf(view, N1), 'Rätta'));
    await fill(await waitFor(() => labelled(view, 'Rättad text')), 'Karin bor på Fristad, rum 12.');
    await click(buttonIn(noteOf(view, N1), 'Spara rättelse'));
    await waitFor(() => view.byTestId(`versions-${N1}`).querySelector('summary').textContent === 'Tidigare versioner (2)', 'two earlier versions');
    const earlier = [...view.byTestId(`versions-${N1}`).querySelectorAll('li')].map((li) => li.textContent);
    expect(earlier[0]).toContain('Bo Ek');
    expect(earlier[0]).toContain('Stadsmissionen');
    expect(earlier[1]).toContain('Första versionen');
  });

  it('refuses an empty correction in Swedish, and Avbryt leaves the note as it was', async () => {
    const view = await aJournal();
    const note = noteOf(view, N2);
    await click(buttonIn(note, 'Rätta'));
    await fill(await waitFor(() => labelled(view, 'Rättad text')), '  ');
    await click(buttonIn(note, 'Spara rättelse'));
    await waitFor(() => note.textContent.includes('Skriv den rättade texten.'), 'the refusal');
    await click(buttonIn(note, 'Avbryt'));
    await waitFor(() => !labelled(view, 'Rättad text'), 'the form closed');
    expect(noteOf(view, N2).textContent).not.toContain('Rättad');
    expect(await outbox.count()).toBe(0);
  });

  it("offers Rätta on a colleague's note too, as the server lets whoever may write the client correct any of its notes", async () => {
    const view = await aJournal();
    expect(buttonIn(noteOf(view, N1), 'Rätta')).not.toBeNull();
    expect(buttonIn(noteOf(view, N2), 'Rätta')).not.toBeNull();
  });

  it("names a colleague without the team directory (a field worker's phone) as a colleague", async () => {
    const view = await aJournal({ directory: null });
    expect(noteOf(view, N2).textContent).toContain('· En kollega');
    expect(noteOf(view, N1).textContent).toContain('av en kollega');
  });

  it('for a client not on the phone there is no journal and nothing to correct (the server refuses a note whose client is gone)', async () => {
    await setMeta('user', ME);
    await records.bulkPut([serverRow('note', N2, 1, bos)]);
    expect(await clientJournal(CLIENT)).toBeNull();
    const view = mount(h(Journal, { id: CLIENT }));
    await waitFor(() => view.headings(1)[0] === 'Brukaren finns inte på telefonen.', 'not found');
    expect(view.button('Rätta')).toBeNull();
    expect(view.text()).not.toContain('Ringde hyresvärden');
  });
});

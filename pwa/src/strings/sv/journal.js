// Journal: every note of a client, and a correction of one as a new version
// (screens/journal/).
export default {
  title: 'Journal',
  // Said once at the top: what a correction is, and what it never does.
  neverErased:
    'En anteckning raderas aldrig. När du rättar en anteckning sparas rättelsen som en ny version, och de tidigare versionerna finns kvar att läsa.',
  noNotes: 'Inga anteckningar om brukaren ännu.',
  notes: 'Anteckningar',
  // Who wrote a version: the worker themself, a colleague by name, or one the phone cannot name.
  you: 'Du',
  byYou: 'dig',
  someone: 'En kollega',
  bySomeone: 'en kollega',
  written: (when, who) => `${when} · ${who}`,
  // A corrected note: "Rättad" and when, by whom, its current text was written.
  corrected: 'Rättad',
  correctedBy: (when, who) => `${when} av ${who}`,
  earlier: (n) => `Tidigare versioner (${n})`,
  original: 'Första versionen',
  correct: 'Rätta',
  correctLabel: 'Rättad text',
  correctHint: 'Den nuvarande texten finns kvar som en tidigare version.',
  save: 'Spara rättelse',
  cancel: 'Avbryt',
  errors: {
    text_required: 'Skriv den rättade texten.',
    too_long: 'Texten är för lång.',
    unchanged: 'Texten är densamma som nu. Ändra den eller avbryt.',
    not_found: 'Anteckningen finns inte längre på telefonen.',
  },
  failed: 'Det gick inte att spara rättelsen på telefonen.',
};

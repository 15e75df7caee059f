// A form that refuses to go on says where: the first field marked invalid is scrolled into
// view and focused (a missing "Inte gjort" reason may be a screen or more above the button
// that was pressed; an error out of sight is an error the worker never sees).

/** After the screen has rendered its errors, scroll to and focus the first invalid field
 * within `root` (the page by default). */
export function showFirstError(root = document) {
  setTimeout(() => {
    const field = root.querySelector('[aria-invalid="true"]');
    if (!field) return;
    field.scrollIntoView({ block: 'center' });
    field.focus({ preventScroll: true });
  }, 0);
}

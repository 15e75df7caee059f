// @vitest-environment happy-dom
// A 24-hour time field (parts/TimeInput.jsx): what is typed before the field's effects have
// run is kept, not reset to the value it started with (an e2e run lost an appointment's new
// start time that way: it was typed while the just-opened screen was still settling).
import { h, render } from 'preact';
import { afterEach, expect, it } from 'vitest';
import { TimeInput } from '../src/ui/parts/TimeInput.jsx';
import { mount, unmountAll } from './screen.js';

afterEach(unmountAll);

it('keeps what was typed before its effects ran, and commits it when left', async () => {
  const changes = [];
  const view = mount(h(TimeInput, { id: 't', value: '10:00', onChange: (time) => changes.push(time), invalidText: 'Fel' }));
  const input = view.root.querySelector('#t');
  // At once, in the same task as the render: before Preact has run the field's effects.
  input.value = '11:15';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(input.value).toBe('11:15');
  input.dispatchEvent(new Event('blur'));
  expect(changes.at(-1)).toBe('11:15');
});

it('still shows a new value given from outside', async () => {
  const view = mount(h(TimeInput, { id: 't', value: '10:00', onChange: () => {}, invalidText: 'Fel' }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  render(h(TimeInput, { id: 't', value: '12:30', onChange: () => {}, invalidText: 'Fel' }), view.root);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(view.root.querySelector('#t').value).toBe('12:30');
});

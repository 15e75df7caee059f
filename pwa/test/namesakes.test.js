// Telling namesakes apart in lists (data/namesakes.js; the screens: parts/clients.js).
import { describe, expect, it } from 'vitest';
import { namesakeHints } from '../src/data/namesakes.js';
import { listName } from '../src/ui/parts/clients.js';

const client = (id, name, extra = {}) => ({ id, name, protected_identity: false, ...extra });

describe('namesakes', () => {
  it('a client without a namesake gets no hint', () => {
    expect(namesakeHints([client('a', 'Kent Abdi'), client('b', 'Anna Berg')]).size).toBe(0);
  });

  it('namesakes are told apart by their whereabouts, names compared without case or spaces', () => {
    const hints = namesakeHints([
      client('a', 'Kent Abdi', { whereabouts: 'Härbärget Klara' }),
      client('b', ' kent abdi', { whereabouts: 'Stadsmissionen' }),
    ]);
    expect(Object.fromEntries(hints)).toEqual({ a: 'Härbärget Klara', b: 'Stadsmissionen' });
  });

  it('by the phone number where the whereabouts are shared or missing, else by their place by id', () => {
    const hints = namesakeHints([
      client('c', 'Kent Abdi', { whereabouts: 'Ute' }),
      client('a', 'Kent Abdi', { whereabouts: 'Ute', phone: '070-111 22 33' }),
      client('b', 'Kent Abdi'),
    ]);
    expect(Object.fromEntries(hints)).toEqual({ a: '070-111 22 33', b: 2, c: 3 });
  });

  it('a protected identity is told apart by number only, never by where they are', () => {
    const hints = namesakeHints([
      client('a', 'Eva Ek', { protected_identity: true, whereabouts: 'Skyddat boende' }),
      client('b', 'Per Ström', { protected_identity: true }),
    ]);
    expect(Object.fromEntries(hints)).toEqual({ a: 1, b: 2 });
    expect(listName({ ...client('a', 'Eva Ek', { protected_identity: true }), hint: 1 })).toBe('Skyddad identitet (1)');
  });

  it('a list shows the hint after the name, a long one cut short', () => {
    expect(listName({ ...client('a', 'Kent Abdi'), hint: 'Härbärget Klara' })).toBe('Kent Abdi · Härbärget Klara');
    expect(listName({ ...client('a', 'Kent Abdi'), hint: 'x'.repeat(60) })).toBe(`Kent Abdi · ${'x'.repeat(39)}…`);
    expect(listName(client('a', 'Kent Abdi'))).toBe('Kent Abdi');
  });
});

import { InputError } from '../../src/errors.js';
import { readSettings } from '../../src/inputs.js';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const read = (inputs: Record<string, string>) => readSettings((name) => inputs[name] ?? '');
const base = { 'app-id': '123', 'private-key': APP_KEY_PEM };

function errorOf(inputs: Record<string, string>): InputError {
  try {
    read(inputs);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
}

test('an App ID becomes an integer issuer, with the default lifetime of 540 s', () => {
  expect(read(base)).toMatchObject({ provider: 'github', issuer: 123, jwtExpiresIn: 540 });
});

test('Client IDs of both generations are kept as strings', () => {
  expect(read({ ...base, 'app-id': 'Iv1.0123456789abcdef' }).issuer).toBe('Iv1.0123456789abcdef');
  expect(read({ ...base, 'app-id': 'Iv23liAbCdEfGhIjKlMn' }).issuer).toBe('Iv23liAbCdEfGhIjKlMn');
});

test('client-id alone is used as the issuer', () => {
  expect(read({ 'client-id': 'Iv23liAbCdEfGhIjKlMn', 'private-key': APP_KEY_PEM }).issuer).toBe('Iv23liAbCdEfGhIjKlMn');
});

test('app-id and client-id that agree are accepted', () => {
  expect(read({ ...base, 'client-id': '123' }).issuer).toBe(123);
});

test('app-id and client-id that differ are an error on client-id', () => {
  expect(errorOf({ ...base, 'client-id': '456' }).input).toBe('client-id');
});

test('a missing app-id is named, with where to find it', () => {
  expect(errorOf({ 'private-key': APP_KEY_PEM }).message).toMatch(/^Input 'app-id': is required.*settings page/);
});

test('jwt-expires-in accepts 1..600 and refuses the rest', () => {
  expect(read({ ...base, 'jwt-expires-in': '1' }).jwtExpiresIn).toBe(1);
  expect(read({ ...base, 'jwt-expires-in': '600' }).jwtExpiresIn).toBe(600);
  for (const bad of ['0', '601', '-5', '1.5', 'ten'])
    expect(errorOf({ ...base, 'jwt-expires-in': bad }).message).toMatch(/^Input 'jwt-expires-in': .* from 1 to 600/);
});

test('a private-key problem is reported as an InputError on private-key', () => {
  expect(errorOf({ ...base, 'private-key': '' }).message).toMatch(/^Input 'private-key': is empty/);
});

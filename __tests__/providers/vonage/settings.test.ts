import { createPublicKey, verify } from 'node:crypto';
import { InputError } from '../../../src/errors.js';
import {
  checkVonageAcl,
  checkVonageApplicationId,
  readVonageSettings,
  VONAGE_INPUTS,
} from '../../../src/providers/vonage/settings.js';
import { createInputReader } from '../../../src/settings/inputs.js';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';

const APP = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';
const BASE = { 'app-id': APP, 'private-key': APP_KEY_PEM };
const read = (inputs: Record<string, string>) =>
  readVonageSettings(createInputReader((name) => ({ ...BASE, ...inputs })[name] ?? ''));

async function errorOf(act: () => unknown): Promise<InputError> {
  try {
    await act();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
}

test('the inputs it reads', () => {
  expect([...VONAGE_INPUTS]).toEqual(['app-id', 'private-key', 'kms-key', 'jwt-expires-in', 'acl', 'subject']);
});

describe('the application ID', () => {
  test('a UUID is accepted as it is, in either case', () => {
    expect(checkVonageApplicationId(APP)).toBe(APP);
    expect(checkVonageApplicationId(APP.toUpperCase())).toBe(APP.toUpperCase());
  });

  test('an API key is not a UUID, and is named as what it likely is', async () => {
    const error = await errorOf(() => checkVonageApplicationId('abcd1234'));
    expect(error.input).toBe('app-id');
    expect(error.message).toMatch(/^Input 'app-id': 'abcd1234' is not a Vonage application ID, which is a UUID/);
    expect(error.message).toMatch(/An API key \(8 hex digits\) is not the application ID\.$/);
  });

  test('an empty one is required, with where to find it', async () => {
    expect((await errorOf(() => checkVonageApplicationId(''))).message).toMatch(
      /^Input 'app-id': is required: .*Vonage API Dashboard > Applications/,
    );
  });
});

describe('the acl claim', () => {
  test('paths written as bare YAML keys mean {}; other keys of the acl are kept', () => {
    expect(checkVonageAcl({ paths: { '/*/users/**': null, '/*/conversations/**': { methods: ['GET'] } } })).toEqual({
      paths: { '/*/users/**': {}, '/*/conversations/**': { methods: ['GET'] } },
    });
    expect(checkVonageAcl({ paths: {}, note: 'x' })).toEqual({ paths: {}, note: 'x' });
  });

  test.each([
    ['a string', 'paths', /^Input 'acl': must be a mapping with a 'paths' key, e\.g\. \{"paths"/],
    ['a list', ['/a'], /must be a mapping with a 'paths' key/],
    ['no paths key', { path: {} }, /has no 'paths' key; Vonage reads the paths a JWT may use from it/],
    ['paths as a list', { paths: ['/a'] }, /'paths' must map each path pattern to its rules .*a list is not accepted/],
    ['paths as null', { paths: null }, /'paths' must map each path pattern/],
    ['a path without a leading slash', { paths: { 'users/**': {} } }, /path 'users\/\*\*' does not start with '\/'/],
    [
      'rules that are a string',
      { paths: { '/a': 'all' } },
      /the rules for '\/a' must be a mapping \(usually \{\}\), not 'all'\./,
    ],
    [
      'rules that are a list',
      { paths: { '/a': [] } },
      /the rules for '\/a' must be a mapping \(usually \{\}\), not a list\./,
    ],
  ])('%s is refused with the expected form', async (_what, acl, message) => {
    const error = await errorOf(() => checkVonageAcl(acl));
    expect(error.input).toBe('acl');
    expect(error.message).toMatch(message);
  });
});

describe('reading the settings', () => {
  test('defaults to 900 s, no acl and no subject; the key signs, and its lines are kept for masking', async () => {
    const settings = await read({});
    expect(settings).toMatchObject({ provider: 'vonage', applicationId: APP, jwtExpiresIn: 900 });
    expect(settings.acl).toBeUndefined();
    expect(settings.subject).toBeUndefined();
    if (settings.key.kind !== 'signer') throw new Error('a PEM key was given');
    expect(settings.key.secrets).toEqual(expect.arrayContaining(APP_KEY_PEM.trim().split('\n').slice(1, -1)));
    const jwt = await settings.key.signer.sign({ exp: 1_700_000_000 });
    const [header, claims, signature] = jwt.token.split('.');
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${claims}`),
        createPublicKey(APP_KEY_PEM),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });

  test('reads acl from YAML, bare paths meaning {}, and the subject', async () => {
    const settings = await read({
      acl: 'paths:\n  /*/users/**:\n  /*/conversations/**: {}\n',
      subject: 'alice',
      'jwt-expires-in': '86400',
    });
    expect(settings).toMatchObject({
      jwtExpiresIn: 86_400,
      subject: 'alice',
      acl: { paths: { '/*/users/**': {}, '/*/conversations/**': {} } },
    });
  });

  test('an acl that is YAML null is no acl', async () => {
    expect((await read({ acl: '~' })).acl).toBeUndefined();
    expect((await read({ acl: 'null' })).acl).toBeUndefined();
  });

  test.each([
    [{ 'app-id': '' }, 'app-id', /is required/],
    [{ 'app-id': '123456' }, 'app-id', /is not a Vonage application ID/],
    [
      { 'jwt-expires-in': '29' },
      'jwt-expires-in',
      /from 30 to 86400\. Vonage accepts JWTs that live at most 24 hours\.$/,
    ],
    [{ 'jwt-expires-in': '86401' }, 'jwt-expires-in', /from 30 to 86400/],
    [{ acl: '[a, b]' }, 'acl', /must be a mapping with a 'paths' key/],
    [{ acl: '{"path": {}}' }, 'acl', /has no 'paths' key/],
    [{ acl: 'paths: [/a]' }, 'acl', /a list is not accepted/],
    [{ acl: '{"paths": ' }, 'acl', /is not valid YAML or JSON/],
    [{ 'private-key': '' }, 'private-key', /is empty/],
  ])('%j: an error on %s', async (inputs, input, message) => {
    const error = await errorOf(() => read(inputs));
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });
});

test('a key or a token in app-id is described, never quoted', async () => {
  const error = await errorOf(() => checkVonageApplicationId(APP_KEY_PEM.trim()));
  expect(error.message).toMatch(
    /^Input 'app-id': a PEM private key \(\d+ lines, \d+ characters\) is not a Vonage application ID/,
  );
  for (const line of APP_KEY_PEM.trim().split('\n').slice(1, -1)) expect(error.message).not.toContain(line);
});

import { createClock } from '../../../src/clock.js';
import { InputError } from '../../../src/errors.js';
import {
  basicAuthorization,
  readRingCentralSettings,
  RINGCENTRAL_INPUTS,
} from '../../../src/providers/ringcentral/settings.js';
import { createInputReader } from '../../../src/settings/inputs.js';

const NOW_MS = Date.parse('2030-01-01T00:00:00Z');
const clock = createClock(() => NOW_MS);
const jwtWith = (claims: Record<string, unknown>) =>
  ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'c2ln'].join('.');
const CREDENTIAL = jwtWith({ sub: '1', exp: 4_102_444_800 });
const BASE = { jwt: CREDENTIAL, 'client-id': 'abc', 'client-secret': 's3cr3t' };

const read = (inputs: Record<string, string>) =>
  readRingCentralSettings(
    createInputReader((name) => ({ ...BASE, ...inputs })[name] ?? ''),
    { env: {}, clock },
  );

async function errorOf(inputs: Record<string, string>): Promise<InputError> {
  try {
    await read(inputs);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
}

test('the inputs it reads', () => {
  expect([...RINGCENTRAL_INPUTS]).toEqual(['jwt', 'client-id', 'client-secret', 'server-url', 'skip-token-revoke']);
});

test('the production server by default; the credential kept as given', async () => {
  expect(await read({})).toEqual({
    provider: 'ringcentral',
    client: { clientId: 'abc', clientSecret: 's3cr3t', serverUrl: 'https://platform.ringcentral.com' },
    credential: CREDENTIAL,
    skipTokenRevoke: false,
  });
});

test('a sandbox URL when given, without its trailing slash; skip-token-revoke read as a boolean', async () => {
  expect(
    await read({ 'server-url': 'https://platform.devtest.ringcentral.com/', 'skip-token-revoke': 'true' }),
  ).toMatchObject({ client: { serverUrl: 'https://platform.devtest.ringcentral.com' }, skipTokenRevoke: true });
});

test('a credential without exp never expires', async () => {
  expect((await read({ jwt: jwtWith({ sub: '1' }) })).credential).toBe(jwtWith({ sub: '1' }));
});

test('an expired credential says when it expired and what to do, without quoting it', async () => {
  const expired = jwtWith({ exp: Math.floor(NOW_MS / 1000) });
  const error = await errorOf({ jwt: expired });
  expect(error.input).toBe('jwt');
  expect(error.message).toBe(
    "Input 'jwt': is a JWT credential that expired at 2030-01-01T00:00:00.000Z. Create a new one in the RingCentral developer console and update the secret.",
  );
  expect(error.message).not.toContain(expired.split('.')[1]);
});

test('a credential that is not a JWT says where to copy it from', async () => {
  expect((await errorOf({ jwt: 'not-a-jwt' })).message).toBe(
    "Input 'jwt': is not a JWT: a JWT has three base64url parts separated by dots; this has 1 part. Copy the whole JWT credential from the RingCentral developer console.",
  );
});

test.each([
  [
    { jwt: '' },
    'jwt',
    /^Input 'jwt': is required with provider: ringcentral: the JWT credential .*Keep it in a secret\.$/,
  ],
  [{ jwt: jwtWith({ exp: 1000 }) }, 'jwt', /expired at 1970/],
  [{ 'client-id': '' }, 'client-id', /^Input 'client-id': is required with provider: ringcentral: the app's client ID/],
  [
    { 'client-secret': '' },
    'client-secret',
    /^Input 'client-secret': is required with provider: ringcentral.*Keep it in a secret\.$/,
  ],
  [{ 'server-url': 'http://platform.example.com' }, 'server-url', /is not https/],
  [{ 'server-url': 'platform.ringcentral.com' }, 'server-url', /has no scheme/],
  [{ 'skip-token-revoke': 'yes' }, 'skip-token-revoke', /is not a boolean/],
])('%j: an error on %s', async (inputs, input, message) => {
  const error = await errorOf(inputs);
  expect(error.input).toBe(input);
  expect(error.message).toMatch(message);
  expect(error.message).not.toContain('s3cr3t');
});

test('HTTP Basic of client ID and secret', () => {
  expect(basicAuthorization({ clientId: 'abc', clientSecret: 's3cr3t', serverUrl: 'https://x' })).toBe(
    `Basic ${Buffer.from('abc:s3cr3t').toString('base64')}`,
  );
});

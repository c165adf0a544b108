import { InputError } from '../../../src/errors.js';
import { decodeJwt } from '../../../src/keys/jwt/decode.js';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const raw = (text: string) => Buffer.from(text).toString('base64url');
const HEADER = segment({ alg: 'RS256', typ: 'JWT' });
const CLAIMS = segment({ iss: 123456, exp: 1_700_000_540 });
const SIGNATURE = 'c2lnbmF0dXJlLXRoYXQtaXMtc2VjcmV0';

function errorOf(token: string, fix?: string): InputError {
  try {
    decodeJwt(token, 'jwt', fix);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('decoded');
}

test('gives the header, the claims and the signature, without verifying', () => {
  expect(decodeJwt(`${HEADER}.${CLAIMS}.${SIGNATURE}`, 'jwt')).toEqual({
    header: { alg: 'RS256', typ: 'JWT' },
    claims: { iss: 123456, exp: 1_700_000_540 },
    signature: SIGNATURE,
  });
});

test.each([
  ['one part', 'hello', 'a JWT has three base64url parts separated by dots; this has 1 part.'],
  ['two parts', `${HEADER}.${CLAIMS}`, 'a JWT has three base64url parts separated by dots; this has 2 parts.'],
  [
    'four parts',
    `${HEADER}.${CLAIMS}.${SIGNATURE}.x`,
    'a JWT has three base64url parts separated by dots; this has 4 parts.',
  ],
  [
    'an empty signature',
    `${HEADER}.${CLAIMS}.`,
    'a JWT has three base64url parts separated by dots; this has 3 parts, not all base64url.',
  ],
  [
    'standard base64 padding',
    `${HEADER}.${CLAIMS}.${SIGNATURE}==`,
    'a JWT has three base64url parts separated by dots; this has 3 parts, not all base64url.',
  ],
  [
    'a header that is not JSON',
    `${raw('not json')}.${CLAIMS}.${SIGNATURE}`,
    'its header is not base64url-encoded JSON.',
  ],
  [
    'claims that are not JSON',
    `${HEADER}.${raw('{"iss":')}.${SIGNATURE}`,
    'its claims part is not base64url-encoded JSON.',
  ],
  [
    'claims that are an array',
    `${HEADER}.${segment([1, 2])}.${SIGNATURE}`,
    'its claims part is not base64url-encoded JSON.',
  ],
  ['a header that is null', `${segment(null)}.${CLAIMS}.${SIGNATURE}`, 'its header is not base64url-encoded JSON.'],
  [
    'claims that are a number',
    `${HEADER}.${segment(42)}.${SIGNATURE}`,
    'its claims part is not base64url-encoded JSON.',
  ],
])('%s is an InputError for the input, saying why', (_what, token, reason) => {
  const error = errorOf(token);
  expect(error.input).toBe('jwt');
  expect(error.message).toBe(`Input 'jwt': is not a JWT: ${reason}`);
  expect(error.detail).toBe(`is not a JWT: ${reason}`);
});

test('the fix is added after the reason', () => {
  expect(errorOf('hello', 'Copy the whole JWT.').message).toBe(
    "Input 'jwt': is not a JWT: a JWT has three base64url parts separated by dots; this has 1 part. Copy the whole JWT.",
  );
});

test('the message never quotes the token or any of its parts', () => {
  const secret = 'c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ';
  for (const token of [
    `${secret}`,
    `${secret}.${secret}`,
    `${raw('not json')}.${CLAIMS}.${secret}`,
    `${HEADER}.${raw('nope')}.${secret}`,
  ]) {
    const { message } = errorOf(token);
    expect(message).not.toContain(secret);
    expect(message).not.toContain(CLAIMS);
  }
});

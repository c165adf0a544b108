import { InputError } from '../../src/errors.js';
import { decodePresignedJwt } from '../../src/presigned-jwt.js';

const NOW = 1_800_000_000;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) =>
  `${encode(header)}.${encode(claims)}.c2lnbmF0dXJl`;

function problemOf(text: string): string {
  try {
    decodePresignedJwt(text, NOW);
  } catch (error) {
    if (error instanceof InputError && error.input === 'jwt') return error.detail;
    throw error;
  }
  throw new Error('accepted');
}

test('a well-formed app JWT gives its issuer, expiry and signature', () => {
  const token = jwt({ iat: NOW - 60, exp: NOW + 540, iss: 123 });
  expect(decodePresignedJwt(`  Bearer ${token}\n`, NOW)).toEqual({
    token,
    signature: 'c2lnbmF0dXJl',
    expiresAt: new Date((NOW + 540) * 1000),
    issuer: 123,
  });
});

test('a Client ID issuer is kept as a string', () => {
  expect(decodePresignedJwt(jwt({ exp: NOW + 60, iss: 'Iv23liAbCdEfGhIjKlMn' }), NOW).issuer).toBe(
    'Iv23liAbCdEfGhIjKlMn',
  );
});

test.each([
  ['not three parts', 'abc.def', /three base64url parts .* this has 2 parts/],
  [
    'claims that are not JSON',
    `${encode({ alg: 'RS256' })}.bm90IGpzb24.c2ln`,
    /claims part is not base64url-encoded JSON/,
  ],
  ['HS256', jwt({ exp: NOW + 60, iss: 1 }, { alg: 'HS256' }), /signed with HS256; GitHub App JWTs must be RS256/],
  ['no iss', jwt({ exp: NOW + 60 }), /has no iss claim/],
  ['a slug as iss', jwt({ exp: NOW + 60, iss: 'my-app' }), /iss claim GitHub does not accept/],
  ['no exp', jwt({ iss: 1 }), /no numeric exp claim/],
  ['expired', jwt({ exp: NOW - 30, iss: 1 }), /expired at .*, 30 s ago/],
])('%s is refused before any request', (_name, text, message) => {
  const problem = problemOf(text);
  expect(problem).toMatch(message);
  expect(problem).not.toContain('c2lnbmF0dXJl');
});

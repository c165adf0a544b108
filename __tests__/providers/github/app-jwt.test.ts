import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { createClock } from '../../../src/clock.js';
import { InputError } from '../../../src/errors.js';
import { privateKeySigner } from '../../../src/keys/jwt/sign.js';
import {
  appJwtSource,
  decodePresignedJwt,
  GITHUB_DEFAULT_JWT_SECONDS,
  GITHUB_MAX_JWT_SECONDS,
  githubAppClaims,
  parseGitHubIssuer,
} from '../../../src/providers/github/app-jwt.js';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';

const NOW = 1_800_000_000;
const clock = createClock(() => NOW * 1000);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) =>
  `${encode(header)}.${encode(claims)}.c2lnbmF0dXJl`;

/** The detail of the InputError on `input` that `run` throws. */
function problemOf(run: () => unknown, input: string): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError && error.input === input) return error.detail;
    throw error;
  }
  throw new Error('accepted');
}

describe('decodePresignedJwt: a JWT from the jwt input', () => {
  test('a well-formed app JWT gives its issuer, expiry and signature', () => {
    const token = jwt({ iat: NOW - 60, exp: NOW + 540, iss: 123 });
    expect(decodePresignedJwt(`  Bearer ${token}\n`, clock)).toEqual({
      token,
      signature: 'c2lnbmF0dXJl',
      expiresAt: new Date((NOW + 540) * 1000),
      issuer: 123,
    });
  });

  test('a Client ID issuer is kept as a string', () => {
    expect(decodePresignedJwt(jwt({ exp: NOW + 60, iss: 'Iv23liAbCdEfGhIjKlMn' }), clock).issuer).toBe(
      'Iv23liAbCdEfGhIjKlMn',
    );
  });

  test('an App ID written as a string of digits becomes the number', () => {
    expect(decodePresignedJwt(jwt({ exp: NOW + 60, iss: '123' }), clock).issuer).toBe(123);
  });

  test('its expiry is judged by the clock with its offset', () => {
    const offsetClock = createClock(() => NOW * 1000);
    offsetClock.setOffsetSeconds(120);
    expect(problemOf(() => decodePresignedJwt(jwt({ exp: NOW + 60, iss: 1 }), offsetClock), 'jwt')).toMatch(
      /, 60 s ago\./,
    );
  });

  test.each([
    ['not three parts', 'abc.def', /three base64url parts .* this has 2 parts/],
    [
      'claims that are not JSON',
      `${encode({ alg: 'RS256' })}.bm90IGpzb24.c2ln`,
      /claims part is not base64url-encoded JSON/,
    ],
    [
      'HS256',
      jwt({ exp: NOW + 60, iss: 1 }, { alg: 'HS256' }),
      /^is signed with HS256; GitHub App JWTs must be RS256\.$/,
    ],
    ['no iss', jwt({ exp: NOW + 60 }), /^has no iss claim\. Set iss to the App ID/],
    [
      'a slug as iss',
      jwt({ exp: NOW + 60, iss: 'my-app' }),
      /^has an iss claim GitHub does not accept: 'my-app' is neither/,
    ],
    ['no exp', jwt({ iss: 1 }), /^has no numeric exp claim/],
    [
      'expired',
      jwt({ exp: NOW - 30, iss: 1 }),
      /^expired at 2027-01-15T07:59:30\.000Z, 30 s ago\. GitHub App JWTs live at most 10 minutes/,
    ],
  ])('%s is refused before any request', (_name, text, message) => {
    const problem = problemOf(() => decodePresignedJwt(text, clock), 'jwt');
    expect(problem).toMatch(message);
    expect(problem).not.toContain('c2lnbmF0dXJl');
  });
});

describe('parseGitHubIssuer: the App ID or Client ID', () => {
  test('an App ID becomes an integer; Client IDs of both generations stay strings', () => {
    expect(parseGitHubIssuer('123456', 'app-id')).toBe(123456);
    expect(parseGitHubIssuer('Iv1.0123456789abcdef', 'app-id')).toBe('Iv1.0123456789abcdef');
    expect(parseGitHubIssuer('Iv23liAbCdEfGhIjKlMn', 'client-id')).toBe('Iv23liAbCdEfGhIjKlMn');
  });

  test.each([
    ['0', "'0' is not a valid App ID (a positive whole number, as shown on the app's settings page)."],
    [
      '99999999999999999999',
      "'99999999999999999999' is not a valid App ID (a positive whole number, as shown on the app's settings page).",
    ],
    [
      'Ov23liAbCdEfGhIjKlMn',
      "'Ov23liAbCdEfGhIjKlMn' is an OAuth App's client ID; this action needs a GitHub App. Use the App ID or Client ID from the GitHub App's settings page.",
    ],
    [
      '0123456789abcdef0123',
      "'0123456789abcdef0123' is an OAuth App's client ID; this action needs a GitHub App. Use the App ID or Client ID from the GitHub App's settings page.",
    ],
    [
      'Iv23liAbCd',
      "'Iv23liAbCd' looks like a Client ID but is not complete (Iv1. and 16 hex digits, or Iv23 and 16 letters or digits). Copy it again from the app's settings page.",
    ],
    [
      'my-app',
      `'my-app' is neither an App ID (digits, e.g. 123456) nor a Client ID (e.g. Iv23liAbCdEfGhIjKlMn). Both are on the app's settings page, under "About".`,
    ],
  ])('%s is refused on the input it came from, saying what it is and what to use', (value, detail) => {
    expect(problemOf(() => parseGitHubIssuer(value, 'client-id'), 'client-id')).toBe(detail);
  });
});

test('githubAppClaims: iat 60 s back, exp the lifetime ahead, both by the clock with its offset', () => {
  const offsetClock = createClock(() => NOW * 1000 + 999);
  offsetClock.setOffsetSeconds(-30);
  expect(githubAppClaims('Iv23liAbCdEfGhIjKlMn', 540, offsetClock)).toEqual({
    iat: NOW - 30 - 60,
    exp: NOW - 30 + 540,
    iss: 'Iv23liAbCdEfGhIjKlMn',
  });
  expect([GITHUB_DEFAULT_JWT_SECONDS, GITHUB_MAX_JWT_SECONDS]).toEqual([540, 600]);
});

describe('appJwtSource', () => {
  const key = createPrivateKey(APP_KEY_PEM);

  test('with a key: each call signs anew by the claims of that moment, masking token and signature first', async () => {
    const masked: string[] = [];
    let iat = NOW;
    const source = appJwtSource(
      { kind: 'signer', signer: privateKeySigner(key), secrets: [] },
      () => ({ iat: iat++, exp: NOW + 540, iss: 7 }),
      (secret) => masked.push(secret),
    );
    expect([source.presigned, source.last()]).toEqual([false, undefined]);

    const first = await source.next();
    const second = await source.next();

    const [header, claims, signature] = second.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toEqual({ iat: NOW + 1, exp: NOW + 540, iss: 7 });
    expect(
      verify('sha256', Buffer.from(`${header}.${claims}`), createPublicKey(key), Buffer.from(signature, 'base64url')),
    ).toBe(true);
    expect(first.token).not.toBe(second.token);
    expect(second).toEqual({ token: second.token, signature, expiresAt: new Date((NOW + 540) * 1000) });
    expect(masked).toEqual([first.token, first.signature, second.token, second.signature]);
    expect(source.last()).toBe(second);
  });

  test('with a JWT signed elsewhere: that JWT every time, nothing signed or masked here', async () => {
    const presigned = decodePresignedJwt(jwt({ exp: NOW + 60, iss: 1 }), clock);
    const masked: string[] = [];
    const source = appJwtSource(
      { kind: 'presigned', jwt: presigned },
      () => {
        throw new Error('no claims are made for a presigned JWT');
      },
      (secret) => masked.push(secret),
    );
    expect([source.presigned, await source.next(), await source.next(), source.last()]).toEqual([
      true,
      presigned,
      presigned,
      presigned,
    ]);
    expect(masked).toEqual([]);
  });
});

describe('parseGitHubIssuer: a secret in the wrong input is described, never quoted', () => {
  const GHS = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
  const FIX =
    " Set app-id to the App ID (digits, e.g. 123456) or the Client ID (e.g. Iv23liAbCdEfGhIjKlMn) from the app's settings page, and keep secrets in their own inputs.";
  test.each([
    [
      'the PEM (inputs swapped)',
      APP_KEY_PEM,
      `holds a PEM private key (${APP_KEY_PEM.trim().split('\n').length} lines, ${APP_KEY_PEM.trim().length} characters), not an App ID or Client ID. The key belongs in private-key.${FIX}`,
    ],
    ['an installation token', GHS, `holds a GitHub token (40 characters), not an App ID or Client ID.${FIX}`],
    [
      "the app's client secret",
      'a3f1c9e2b7d4f6a8c0e1b2d3f4a5c6e7f8091a2b',
      `holds something shaped like a client secret (40 characters), not an App ID or Client ID.${FIX}`,
    ],
    [
      'a JWT',
      'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl',
      `holds a JWT (46 characters), not an App ID or Client ID.${FIX}`,
    ],
  ])('%s', (_what, value, detail) => {
    const message = problemOf(() => parseGitHubIssuer(value, 'app-id'), 'app-id');
    expect(message).toBe(detail);
    for (const line of value
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('-----')))
      expect(message).not.toContain(line);
  });

  test('a long or multi-line value is described by its size', () => {
    expect(problemOf(() => parseGitHubIssuer('x'.repeat(100), 'app-id'), 'app-id')).toMatch(
      /^a value of 100 characters is neither an App ID/,
    );
    expect(problemOf(() => parseGitHubIssuer('123\n456', 'app-id'), 'app-id')).toMatch(
      /^a value of 2 lines, 7 characters is neither an App ID/,
    );
  });
});

import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { formatInspection, InspectError, inspectJwt, publicKeyFrom } from '../../src/cli/inspect.js';
import { signTestJwt } from '../../test/emulators/github.ts';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const NOW = 1_700_000_000;
const publicKey = createPublicKey(APP_KEY_PEM);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A JWT signed with the test key, with any header: RS384 and RS512 sign with their own hash. */
function signed(claims: Record<string, unknown>, alg = 'RS256'): string {
  const input = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  const hash = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' }[alg] ?? 'sha256';
  return `${input}.${sign(hash, Buffer.from(input), APP_KEY_PEM).toString('base64url')}`;
}
const github = (claims: Record<string, unknown> = {}) => ({ iat: NOW - 60, exp: NOW + 540, iss: 4242, ...claims });

describe('publicKeyFrom', () => {
  const der = (text: string) => publicKeyFrom(text).export({ format: 'der', type: 'spki' });
  const expected = publicKey.export({ format: 'der', type: 'spki' });
  test('reads a public key, a certificate, or the public half of a private key', () => {
    const certificate = readFileSync(new URL('../../test/fixtures/certificate.pem', import.meta.url), 'utf8');
    expect(der(publicKey.export({ format: 'pem', type: 'spki' }).toString()).equals(expected)).toBe(true);
    expect(der(certificate).equals(expected)).toBe(true);
    expect(
      der(createPrivateKey(APP_KEY_PEM).export({ format: 'pem', type: 'pkcs8' }).toString()).equals(expected),
    ).toBe(true);
  });

  test('anything else throws', () => {
    expect(() => publicKeyFrom('not a key')).toThrow();
  });
});

describe('the signature', () => {
  test.each(['RS256', 'RS384', 'RS512'])('%s verifies with the right key', (alg) => {
    expect(inspectJwt(signed(github(), alg), publicKey, NOW).signatureValid).toBe(true);
  });

  test('changed claims do not verify', () => {
    const [h, , s] = signed(github()).split('.');
    expect(inspectJwt(`${h}.${encode(github({ iss: 1 }))}.${s}`, publicKey, NOW).signatureValid).toBe(false);
  });

  test('another key does not verify', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(inspectJwt(signed(github()), other, NOW).signatureValid).toBe(false);
  });

  test.each([
    ['ed25519', generateKeyPairSync('ed25519').publicKey],
    ['ec', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
  ])('a key that is not RSA (%s) does not verify, and says why', (type, key) => {
    const inspection = inspectJwt(signed(github()), key, NOW);
    expect(inspection.signatureValid).toBe(false);
    expect(inspection.warnings).toEqual([
      `the key given is not an RSA key (${type}): it cannot check an RS256 signature.`,
    ]);
  });

  test('an algorithm other than RSA never verifies, and is warned about', () => {
    const token = `${encode({ alg: 'HS256' })}.${encode(github())}.c2ln`;
    const inspection = inspectJwt(token, publicKey, NOW);
    expect(inspection.signatureValid).toBe(false);
    expect(inspection.warnings[0]).toBe('alg is HS256; GitHub and Vonage need RS256.');
  });

  test('no key: not checked', () => {
    expect(inspectJwt(signed(github()), undefined, NOW).signatureValid).toBeUndefined();
  });
});

describe("GitHub's rules", () => {
  test('a JWT as the action signs it has no warnings', () => {
    expect(inspectJwt(signed(github()), undefined, NOW)).toMatchObject({
      platform: 'github',
      warnings: [],
      expired: false,
    });
    expect(inspectJwt(signed(github({ iss: 'Iv23liAbCdEfGhIjKlMn' })), undefined, NOW).warnings).toEqual([]);
    expect(inspectJwt(signed(github({ iss: '4242' })), undefined, NOW).warnings).toEqual([]);
  });

  test.each([
    [{ iat: NOW + 30 }, 'GitHub: iat is 30 s in the future; GitHub rejects it. Backdate iat by 60 s.'],
    [{ iat: NOW - 0.5 }, 'GitHub: iat must be an integer.'],
    [{ iat: undefined }, 'GitHub: iat must be an integer.'],
    [{ exp: NOW + 601 }, 'GitHub: exp is 601 s after now; GitHub refuses more than 600.'],
    [{ exp: String(NOW + 60) }, 'GitHub: exp must be a number.'],
    [{ iss: 'my-app' }, 'GitHub: iss ("my-app") is neither an integer App ID nor a Client ID.'],
  ])('%j: %s', (claims, warning) => {
    expect(inspectJwt(signed(github(claims)), undefined, NOW).warnings).toEqual([warning]);
  });
});

describe("Vonage's rules", () => {
  const vonage = (claims: Record<string, unknown> = {}) => ({
    application_id: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
    iat: NOW,
    jti: 'j',
    exp: NOW + 900,
    ...claims,
  });

  test('a JWT as the action signs it has no warnings', () => {
    expect(inspectJwt(signed(vonage()), undefined, NOW)).toMatchObject({ platform: 'vonage', warnings: [] });
  });

  test.each([
    [{ application_id: 42 }, 'Vonage: application_id is missing.'],
    [{ jti: '' }, 'Vonage: jti is missing; Vonage requires one.'],
    [{ iat: undefined }, 'Vonage: iat is missing.'],
    [{ exp: NOW + 86_401 }, 'Vonage: the JWT lives 86401 s; Vonage accepts at most 24 h (86400 s).'],
  ])('%j: %s', (claims, warning) => {
    expect(inspectJwt(signed(vonage(claims)), undefined, NOW).warnings).toEqual([warning]);
  });
});

test('a JWT of neither platform gets no platform warnings', () => {
  expect(inspectJwt(signed({ sub: 'x' }), undefined, NOW)).toMatchObject({
    platform: 'unknown',
    warnings: [],
    expired: false,
  });
});

test('expired when exp is now or past', () => {
  expect(inspectJwt(signed(github({ exp: NOW })), undefined, NOW).expired).toBe(true);
  expect(inspectJwt(signed(github({ exp: NOW + 1 })), undefined, NOW).expired).toBe(false);
});

test('a text that is not a JWT is an InspectError with the reason alone', () => {
  expect(() => inspectJwt('a.b', undefined, NOW)).toThrow(InspectError);
  expect(() => inspectJwt('a.b', undefined, NOW)).toThrow(
    /^a JWT has three base64url parts separated by dots; this has 2 parts\.$/,
  );
});

test('the report: header, claims aligned with times as dates, platform, signature, expiry, warnings', () => {
  const token = signTestJwt({ iss: 'my-app', iat: NOW - 60, exp: NOW - 5, nbf: NOW, scope: ['a'] }, APP_KEY_PEM);
  const inspection = inspectJwt(token, publicKey, NOW);
  expect(formatInspection(inspection, NOW, 'key.pem')).toBe(
    [
      'Header: {"alg":"RS256","typ":"JWT"}',
      'Claims:',
      '  iss    "my-app"',
      '  iat    1699999940  2023-11-14T22:12:20.000Z (1m ago)',
      '  exp    1699999995  2023-11-14T22:13:15.000Z (expired 5s ago)',
      '  nbf    1700000000  2023-11-14T22:13:20.000Z (now)',
      '  scope  ["a"]',
      'Platform: GitHub App JWT',
      'Signature: valid for the key in key.pem',
      'Expired: yes',
      'Warning: GitHub: iss ("my-app") is neither an integer App ID nor a Client ID.',
    ].join('\n'),
  );
});

test('short claim names are aligned to three characters; platforms are named', () => {
  const vonage = formatInspection(inspectJwt(signed({ application_id: 'x', jti: 'j', iat: NOW }), undefined, NOW), NOW);
  expect(vonage).toContain('\nPlatform: Vonage application JWT\n');
  const unknown = formatInspection(inspectJwt(signed({ a: 1 }), undefined, NOW), NOW);
  expect(unknown).toContain('\n  a    1\n');
  expect(unknown).toContain('\nPlatform: unknown (no iss or application_id)\n');
  expect(unknown).toMatch(/\nSignature: not checked \(give --public-key FILE or --private-key-file FILE\)$/);
});

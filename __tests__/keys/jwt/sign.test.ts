import { createPublicKey, createVerify } from 'node:crypto';
import { createClock } from '../../../src/clock.js';
import { jwtSecrets, privateKeySigner, signJwt } from '../../../src/keys/jwt/sign.js';
import { normalizePrivateKey } from '../../../src/keys/private-key.js';
import { githubAppClaims } from '../../../src/providers/github/app-jwt.js';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';

// Computed once with node:crypto alone (createSign over the two JSON segments), not with the code under test,
// from test/fixtures/app-key.pem and the clock at 1_700_000_000 s: {"iat":1699999940,"exp":1700000540,"iss":123456}.
const EXPECTED =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE2OTk5OTk5NDAsImV4cCI6MTcwMDAwMDU0MCwiaXNzIjoxMjM0NTZ9.' +
  'Dk72Y-wgkxcNuXW9Ol4yP6y9TVfLYSoH7DJHVQZqrGRntGeLVMGw0nqFtGGnOvOpd__U2fH54dTig_Mla8RnFj6kSI92awPAkYH9e5gJlAPEILegs9' +
  '5gsVhqBKrU-kdv-R8eKYbmNf43amHORvj-ak7AOK0gcuA-1oHn9szxX2L_b6sUIa1W2MW7PG1W4LXwpUoagoHFB42IGpWJ_AeFKWYAEOJGEnc6VBO' +
  'ZY-uQC4lLgmNfSqCaRWxOBkZ55VXoyFikSQNqeQP1ItYkstMl-LwNokf4X4WNYViVBGtD8NlBx4KIuR0d-0rqWnsptHU6YAC4P5uh0FNjTabWjTwvwA';

const key = normalizePrivateKey(APP_KEY_PEM).key;
const fixedClock = () => createClock(() => 1_700_000_000_000);
const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

test('a fixed key and a fixed clock give the known JWT, byte for byte', () => {
  expect(signJwt(githubAppClaims(123456, 540, fixedClock()), key).token).toBe(EXPECTED);
});

test('the claims are signed in the order given', () => {
  const { token } = signJwt({ iss: 123456, exp: 1_700_000_540, iat: 1_699_999_940 }, key);
  expect(Buffer.from(token.split('.')[1], 'base64url').toString()).toBe(
    '{"iss":123456,"exp":1700000540,"iat":1699999940}',
  );
});

test('the signature verifies with node:crypto against the public key', () => {
  const { token } = signJwt(githubAppClaims(123456, 540, createClock()), key);
  const [header, payload, signature] = token.split('.');
  const verified = createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(createPublicKey(APP_KEY_PEM), Buffer.from(signature, 'base64url'));
  expect(verified).toBe(true);
});

test('header is exactly alg RS256 and typ JWT', () => {
  const { token } = signJwt(githubAppClaims(1, 60, fixedClock()), key);
  expect(token.split('.')[0]).toBe(Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'));
});

test('expiresAt is the exp claim as a date', () => {
  expect(signJwt({ exp: 1_700_000_600 }, key).expiresAt.toISOString()).toBe('2023-11-14T22:23:20.000Z');
});

test('the signature segment is returned for masking on its own', () => {
  const { token, signature } = signJwt(githubAppClaims(1, 60, fixedClock()), key);
  expect(token.endsWith(`.${signature}`)).toBe(true);
  expect(signature).not.toContain('.');
  expect(signature.length).toBeGreaterThan(300);
});

test('jwtSecrets are the JWT and its signature, both to be masked', () => {
  const jwt = signJwt({ exp: 1_700_000_600 }, key);
  expect(jwtSecrets(jwt)).toEqual([jwt.token, jwt.signature]);
});

test('privateKeySigner signs as signJwt does', async () => {
  const claims = githubAppClaims(123456, 540, fixedClock());
  expect(await privateKeySigner(key).sign(claims)).toEqual(signJwt(claims, key));
});

describe('GitHub App claims, as signed', () => {
  test('iat is 60 s in the past and exp is expires-in seconds ahead', () => {
    const { token, expiresAt } = signJwt(githubAppClaims(1, 600, fixedClock()), key);
    expect(decode(token.split('.')[1])).toEqual({ iat: 1_700_000_000 - 60, exp: 1_700_000_600, iss: 1 });
    expect(expiresAt.toISOString()).toBe('2023-11-14T22:23:20.000Z');
  });

  test('a Client ID is sent as the iss string', () => {
    const { token } = signJwt(githubAppClaims('Iv23liAbCdEfGhIjKlMn', 60, fixedClock()), key);
    expect(decode(token.split('.')[1]).iss).toBe('Iv23liAbCdEfGhIjKlMn');
  });

  test('the clock offset moves iat and exp', () => {
    const clock = fixedClock();
    clock.setOffsetSeconds(-90);
    const { token } = signJwt(githubAppClaims(1, 60, clock), key);
    expect(decode(token.split('.')[1])).toMatchObject({ iat: 1_700_000_000 - 150, exp: 1_700_000_000 - 30 });
  });
});

import { createClock } from '../../src/clock.js';
import { checkVonageAcl, checkVonageApplicationId, vonageClaims } from '../../src/providers/vonage.js';

const clock = createClock(() => 1_700_000_000_000);
const APP = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';

test('the claims are application_id, iat (now), jti and exp, in that order, and nothing else', () => {
  const claims = vonageClaims({ applicationId: APP, jwtExpiresIn: 900 }, clock, () => 'the-jti');
  expect(JSON.stringify(claims)).toBe(`{"application_id":"${APP}","iat":1700000000,"jti":"the-jti","exp":1700000900}`);
});

test('sub and acl are added only when given', () => {
  const acl = { paths: { '/*/users/**': {} } };
  const claims = vonageClaims({ applicationId: APP, jwtExpiresIn: 60, subject: 'alice', acl }, clock, () => 'j');
  expect(claims).toEqual({ application_id: APP, iat: 1_700_000_000, jti: 'j', exp: 1_700_000_060, sub: 'alice', acl });
});

test('every JWT gets its own random jti by default', () => {
  const a = vonageClaims({ applicationId: APP, jwtExpiresIn: 60 }, clock).jti;
  const b = vonageClaims({ applicationId: APP, jwtExpiresIn: 60 }, clock).jti;
  expect(a).toMatch(/^[0-9a-f-]{36}$/);
  expect(a).not.toBe(b);
});

test('an application ID must be a UUID', () => {
  expect(checkVonageApplicationId(APP)).toBeUndefined();
  expect(checkVonageApplicationId('abcd1234')).toMatch(/An API key \(8 hex digits\) is not the application ID/);
  expect(checkVonageApplicationId('')).toMatch(/is required/);
});

test('acl paths written as bare YAML keys mean {}; other shapes are refused with the expected form', () => {
  expect(checkVonageAcl({ paths: { '/*/users/**': null } })).toEqual({ acl: { paths: { '/*/users/**': {} } } });
  expect(checkVonageAcl({ paths: { 'users/**': {} } })).toEqual({
    problem: expect.stringMatching(/does not start with '\/'/),
  });
  expect(checkVonageAcl({ paths: { '/a': 'all' } })).toEqual({ problem: expect.stringMatching(/must be a mapping/) });
  expect(checkVonageAcl('paths')).toEqual({ problem: expect.stringMatching(/must be a mapping with a 'paths' key/) });
});

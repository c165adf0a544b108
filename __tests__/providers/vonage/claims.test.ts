import { createClock } from '../../../src/clock.js';
import { vonageClaims } from '../../../src/providers/vonage/claims.js';

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
  expect(Object.keys(claims)).toEqual(['application_id', 'iat', 'jti', 'exp', 'sub', 'acl']);
});

test('every JWT gets its own random jti by default', () => {
  const a = vonageClaims({ applicationId: APP, jwtExpiresIn: 60 }, clock).jti;
  const b = vonageClaims({ applicationId: APP, jwtExpiresIn: 60 }, clock).jti;
  expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(a).not.toBe(b);
});

test('iat and exp follow the clock offset', () => {
  const skewed = createClock(() => 1_700_000_000_000);
  skewed.setOffsetSeconds(30);
  expect(vonageClaims({ applicationId: APP, jwtExpiresIn: 60 }, skewed, () => 'j')).toMatchObject({
    iat: 1_700_000_030,
    exp: 1_700_000_090,
  });
});

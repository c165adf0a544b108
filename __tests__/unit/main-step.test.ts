import { createPublicKey, createVerify } from 'node:crypto';
import { createClock } from '../../src/clock.js';
import { runMain } from '../../src/main-step.js';
import { recordingRunner } from '../../test/fake-runner.ts';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const NOW_MS = 1_700_000_000_000;
const EXPIRES_AT = '2023-11-14T22:22:20.000Z'; // NOW_MS + the default 540 s
const KEY_BODY_LINES = APP_KEY_PEM.trim()
  .split('\n')
  .filter((line) => !line.startsWith('-----'));

async function main(inputs: Record<string, string>) {
  const recorded = recordingRunner(inputs);
  await runMain({ runner: recorded.runner, clock: createClock(() => NOW_MS), env: {} });
  return recorded;
}

const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));

describe('a JWT-only GitHub run', () => {
  const inputs = { 'app-id': '123456', 'private-key': APP_KEY_PEM };

  test('masks every line of the key before it does anything else', async () => {
    const { calls } = await main(inputs);
    const firstOther = calls.findIndex(([method]) => method !== 'setSecret');
    expect(firstOther).toBeGreaterThan(0);
    const maskedFirst = calls.slice(0, firstOther).map(([, value]) => value);
    expect(maskedFirst).toEqual(expect.arrayContaining(KEY_BODY_LINES));
  });

  test('masks the JWT and its signature before setting any output', async () => {
    const { calls, of } = await main(inputs);
    const jwt = Object.fromEntries(of('setOutput')).token;
    const signature = jwt.split('.')[2];
    const firstOutput = calls.findIndex(([method]) => method === 'setOutput');
    const masked = calls.slice(0, firstOutput).filter(([method]) => method === 'setSecret');
    expect(masked).toEqual(
      expect.arrayContaining([
        ['setSecret', jwt],
        ['setSecret', signature],
      ]),
    );
  });

  test('sets the JWT as token, with type jwt and its expiry by the given clock', async () => {
    const { of } = await main(inputs);
    const outputs = Object.fromEntries(of('setOutput'));
    expect(outputs).toEqual({
      token: outputs.jwt,
      'token-type': 'jwt',
      'expires-at': EXPIRES_AT,
      jwt: expect.stringMatching(/^ey[\w-]+\.ey[\w-]+\.[\w-]+$/),
      'jwt-expires-at': EXPIRES_AT,
    });
    const [header, payload, signature] = outputs.jwt.split('.');
    expect(decode(payload)).toEqual({ iat: NOW_MS / 1000 - 60, exp: NOW_MS / 1000 + 540, iss: 123456 });
    const verifies = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(createPublicKey(APP_KEY_PEM), Buffer.from(signature, 'base64url'));
    expect(verifies).toBe(true);
  });

  test('succeeds: no failure, no state for the post step (a JWT expires by itself), one summary', async () => {
    const { of } = await main(inputs);
    expect(of('setFailed')).toEqual([]);
    expect(of('saveState')).toEqual([]);
    expect(of('appendSummary')).toEqual([[expect.stringContaining('### app-jwt-action issued a JWT')]]);
  });
});

describe('a bad input fails the step once, naming the input, and sets nothing', () => {
  const truncatedKey = APP_KEY_PEM.trim().split('\n').slice(0, 13).join('\n');
  test.each([
    ['app-id', 'neither an App ID nor a Client ID', { 'app-id': 'my-app', 'private-key': APP_KEY_PEM }],
    ['app-id', 'missing', { 'private-key': APP_KEY_PEM }],
    ['private-key', 'cut short', { 'app-id': '123456', 'private-key': truncatedKey }],
    ['jwt-expires-in', 'over 600 s', { 'app-id': '123456', 'private-key': APP_KEY_PEM, 'jwt-expires-in': '900' }],
    ['provider', 'not one served', { provider: 'gitlab', 'app-id': '123456', 'private-key': APP_KEY_PEM }],
    ['acl', "another provider's", { 'app-id': '123456', 'private-key': APP_KEY_PEM, acl: '{paths: {}}' }],
  ])('%s: %s', async (input, _what, inputs) => {
    const { of } = await main(inputs);
    const failures = of('setFailed');
    expect(failures).toEqual([[expect.stringMatching(new RegExp(`^Input '${input}': `))]]);
    expect(of('setOutput')).toEqual([]);
    expect(of('saveState')).toEqual([]);
    expect(of('appendSummary')).toEqual([]);
    for (const line of KEY_BODY_LINES) expect(failures[0][0]).not.toContain(line);
  });
});

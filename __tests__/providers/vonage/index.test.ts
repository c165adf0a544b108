import { createClock } from '../../../src/clock.js';
import type { ProviderContext } from '../../../src/providers/provider.js';
import { vonage } from '../../../src/providers/vonage/index.js';
import { readVonageSettings } from '../../../src/providers/vonage/settings.js';
import { createInputReader } from '../../../src/settings/inputs.js';
import { startVonageEmulator } from '../../../test/emulators/vonage.ts';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';

const APP = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';
const NOW_MS = 1_700_000_000_000;

function settingsFor(inputs: Record<string, string> = {}) {
  const all: Record<string, string> = { 'app-id': APP, 'private-key': APP_KEY_PEM, ...inputs };
  return readVonageSettings(createInputReader((name) => all[name] ?? ''));
}

/** A context that records, in one list, what was masked and logged; no network. */
function recordingContext(clock = createClock(() => NOW_MS)) {
  const events: [kind: string, text: string][] = [];
  const context: ProviderContext = {
    log: {
      info: (text) => events.push(['info', text]),
      notice: (text) => events.push(['notice', text]),
      warning: (text) => events.push(['warning', text]),
      debug: (text) => events.push(['debug', text]),
    },
    mask: (secret) => events.push(['mask', secret]),
    clock,
    env: {},
    transport: () => Promise.reject(new Error('a Vonage JWT needs no network')),
  };
  return { context, events };
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

test('the secrets to mask first are the lines of the key', async () => {
  const settings = await settingsFor();
  if (settings.key.kind !== 'signer') throw new Error('a PEM key was given');
  expect(vonage.secrets(settings)).toBe(settings.key.secrets);
});

test('issues the signed JWT as the token, masked before it is logged', async () => {
  const { context, events } = recordingContext();
  const credentials = await vonage.issue(await settingsFor(), context);
  const { token, signature } = credentials.jwt!;
  expect(events).toEqual([
    ['mask', token],
    ['mask', signature],
    ['info', `Signed a JWT for Vonage application ${APP}; it expires at 2023-11-14T22:28:20.000Z.`],
  ]);
  expect(credentials).toEqual({
    token,
    tokenType: 'jwt',
    expiresAt: new Date('2023-11-14T22:28:20.000Z'),
    jwt: { token, signature, expiresAt: new Date('2023-11-14T22:28:20.000Z') },
    secrets: [],
    outputs: {},
    summary: [
      ['Provider', 'Vonage'],
      ['Application', APP],
      ['Claims', 'application_id, iat, jti, exp'],
      ['JWT expires', '2023-11-14T22:28:20.000Z'],
    ],
  });
  expect(credentials.revoke).toBeUndefined();
  expect(claimsOf(token)).toEqual({
    application_id: APP,
    iat: 1_700_000_000,
    jti: expect.any(String),
    exp: 1_700_000_900,
  });
});

test('the summary lists sub and the acl paths when given, never the JWT', async () => {
  const { context } = recordingContext();
  const settings = await settingsFor({ subject: 'alice', acl: '{"paths": {"/*/users/**": {}, "/*/legs/**": {}}}' });
  const credentials = await vonage.issue(settings, context);
  expect(credentials.summary).toContainEqual([
    'Claims',
    'application_id, iat, jti, exp; sub: alice; acl paths: /*/users/**, /*/legs/**',
  ]);
  expect(JSON.stringify(credentials.summary)).not.toContain(credentials.token);
  expect(claimsOf(credentials.token)).toMatchObject({
    sub: 'alice',
    acl: { paths: { '/*/users/**': {}, '/*/legs/**': {} } },
  });
});

test("Vonage accepts the JWT: the emulator's Voice API answers it", async () => {
  const emulator = await startVonageEmulator({ applications: [{ id: APP, publicKey: APP_KEY_PEM }] });
  try {
    const { context } = recordingContext(createClock());
    const { token } = await vonage.issue(await settingsFor(), context);
    const response = await fetch(`${emulator.url}/v1/calls`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(emulator.rejectedJwts()).toEqual([]);
    expect(emulator.acceptedJwts()).toEqual([
      expect.objectContaining({ applicationId: APP, jti: claimsOf(token).jti }),
    ]);
  } finally {
    await emulator.close();
  }
});

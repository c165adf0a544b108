// The RingCentral provider record: what it masks, what it issues and keeps for the post step, and the revoke,
// against the RingCentral emulator through the action's transport.
import { createClock } from '../../../src/clock.js';
import { createTransport } from '../../../src/http/transport.js';
import type { ProviderContext, RevokeRecord } from '../../../src/providers/provider.js';
import { ringcentral } from '../../../src/providers/ringcentral/index.js';
import { readRingCentralSettings } from '../../../src/providers/ringcentral/settings.js';
import { createInputReader } from '../../../src/settings/inputs.js';
import {
  makeRingCentralClient,
  startRingCentralEmulator,
  type RingCentralEmulator,
} from '../../../test/emulators/ringcentral.ts';

const app = makeRingCentralClient();
const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
let rc: RingCentralEmulator;

beforeAll(async () => {
  rc = await startRingCentralEmulator({ clients: [app] });
});
afterAll(() => rc.close());

function recordingContext() {
  const events: [kind: string, text: string][] = [];
  let transports = 0;
  const context: ProviderContext = {
    log: {
      info: (text) => events.push(['info', text]),
      notice: (text) => events.push(['notice', text]),
      warning: (text) => events.push(['warning', text]),
      debug: (text) => events.push(['debug', text]),
    },
    mask: (secret) => events.push(['mask', secret]),
    clock: createClock(),
    env: {},
    transport: async () => {
      transports++;
      return createTransport({ retry: { sleep: async () => undefined } });
    },
  };
  return { context, events, transports: () => transports };
}

async function settingsFor(inputs: Record<string, string> = {}) {
  const all: Record<string, string> = {
    jwt: rc.issueCredential({ userId: 3 }),
    'client-id': app.clientId,
    'client-secret': app.clientSecret,
    'server-url': rc.url,
    ...inputs,
  };
  return readRingCentralSettings(
    createInputReader((name) => all[name] ?? ''),
    { env: {}, clock: createClock() },
  );
}

test('the secrets to mask first: the credential, its signature, the client secret and the Basic value', async () => {
  const settings = await settingsFor();
  expect(ringcentral.secrets(settings)).toEqual([
    settings.credential,
    settings.credential.split('.')[2],
    app.clientSecret,
    basic,
  ]);
});

test('issues the access token, logs where it came from, and keeps what the post step needs', async () => {
  const { context, events } = recordingContext();
  const credentials = await ringcentral.issue(await settingsFor(), context);
  const session = rc.liveSessions().at(-1)!;
  expect(credentials.token).toBe(session.accessToken);
  expect(credentials.secrets).toEqual([session.accessToken, session.refreshToken]);
  // The tokens are masked the moment they arrive, before the line that says where they came from.
  expect(events).toEqual([
    ['mask', session.accessToken],
    ['mask', session.refreshToken],
    ['info', `Got a RingCentral access token from ${rc.url}; it expires at ${credentials.expiresAt!.toISOString()}.`],
  ]);
  expect(credentials.revoke).toEqual([
    {
      provider: 'ringcentral',
      token: session.accessToken,
      apiUrl: rc.url,
      expiresAt: credentials.expiresAt!.toISOString(),
      extra: { clientId: app.clientId, clientSecret: app.clientSecret },
    },
  ]);
  expect(credentials.summary.at(-1)).toEqual(['Revoked after the job', 'yes']);
  expect(JSON.stringify(credentials.summary)).not.toContain(app.clientSecret);
});

test('skip-token-revoke: nothing for the post step, and the summary says so', async () => {
  const { context } = recordingContext();
  const credentials = await ringcentral.issue(await settingsFor({ 'skip-token-revoke': 'true' }), context);
  expect(credentials.revoke).toBeUndefined();
  expect(credentials.summary.at(-1)).toEqual(['Revoked after the job', 'no (skip-token-revoke)']);
});

test('the revoke masks the client secret and the Basic value, then ends the session', async () => {
  const issued = recordingContext();
  const [record] = (await ringcentral.issue(await settingsFor(), issued.context)).revoke!;
  const { context, events } = recordingContext();
  expect(await ringcentral.revoke!(record, context)).toBe(
    'Revoked the RingCentral access token; its session has ended.',
  );
  expect(events).toEqual([
    ['mask', app.clientSecret],
    ['mask', basic],
  ]);
  expect(rc.sessions().find((s) => s.accessToken === record.token)?.state).toBe('revoked');
});

test.each([
  ['no extra', undefined],
  ['no client secret', { clientId: app.clientId }],
  ['an empty client ID', { clientId: '', clientSecret: app.clientSecret }],
])('a record with %s is not sent anywhere: the revoke says why', async (_what, extra) => {
  const { context, events, transports } = recordingContext();
  const before = rc.requests.length;
  const record: RevokeRecord = {
    provider: 'ringcentral',
    token: 'at',
    apiUrl: rc.url,
    expiresAt: '2030-01-01T00:00:00Z',
    extra,
  };
  await expect(ringcentral.revoke!(record, context)).rejects.toThrow(
    'the saved state holds no client ID and secret to revoke it with',
  );
  expect(rc.requests.length).toBe(before);
  expect(transports()).toBe(0);
  expect(events).toEqual([]);
});

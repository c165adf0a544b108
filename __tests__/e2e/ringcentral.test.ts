// provider: ringcentral, from the committed dist/ under Node 24, against the RingCentral emulator.
import { leaksOf, runAction, transcript, savedRecords, type ActionRun } from '../../test/action-process.ts';
import {
  makeRingCentralClient,
  rateLimited,
  startRingCentralEmulator,
  type RingCentralEmulator,
} from '../../test/emulators/ringcentral.ts';

/** Runs the action and records what a user sees of it as this scenario's snapshot. */
async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(
    transcript(run, {
      names: { token: run.outputs?.token, 'client-id': client.clientId, 'other-client-id': noJwtFlow.clientId },
      urls: { ringcentral: rc.url },
      requests: requestsMade(),
    }),
  ).toMatchSnapshot();
  return run;
}

const client = makeRingCentralClient();
const noJwtFlow = makeRingCentralClient({ jwtFlowAllowed: false });
let rc: RingCentralEmulator;
let credential: string;

beforeEach(async () => {
  rc = await startRingCentralEmulator({ clients: [client, noJwtFlow], sessionLimit: 2 });
  credential = rc.issueCredential({ userId: 101 });
});
afterEach(() => rc.close());

const inputs = (extra: Record<string, string> = {}) => ({
  provider: 'ringcentral',
  jwt: credential,
  'client-id': client.clientId,
  'client-secret': client.clientSecret,
  'server-url': rc.url,
  ...extra,
});
const requestsMade = () => rc.requests.map((r) => `${r.method} ${r.path}`);

async function extension(token: string) {
  const response = await fetch(`${rc.url}/restapi/v1.0/account/~/extension/~`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

function secretsOf(run: ActionRun) {
  const refresh = rc.sessions().map((s) => s.refreshToken);
  return [credential, client.clientSecret, run.outputs.token ?? '', ...refresh].filter(Boolean);
}

function expectFailure(run: ActionRun, pattern: RegExp) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(pattern);
  expect(run.outputs).toEqual({});
  expect(leaksOf(run, secretsOf(run))).toEqual([]);
}

test('exchanges the JWT credential for a masked access token with the JWT-bearer grant', async () => {
  const run = await runScenario('main', { inputs: inputs() });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs['token-type']).toBe('access');
  expect(run.outputs.jwt).toBeUndefined();
  expect(Object.keys(run.outputs).sort()).toEqual(['expires-at', 'token', 'token-type']);
  expect(requestsMade()).toEqual(['POST /restapi/oauth/token']);
  expect(await extension(run.outputs.token)).toBe(200);
  expect(Date.parse(run.outputs['expires-at']) - Date.now()).toBeGreaterThan(3500 * 1000);
  const [request] = rc.requests;
  expect(request.body).toEqual({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: credential });
  expect(request.headers.authorization).toBe(
    `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
  );
  const [session] = rc.sessions();
  expect(run.masks).toEqual(
    expect.arrayContaining([credential, client.clientSecret, run.outputs.token, session.refreshToken]),
  );
  expect(leaksOf(run, secretsOf(run))).toEqual([]);
  expect(run.summary).toContain(`| App (client ID) | ${client.clientId} |`);
  expect(run.summary).toContain('| Revoked after the job | yes |');
});

test('the post step revokes the token, which ends the session', async () => {
  const main = await runScenario('main', { inputs: inputs() });
  expect(savedRecords(main)).toMatchObject([{ provider: 'ringcentral', token: main.outputs.token, apiUrl: rc.url }]);
  const post = await runScenario('post', { inputs: inputs(), state: main.state });
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toMatch(/Revoked the RingCentral access token/);
  expect(requestsMade()).toEqual(['POST /restapi/oauth/token', 'POST /restapi/oauth/revoke']);
  expect(rc.requests[1].body).toEqual({ token: main.outputs.token });
  expect(await extension(main.outputs.token)).toBe(401);
  expect(rc.liveSessions()).toEqual([]);
  expect(leaksOf(post, secretsOf(main))).toEqual([]);
});

test('revoking in the post step keeps later runs within the session limit', async () => {
  const tokens: string[] = [];
  for (let i = 0; i < 3; i++) {
    const main = await runScenario('main', { inputs: inputs() });
    tokens.push(main.outputs.token);
    await runScenario('post', { inputs: inputs(), state: main.state });
  }
  expect(rc.sessions().map((s) => s.state)).toEqual(['revoked', 'revoked', 'revoked']);
});

test('skip-token-revoke leaves the session open', async () => {
  const main = await runScenario('main', { inputs: inputs({ 'skip-token-revoke': 'true' }) });
  expect(main.state).toEqual({});
  await runScenario('post', { inputs: inputs({ 'skip-token-revoke': 'true' }), state: main.state });
  expect(requestsMade()).toEqual(['POST /restapi/oauth/token']);
  expect(await extension(main.outputs.token)).toBe(200);
});

test('a failed revoke is a warning, never a failed job', async () => {
  const main = await runScenario('main', { inputs: inputs() });
  rc.fail('POST /restapi/oauth/revoke', { status: 400, body: { error: 'invalid_request', error_description: 'nope' } });
  const post = await runScenario('post', { inputs: inputs(), state: main.state });
  expect(post.exitCode).toBe(0);
  expect(post.warnings).toEqual([
    expect.stringMatching(/Could not revoke the token: RingCentral answered 400 invalid_request/),
  ]);
});

test('a 429 with Retry-After is retried after it', async () => {
  rc.fail('POST /restapi/oauth/token', rateLimited(1));
  const started = Date.now();
  const run = await runScenario('main', { inputs: inputs() });
  expect(run.exitCode).toBe(0);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(requestsMade()).toEqual(['POST /restapi/oauth/token', 'POST /restapi/oauth/token']);
});

test('a 503 is retried', async () => {
  rc.fail('POST /restapi/oauth/token', { status: 503, body: 'Service Unavailable' });
  const run = await runScenario('main', { inputs: inputs() });
  expect(run.exitCode).toBe(0);
  expect(requestsMade()).toHaveLength(2);
});

describe('RingCentral errors name the cause and the fix', () => {
  test('a wrong client secret', async () => {
    const run = await runScenario('main', { inputs: inputs({ 'client-secret': 'wrong-secret-value' }) });
    expectFailure(run, /RingCentral refused the app's credentials \(400 OAU-153.*client-secret is not its secret/);
    expect(requestsMade()).toHaveLength(1);
  });

  test('an unknown client ID', async () => {
    const run = await runScenario('main', { inputs: inputs({ 'client-id': 'NoSuchClient' }) });
    expectFailure(run, /client-id 'NoSuchClient' is not an app on http:\/\/127\.0\.0\.1:\d+/);
  });

  test('a revoked JWT credential', async () => {
    rc.revokeCredential(credential);
    expectFailure(await runScenario('main', { inputs: inputs() }), /The JWT credential has been revoked \(400 OAU-213/);
  });

  test('an expired JWT credential', async () => {
    credential = rc.issueCredential({ userId: 101, expiresAt: Math.floor(Date.now() / 1000) + 2 });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // The action checks exp itself before any request.
    expectFailure(await runScenario('main', { inputs: inputs() }), /^Input 'jwt': is a JWT credential that expired at/);
    expect(rc.requests).toEqual([]);
  });

  test('a credential made for another app', async () => {
    credential = rc.issueCredential({ userId: 101, clientIds: ['SomeOtherApp'] });
    expectFailure(await runScenario('main', { inputs: inputs() }), /not allowed for app '.*' \(401 OAU-121/);
  });

  test('an app without the JWT flow', async () => {
    const run = await runScenario('main', {
      inputs: inputs({ 'client-id': noJwtFlow.clientId, 'client-secret': noJwtFlow.clientSecret }),
    });
    expectFailure(run, /may not use the JWT flow \(400 OAU-251.*enable "JWT auth flow"/);
  });

  test('a credential from the other environment', async () => {
    const other = await startRingCentralEmulator({ clients: [client] });
    credential = other.issueCredential({ userId: 7 });
    await other.close();
    expectFailure(await runScenario('main', { inputs: inputs() }), /OAU-250.*sandbox works only with server-url/);
  });

  test('rate limited until retries run out', async () => {
    rc.fail('POST /restapi/oauth/token', rateLimited(0), rateLimited(0), rateLimited(0), rateLimited(0));
    expectFailure(await runScenario('main', { inputs: inputs() }), /request rate is exceeded .*after retrying/);
    expect(requestsMade()).toHaveLength(4);
  });
});

describe('bad inputs fail before any request', () => {
  test.each([
    [{ jwt: '' }, /^Input 'jwt': is required with provider: ringcentral/],
    [{ jwt: 'abc' }, /^Input 'jwt': is not a JWT/],
    [{ 'client-secret': '' }, /^Input 'client-secret': is required/],
    [{ 'server-url': 'http://platform.ringcentral.example' }, /^Input 'server-url': .*is not https/],
    [{ 'app-id': '123' }, /^Input 'app-id': is for provider: github or vonage/],
    [{ permissions: 'contents: read' }, /^Input 'permissions': is for provider: github/],
  ])('%j', async (extra, pattern) => {
    expectFailure(await runScenario('main', { inputs: inputs(extra) }), pattern);
    expect(rc.requests).toEqual([]);
  });
});

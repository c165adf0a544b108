// Servers that answer with what they should not, on the committed dist/ under Node 24 (issue 10, classes 1,
// 3 and 6): server text never becomes a workflow command; a success answer that cannot be used fails, naming
// the field, and the token it carried is revoked; RingCentral's documented error codes are told; a step that
// fails after a token was issued revokes it before it ends.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { leaksOf, runAction, transcript, type ActionRun } from '../../test/action-process.ts';
import { makeTestApp, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';
import {
  makeRingCentralClient,
  startRingCentralEmulator,
  type RingCentralEmulator,
} from '../../test/emulators/ringcentral.ts';

const client = makeRingCentralClient();
const { app, privateKeyPem } = makeTestApp({ id: 5150, slug: 'revoking-bot' });
let rc: RingCentralEmulator;
let github: GitHubEmulator;
let credential: string;

beforeAll(async () => {
  github = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 5151,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'all',
        repositories: ['octo-repo'],
        permissions: { contents: 'read', metadata: 'read' },
      },
    ],
  });
});
afterAll(() => github.close());
beforeEach(async () => {
  rc = await startRingCentralEmulator({ clients: [client] });
  credential = rc.issueCredential({ userId: 202 });
  github.requests.length = 0;
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
const requestsMade = () => [
  ...rc.requests.map((r) => `${r.method} ${r.path}`),
  ...github.requests.map((r) => `${r.method} ${r.path}`),
];
const secretsOf = (run: ActionRun) =>
  [
    credential,
    client.clientSecret,
    run.outputs.token ?? '',
    ...rc.sessions().flatMap((s) => [s.accessToken, s.refreshToken]),
  ].filter(Boolean);

async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(
    transcript(run, {
      names: { 'client-id': client.clientId },
      urls: { ringcentral: rc.url, github: github.url },
      requests: requestsMade(),
    }),
  ).toMatchSnapshot();
  return run;
}

/** The runner reads stdout line by line: only the action's own commands may start a line with '::'. */
function commandLines(run: ActionRun): string[] {
  return run.stdout
    .split('\n')
    .filter((line) => /^\s*::/.test(line) && !/^::(add-mask|error|warning|debug)::/.test(line));
}

describe('server text never becomes a workflow command', () => {
  test('a RingCentral error carrying ::stop-commands:: and line breaks: one ::error:: line, nothing obeyed', async () => {
    rc.fail('POST /restapi/oauth/token', {
      status: 400,
      body: {
        error: 'invalid_grant',
        errorCode: 'XYZ-042',
        error_description: 'Denied\n::stop-commands::pwned\r\n::add-mask::\n##[error]fake',
      },
    });
    const run = await runScenario('main', { inputs: inputs() });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'RingCentral refused the JWT credential (400 XYZ-042: Denied ::stop-commands::pwned ::add-mask:: ## [error]fake): it has expired or been revoked, it is for another app, or it was made on another server (sandbox and production credentials do not mix). Create a new one in the RingCentral developer console (Credentials > JWT), and update the jwt secret.',
    ]);
    expect(commandLines(run)).toEqual([]);
    expect(run.stdout).not.toContain('%0A');
    expect(leaksOf(run, secretsOf(run))).toEqual([]);
  });
});

describe("RingCentral's documented errors", () => {
  test('a wrong client secret, 401 OAU-146: names client-id and client-secret', async () => {
    rc.fail('POST /restapi/oauth/token', {
      status: 401,
      body: {
        error: 'invalid_client',
        errorCode: 'OAU-146',
        error_description: 'Invalid client credentials',
        errors: [{ errorCode: 'OAU-146', message: 'Invalid client credentials' }],
      },
    });
    const run = await runScenario('main', { inputs: inputs() });
    expect(run.errors).toEqual([
      `RingCentral refused the app's credentials (401 OAU-146: Invalid client credentials): client-id '${client.clientId}' is not an app on ${rc.url}, or client-secret is not its secret. Copy both from the app's Credentials page in the RingCentral developer console; a sandbox app's credentials work only with server-url: https://platform.devtest.ringcentral.com.`,
    ]);
  });

  test('an answer with no code and no body: the status, said once', async () => {
    rc.fail('POST /restapi/oauth/token', { status: 400, body: 'HTTP 400: Bad Request' });
    const run = await runScenario('main', { inputs: inputs() });
    expect(run.errors).toEqual(['RingCentral refused the login (400: Bad Request).']);
  });
});

describe('a 200 the action cannot use fails, and the token it carried is revoked', () => {
  test.each([
    [
      'expires_in that is not a number',
      { expires_in: 'an hour' },
      "expires_in 'an hour', which is not a number of seconds",
    ],
    ['a negative expires_in', { expires_in: -1 }, 'expires_in -1: the token was expired when it was issued'],
  ])('%s', async (_what, fields, problem) => {
    rc.fail('POST /restapi/oauth/token', {
      status: 200,
      body: { access_token: 'rc-issued-but-unusable-token', refresh_token: 'rc-refresh-of-it', ...fields },
    });
    const run = await runScenario('main', { inputs: inputs() });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `RingCentral (${rc.url}) answered the login with 200 and ${problem}: the action cannot use that answer. The token it carried has been revoked. If server-url is a proxy or another service, point it at RingCentral's API server.`,
    ]);
    expect(run.masks).toEqual(expect.arrayContaining(['rc-issued-but-unusable-token', 'rc-refresh-of-it']));
    expect(rc.requests.map((r) => [r.path, r.body])).toEqual([
      ['/restapi/oauth/token', expect.anything()],
      ['/restapi/oauth/revoke', { token: 'rc-issued-but-unusable-token' }],
    ]);
    expect(run.outputs).toEqual({});
    expect(leaksOf(run, ['rc-issued-but-unusable-token', 'rc-refresh-of-it', ...secretsOf(run)])).toEqual([]);
  });

  test('a 200 without access_token: nothing to revoke, the field named', async () => {
    rc.fail('POST /restapi/oauth/token', { status: 200, body: { token_type: 'bearer', expires_in: 3600 } });
    const run = await runScenario('main', { inputs: inputs() });
    expect(run.errors).toEqual([expect.stringMatching(/answered the login with 200 and no access_token/)]);
    expect(requestsMade()).toEqual(['POST /restapi/oauth/token']);
  });
});

describe('a step that fails after a token was issued revokes it before it ends', () => {
  // The outputs file is gone: @actions/core cannot write the first output, after the token was issued.
  const missing = () => ({ GITHUB_OUTPUT: join(tmpdir(), `app-jwt-no-such-dir-${process.pid}`, 'output') });

  test.each([[{}], [{ 'skip-token-revoke': 'true' }]])('RingCentral %j: the session ends', async (extra) => {
    const run = await runAction('main', { inputs: inputs(extra), env: missing() });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/^app-jwt-action failed unexpectedly: Missing file at path: /)]);
    expect(run.stdout).toContain(
      'The step failed after the token was issued: Revoked the RingCentral access token; its session has ended.',
    );
    expect(rc.sessions().map((s) => s.state)).toEqual(['revoked']);
    expect(leaksOf(run, secretsOf(run))).toEqual([]);
  });

  test('GitHub: the installation token is revoked', async () => {
    const run = await runAction('main', {
      inputs: {
        'app-id': String(app.id),
        'private-key': privateKeyPem,
        exchange: 'true',
        'github-api-url': github.url,
      },
      env: missing(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('The step failed after the token was issued: Revoked the installation token.');
    const issued = github.issuedTokens();
    expect(issued.map((t) => t.revoked)).toEqual([true]);
    expect(leaksOf(run, [privateKeyPem, issued[0].token])).toEqual([]);
  });
});

// The post step in-process: run() reads the state the main step saved (STATE_revoke, as the runner hands it
// over) and revokes each token at its server, the emulators here. Whatever happens, the step never fails.
import { createClock } from '../src/clock.js';
import { run as runMain } from '../src/main.js';
import { run } from '../src/post.js';
import type { RevokeRecord } from '../src/providers/provider.js';
import { startGitHubEmulator, type EmulatedApp, type GitHubEmulator } from '../test/emulators/github.ts';
import {
  makeRingCentralClient,
  startRingCentralEmulator,
  type RingCentralEmulator,
} from '../test/emulators/ringcentral.ts';
import { fakeRunner, type RunnerRecord } from '../test/fake-runner.ts';
import { APP_KEY_PEM } from '../test/key-forms.ts';
import { startProxy, type RunningProxy } from '../test/proxy.ts';
import { makeTestCertificates } from '../test/tls.ts';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const EXPIRES = '2030-01-01T01:00:00.000Z';
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const RC_TOKEN = 'U0pDMTFQMDFQQVMwMXxBQUFfdG9rZW4';

const runner = fakeRunner();
const app: EmulatedApp = {
  id: 123456,
  clientId: 'Iv23liAbCdEfGhIjKlMn',
  slug: 'octo-bot',
  name: 'Octo Bot',
  owner: 'octo-org',
  publicKey: APP_KEY_PEM,
  permissions: { contents: 'read', metadata: 'read' },
};
const rcApp = makeRingCentralClient();
const rcExtra = { clientId: rcApp.clientId, clientSecret: rcApp.clientSecret };
let github: GitHubEmulator;
let untrusted: GitHubEmulator;
let rc: RingCentralEmulator;

beforeAll(async () => {
  [github, untrusted, rc] = await Promise.all([
    startGitHubEmulator({
      apps: [app],
      pathPrefix: '/api/v3',
      installations: [
        {
          id: 77,
          appId: app.id,
          account: { login: 'octo-org', type: 'Organization' },
          repositorySelection: 'all',
          repositories: ['octo-repo'],
          permissions: { contents: 'read', metadata: 'read' },
        },
      ],
    }),
    // A certificate this process does not trust.
    startGitHubEmulator({ apps: [app], tls: makeTestCertificates([]) }),
    startRingCentralEmulator({ clients: [rcApp] }),
  ]);
});
afterAll(async () => {
  runner.remove();
  await Promise.all([github.close(), untrusted.close(), rc.close()]);
});
beforeEach(() => {
  github.requests.length = 0;
  rc.requests.length = 0;
});

/** Runs the post step with this saved state, by a clock an hour before EXPIRES unless given one. */
async function post(
  state: Record<string, string>,
  clock = createClock(() => NOW),
  env: Record<string, string> = {},
): Promise<RunnerRecord> {
  const record = await runner.run(() => run(env, clock), { state });
  // The post step never fails the job.
  expect(record.exitCode).toBeUndefined();
  expect(record.commands('error')).toEqual([]);
  return record;
}

const stateOf = (...records: RevokeRecord[]) => ({ revoke: JSON.stringify(records) });
const githubRecord = (overrides: Partial<RevokeRecord> = {}): RevokeRecord => ({
  provider: 'github',
  token: TOKEN,
  apiUrl: github.url,
  expiresAt: EXPIRES,
  ...overrides,
});
const rcRecord = (overrides: Partial<RevokeRecord> = {}): RevokeRecord => ({
  provider: 'ringcentral',
  token: RC_TOKEN,
  apiUrl: rc.url,
  expiresAt: EXPIRES,
  extra: rcExtra,
  ...overrides,
});

test('no token in state (a JWT-only run, or skip-token-revoke): one debug line and no request', async () => {
  const record = await post({});
  expect(record.stdout).toBe(
    '::debug::Nothing to revoke: this run issued no token (a JWT expires by itself), or skip-token-revoke is set.\n',
  );
  expect(github.requests).toEqual([]);
});

test('an empty list of records is nothing to revoke too', async () => {
  expect((await post(stateOf())).commands('debug')).toEqual([expect.stringMatching(/^Nothing to revoke/)]);
});

test('an expired token is not sent anywhere: it is masked, and one line says when it expired', async () => {
  const record = await post(stateOf(githubRecord({ expiresAt: '2029-12-31T23:59:59.000Z' })));
  expect(record.stdout).toBe(
    `::add-mask::${TOKEN}\nThe token expired at 2029-12-31T23:59:59.000Z; nothing to revoke.\n`,
  );
  expect(github.requests).toEqual([]);
});

test("run() with no arguments reads the runner's state and the real clock", async () => {
  const record = await runner.run(() => run(), { state: stateOf(githubRecord({ expiresAt: '2020-01-01T00:00:00Z' })) });
  expect(record.exitCode).toBeUndefined();
  expect(record.info).toEqual(['The token expired at 2020-01-01T00:00:00.000Z; nothing to revoke.']);
});

test('even an unforeseen failure (stdout refusing a write) is only a warning', async () => {
  const eagain = Object.assign(new Error('write EAGAIN.'), { code: 'EAGAIN' });
  const record = await runner.run(
    () =>
      run(
        {},
        createClock(() => NOW),
      ),
    {
      state: stateOf(githubRecord()),
      stdoutError: (text) => (text.startsWith('::add-mask::') ? eagain : undefined),
    },
  );
  expect(record.exitCode).toBeUndefined();
  expect(record.commands('warning')).toEqual(['The post step could not finish: write EAGAIN.']);
  expect(github.requests).toEqual([]);
});

describe('GitHub', () => {
  test('the token the main step issued is masked, then revoked with DELETE /installation/token under the API URL', async () => {
    const main = await runner.run(() => runMain({ GITHUB_REPOSITORY: 'octo-org/octo-repo' }, createClock()), {
      inputs: { 'app-id': '123456', 'private-key': APP_KEY_PEM, exchange: 'true', 'github-api-url': github.url },
    });
    const token = main.outputs.token;
    github.requests.length = 0;
    // The runner hands the post step what the main step saved.
    const record = await post(main.state, createClock());
    expect(github.requests).toEqual([
      expect.objectContaining({
        method: 'DELETE',
        path: '/api/v3/installation/token',
        headers: expect.objectContaining({ authorization: `Bearer ${token}` }),
      }),
    ]);
    expect(record.stdout).toBe(`::add-mask::${token}\nRevoked the installation token.\n`);
    expect(github.issuedTokens().find((t) => t.token === token)?.revoked).toBe(true);
  });

  test('a token already revoked (401) is noted, not warned about', async () => {
    const record = await post(stateOf(githubRecord()));
    expect(record.commands('warning')).toEqual([]);
    expect(record.info).toEqual([
      'The installation token was already revoked or expired (GitHub answered 401 "Bad credentials"); nothing to revoke.',
    ]);
  });

  test('a refused revoke is a warning with the reason and the expiry; the step does not fail', async () => {
    github.fail('DELETE /installation/token', {
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const record = await post(stateOf(githubRecord()));
    expect(record.commands('warning')).toEqual([
      'Could not revoke the token: GitHub answered 403 "Resource not accessible by integration" to DELETE /installation/token. It expires by itself at 2030-01-01T01:00:00.000Z.',
    ]);
  });

  test('a network failure is a warning too, and never quotes the token', async () => {
    const record = await post(stateOf(githubRecord({ apiUrl: untrusted.url })));
    const [warning] = record.commands('warning');
    expect(warning).toMatch(
      /^Could not revoke the token: DELETE https:\/\/127\.0\.0\.1:\d+\/installation\/token failed after 1 attempt: the TLS certificate/,
    );
    expect(warning).toMatch(/It expires by itself at 2030-01-01T01:00:00\.000Z\.$/);
    expect(record.stdout.replace(`::add-mask::${TOKEN}\n`, '')).not.toContain(TOKEN);
    expect(untrusted.requests).toEqual([]);
  });
});

describe('RingCentral', () => {
  test('the token the main step issued is revoked at its server, with the client ID and secret it saved', async () => {
    const main = await runner.run(() => runMain({}, createClock()), {
      inputs: {
        provider: 'ringcentral',
        jwt: rc.issueCredential({ userId: 5 }),
        'client-id': rcApp.clientId,
        'client-secret': rcApp.clientSecret,
        'server-url': rc.url,
      },
    });
    const token = main.outputs.token;
    rc.requests.length = 0;
    const record = await post(main.state, createClock());
    const basic = Buffer.from(`${rcApp.clientId}:${rcApp.clientSecret}`).toString('base64');
    expect(rc.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/restapi/oauth/revoke',
        headers: expect.objectContaining({
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
        }),
        body: { token },
      }),
    ]);
    expect(record.stdout).toBe(
      [
        `::add-mask::${token}`,
        `::add-mask::${rcApp.clientSecret}`,
        `::add-mask::${basic}`,
        'Revoked the RingCentral access token; its session has ended.',
        '',
      ].join('\n'),
    );
    expect(rc.sessions().find((s) => s.accessToken === token)?.state).toBe('revoked');
  });

  test('a record without the client secret: a warning, and no request', async () => {
    const record = await post(stateOf(rcRecord({ extra: { clientId: rcApp.clientId } })));
    expect(record.commands('warning')).toEqual([
      'Could not revoke the token: the saved state holds no client ID and secret to revoke it with. It expires by itself at 2030-01-01T01:00:00.000Z.',
    ]);
    expect(rc.requests).toEqual([]);
  });

  test('RingCentral refusing the revoke is a warning with its error code', async () => {
    rc.fail('POST /restapi/oauth/revoke', {
      status: 401,
      body: {
        errorCode: 'OAU-123',
        message: 'Invalid client',
        errors: [{ errorCode: 'OAU-123', message: 'Invalid client' }],
      },
    });
    const record = await post(stateOf(rcRecord()));
    expect(record.commands('warning')).toEqual([
      'Could not revoke the token: RingCentral answered 401 OAU-123 (Invalid client) to the revoke request. It expires by itself at 2030-01-01T01:00:00.000Z.',
    ]);
  });
});

test('every record is revoked, in order, each failure on its own', async () => {
  github.fail('DELETE /installation/token', { status: 403, body: { message: 'Forbidden' } });
  const record = await post(stateOf(githubRecord(), rcRecord()));
  expect(record.commands('warning')).toEqual([
    expect.stringMatching(/^Could not revoke the token: GitHub answered 403/),
  ]);
  expect(record.info).toEqual(['Revoked the RingCentral access token; its session has ended.']);
  expect(record.masks.slice(0, 1)).toEqual([TOKEN]);
  expect(rc.requests.map((r) => r.path)).toEqual(['/restapi/oauth/revoke']);
});

// Found with the old post step: a record with no readable expiry made the warning throw (new Date(NaN)).
test('a failed revoke with no readable expiry in state is still only a warning, and the revoke is tried', async () => {
  github.fail('DELETE /installation/token', {
    status: 403,
    body: { message: 'Resource not accessible by integration' },
  });
  const record = await post(stateOf(githubRecord({ expiresAt: 'soon' })));
  expect(record.commands('warning')).toEqual([
    'Could not revoke the token: GitHub answered 403 "Resource not accessible by integration" to DELETE /installation/token. It expires by itself within the hour.',
  ]);
  expect(github.requests).toHaveLength(1);
});

describe('state the action did not save', () => {
  test.each([
    ['not JSON', '{"provider":'],
    ['not a list', JSON.stringify({ provider: 'github', token: TOKEN, apiUrl: 'https://x', expiresAt: EXPIRES })],
    [
      'a record without a token',
      JSON.stringify([{ provider: 'github', token: '', apiUrl: 'https://x', expiresAt: EXPIRES }]),
    ],
  ])('%s: a warning, and nothing is sent', async (_what, text) => {
    const record = await post({ revoke: text });
    expect(record.commands('warning')).toEqual([
      'Nothing was revoked: the saved state is not what this action saves. Any token the main step issued expires by itself.',
    ]);
    expect(record.masks).toEqual([]);
    expect(github.requests).toEqual([]);
  });

  test.each(['gitlab', 'vonage'])('a record for %s: a warning that no provider revokes it', async (provider) => {
    const record = await post(stateOf(githubRecord({ provider })));
    expect(record.masks).toEqual([TOKEN]);
    expect(record.commands('warning')).toEqual([
      'Could not revoke the token: the saved state names no provider this action revokes for. It expires by itself at 2030-01-01T01:00:00.000Z.',
    ]);
    expect(github.requests).toEqual([]);
  });
});

describe('the post step trusts nothing in the state', () => {
  let proxy: RunningProxy;
  beforeAll(async () => {
    // A real proxy mapping the names below to the emulator: had the step sent a request, the proxy would see it.
    proxy = await startProxy({ hosts: { 'api.evil.test': '127.0.0.1', 'rc.evil.test': '127.0.0.1' } });
  });
  afterAll(() => proxy.close());
  beforeEach(() => {
    proxy.seen.length = 0;
  });
  const proxied = (state: Record<string, string>) =>
    post(
      state,
      createClock(() => NOW),
      { HTTP_PROXY: proxy.url },
    );

  test.each([
    ['GitHub', () => githubRecord({ apiUrl: `http://api.evil.test:${new URL(github.url).port}/api/v3` })],
    ['RingCentral', () => rcRecord({ apiUrl: `http://rc.evil.test:${new URL(rc.url).port}` })],
  ])('%s: an API base over plain http to a host that is not loopback: one warning, no request', async (_name, make) => {
    const record = await proxied(stateOf(make()));
    expect(record.commands('warning')).toEqual([
      expect.stringMatching(
        /^Nothing was revoked: the saved API base fails the check the main step makes of its URL inputs: 'http:\/\/(api|rc)\.evil\.test:\d+(\/api\/v3)?' is not https: the action sends credentials to this URL, so it must be https \(plain http is accepted only for loopback addresses such as localhost, 127\.0\.0\.1 and \[::1\], for local test servers\)\. Any token the main step issued expires by itself\.$/,
      ),
    ]);
    expect(proxy.seen).toEqual([]);
    expect(github.requests).toEqual([]);
    expect(rc.requests).toEqual([]);
  });

  test.each([
    ['no API base', { apiUrl: '' }, 'the saved state names no API base to revoke the token at'],
    [
      'an API base that is not a URL',
      { apiUrl: 'not a url' },
      "the saved API base fails the check the main step makes of its URL inputs: holds 'not a url', not a URL",
    ],
    [
      'an API base with a query',
      { apiUrl: 'https://api.github.com/?x=1' },
      "the saved API base fails the check the main step makes of its URL inputs: 'https://api.github.com' has a query string or fragment",
    ],
    [
      'a token with a line break',
      { token: `${TOKEN}\n::stop-commands::x` },
      'the saved token is not one line of printable characters, as every token this action saves is',
    ],
    [
      'a token with a space',
      { token: `Bearer ${TOKEN}` },
      'the saved token is not one line of printable characters, as every token this action saves is',
    ],
  ])('%s: one clear warning, nothing masked, nothing sent', async (_what, overrides, problem) => {
    const record = await post(stateOf(githubRecord(overrides)));
    const [warning, ...more] = record.commands('warning');
    expect(more).toEqual([]);
    expect(warning.startsWith(`Nothing was revoked: ${problem}`)).toBe(true);
    expect(warning).toMatch(/Any token the main step issued expires by itself\.$/);
    expect(record.masks).toEqual([]);
    expect(github.requests).toEqual([]);
    expect(record.stdout.split('\n').filter((line) => line.startsWith('::stop-commands::'))).toEqual([]);
  });

  test("the saved base is used as the main step's rule writes it: a trailing slash is dropped", async () => {
    await post(stateOf(githubRecord({ apiUrl: `${github.url}/` })));
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['DELETE /api/v3/installation/token']);
  });

  test('skip-token-revoke, read in the post step too: nothing is sent, one line says when the token expires', async () => {
    const record = await runner.run(
      () =>
        run(
          {},
          createClock(() => NOW),
        ),
      {
        state: stateOf(githubRecord()),
        inputs: { 'skip-token-revoke': 'true' },
      },
    );
    expect(record.stdout).toBe(
      'skip-token-revoke is set: the token is not revoked; it expires by itself at 2030-01-01T01:00:00.000Z.\n',
    );
    expect(github.requests).toEqual([]);
  });

  test('a skip-token-revoke that is not a boolean: a warning, and the token is revoked all the same', async () => {
    const record = await runner.run(
      () =>
        run(
          {},
          createClock(() => NOW),
        ),
      {
        state: stateOf(githubRecord()),
        inputs: { 'skip-token-revoke': 'yes' },
      },
    );
    expect(record.commands('warning')).toEqual([
      "Input 'skip-token-revoke': 'yes' is not a boolean: write true or false. The post step revokes the token all the same.",
    ]);
    expect(github.requests.map((r) => r.method)).toEqual(['DELETE']);
  });

  test("a server's answer to the revoke cannot write lines of its own: the info line stays one line", async () => {
    github.fail('DELETE /installation/token', {
      status: 401,
      body: { message: 'Bad credentials\n::stop-commands::pwned\n::warning::fake' },
    });
    const record = await post(stateOf(githubRecord()));
    const lines = record.stdout.split('\n').filter(Boolean);
    expect(lines.filter((line) => line.startsWith('::') && !line.startsWith('::add-mask::'))).toEqual([]);
    expect(record.info).toHaveLength(1);
    expect(record.info[0]).toMatch(
      /^The installation token was already revoked .*Bad credentials.*::stop-commands::pwned/,
    );
  });
});

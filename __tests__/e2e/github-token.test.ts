// Installation tokens: the committed dist/ under Node 24 against the GitHub API emulator. Each test checks
// the exact requests made, the outputs, the masks and that nothing secret leaked.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  leaksOf,
  NODE24,
  revokeState,
  ROOT,
  runAction,
  transcript,
  savedRecords,
  type ActionRun,
} from '../../test/action-process.ts';
import { makeTestCertificates } from '../../test/tls.ts';
import {
  makeTestApp,
  signTestJwt,
  startGitHubEmulator,
  type EmulatedInstallation,
  type GitHubEmulator,
} from '../../test/emulators/github.ts';

/** Runs the action and records what a user sees of it as this scenario's snapshot. */
async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(
    transcript(run, {
      names: { token: run.outputs?.token, jwt: run.outputs?.jwt },
      urls: { github: github.url },
      requests: requestsMade(),
    }),
  ).toMatchSnapshot();
  return run;
}

const { app, privateKeyPem } = makeTestApp({
  id: 31337,
  slug: 'octo-bot',
  permissions: { contents: 'write', pull_requests: 'write', metadata: 'read', issues: 'read' },
});
const installations: EmulatedInstallation[] = [
  {
    id: 1001,
    appId: app.id,
    account: { login: 'octo-org', type: 'Organization' },
    repositorySelection: 'selected',
    repositories: ['octo-repo', 'api', 'web'],
    permissions: { contents: 'write', pull_requests: 'write', metadata: 'read', issues: 'read' },
  },
  {
    id: 2002,
    appId: app.id,
    account: { login: 'other-org', type: 'Organization' },
    repositorySelection: 'all',
    repositories: ['one', 'two'],
    permissions: { contents: 'read', metadata: 'read' },
  },
];
let github: GitHubEmulator;

beforeEach(async () => {
  github = await startGitHubEmulator({ apps: [app], installations });
});
afterEach(() => github.close());

const baseInputs = () => ({ 'app-id': String(app.id), 'private-key': privateKeyPem, 'github-api-url': github.url });
const requestsMade = () => github.requests.map((r) => `${r.method} ${r.path}`);
const bodies = () => github.requests.map((r) => r.body);

async function reposOf(token: string): Promise<string[]> {
  const response = await fetch(`${github.url}/installation/repositories`, {
    headers: { authorization: `token ${token}` },
  });
  if (response.status !== 200) return [`HTTP ${response.status}`];
  const body = (await response.json()) as { repositories: { full_name: string }[] };
  return body.repositories.map((r) => r.full_name).sort();
}

function expectCleanSuccess(run: ActionRun) {
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs['token-type']).toBe('installation');
  expect(run.masks).toContain(run.outputs.token);
  expect(run.masks).toContain(run.outputs.jwt);
  expect(leaksOf(run, [run.outputs.token, run.outputs.jwt, privateKeyPem])).toEqual([]);
}

function expectFailure(run: ActionRun, pattern: RegExp) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(pattern);
  expect(run.outputs.token).toBeUndefined();
  expect(leaksOf(run, [privateKeyPem])).toEqual([]);
  for (const token of github.issuedTokens()) expect(run.stdout).not.toContain(token.token);
}

describe('finding the installation with the fewest requests', () => {
  test('installation-id: one request, the token, scoped to the current repository', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), 'installation-id': '1001' } });
    expectCleanSuccess(run);
    expect(requestsMade()).toEqual(['POST /app/installations/1001/access_tokens']);
    expect(bodies()).toEqual([{ repositories: ['octo-repo'] }]);
    expect(run.outputs['installation-id']).toBe('1001');
    expect(await reposOf(run.outputs.token)).toEqual(['octo-org/octo-repo']);
  });

  test('no owner or repositories: the current repository, two requests', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), exchange: 'true' } });
    expectCleanSuccess(run);
    expect(requestsMade()).toEqual([
      'GET /repos/octo-org/octo-repo/installation',
      'POST /app/installations/1001/access_tokens',
    ]);
    expect(bodies()[1]).toEqual({ repositories: ['octo-repo'] });
    expect(run.outputs['app-slug']).toBe('octo-bot');
    expect(JSON.parse(run.outputs.permissions)).toEqual(installations[0].permissions);
    expect(Date.parse(run.outputs['expires-at']) - Date.now()).toBeGreaterThan(50 * 60 * 1000);
    expect(await reposOf(run.outputs.token)).toEqual(['octo-org/octo-repo']);
  });

  test('owner alone: the account installation, covering all its repositories', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), owner: 'other-org' } });
    expectCleanSuccess(run);
    expect(requestsMade()).toEqual(['GET /users/other-org/installation', 'POST /app/installations/2002/access_tokens']);
    expect(bodies()[1]).toEqual({});
    expect(await reposOf(run.outputs.token)).toEqual(['other-org/one', 'other-org/two']);
  });

  test('owner, repositories and permissions: scoped to exactly those', async () => {
    const run = await runScenario('main', {
      inputs: {
        ...baseInputs(),
        owner: 'octo-org',
        repositories: 'api,\n octo-org/web',
        permissions: 'contents: write\npull-requests: write\n',
      },
    });
    expectCleanSuccess(run);
    expect(requestsMade()).toEqual([
      'GET /repos/octo-org/api/installation',
      'POST /app/installations/1001/access_tokens',
    ]);
    expect(bodies()[1]).toEqual({
      repositories: ['api', 'web'],
      permissions: { contents: 'write', pull_requests: 'write' },
    });
    expect(JSON.parse(run.outputs.permissions)).toEqual({
      contents: 'write',
      pull_requests: 'write',
      metadata: 'read',
    });
    expect(await reposOf(run.outputs.token)).toEqual(['octo-org/api', 'octo-org/web']);
    expect(run.summary).toContain('| App | octo-bot (31337) |');
    expect(run.summary).toContain('| Installation | 1001 on octo-org |');
    expect(run.summary).toContain('| Repositories | octo-org/api, octo-org/web |');
    expect(run.summary).toContain('| Permissions | contents: write, pull_requests: write, metadata: read |');
    expect(run.summary).toContain(`| Token expires | ${run.outputs['expires-at']} |`);
  });

  test('repositories alone use the current repository owner', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), repositories: 'web' } });
    expectCleanSuccess(run);
    expect(requestsMade()[0]).toBe('GET /repos/octo-org/web/installation');
  });

  test('JSON permissions work the same as YAML', async () => {
    const run = await runScenario('main', {
      inputs: { ...baseInputs(), permissions: '{"issues": "read"}', exchange: 'true' },
    });
    expectCleanSuccess(run);
    expect(bodies()[1]).toEqual({ repositories: ['octo-repo'], permissions: { issues: 'read' } });
  });
});

describe('bad inputs fail before any request', () => {
  test.each([
    [
      { owner: 'octo-org', repositories: 'someone-else/api' },
      /^Input 'repositories': 'someone-else\/api' belongs to 'someone-else', which owner does not list \(octo-org\)/,
    ],
    [
      { owner: 'octo-org, other-org', repositories: 'api' },
      /^Input 'repositories': 'api' has no owner, and owner lists several accounts \(octo-org, other-org\)/,
    ],
    [{ enterprise: 'octo-ent', owner: 'octo-org' }, /^Input 'enterprise': and owner are both set/],
    [{ owner: 'octo-org, other-org', 'installation-id': '1001' }, /^Input 'installation-id': names one installation/],
    [{ repositories: '..' }, /^Input 'repositories': '\.\.' is not a repository name/],
    [{ owner: 'octo-org/api' }, /^Input 'owner': 'octo-org\/api' is a repository/],
    [{ permissions: 'pull-request: write', exchange: 'true' }, /^Input 'permissions': .*pull-requests/],
    [{ permissions: 'contents: delete', exchange: 'true' }, /^Input 'permissions': .*read or write/],
    [{ permissions: 'contents: write' }, /^Input 'permissions': applies to an installation token/],
    [{ 'installation-id': 'abc' }, /^Input 'installation-id': 'abc' is not an installation ID/],
    [{ exchange: 'yes' }, /^Input 'exchange': 'yes' is not a boolean/],
    [
      { exchange: 'true', 'github-api-url': 'http://ghe.example.com/api/v3' },
      /^Input 'github-api-url': .*is not https/,
    ],
  ])('%j', async (inputs, error) => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), ...inputs } });
    expectFailure(run, error);
    expect(github.requests).toEqual([]);
  });
});

describe('API errors name the cause and the fix', () => {
  test('a key from another app', async () => {
    const other = makeTestApp();
    const run = await runScenario('main', {
      inputs: { ...baseInputs(), 'private-key': other.privateKeyPem, exchange: 'true' },
    });
    expectFailure(run, /private key does not belong to app 31337, or app-id and private-key are from different apps/);
    expect(requestsMade()).toEqual(['GET /repos/octo-org/octo-repo/installation']);
  });

  test('an App ID with no app behind it', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), 'app-id': '999999', exchange: 'true' } });
    expectFailure(run, /there is no GitHub App with ID 999999 at http:\/\/127\.0\.0\.1:\d+ .*Integration not found/);
  });

  test('an app not installed on the repository links to the install page', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), owner: 'nobody', repositories: 'thing' } });
    expectFailure(
      run,
      /The app octo-bot is not installed on nobody\/thing.*https:\/\/github\.com\/apps\/octo-bot\/installations\/new/,
    );
    expect(requestsMade()).toEqual(['GET /repos/nobody/thing/installation', 'GET /app']);
  });

  test('an account without the app', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), owner: 'nobody' } });
    expectFailure(run, /not installed on nobody .*apps\/octo-bot\/installations\/new on nobody/);
  });

  test('a permission the installation lacks fails before the token request, listing what is granted', async () => {
    const run = await runScenario('main', {
      inputs: { ...baseInputs(), owner: 'other-org', permissions: 'contents: write' },
    });
    expectFailure(
      run,
      /does not grant contents: write \(it grants contents: read\)\. Granted: contents: read, metadata: read/,
    );
    expect(requestsMade()).toEqual(['GET /users/other-org/installation']);
  });

  test('a repository outside the installation: the 422 is explained', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), repositories: 'api, secret-repo' } });
    expectFailure(
      run,
      /422 .*One of the repositories \(api, secret-repo\) does not exist on octo-org or is not among those the installation can reach/,
    );
    expect(requestsMade()).toHaveLength(2);
  });

  test('an installation-id that does not exist', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), 'installation-id': '4040' } });
    expectFailure(run, /has no installation 4040/);
    expect(requestsMade()).toEqual(['POST /app/installations/4040/access_tokens']);
  });
});

describe('transient faults are retried, other 4xx are not', () => {
  test('a 502 and a reset connection are retried, then the token comes', async () => {
    github.fail(
      'POST /app/installations/:id/access_tokens',
      { status: 502, body: { message: 'Bad Gateway' } },
      'reset',
    );
    const run = await runScenario('main', { inputs: { ...baseInputs(), 'installation-id': '1001' } });
    expectCleanSuccess(run);
    expect(requestsMade()).toEqual(Array(3).fill('POST /app/installations/1001/access_tokens'));
  });

  test('a 429 with Retry-After is retried after it', async () => {
    github.fail('GET /repos/:owner/:repo/installation', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { message: 'You have exceeded a secondary rate limit.' },
    });
    const started = Date.now();
    const run = await runScenario('main', { inputs: { ...baseInputs(), exchange: 'true' } });
    expectCleanSuccess(run);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(requestsMade()).toHaveLength(3);
  });

  test('a secondary rate limit (403 with Retry-After) is waited out, then retried', async () => {
    github.fail('POST /app/installations/:id/access_tokens', {
      status: 403,
      headers: { 'retry-after': '1' },
      body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
    });
    const started = Date.now();
    const run = await runScenario('main', { inputs: { ...baseInputs(), 'installation-id': '1001' } });
    expectCleanSuccess(run);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(requestsMade()).toEqual(Array(2).fill('POST /app/installations/1001/access_tokens'));
    expect(run.stdout).toMatch(/GitHub request failed \(.*\); retry 1 in 1\.0 s/);
  });

  test('a 404 on the lookup is not retried', async () => {
    await runScenario('main', { inputs: { ...baseInputs(), owner: 'nobody' } });
    expect(requestsMade().filter((r) => r.startsWith('GET /users/'))).toHaveLength(1);
  });

  test('5xx until retries run out: the error says so', async () => {
    const busy = { status: 503, body: { message: 'Service Unavailable' } };
    github.fail('POST /app/installations/:id/access_tokens', busy, busy, busy, busy);
    const run = await runScenario('main', { inputs: { ...baseInputs(), 'installation-id': '1001' } });
    expectFailure(run, /GitHub answered 503 .*after retrying/);
    expect(requestsMade()).toHaveLength(4);
  });
});

describe('clock skew: corrected from the Date header once, and kept for later requests', () => {
  test.each([
    ['an hour ahead', 3600],
    ['five minutes behind', -300],
  ])('GitHub’s clock %s', async (_name, offset) => {
    github.setClockOffset(offset);
    const run = await runScenario('main', { inputs: { ...baseInputs(), exchange: 'true' } });
    expectCleanSuccess(run);
    expect(requestsMade()).toEqual([
      'GET /repos/octo-org/octo-repo/installation',
      'GET /repos/octo-org/octo-repo/installation',
      'POST /app/installations/1001/access_tokens',
    ]);
    expect(run.stdout).toMatch(/GitHub's clock is \d+ s (ahead of|behind) the runner's/);
    const claims = JSON.parse(Buffer.from(run.outputs.jwt.split('.')[1], 'base64url').toString());
    expect(Math.abs(claims.iat + 60 - github.serverNow())).toBeLessThanOrEqual(2);
  });
});

describe('a JWT signed elsewhere (KMS or HSM)', () => {
  const presigned = (offset = 0) => {
    const now = Math.floor(Date.now() / 1000) + offset;
    return signTestJwt({ iat: now - 60, exp: now + 500, iss: app.id }, privateKeyPem);
  };

  test('is exchanged as is, with no private key on the runner', async () => {
    const jwt = presigned();
    const run = await runScenario('main', { inputs: { jwt, 'github-api-url': github.url } });
    expectCleanSuccess(run);
    expect(run.outputs.jwt).toBe(jwt);
    expect(github.requests.every((r) => r.headers.authorization === `Bearer ${jwt}`)).toBe(true);
    expect(requestsMade()).toHaveLength(2);
  });

  test('rejected for clock skew: the error gives the offset, since it cannot be re-signed', async () => {
    github.setClockOffset(3600);
    const run = await runScenario('main', { inputs: { jwt: presigned(), 'github-api-url': github.url } });
    expectFailure(
      run,
      /GitHub's clock is 3[56]\d\d s ahead of the runner's, and a JWT signed elsewhere cannot be signed again here/,
    );
    expect(requestsMade()).toHaveLength(1);
  });

  test('already expired: refused before any request', async () => {
    const run = await runScenario('main', { inputs: { jwt: presigned(-3600), 'github-api-url': github.url } });
    expectFailure(run, /^Input 'jwt': expired at/);
    expect(github.requests).toEqual([]);
  });

  test('with private-key too: refused', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), jwt: presigned() } });
    expectFailure(run, /^Input 'jwt': and private-key are both set/);
  });
});

describe('the post step', () => {
  test('revokes the token at the same API base, and the token stops working', async () => {
    const main = await runScenario('main', { inputs: { ...baseInputs(), exchange: 'true' } });
    expect(savedRecords(main)).toEqual([
      { provider: 'github', token: main.outputs.token, apiUrl: github.url, expiresAt: main.outputs['expires-at'] },
    ]);
    const post = await runScenario('post', { state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(/Revoked the installation token/);
    expect(requestsMade().at(-1)).toBe('DELETE /installation/token');
    expect(await reposOf(main.outputs.token)).toEqual(['HTTP 401']);
    expect(leaksOf(post, [main.outputs.token])).toEqual([]);
  });

  test('skip-token-revoke: no state, nothing revoked', async () => {
    const main = await runScenario('main', {
      inputs: { ...baseInputs(), exchange: 'true', 'skip-token-revoke': 'true' },
    });
    expect(main.state).toEqual({});
    const post = await runScenario('post', { state: main.state });
    expect(post.exitCode).toBe(0);
    expect(requestsMade()).not.toContain('DELETE /installation/token');
  });

  test('an expired token is skipped without a request', async () => {
    const post = await runScenario('post', {
      state: revokeState([
        { provider: 'github', token: 'ghs_x', apiUrl: github.url, expiresAt: '2020-01-01T00:00:00.000Z' },
      ]),
    });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toMatch(/expired at 2020-01-01T00:00:00.000Z; nothing to revoke/);
    expect(github.requests).toEqual([]);
  });

  test('a failed revoke is a warning, and the job goes on', async () => {
    const closed = github.url; // closed below: connections are refused
    await github.close();
    const state = revokeState([
      {
        provider: 'github',
        token: 'ghs_x_not_a_real_token',
        apiUrl: closed,
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      },
    ]);
    const post = await runScenario('post', { state });
    expect(post.exitCode).toBe(0);
    expect(post.warnings).toEqual([expect.stringMatching(/Could not revoke the token: .*ECONNREFUSED/)]);
    expect(leaksOf(post, ['ghs_x_not_a_real_token'])).toEqual([]);
  });

  test('a token already revoked is reported, not warned about', async () => {
    const main = await runScenario('main', { inputs: { ...baseInputs(), exchange: 'true' } });
    await runScenario('post', { state: main.state });
    const again = await runScenario('post', { state: main.state });
    expect(again.exitCode).toBe(0);
    expect(again.warnings).toEqual([]);
    expect(again.stdout).toMatch(/already revoked or expired/);
  });
});

test('GitHub Enterprise Server: the /api/v3 path is kept for every request, the post step too', async () => {
  await github.close();
  github = await startGitHubEmulator({ apps: [app], installations, pathPrefix: '/api/v3' });
  const main = await runScenario('main', {
    inputs: { ...baseInputs(), 'github-api-url': `${github.url}/`, exchange: 'true' },
  });
  expectCleanSuccess(main);
  await runScenario('post', { state: main.state });
  expect(requestsMade()).toEqual([
    'GET /api/v3/repos/octo-org/octo-repo/installation',
    'POST /api/v3/app/installations/1001/access_tokens',
    'DELETE /api/v3/installation/token',
  ]);
});

describe("proxies: the toolkit's HTTPS_PROXY / NO_PROXY rules, for the main and the post step", () => {
  // A real proxy process; it prints its address, then one JSON line per request it forwards. The API is served
  // over TLS as api.github.test, a name only the proxy resolves (to the emulator on 127.0.0.1): loopback URLs
  // are never proxied, by the toolkit's rule.
  const tls = makeTestCertificates(['api.github.test']);
  async function startProxyProcess() {
    const child = spawn(NODE24, [`${ROOT}test/proxy.ts`], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, PROXY_HOSTS: JSON.stringify({ 'api.github.test': '127.0.0.1' }) },
    });
    const lines = createInterface({ input: child.stdout });
    const seen: string[] = [];
    const url = await new Promise<string>((resolve) => {
      lines.once('line', (first) => {
        resolve(JSON.parse(first).url);
        lines.on('line', (line) => seen.push(JSON.parse(line).method + ' ' + JSON.parse(line).url));
      });
    });
    return { url, seen, stop: () => child.kill() };
  }
  const startTlsEmulator = async () => {
    await github.close();
    github = await startGitHubEmulator({ apps: [app], installations, tls, urlHost: 'api.github.test' });
  };

  test('main and post steps both go through the proxy, with a CONNECT tunnel each', async () => {
    await startTlsEmulator();
    const proxy = await startProxyProcess();
    try {
      const env = { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: tls.caFile };
      const main = await runScenario('main', { inputs: { ...baseInputs(), exchange: 'true' }, env });
      expectCleanSuccess(main);
      await runScenario('post', { state: main.state, env });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const host = new URL(github.url).host;
      // A tunnel per request: the toolkit's proxy dispatcher does not pipeline requests through one tunnel.
      expect(proxy.seen).toEqual([`CONNECT ${host}`, `CONNECT ${host}`, `CONNECT ${host}`]);
      expect(requestsMade()).toEqual([
        'GET /repos/octo-org/octo-repo/installation',
        'POST /app/installations/1001/access_tokens',
        'DELETE /installation/token',
      ]);
    } finally {
      proxy.stop();
    }
  });

  test('NO_PROXY sends the requests direct: here to a name only the proxy knows, so the lookup fails', async () => {
    await startTlsEmulator();
    const proxy = await startProxyProcess();
    try {
      const main = await runScenario('main', {
        inputs: { ...baseInputs(), exchange: 'true' },
        env: { HTTPS_PROXY: proxy.url, NO_PROXY: 'github.test', NODE_EXTRA_CA_CERTS: tls.caFile },
      });
      expect(main.exitCode).toBe(1);
      expect(main.errors).toEqual([expect.stringMatching(/api\.github\.test could not be resolved/)]);
      expect(proxy.seen).toEqual([]);
      expect(requestsMade()).toEqual([]);
    } finally {
      proxy.stop();
    }
  });

  test('a loopback API is reached directly even with HTTPS_PROXY set', async () => {
    const proxy = await startProxyProcess();
    try {
      const main = await runScenario('main', {
        inputs: { ...baseInputs(), exchange: 'true' },
        env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url },
      });
      expectCleanSuccess(main);
      expect(proxy.seen).toEqual([]);
      expect(requestsMade()).toHaveLength(2);
    } finally {
      proxy.stop();
    }
  });
});

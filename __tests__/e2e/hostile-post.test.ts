// The post step trusts nothing (issue 10, class 5), on the committed dist/ under Node 24: the saved API base
// is checked by the main step's rule before the token is sent anywhere, skip-token-revoke is read here too,
// and a state it cannot use gets one clear warning.
import { leaksOf, revokeState, runAction, transcript, type ActionRun } from '../../test/action-process.ts';
import { makeTestApp, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';
import { startProxy, type RunningProxy } from '../../test/proxy.ts';

const { app, privateKeyPem } = makeTestApp({ id: 6006, slug: 'post-bot' });
const TOKEN = 'ghs_PostStepToken0123456789abcdefghijklmn';
const EXPIRES = () => new Date(Date.now() + 3600_000).toISOString();
let github: GitHubEmulator;
let proxy: RunningProxy;

beforeAll(async () => {
  github = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 6007,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'all',
        repositories: ['octo-repo'],
        permissions: { contents: 'read', metadata: 'read' },
      },
    ],
  });
  // Had the post step sent the token to the evil host, this proxy (which reaches it) would have seen it.
  proxy = await startProxy({ hosts: { 'api.evil.test': '127.0.0.1' } });
});
afterAll(() => Promise.all([github.close(), proxy.close()]));
beforeEach(() => {
  github.requests.length = 0;
  proxy.seen.length = 0;
});

async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(
    transcript(run, {
      names: { token: TOKEN },
      urls: { github: github.url, evil: `api.evil.test:${new URL(github.url).port}` },
      requests: [
        ...github.requests.map((r) => `${r.method} ${r.path}`),
        ...proxy.seen.map((r) => `proxy ${r.method} ${r.url}`),
      ],
    }),
  ).toMatchSnapshot();
  return run;
}

const record = (overrides: Record<string, string> = {}) => ({
  provider: 'github',
  token: TOKEN,
  apiUrl: github.url,
  expiresAt: EXPIRES(),
  ...overrides,
});

test('an API base over plain http to a host that is not loopback: one warning, the token sent nowhere', async () => {
  const state = revokeState([record({ apiUrl: `http://api.evil.test:${new URL(github.url).port}` })]);
  const run = await runScenario('post', { state, env: { HTTP_PROXY: proxy.url, http_proxy: proxy.url } });
  expect(run.exitCode).toBe(0);
  expect(run.warnings).toEqual([
    expect.stringMatching(
      /^Nothing was revoked: the saved API base fails the check the main step makes of its URL inputs: 'http:\/\/api\.evil\.test:\d+' is not https/,
    ),
  ]);
  expect(proxy.seen).toEqual([]);
  expect(github.requests).toEqual([]);
  expect(leaksOf(run, [TOKEN])).toEqual([]);
});

test.each([
  [
    'no API base',
    () => record({ apiUrl: '' }),
    /^Nothing was revoked: the saved state names no API base to revoke the token at\./,
  ],
  [
    'a token with a line break and a command',
    () => record({ token: `${TOKEN}\n::stop-commands::x` }),
    /^Nothing was revoked: the saved token is not one line of printable characters/,
  ],
  [
    "another action's keys",
    () => ({ token: TOKEN, url: github.url, expires: EXPIRES() }),
    /^Nothing was revoked: the saved state is not what this action saves\./,
  ],
])('%s: one clear warning, nothing sent', async (_what, saved, warning) => {
  const run = await runScenario('post', { state: revokeState([saved() as ReturnType<typeof record>]) });
  expect(run.exitCode).toBe(0);
  expect(run.warnings).toEqual([expect.stringMatching(warning)]);
  expect(run.stdout).not.toMatch(/Invalid URL/);
  expect(run.stdout.split('\n').filter((line) => line.startsWith('::stop-commands::'))).toEqual([]);
  expect(github.requests).toEqual([]);
});

test('skip-token-revoke is read by the post step too: a state that names a token is left alone', async () => {
  const main = await runAction('main', {
    inputs: { 'app-id': String(app.id), 'private-key': privateKeyPem, exchange: 'true', 'github-api-url': github.url },
  });
  github.requests.length = 0;
  const run = await runAction('post', {
    inputs: { 'skip-token-revoke': 'true' },
    state: main.state,
  });
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toMatch(/^skip-token-revoke is set: the token is not revoked; it expires by itself at \S+\.\n$/);
  expect(github.requests).toEqual([]);
  expect(github.issuedTokens().at(-1)?.revoked).toBe(false);
});

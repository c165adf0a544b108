// Wrong and hostile inputs, on the committed dist/ under Node 24 (issue 10, classes 2, 4 and 7): a secret in
// the wrong input is masked before anything is written and never quoted; URLs are shown without user info or
// query even when they do not parse; odd PEM armor and repository names are refused before any request; the
// inputs of actions/create-github-app-token are told apart.
import { leaksOf, runAction, transcript, type ActionRun } from '../../test/action-process.ts';
import { makeTestApp, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const { app, privateKeyPem } = makeTestApp({ id: 4711, slug: 'hostile-bot' });
const KEY_LINES = privateKeyPem.trim().split('\n').slice(1, -1);
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
let github: GitHubEmulator;

beforeAll(async () => {
  github = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 4242,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'all',
        repositories: ['octo-repo', 'api'],
        permissions: { contents: 'read', metadata: 'read' },
      },
    ],
  });
});
afterAll(() => github.close());
beforeEach(() => {
  github.requests.length = 0;
});

const requestsMade = () => github.requests.map((r) => `${r.method} ${r.path}`);

/** Runs the main step and records what a user sees of it as this scenario's snapshot. */
async function runScenario(inputs: Record<string, string>): Promise<ActionRun> {
  const run = await runAction('main', { inputs });
  expect(
    transcript(run, {
      names: { 'client-id': app.clientId, token: run.outputs.token, jwt: run.outputs.jwt },
      urls: { github: github.url },
      requests: requestsMade(),
    }),
  ).toMatchSnapshot();
  return run;
}

/** One ::error::, nothing set, nothing leaked of the given secrets. */
function expectRefused(run: ActionRun, secrets: string[], pattern: RegExp) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([expect.stringMatching(pattern)]);
  expect(run.outputs).toEqual({});
  expect(run.state).toEqual({});
  expect(leaksOf(run, secrets)).toEqual([]);
}

describe('a secret in the wrong input', () => {
  test('app-id and private-key swapped: the key is masked line by line first, and described', async () => {
    // The fixture key, whose size the snapshot can name (a generated key's varies by a character or two).
    const run = await runScenario({ 'app-id': APP_KEY_PEM, 'private-key': String(app.id) });
    for (const line of APP_KEY_PEM.trim().split('\n').slice(1, -1)) expect(run.masks).toContain(line);
    expect(run.stdout.indexOf('::add-mask::')).toBe(0);
    expectRefused(
      run,
      [APP_KEY_PEM],
      /^Input 'app-id': holds a PEM private key \(\d+ lines, \d+ characters\), not an App ID or Client ID\. The key belongs in private-key\./,
    );
    expect(requestsMade()).toEqual([]);
  });

  test.each([
    ['installation-id', { 'installation-id': TOKEN, exchange: 'true' }],
    ['provider', { provider: TOKEN }],
    ['owner', { owner: TOKEN }],
    ['exchange', { exchange: TOKEN }],
  ])('a token in %s is masked before anything else, and never shown', async (input, extra) => {
    const run = await runScenario({ 'app-id': String(app.id), 'private-key': privateKeyPem, ...extra });
    expect(run.masks).toContain(TOKEN);
    expect(run.stdout.indexOf(`::add-mask::${TOKEN}`)).toBeLessThan(run.stdout.indexOf('::error::'));
    expectRefused(run, [TOKEN, privateKeyPem], new RegExp(`^Input '${input}': `));
    expect(requestsMade()).toEqual([]);
  });

  test('github-api-url with a token in its query: shown without the query, the token masked', async () => {
    const run = await runScenario({
      'app-id': String(app.id),
      'private-key': privateKeyPem,
      exchange: 'true',
      'github-api-url': `${github.url}/?access_token=${TOKEN}`,
    });
    expect(run.masks).toContain(TOKEN);
    expectRefused(run, [TOKEN], /^Input 'github-api-url': 'http:\/\/127\.0\.0\.1:\d+' has a query string or fragment/);
    expect(requestsMade()).toEqual([]);
  });

  test('github-api-url whose password has a / (it does not parse): shown with ***@ in its place', async () => {
    const run = await runScenario({
      'app-id': String(app.id),
      'private-key': privateKeyPem,
      exchange: 'true',
      'github-api-url': 'https://x-access-token:s3cr/et@ghe.example.com/api/v3',
    });
    expectRefused(run, [], /^Input 'github-api-url': 'https:\/\/\*\*\*@ghe\.example\.com\/api\/v3' is not a valid URL/);
    expect(run.stdout).not.toMatch(/s3cr|x-access-token/);
  });
});

describe('PEM armor that is not standard gets an error that says what the line should read', () => {
  const body = KEY_LINES.join('\n');
  test.each([
    ['lowercase', `-----begin rsa private key-----\n${body}\n-----end rsa private key-----\n`],
    ['four dashes', `----BEGIN RSA PRIVATE KEY----\n${body}\n----END RSA PRIVATE KEY----\n`],
    ['an empty label', `-----BEGIN -----\n${body}\n-----END -----\n`],
    ['RSA_PRIVATE_KEY', `-----BEGIN RSA_PRIVATE_KEY-----\n${body}\n-----END RSA_PRIVATE_KEY-----\n`],
  ])('%s', async (_what, key) => {
    const run = await runScenario({ 'app-id': String(app.id), 'private-key': key });
    // The key's body is secret; its armor lines are not (the message says what they should read).
    expectRefused(
      run,
      KEY_LINES,
      /^Input 'private-key': has a BEGIN line that is not PEM armor \(.+\)\. It should read exactly -----BEGIN (RSA )?PRIVATE KEY-----/,
    );
    for (const line of KEY_LINES) expect(run.masks).toContain(line);
  });
});

describe('repository names', () => {
  test.each(['.', '..', 'octo-org/..', 'a'.repeat(101), 'api/../../orgs'])(
    '%j is refused before any request',
    async (repositories) => {
      const run = await runScenario({
        'app-id': String(app.id),
        'private-key': privateKeyPem,
        repositories,
        'github-api-url': github.url,
      });
      expectRefused(run, [], /^Input 'repositories': /);
      expect(requestsMade()).toEqual([]);
    },
  );
});

describe('a workflow moving from actions/create-github-app-token', () => {
  test('permission-<name> inputs: one ::error:: naming them, with the permissions line to write', async () => {
    const run = await runScenario({
      'app-id': String(app.id),
      'private-key': privateKeyPem,
      owner: 'octo-org',
      'permission-contents': 'write',
      'permission-pull-requests': 'write',
    });
    expectRefused(run, [privateKeyPem], /^Inputs 'permission-contents' and 'permission-pull-requests' are inputs/);
    expect(run.errors[0]).toMatch(
      /Replace them with this one line: permissions: '\{contents: write, pull-requests: write\}'\.$/,
    );
    expect(requestsMade()).toEqual([]);
  });

  test('client-id and app-id both set and different: client-id wins, with a warning naming both', async () => {
    const run = await runScenario({ 'app-id': '1', 'client-id': app.clientId, 'private-key': privateKeyPem });
    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([
      `client-id ('${app.clientId}') and app-id ('1') are both set, and differ: the action uses client-id, as actions/create-github-app-token does. Remove app-id, or set it to the same app.`,
    ]);
    const claims = JSON.parse(Buffer.from(run.outputs.jwt.split('.')[1], 'base64url').toString());
    expect(claims.iss).toBe(app.clientId);
  });
});

// Every token a workflow needs from one step: several accounts, an enterprise, the bot's identity, and a
// fallback when no key is given. The committed dist/ under Node 24 against the GitHub API emulator.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leaksOf, runAction, savedRecords, transcript, type ActionRun } from '../../test/action-process.ts';
import { runCli } from '../../test/cli-process.ts';
import {
  botUserId,
  makeTestApp,
  startGitHubEmulator,
  type EmulatedInstallation,
  type GitHubEmulator,
} from '../../test/emulators/github.ts';

const { app, privateKeyPem } = makeTestApp({ id: 8080, slug: 'many-bot' });
const installations: EmulatedInstallation[] = [
  {
    id: 11,
    appId: app.id,
    account: { login: 'Org-A', type: 'Organization' },
    repositorySelection: 'selected',
    repositories: ['api', 'docs'],
    permissions: { contents: 'write', metadata: 'read' },
  },
  {
    id: 22,
    appId: app.id,
    account: { login: 'org-b', type: 'Organization' },
    repositorySelection: 'all',
    repositories: ['web'],
    permissions: { contents: 'write', metadata: 'read' },
  },
  {
    id: 33,
    appId: app.id,
    account: { login: 'octo-ent', type: 'Enterprise' },
    repositorySelection: 'all',
    repositories: [],
    permissions: { enterprise_organization_installations: 'read' } as never,
  },
];
let github: GitHubEmulator;
const dir = mkdtempSync(join(tmpdir(), 'app-jwt-accounts-'));

beforeEach(async () => {
  github = await startGitHubEmulator({ apps: [app], installations });
});
afterEach(() => github.close());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const requestsMade = () => github.requests.map((r) => `${r.method} ${r.path}`);
const baseInputs = () => ({ 'app-id': String(app.id), 'private-key': privateKeyPem, 'github-api-url': github.url });

async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  const tokens: Record<string, string> = {};
  for (const [account, token] of Object.entries(run.outputs.tokens ? JSON.parse(run.outputs.tokens) : {}))
    tokens[`token of ${account}`] = token as string;
  // Parallel lookups may reach the emulator in either order: the snapshot lists the requests sorted.
  const requests = [...requestsMade()].sort();
  expect(
    transcript(run, { names: { ...tokens, jwt: run.outputs.jwt }, urls: { github: github.url }, requests }),
  ).toMatchSnapshot();
  return run;
}

async function reposOf(token: string): Promise<string[]> {
  const response = await fetch(`${github.url}/installation/repositories`, {
    headers: { authorization: `token ${token}` },
  });
  if (response.status !== 200) return [`HTTP ${response.status}`];
  const body = (await response.json()) as { repositories: { full_name: string }[] };
  return body.repositories.map((r) => r.full_name).sort();
}

describe('several accounts in one step', () => {
  test('owner lists two accounts: one token each, looked up in parallel, `token` the first one', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), owner: 'org-a, org-b' } });
    expect(run.errors).toEqual([]);
    const tokens = JSON.parse(run.outputs.tokens);
    // Logins as GitHub spells them.
    expect(Object.keys(tokens)).toEqual(['Org-A', 'org-b']);
    expect(run.outputs.token).toBe(tokens['Org-A']);
    expect(run.outputs['installation-id']).toBe('11');
    expect([...requestsMade()].sort()).toEqual([
      'GET /users/org-a/installation',
      'GET /users/org-b/installation',
      'POST /app/installations/11/access_tokens',
      'POST /app/installations/22/access_tokens',
    ]);
    expect(await reposOf(tokens['Org-A'])).toEqual(['Org-A/api', 'Org-A/docs']);
    expect(await reposOf(tokens['org-b'])).toEqual(['org-b/web']);
    for (const token of Object.values(tokens)) expect(run.masks).toContain(token);
    expect(leaksOf(run, [...(Object.values(tokens) as string[]), privateKeyPem])).toEqual([]);
    expect(run.summary).toContain('| Account | Org-A |');
    expect(run.summary).toContain('| Account | org-b |');
    expect(savedRecords(run).map((r) => r.token)).toEqual([tokens['Org-A'], tokens['org-b']]);
    const post = await runScenario('post', { state: run.state });
    expect(post.warnings).toEqual([]);
    expect(await reposOf(tokens['Org-A'])).toEqual(['HTTP 401']);
    expect(await reposOf(tokens['org-b'])).toEqual(['HTTP 401']);
  });

  test('repositories of two accounts: each token is scoped to its own repositories', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), repositories: 'org-a/api\norg-b/web' } });
    expect(run.errors).toEqual([]);
    const tokens = JSON.parse(run.outputs.tokens);
    expect(await reposOf(tokens['Org-A'])).toEqual(['Org-A/api']);
    expect(await reposOf(tokens['org-b'])).toEqual(['org-b/web']);
    expect(github.requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual(
      expect.arrayContaining([{ repositories: ['api'] }, { repositories: ['web'] }]),
    );
  });

  test('one account without the app: the step fails, and the token the other account got is revoked', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), owner: 'org-a, nobody' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/^The app many-bot is not installed on nobody/)]);
    expect(run.outputs).toEqual({});
    const [issued] = github.issuedTokens();
    expect(issued.revoked).toBe(true);
    expect(requestsMade()).toContain('DELETE /installation/token');
    expect(run.stdout).toMatch(/Revoked the token already issued, since the step failed/);
  });

  test('one account stays as it was: the same requests, and tokens with one entry', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), owner: 'org-b' } });
    expect(requestsMade()).toEqual(['GET /users/org-b/installation', 'POST /app/installations/22/access_tokens']);
    expect(JSON.parse(run.outputs.tokens)).toEqual({ 'org-b': run.outputs.token });
  });

  test('the CLI prints account<TAB>token lines for several owners', async () => {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, privateKeyPem);
    const cli = await runCli([
      'token',
      '--app-id',
      String(app.id),
      '--private-key-file',
      keyFile,
      '--owner',
      'org-a,org-b',
      '--api-url',
      github.url,
    ]);
    expect(cli.code).toBe(0);
    const lines = cli.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(lines.map(([account]) => account)).toEqual(['Org-A', 'org-b']);
    expect(lines.every(([, token]) => /^ghs_/.test(token))).toBe(true);
  });
});

describe('an enterprise installation', () => {
  test('enterprise: the token of the app installed on the enterprise', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), enterprise: 'octo-ent' } });
    expect(run.errors).toEqual([]);
    expect(requestsMade()).toEqual([
      'GET /enterprises/octo-ent/installation',
      'POST /app/installations/33/access_tokens',
    ]);
    expect(JSON.parse(run.outputs.tokens)).toEqual({ 'octo-ent': run.outputs.token });
  });

  test('an enterprise without the app: the cause and where to install it', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), enterprise: 'other-ent' } });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^The app is not installed on the enterprise other-ent.*Enterprise settings > GitHub Apps/),
    ]);
  });
});

describe("the bot's identity", () => {
  test('bot-identity: one request more, and the bot-* outputs', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), owner: 'org-b', 'bot-identity': 'true' } });
    expect(run.errors).toEqual([]);
    expect(requestsMade()).toEqual([
      'GET /users/org-b/installation',
      'POST /app/installations/22/access_tokens',
      'GET /users/many-bot%5Bbot%5D',
    ]);
    const id = botUserId('many-bot');
    expect(run.outputs['bot-name']).toBe('many-bot[bot]');
    expect(run.outputs['bot-user-id']).toBe(String(id));
    expect(run.outputs['bot-email']).toBe(`${id}+many-bot[bot]@users.noreply.github.com`);
  });

  test('with installation-id, GET /app gives the slug first', async () => {
    const run = await runScenario('main', {
      inputs: { ...baseInputs(), 'installation-id': '22', owner: 'org-b', 'bot-identity': 'true' },
    });
    expect(run.errors).toEqual([]);
    expect(requestsMade()).toEqual([
      'POST /app/installations/22/access_tokens',
      'GET /app',
      'GET /users/many-bot%5Bbot%5D',
    ]);
    expect(run.outputs['bot-name']).toBe('many-bot[bot]');
  });

  test('without bot-identity, no request more and no bot-* outputs', async () => {
    const run = await runScenario('main', { inputs: { ...baseInputs(), owner: 'org-b' } });
    expect(requestsMade()).toHaveLength(2);
    expect(run.outputs['bot-name']).toBeUndefined();
  });
});

describe('a fallback when no key is given', () => {
  const forkEvent = () => {
    const file = join(dir, 'event.json');
    writeFileSync(
      file,
      JSON.stringify({
        pull_request: {
          head: { repo: { full_name: 'someone/octo-repo', fork: true } },
          base: { repo: { full_name: 'octo-org/octo-repo' } },
        },
      }),
    );
    return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: file };
  };

  test('a pull request from a fork: the fallback token is passed on, with a notice saying why', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'fallback-token': 'ghs_job_token_1234567890' },
      env: forkEvent(),
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ token: 'ghs_job_token_1234567890', 'token-type': 'fallback' });
    expect(run.masks).toContain('ghs_job_token_1234567890');
    expect(run.stdout).toMatch(/::notice::No app key was given \(this is a pull request from a fork/);
    expect(run.state).toEqual({});
    expect(github.requests).toEqual([]);
    expect(leaksOf(run, ['ghs_job_token_1234567890'])).toEqual([]);
  });

  test('a Dependabot run without fallback-token: the error says why the key is empty', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id) },
      env: { GITHUB_ACTOR: 'dependabot[bot]', GITHUB_EVENT_NAME: 'pull_request' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringMatching(/^Input 'private-key': is empty: this is a Dependabot run.*fallback-token/),
    ]);
  });

  test('a key that is given and fails is still an error, fallback-token or not', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'private-key': 'not a key', 'fallback-token': 'ghs_job_token_1234567890' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([expect.stringMatching(/^Input 'private-key': /)]);
    expect(run.outputs).toEqual({});
  });
});

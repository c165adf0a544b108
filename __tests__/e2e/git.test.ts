// configure-git end to end: the committed dist/ under Node 24 against the GitHub API emulator, with the real git
// talking to a local smart-HTTP git server (test/git-server.ts) that lets in only tokens the emulator issued, live,
// for that repository's account. The main and post steps share one HOME and RUNNER_TEMP, as on a runner.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leaksOf, runAction, type ActionRun } from '../../test/action-process.ts';
import {
  makeTestApp,
  startGitHubEmulator,
  type EmulatedInstallation,
  type GitHubEmulator,
} from '../../test/emulators/github.ts';
import { emulatorTokenCheck, startGitServer, type GitServer } from '../../test/git-server.ts';

const { app, privateKeyPem } = makeTestApp({
  id: 31337,
  slug: 'octo-bot',
  permissions: { contents: 'write', metadata: 'read' },
});
const installations: EmulatedInstallation[] = [
  {
    id: 1001,
    appId: app.id,
    account: { login: 'org-a', type: 'Organization' },
    repositorySelection: 'selected',
    repositories: ['api'],
    permissions: { contents: 'write', metadata: 'read' },
  },
  {
    id: 2002,
    appId: app.id,
    account: { login: 'org-b', type: 'Organization' },
    repositorySelection: 'selected',
    repositories: ['web'],
    permissions: { contents: 'write', metadata: 'read' },
  },
];

let github: GitHubEmulator;
let server: GitServer;
let dir: string;
let home: string;
let runnerTemp: string;

beforeEach(async () => {
  github = await startGitHubEmulator({ apps: [app], installations });
  server = await startGitServer({
    repositories: ['org-a/api', 'org-b/web'],
    authorize: emulatorTokenCheck(github, installations),
  });
  dir = mkdtempSync(join(tmpdir(), 'app-jwt-git-e2e-'));
  home = join(dir, 'home');
  runnerTemp = join(dir, 'temp');
  mkdirSync(home);
  mkdirSync(runnerTemp);
});
afterEach(async () => {
  await Promise.all([github.close(), server.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const gitconfig = () => join(home, '.gitconfig');

/** The runner's environment for both steps: one HOME and RUNNER_TEMP, GITHUB_SERVER_URL the git server. */
const stepEnv = () => ({
  HOME: home,
  RUNNER_TEMP: runnerTemp,
  GITHUB_SERVER_URL: server.url,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
});

const inputs = (owner: string) => ({
  'app-id': String(app.id),
  'private-key': privateKeyPem,
  'github-api-url': github.url,
  owner,
  'configure-git': 'true',
});

/** git as a later step of the job runs it: that HOME, no system config, never a prompt. */
function git(args: string[], cwd = dir) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: { PATH: process.env.PATH, ...stepEnv() } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end();
  });
}

/** Clones the repository, commits a file and pushes it: what a workflow step does with configure-git. */
async function cloneCommitPush(repository: string): Promise<{ code: number; stderr: string }> {
  const work = join(dir, `${repository.replace('/', '-')}-${Date.now()}`);
  const clone = await git(['clone', '--quiet', `${server.url}/${repository}.git`, work]);
  if (clone.code) return clone;
  writeFileSync(join(work, 'change.txt'), `changed by the bot in ${repository}\n`);
  for (const args of [
    ['add', 'change.txt'],
    ['commit', '--quiet', '-m', `Change ${repository}`],
    ['push', '--quiet'],
  ]) {
    const step = await git(args, work);
    if (step.code) return step;
  }
  return { code: 0, stderr: '' };
}

/** The tokens git sent for this repository, as the git server saw them. */
const tokensSentFor = (repository: string) =>
  new Set(server.requests.filter((r) => r.path.startsWith(`/${repository}.git/`) && r.token).map((r) => r.token));

function expectConfigured(run: ActionRun, tokens: string[]) {
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs['bot-name']).toBe('octo-bot[bot]');
  for (const token of tokens) expect(run.masks).toContain(token);
  expect(leaksOf(run, [...tokens, privateKeyPem])).toEqual([]);
  expect(readFileSync(gitconfig(), 'utf8')).not.toMatch(/ghs_/);
}

test('one account: clone, commit and push with its token as the bot; after the post step, the config is as before and git is refused', async () => {
  const prior = '[user]\n\tname = Someone\n\temail = someone@example.com\n[alias]\n\tst = status\n';
  writeFileSync(gitconfig(), prior);

  const main = await runAction('main', { inputs: inputs('org-a'), env: stepEnv() });
  expectConfigured(main, [main.outputs.token]);
  expect(main.stdout).toContain(
    `Git commits as octo-bot[bot] <${main.outputs['bot-email']}> and authenticates to ${server.url} with the token of org-a; ` +
      'the post step puts the git config back as it was.',
  );
  const listed = await git(['config', '--list', '--show-origin']);
  expect(listed.stdout).toContain(`file:${gitconfig()}\tuser.name=octo-bot[bot]`);
  expect(listed.stdout).not.toContain(main.outputs.token);

  expect(await cloneCommitPush('org-a/api')).toEqual({ code: 0, stderr: '' });
  expect(server.log('org-a/api')).toEqual([
    `octo-bot[bot] <${main.outputs['bot-email']}>|Change org-a/api`,
    'Seed <seed@example.com>|Initial commit',
  ]);
  expect(main.outputs['bot-email']).toMatch(/^\d+\+octo-bot\[bot\]@users\.noreply\./);
  expect(tokensSentFor('org-a/api')).toEqual(new Set([main.outputs.token]));

  const post = await runAction('post', { state: main.state, env: stepEnv() });
  expect(post.exitCode).toBe(0);
  expect(post.warnings).toEqual([]);
  expect(readFileSync(gitconfig(), 'utf8')).toBe(prior);
  expect(readdirSync(runnerTemp)).toEqual([]);
  expect(github.issuedTokens().map((t) => t.revoked)).toEqual([true]);

  const after = await cloneCommitPush('org-a/api');
  expect(after.code).toBe(128);
  expect(after.stderr).toMatch(/could not read Username for 'http:\/\/127\.0\.0\.1:\d+': terminal prompts disabled/);
  // The token itself no longer opens the repository either: the post step revoked it.
  const url = new URL(`${server.url}/org-a/api.git`);
  url.username = 'x-access-token';
  url.password = main.outputs.token;
  const withToken = await git(['ls-remote', url.href]);
  expect(withToken.code).toBe(128);
  expect(withToken.stderr).toMatch(/Authentication failed/);
});

test('two accounts: each repository gets its own account token; both are refused after the post step', async () => {
  const main = await runAction('main', { inputs: inputs('org-a, org-b'), env: stepEnv() });
  const tokens = JSON.parse(main.outputs.tokens ?? '{}') as Record<string, string>;
  expect(Object.keys(tokens)).toEqual(['org-a', 'org-b']);
  expectConfigured(main, [tokens['org-a'], tokens['org-b']]);
  expect(main.outputs.token).toBe(tokens['org-a']);

  expect(await cloneCommitPush('org-a/api')).toEqual({ code: 0, stderr: '' });
  expect(await cloneCommitPush('org-b/web')).toEqual({ code: 0, stderr: '' });
  expect(tokensSentFor('org-a/api')).toEqual(new Set([tokens['org-a']]));
  expect(tokensSentFor('org-b/web')).toEqual(new Set([tokens['org-b']]));
  expect(server.log('org-b/web')[0]).toBe(`octo-bot[bot] <${main.outputs['bot-email']}>|Change org-b/web`);

  const post = await runAction('post', { state: main.state, env: stepEnv() });
  expect(post.exitCode).toBe(0);
  expect(post.warnings).toEqual([]);
  // No global config before the job: none after it.
  expect(existsSync(gitconfig())).toBe(false);
  expect(github.issuedTokens().map((t) => t.revoked)).toEqual([true, true]);
  for (const repository of ['org-a/api', 'org-b/web'])
    expect(await cloneCommitPush(repository)).toMatchObject({ code: 128 });
});

test('a main step that fails while setting up git: the post step still puts the config back', async () => {
  const prior = '[user]\n\tname = Someone\n\temail = someone@example.com\n';
  writeFileSync(gitconfig(), prior);
  // RUNNER_TEMP is a file: the credential helper cannot be written once user.name and user.email are set.
  rmSync(runnerTemp, { recursive: true });
  writeFileSync(runnerTemp, 'not a folder');

  const main = await runAction('main', { inputs: inputs('org-a'), env: stepEnv() });
  expect(main.exitCode).toBe(1);
  expect(main.errors).toEqual([
    expect.stringMatching(/^configure-git could not write git's credential helper: ENOTDIR: not a directory/),
  ]);
  expect(readFileSync(gitconfig(), 'utf8')).toContain('name = octo-bot[bot]');
  expect(main.state.git).toBeDefined();

  const post = await runAction('post', { state: main.state, env: stepEnv() });
  expect(post.exitCode).toBe(0);
  expect(post.warnings).toEqual([]);
  expect(readFileSync(gitconfig(), 'utf8')).toBe(prior);
});

test('without configure-git, the global git config is never touched', async () => {
  const main = await runAction('main', {
    inputs: { ...inputs('org-a'), 'configure-git': '' },
    env: stepEnv(),
  });
  expect(main.exitCode).toBe(0);
  expect(main.state.git).toBeUndefined();
  expect(existsSync(gitconfig())).toBe(false);
  expect(readdirSync(runnerTemp)).toEqual([]);
  expect(await cloneCommitPush('org-a/api')).toMatchObject({ code: 128 });
});

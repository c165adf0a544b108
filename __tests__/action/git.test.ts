// configure-git on the runner, in-process with the real git: configureGit writes the runner's global git config
// (HOME is a temp folder here), restoreGit (the post step) puts it back from the state the runner hands over.
// The helper is asked the way git asks it (`git credential fill`), and a clone and a push go to a real
// smart-HTTP git server (test/git-server.ts).
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configureGit,
  gitOrigin,
  helperValue,
  parseGitState,
  restoreGit,
  type GitState,
} from '../../src/action/git.js';
import { State } from '../../src/action/state.js';
import { ActionError } from '../../src/errors.js';
import { run as runPost } from '../../src/post.js';
import type { GitSetup } from '../../src/providers/provider.js';
import { fakeRunner, type RunnerRecord } from '../../test/fake-runner.ts';
import { startGitServer, type GitServer } from '../../test/git-server.ts';

const TOKEN_A = 'ghs_AAAAaaaa1111bbbbCCCC2222ddddEEEE3333';
const TOKEN_B = 'ghs_BBBBbbbb4444ccccDDDD5555eeeeFFFF6666';
const BOT = { name: 'octo-bot[bot]', userId: 4242, email: '4242+octo-bot[bot]@users.noreply.github.com' };
const ORIGIN = 'http://127.0.0.1:8089';

const runner = fakeRunner();
afterAll(() => runner.remove());

let dir: string;
let home: string;
let runnerTemp: string;
const savedEnv = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-jwt-git-test-'));
  home = join(dir, 'home');
  runnerTemp = join(dir, 'temp');
  mkdirSync(home);
  mkdirSync(runnerTemp);
  for (const name of Object.keys(process.env))
    if (/^GIT_/.test(name) || name === 'XDG_CONFIG_HOME' || name === 'SSH_ASKPASS') delete process.env[name];
  // The runner's git: this HOME, no system config, never a prompt.
  Object.assign(process.env, {
    HOME: home,
    RUNNER_TEMP: runnerTemp,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  });
});
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  rmSync(dir, { recursive: true, force: true });
});

const gitconfig = () => join(home, '.gitconfig');
const readConfig = () => readFileSync(gitconfig(), 'utf8');

/** git as a later step runs it, with the test's environment; never throws. */
function git(args: string[], options: { cwd?: string; input?: string } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile('git', args, { cwd: options.cwd ?? dir, env: process.env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
    );
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

/** What `git credential fill` gets for this URL: the helper's answer, as git hands it to a command. */
async function fill(url: string): Promise<{ code: number; password?: string; username?: string; stdout: string }> {
  const result = await git(['credential', 'fill'], { input: `url=${url}\n\n` });
  const field = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(result.stdout)?.[1];
  return { code: result.code, password: field('password'), username: field('username'), stdout: result.stdout };
}

function setup(overrides: Partial<GitSetup> = {}): GitSetup {
  return {
    serverUrl: ORIGIN,
    user: BOT,
    tokens: [
      { account: 'org-a', token: TOKEN_A },
      { account: 'Org-B', token: TOKEN_B },
    ],
    ...overrides,
  };
}

/** The main step's configureGit, as the runner runs it; `error` is what it threw. */
async function configure(value: GitSetup = setup()): Promise<RunnerRecord & { error?: unknown }> {
  let error: unknown;
  const record = await runner.run(async () => {
    try {
      await configureGit(value);
    } catch (caught) {
      error = caught;
    }
  });
  return { ...record, error };
}

/** The post step's restoreGit, with the state the main step saved. */
const restore = (state: string | undefined) =>
  runner.run(() => restoreGit(), { state: state === undefined ? {} : { [State.git]: state } });

const savedState = (record: RunnerRecord): GitState => parseGitState(record.state[State.git])!;

/** A global config as a user might have it: a comment, identity, helpers (one for this very origin), an alias. */
const PRIOR_CONFIG = [
  '# my settings',
  '[user]',
  '\tname = Old Name',
  '\temail = old@example.com',
  '[credential]',
  '\thelper = store',
  `[credential "${ORIGIN}"]`,
  '\thelper = cache --timeout=60',
  '\thelper = other',
  '[alias]',
  '\tst = status',
  '',
].join('\n');

describe('what configure-git writes', () => {
  test('the bot is user.name and user.email, and the origin gets a reset, the helper and useHttpPath', async () => {
    const record = await configure();
    expect(record.error).toBeUndefined();
    const state = savedState(record);
    const script = join(state.folder, 'credential-helper.sh');
    const listed = await git(['config', '--global', '--list']);
    expect(listed.stdout.split('\n').filter(Boolean)).toEqual([
      'user.name=octo-bot[bot]',
      'user.email=4242+octo-bot[bot]@users.noreply.github.com',
      `credential.${ORIGIN}.helper=`,
      `credential.${ORIGIN}.helper=${script}`,
      `credential.${ORIGIN}.usehttppath=true`,
    ]);
    // A commit made now is the bot's.
    expect((await git(['var', 'GIT_AUTHOR_IDENT'])).stdout).toMatch(
      /^octo-bot\[bot\] <4242\+octo-bot\[bot\]@users\.noreply\.github\.com> \d+ [+-]\d{4}\n$/,
    );
    expect(record.info).toContain(
      `Git commits as octo-bot[bot] <4242+octo-bot[bot]@users.noreply.github.com> and authenticates to ${ORIGIN} ` +
        "with the token of each account (org-a, Org-B; org-a's for any other); the post step puts the git config " +
        'back as it was.',
    );
  });

  test('no token in any config value, command output or log; the tokens sit in a 0600 file in a 0700 folder', async () => {
    const record = await configure();
    const shown = await git(['config', '--list', '--show-origin']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`file:${gitconfig()}\tuser.name=octo-bot[bot]`);
    for (const token of [TOKEN_A, TOKEN_B]) {
      expect(shown.stdout).not.toContain(token);
      expect(readConfig()).not.toContain(token);
      expect(record.stdout.replace(`::add-mask::${token}\n`, '')).not.toContain(token);
      expect(record.stateFile).not.toContain(token);
    }
    const { folder } = savedState(record);
    expect(folder.startsWith(join(runnerTemp, 'app-jwt-git-'))).toBe(true);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, 'tokens')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(folder, 'tokens'), 'utf8')).toBe(`org-a ${TOKEN_A}\norg-b ${TOKEN_B}\n`);
  });

  test('every token is masked before anything is written: the state, the config, the log', async () => {
    const record = await configure();
    expect(record.masks).toEqual([TOKEN_A, TOKEN_B]);
    const firstWrites = record.writes.slice(0, 2);
    expect(firstWrites.map((w) => w.text)).toEqual([`::add-mask::${TOKEN_A}\n`, `::add-mask::${TOKEN_B}\n`]);
    expect(firstWrites.every((w) => w.stateBytes === 0)).toBe(true);
  });

  test('the state names every key with every value it held, in order, the config file and the folder', async () => {
    writeFileSync(gitconfig(), PRIOR_CONFIG);
    const record = await configure();
    expect(savedState(record)).toEqual({
      folder: expect.stringMatching(/app-jwt-git-[0-9a-f-]{36}$/),
      file: gitconfig(),
      fileExisted: true,
      keys: [
        { key: 'user.name', prior: ['Old Name'] },
        { key: 'user.email', prior: ['old@example.com'] },
        { key: `credential.${ORIGIN}.helper`, prior: ['cache --timeout=60', 'other'] },
        { key: `credential.${ORIGIN}.useHttpPath`, prior: [] },
      ],
    });
  });

  test('a helper path sh would not split is the bare path; one with a space is a quoted shell command', () => {
    expect(helperValue('/home/runner/work/_temp/app-jwt-git-1/credential-helper.sh')).toBe(
      '/home/runner/work/_temp/app-jwt-git-1/credential-helper.sh',
    );
    expect(helperValue("/tmp/it's here/h.sh")).toBe(`!'/tmp/it'\\''s here/h.sh'`);
    expect(helperValue('D:\\a\\_temp\\app-jwt-git-1\\credential-helper.sh')).toBe(
      'D:/a/_temp/app-jwt-git-1/credential-helper.sh',
    );
  });
});

describe('the credential helper', () => {
  test('answers the token of the account the repository path starts with, the first token for any other', async () => {
    await configure();
    expect(await fill(`${ORIGIN}/org-a/api.git`)).toMatchObject({
      code: 0,
      username: 'x-access-token',
      password: TOKEN_A,
    });
    expect(await fill(`${ORIGIN}/org-b/web.git`)).toMatchObject({ code: 0, password: TOKEN_B });
    // GitHub logins are case-insensitive.
    expect(await fill(`${ORIGIN}/ORG-B/web`)).toMatchObject({ code: 0, password: TOKEN_B });
    expect(await fill(`${ORIGIN}/org-c/other.git`)).toMatchObject({ code: 0, password: TOKEN_A });
  });

  test('answers nothing for another host, port or scheme: git then fails without a prompt', async () => {
    const record = await configure();
    for (const url of [
      'https://github.com/org-a/api.git',
      'http://127.0.0.1:8090/org-a/api.git',
      'https://127.0.0.1:8089/org-a/api.git',
    ]) {
      const answer = await fill(url);
      expect({ url, code: answer.code, password: answer.password }).toEqual({ url, code: 128, password: undefined });
    }
    // Even asked directly (a copy of it configured for every host), the script keeps the tokens to its origin.
    const script = join(savedState(record).folder, 'credential-helper.sh');
    const direct = await new Promise<string>((resolve) => {
      const child = execFile(script, ['get'], (_error, stdout) => resolve(stdout));
      child.stdin?.end('protocol=https\nhost=github.com\npath=org-a/api.git\n\n');
    });
    expect(direct).toBe('');
  });

  test('a helper configured before, for every host or for this origin, is not asked while configured', async () => {
    const stale = join(dir, 'stale-helper.sh');
    writeFileSync(stale, '#!/bin/sh\necho username=stale\necho password=stale-password\n');
    chmodSync(stale, 0o755);
    await git(['config', '--global', 'credential.helper', stale]);
    await git(['config', '--global', `credential.${ORIGIN}.helper`, stale]);
    expect(await fill(`${ORIGIN}/org-a/api.git`)).toMatchObject({ password: 'stale-password' });
    const record = await configure();
    expect(await fill(`${ORIGIN}/org-a/api.git`)).toMatchObject({ username: 'x-access-token', password: TOKEN_A });
    // Other hosts still have the user's helper.
    expect(await fill('https://example.com/x.git')).toMatchObject({ password: 'stale-password' });
    await restore(record.state[State.git]);
    expect(await fill(`${ORIGIN}/org-a/api.git`)).toMatchObject({ password: 'stale-password' });
  });

  test('a RUNNER_TEMP with a space in its path works (the helper is then a quoted command)', async () => {
    process.env.RUNNER_TEMP = join(dir, "runner's temp");
    mkdirSync(process.env.RUNNER_TEMP);
    const record = await configure();
    const script = join(savedState(record).folder, 'credential-helper.sh');
    expect((await git(['config', '--global', '--get-all', `credential.${ORIGIN}.helper`])).stdout).toBe(
      `\n!'${script.replace(/'/g, `'\\''`)}'\n`,
    );
    expect(await fill(`${ORIGIN}/org-b/web.git`)).toMatchObject({ password: TOKEN_B });
  });

  test('without RUNNER_TEMP the folder is made in the system temp folder', async () => {
    delete process.env.RUNNER_TEMP;
    const record = await configure();
    const { folder } = savedState(record);
    expect(folder.startsWith(join(tmpdir(), 'app-jwt-git-'))).toBe(true);
    expect(await fill(`${ORIGIN}/org-a/api.git`)).toMatchObject({ password: TOKEN_A });
    await restore(record.state[State.git]);
    expect(existsSync(folder)).toBe(false);
  });
});

describe('the post step restores', () => {
  test('a global config as the user had it, byte for byte, with its helpers and identity', async () => {
    writeFileSync(gitconfig(), PRIOR_CONFIG);
    const record = await configure();
    expect(readConfig()).not.toBe(PRIOR_CONFIG);
    const post = await restore(record.state[State.git]);
    expect(readConfig()).toBe(PRIOR_CONFIG);
    expect(post.commands('warning')).toEqual([]);
    expect(post.info).toEqual([
      `The git config is restored: user.name, user.email, credential.${ORIGIN}.helper, ` +
        `credential.${ORIGIN}.useHttpPath are as before the job.`,
    ]);
    expect(existsSync(savedState(record).folder)).toBe(false);
  });

  test('no global config before: none after, and the folder with the tokens is gone', async () => {
    const record = await configure();
    expect(existsSync(gitconfig())).toBe(true);
    await restore(record.state[State.git]);
    expect(existsSync(gitconfig())).toBe(false);
    expect(existsSync(savedState(record).folder)).toBe(false);
    expect(await fill(`${ORIGIN}/org-a/api.git`)).toMatchObject({ code: 128, password: undefined });
  });

  test('after a main step that failed halfway (identity set, no folder for the helper)', async () => {
    writeFileSync(gitconfig(), PRIOR_CONFIG);
    // RUNNER_TEMP is a file: the helper's folder cannot be made once user.name and user.email are set.
    rmSync(runnerTemp, { recursive: true });
    writeFileSync(runnerTemp, 'not a folder');
    const record = await configure();
    expect(record.error).toBeInstanceOf(ActionError);
    expect((record.error as Error).message).toMatch(/^configure-git could not write git's credential helper: ENOTDIR/);
    expect((await git(['config', '--global', 'user.name'])).stdout).toBe('octo-bot[bot]\n');
    const post = await restore(record.state[State.git]);
    expect(post.commands('warning')).toEqual([]);
    expect(readConfig()).toBe(PRIOR_CONFIG);
  });

  test('after a main step refused before its first change, or killed right after saving its state', async () => {
    // A server URL git must not send tokens to: refused before anything is saved or changed.
    writeFileSync(gitconfig(), PRIOR_CONFIG);
    const refused = await configure(setup({ serverUrl: 'http://github.example.com' }));
    expect(refused.error).toEqual(
      new ActionError(
        'configure-git: git sends tokens over https only, and the server URL http://github.example.com is not https.',
      ),
    );
    expect(refused.state).toEqual({});
    expect(readConfig()).toBe(PRIOR_CONFIG);
    // The state saved, then the step killed: restore has nothing to undo but says all is as before.
    const record = await configure();
    writeFileSync(gitconfig(), PRIOR_CONFIG);
    rmSync(savedState(record).folder, { recursive: true });
    const post = await restore(record.state[State.git]);
    expect(post.commands('warning')).toEqual([]);
    expect(readConfig()).toBe(PRIOR_CONFIG);
  });

  test('what the user had, even when a later step changed the same keys', async () => {
    const record = await configure();
    await git(['config', '--global', '--add', 'user.name', 'changed later']);
    await restore(record.state[State.git]);
    expect(existsSync(gitconfig())).toBe(false);
  });

  test('through the post step run(), with no token to revoke', async () => {
    writeFileSync(gitconfig(), PRIOR_CONFIG);
    const record = await configure();
    const post = await runner.run(() => runPost(), { state: { [State.git]: record.state[State.git] } });
    expect(post.commands('warning')).toEqual([]);
    expect(post.info).toEqual([expect.stringMatching(/^The git config is restored: /)]);
    expect(readConfig()).toBe(PRIOR_CONFIG);
  });

  test('through the post step run(), before the tokens are dealt with', async () => {
    const record = await configure();
    // A token that expired already: the post step says so, and needs no server to say it.
    const expired = {
      provider: 'github',
      token: TOKEN_A,
      apiUrl: 'https://api.github.com',
      expiresAt: '2000-01-01T00:00:00Z',
    };
    const post = await runner.run(() => runPost(), {
      state: { [State.git]: record.state[State.git], [State.revoke]: JSON.stringify([expired]) },
    });
    expect(post.info).toEqual([
      expect.stringMatching(/^The git config is restored: /),
      'The token expired at 2000-01-01T00:00:00.000Z; nothing to revoke.',
    ]);
    expect(existsSync(gitconfig())).toBe(false);
  });

  test('a state that is not what this action saves changes nothing, and is a warning', async () => {
    writeFileSync(gitconfig(), PRIOR_CONFIG);
    const folder = join(dir, 'app-jwt-git-x');
    const good: GitState = { folder, file: gitconfig(), fileExisted: true, keys: [{ key: 'user.name', prior: [] }] };
    for (const text of [
      'not json',
      'null',
      JSON.stringify({ ...good, keys: [{ key: 'core.sshCommand', prior: ['sh -c evil'] }] }),
      JSON.stringify({ ...good, folder: home }),
      JSON.stringify({ ...good, folder: 'app-jwt-git-relative' }),
      JSON.stringify({ ...good, keys: [{ key: 'user.name', prior: [1] }] }),
      JSON.stringify({ ...good, fileExisted: 'yes' }),
    ]) {
      const post = await restore(text);
      expect({ text, warnings: post.commands('warning') }).toEqual({
        text,
        warnings: ['The git config was not restored: the saved state is not what this action saves.'],
      });
    }
    expect(readConfig()).toBe(PRIOR_CONFIG);
    expect(existsSync(home)).toBe(true);
  });

  test('no state: nothing to do, nothing said', async () => {
    const post = await restore(undefined);
    expect(post.stdout).toBe('');
  });

  test('a config git cannot write is a warning, never a failure, and the tokens are deleted all the same', async () => {
    const record = await configure();
    // A later step pointed git at a file in a folder that does not exist: git cannot lock it.
    process.env.GIT_CONFIG_GLOBAL = join(dir, 'missing', 'config');
    const post = await restore(record.state[State.git]);
    expect(post.exitCode).toBeUndefined();
    const missing = join(dir, 'missing', 'config');
    expect(post.commands('warning')).toEqual([
      `The git config was not wholly restored: user.name, user.email, credential.${ORIGIN}.helper, ` +
        `credential.${ORIGIN}.useHttpPath could not be put back (error: could not lock config file ${missing}: ` +
        `No such file or directory). Check ${gitconfig()}.`,
    ]);
    expect(existsSync(savedState(record).folder)).toBe(false);
  });
});

describe('the post step without git', () => {
  test('warns, never fails, and deletes the tokens all the same', async () => {
    const record = await configure();
    process.env.PATH = join(dir, 'empty');
    const post = await restore(record.state[State.git]);
    expect(post.exitCode).toBeUndefined();
    expect(post.commands('warning')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The git config was not wholly restored: user\\.name, user\\.email, credential\\.${ORIGIN.replace(/[.:/]/g, '\\$&')}\\.helper, ` +
            `credential\\.${ORIGIN.replace(/[.:/]/g, '\\$&')}\\.useHttpPath could not be put back \\(configure-git needs git on the runner's PATH, ` +
            `and it could not be run: .*\\)\\. Check ${gitconfig().replace(/[.:/]/g, '\\$&')}\\.$`,
        ),
      ),
    ]);
    expect(existsSync(savedState(record).folder)).toBe(false);
  });
});

describe('refused setups', () => {
  test.each([
    [
      'plain http to a remote host',
      'http://github.example.com',
      'the server URL http://github.example.com is not https',
    ],
    ['a scheme git would not use', 'ftp://127.0.0.1', 'the server URL ftp://127.0.0.1 is not https'],
    ['not a URL', 'github.com', 'the server URL "github.com" is not a URL'],
  ])('%s', (_label, serverUrl, detail) => {
    expect(() => gitOrigin(serverUrl)).toThrow(new RegExp(detail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });

  test('https anywhere, and http on loopback, keep only the origin', () => {
    expect(gitOrigin('https://GHE.example.com:8443/some/path?x=1').origin).toBe('https://ghe.example.com:8443');
    expect(gitOrigin('http://localhost:3000/').origin).toBe('http://localhost:3000');
    expect(gitOrigin('http://[::1]:3000').origin).toBe('http://[::1]:3000');
  });

  test.each([
    ['no token', { tokens: [] }, 'configure-git: there is no token to set up git with.'],
    [
      'an account name with a space',
      { tokens: [{ account: 'org a', token: TOKEN_A }] },
      'configure-git: "org a" is not an account name git can match.',
    ],
    [
      'a token with a line break',
      { tokens: [{ account: 'org-a', token: `${TOKEN_A}\nx` }] },
      'configure-git: the token of org-a holds characters git cannot send.',
    ],
  ])('%s: refused before anything is saved or changed', async (_label, overrides, message) => {
    const record = await configure(setup(overrides));
    expect(record.error).toEqual(new ActionError(message));
    expect(record.state).toEqual({});
    expect(existsSync(gitconfig())).toBe(false);
  });

  test('without git on PATH: a clear error, nothing saved', async () => {
    process.env.PATH = join(dir, 'empty');
    const record = await configure();
    expect(record.error).toBeInstanceOf(ActionError);
    expect((record.error as Error).message).toMatch(
      /^configure-git needs git on the runner's PATH, and it could not be run: /,
    );
    expect(record.state).toEqual({});
  });
});

describe('git over HTTP with the configured helper', () => {
  let server: GitServer;
  const allowed: Record<string, string> = { 'org-a': TOKEN_A, 'org-b': TOKEN_B };
  beforeEach(async () => {
    server = await startGitServer({
      repositories: ['org-a/api', 'org-b/web'],
      authorize: (token, owner) => allowed[owner.toLowerCase()] === token,
    });
  });
  afterEach(() => server.close());

  test('clone, commit and push to each account with its own token; all fail once restored', async () => {
    const record = await configure(setup({ serverUrl: server.url }));
    for (const [repository, token] of [
      ['org-a/api', TOKEN_A],
      ['org-b/web', TOKEN_B],
    ]) {
      const work = join(dir, repository.replace('/', '-'));
      expect(await git(['clone', '--quiet', `${server.url}/${repository}.git`, work])).toMatchObject({ code: 0 });
      writeFileSync(join(work, 'change.txt'), repository);
      expect(await git(['add', 'change.txt'], { cwd: work })).toMatchObject({ code: 0 });
      expect(await git(['commit', '--quiet', '-m', `Change ${repository}`], { cwd: work })).toMatchObject({ code: 0 });
      expect(await git(['push', '--quiet', 'origin', 'main'], { cwd: work })).toMatchObject({ code: 0 });
      expect(server.log(repository)).toEqual([
        `octo-bot[bot] <4242+octo-bot[bot]@users.noreply.github.com>|Change ${repository}`,
        'Seed <seed@example.com>|Initial commit',
      ]);
      const sent = server.requests.filter((r) => r.path.startsWith(`/${repository}.git/`) && r.token);
      expect(new Set(sent.map((r) => r.token))).toEqual(new Set([token]));
    }

    await restore(record.state[State.git]);
    const work = join(dir, 'org-a-api');
    writeFileSync(join(work, 'after.txt'), 'after');
    await git(['add', 'after.txt'], { cwd: work });
    await git(['-c', 'user.name=x', '-c', 'user.email=x@example.com', 'commit', '-qm', 'After'], { cwd: work });
    const push = await git(['push', 'origin', 'main'], { cwd: work });
    expect(push.code).toBe(128);
    expect(push.stderr).toMatch(/could not read Username/);
    const clone = await git(['clone', `${server.url}/org-b/web.git`, join(dir, 'again')]);
    expect(clone.code).toBe(128);
    expect(server.log('org-a/api')[0]).toMatch(/\|Change org-a\/api$/);
  });
});

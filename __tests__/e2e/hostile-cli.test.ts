// The built CLI as a newcomer meets it (issue 10, class 8): on the oldest Node that package.json's engines
// claims, with exit code 2 for every value of the wrong form as --help promises, and prompts for secrets that
// echo nothing on a real terminal. No file is written: the key is the repository's test fixture.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT } from '../../test/action-process.ts';
import { CLI, runCliInTerminal } from '../../test/cli-process.ts';
import { startGitHubEmulator, type EmulatedApp, type GitHubEmulator } from '../../test/emulators/github.ts';
import {
  makeRingCentralClient,
  startRingCentralEmulator,
  type RingCentralEmulator,
} from '../../test/emulators/ringcentral.ts';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const KEY_FILE = join(ROOT, 'test', 'fixtures', 'app-key.pem');
const KEY_LINES = APP_KEY_PEM.trim().split('\n').slice(1, -1);
const ENGINES = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines
  .node;

const versionOf = (node: string) => {
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

/**
 * A Node binary of the major version engines names as its minimum: APP_JWT_OLDEST_NODE, else one on PATH, in
 * /usr/bin or /usr/local/bin, else one in the runner's tool cache (GitHub's images keep Node 20 there).
 */
function oldestNode(): { path: string; version: string } {
  const major = /^>=\s*(\d+)/.exec(ENGINES)?.[1];
  const cache = '/opt/hostedtoolcache/node';
  const candidates = [
    process.env.APP_JWT_OLDEST_NODE ?? '',
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')),
    '/usr/bin/node',
    '/usr/local/bin/node',
    ...(existsSync(cache) ? readdirSync(cache).map((version) => join(cache, version, 'x64', 'bin', 'node')) : []),
  ];
  for (const path of candidates.filter((c) => c && existsSync(c))) {
    const version = versionOf(path);
    if (version?.startsWith(`v${major}.`)) return { path, version };
  }
  throw new Error(`no Node ${major} found to test the CLI on (engines: ${ENGINES}); set APP_JWT_OLDEST_NODE`);
}

const oldest = oldestNode();

function cliOn(node: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(node, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end();
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

const app: EmulatedApp = {
  id: 7007,
  clientId: 'Iv23liOldestNodeApp0',
  slug: 'oldest-node',
  name: 'Oldest Node',
  owner: 'octo-org',
  publicKey: APP_KEY_PEM,
  permissions: { contents: 'read', metadata: 'read' },
};
const rcClient = makeRingCentralClient();
let github: GitHubEmulator;
let rc: RingCentralEmulator;

beforeAll(async () => {
  [github, rc] = await Promise.all([
    startGitHubEmulator({
      apps: [app],
      installations: [
        {
          id: 7008,
          appId: app.id,
          account: { login: 'octo-org', type: 'Organization' },
          repositorySelection: 'all',
          repositories: ['api'],
          permissions: { contents: 'read', metadata: 'read' },
        },
      ],
    }),
    startRingCentralEmulator({ clients: [rcClient] }),
  ]);
});
afterAll(() => Promise.all([github.close(), rc.close()]));

describe(`on the oldest Node engines claims (${ENGINES})`, () => {
  test('the Node found is of that major version, at or past the minimum', () => {
    const [major, minor] = oldest.version.slice(1).split('.').map(Number);
    const [, wantMajor, wantMinor] = /^>=\s*(\d+)(?:\.(\d+))?/.exec(ENGINES)!.map(Number);
    expect(major).toBe(wantMajor);
    expect(minor).toBeGreaterThanOrEqual(wantMinor || 0);
  });

  test('sign: a JWT GitHub accepts', async () => {
    const run = await cliOn(oldest.path, ['sign', '--app-id', String(app.id), '--private-key-file', KEY_FILE]);
    expect(run.stderr).toMatch(/^Signed a JWT for GitHub App 7007; /);
    expect(run.code).toBe(0);
    const status = (await fetch(`${github.url}/app`, { headers: { authorization: `Bearer ${run.stdout.trim()}` } }))
      .status;
    expect(status).toBe(200);
  });

  test('token: an installation token, through the HTTP layer and its retries', async () => {
    const run = await cliOn(oldest.path, ['token', '--owner', 'octo-org', '--api-url', github.url], {
      APP_ID: String(app.id),
      PRIVATE_KEY_FILE: KEY_FILE,
    });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(github.issuedTokens().at(-1)!.token);
  });

  test('token --provider ringcentral: an access token', async () => {
    const run = await cliOn(oldest.path, ['token', '--provider', 'ringcentral'], {
      RC_JWT: rc.issueCredential({ userId: 7 }),
      RC_CLIENT_ID: rcClient.clientId,
      RC_CLIENT_SECRET: rcClient.clientSecret,
      RC_SERVER_URL: rc.url,
    });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(rc.liveSessions().at(-1)!.accessToken);
  });

  test('inspect: the signature checked', async () => {
    const jwt = (await cliOn(oldest.path, ['sign', '--app-id', '1', '--private-key-file', KEY_FILE])).stdout.trim();
    const run = await cliOn(oldest.path, ['inspect', jwt, '--private-key-file', KEY_FILE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Signature: valid/);
  });

  test.each([
    [['sign', '--app-id', 'abc', '--private-key-file', KEY_FILE], /^app-jwt: --app-id: 'abc' is neither an App ID/],
    [
      ['sign', '--app-id', '1', '--private-key-file', KEY_FILE, '--expires-in', '601'],
      /^app-jwt: --expires-in: '601' is not a whole number/,
    ],
    [
      ['token', '--installation-id', 'x', '--owner', 'octo-org'],
      /^app-jwt: --installation-id: 'x' is not an installation ID/,
    ],
  ])('a bad flag value exits 2, as --help promises: %j', async (args, message) => {
    const run = await cliOn(oldest.path, args, { APP_ID: '1', PRIVATE_KEY_FILE: KEY_FILE });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/\nRun app-jwt \w+ --help for usage\.\n$/);
  });
});

describe('prompts on a real terminal', () => {
  test('the JWT credential and the client secret are not echoed; the client ID is', async () => {
    const credential = rc.issueCredential({ userId: 8 });
    const run = await runCliInTerminal(
      ['token', '--provider', 'ringcentral', '--server-url', rc.url],
      [
        { prompt: 'JWT credential (not shown):', answer: credential },
        { prompt: 'Client ID:', answer: rcClient.clientId },
        { prompt: 'Client secret (not shown):', answer: rcClient.clientSecret },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(rc.liveSessions().at(-1)!.accessToken);
    expect(run.terminal).toContain(rcClient.clientId);
    for (const secret of [credential, credential.split('.')[2], rcClient.clientSecret, run.stdout.trim()])
      expect(run.terminal).not.toContain(secret);
  });

  test('a key pasted whole at the key file prompt is used; none of its body is echoed', async () => {
    const run = await runCliInTerminal(
      ['sign', '--app-id', String(app.id)],
      [{ prompt: 'Path of the private key (PEM) file:', answer: APP_KEY_PEM.trim().split('\n').join('\r') }],
    );
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^ey[\w-]+\.ey[\w-]+\.[\w-]+$/);
    for (const line of KEY_LINES) expect(run.terminal).not.toContain(line);
  });
});

// The command-line tool, built (dist/cli/index.js) and run under Node 24 as a process.
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliInTerminal } from '../../test/cli-process.ts';
import { makeTestApp, signTestJwt, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';
import { makeRingCentralClient, startRingCentralEmulator } from '../../test/emulators/ringcentral.ts';
import { makeVonageApp } from '../../test/emulators/vonage.ts';

const { app, privateKeyPem } = makeTestApp({ id: 4242, slug: 'cli-app' });
const dir = mkdtempSync(join(tmpdir(), 'app-jwt-cli-test-'));
const keyFile = join(dir, 'app.pem');
const publicKeyFile = join(dir, 'app.pub.pem');
writeFileSync(keyFile, privateKeyPem);
writeFileSync(publicKeyFile, createPublicKey(privateKeyPem).export({ format: 'pem', type: 'spki' }));
const keyLines = privateKeyPem.trim().split('\n').slice(1, -1);
let github: GitHubEmulator;

beforeAll(async () => {
  github = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 77,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'selected',
        repositories: ['api', 'web'],
        permissions: { contents: 'write', metadata: 'read' },
      },
    ],
  });
});
afterAll(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
const appStatus = async (jwt: string) =>
  (await fetch(`${github.url}/app`, { headers: { authorization: `Bearer ${jwt}` } })).status;

function expectNoSecretsIn(text: string, ...secrets: string[]) {
  for (const line of keyLines) expect(text).not.toContain(line);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('help and usage', () => {
  test.each([[['--help']], [['sign', '--help']], [['token', '--help']], [['inspect', '--help']]])(
    '%j',
    async (args) => {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^(app-jwt: app credentials|Usage: app-jwt)/);
    },
  );

  test('no command: the help on stderr, exit 2', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Commands:/);
  });

  test.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['sign', '--nope'], /Unknown option '--nope'/],
    [['sign', '--app-id', '1'], /--private-key-file is missing: give --private-key-file or set PRIVATE_KEY_FILE/],
    [['sign', '--private-key-file', keyFile], /--app-id is missing: give --app-id or set APP_ID/],
    [['token', '--provider', 'vonage'], /use app-jwt sign --provider vonage/],
    [['inspect', 'a', 'b'], /inspect takes one JWT/],
  ])('%j is a usage error, exit 2', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/--help for usage/);
    expect(run.stdout).toBe('');
  });
});

describe('sign', () => {
  test('flags: the JWT alone on stdout, issuer and expiry on stderr', async () => {
    const run = await runCli(['sign', '--app-id', '4242', '--private-key-file', keyFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const jwt = run.stdout.trim();
    expect(await appStatus(jwt)).toBe(200);
    expect(run.stderr).toMatch(/Signed a JWT for GitHub App 4242/);
    expect(run.stderr).toMatch(/expires in (8m 5\ds|9m)/);
    expectNoSecretsIn(run.stderr, jwt);
  });

  test('environment variables: APP_ID with PRIVATE_KEY_FILE, or PRIVATE_KEY holding the PEM', async () => {
    const envs: Record<string, string>[] = [
      { APP_ID: '4242', PRIVATE_KEY_FILE: keyFile },
      { APP_ID: '4242', PRIVATE_KEY: privateKeyPem },
    ];
    for (const env of envs) {
      const run = await runCli(['sign'], { env });
      expect(run.code).toBe(0);
      expect(await appStatus(run.stdout.trim())).toBe(200);
    }
  });

  test('--expires-in is checked like the action input', async () => {
    const run = await runCli(['sign', '--app-id', '4242', '--private-key-file', keyFile, '--expires-in', '900']);
    // A value of the wrong form is a usage error, as --help says.
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^app-jwt: --expires-in: '900' is not a whole number of seconds from 1 to 600/);
  });

  test('a bad key file says what it is, without quoting it', async () => {
    const bad = join(dir, 'public.pem');
    writeFileSync(bad, createPublicKey(privateKeyPem).export({ format: 'pem', type: 'spki' }));
    const run = await runCli(['sign', '--app-id', '4242', '--private-key-file', bad]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--private-key-file: holds a public key/);
    const missing = await runCli(['sign', '--app-id', '4242', '--private-key-file', join(dir, 'nope.pem')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/);
  });

  test('vonage: application_id, jti, acl and sub', async () => {
    const vonage = makeVonageApp();
    const vonageKey = join(dir, 'private.key');
    writeFileSync(vonageKey, vonage.privateKeyPem);
    const run = await runCli([
      'sign',
      '--provider',
      'vonage',
      '--app-id',
      vonage.applicationId,
      '--private-key-file',
      vonageKey,
      '--acl',
      '{"paths": {"/*/users/**": {}}}',
      '--subject',
      'alice',
    ]);
    expect(run.code).toBe(0);
    expect(claimsOf(run.stdout.trim())).toMatchObject({
      application_id: vonage.applicationId,
      sub: 'alice',
      acl: { paths: { '/*/users/**': {} } },
      jti: expect.any(String),
    });
  });

  test('prompts for the key file and the App ID on a terminal', async () => {
    const run = await runCliInTerminal(
      ['sign'],
      [
        { prompt: 'Path of the private key (PEM) file:', answer: keyFile },
        { prompt: 'App ID:', answer: '4242' },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.terminal).toMatch(/Path of the private key \(PEM\) file:[\s\S]*App ID:/);
    const jwt = run.stdout.trim();
    expect(await appStatus(jwt)).toBe(200);
    expectNoSecretsIn(run.terminal, jwt);
  });
});

describe('token', () => {
  test('GitHub: the installation token on stdout, its expiry on stderr', async () => {
    const before = github.requests.length;
    const run = await runCli(['token', '--owner', 'octo-org', '--repositories', 'api', '--api-url', github.url], {
      env: { APP_ID: '4242', PRIVATE_KEY_FILE: keyFile },
    });
    expect(run.stderr).toMatch(/Created an installation token \(installation 77\) for octo-org\/api/);
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(github.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo-org/api/installation',
      'POST /app/installations/77/access_tokens',
    ]);
    const response = await fetch(`${github.url}/installation/repositories`, {
      headers: { authorization: `token ${token}` },
    });
    expect(response.status).toBe(200);
    expect(run.stderr).toMatch(/Token \S+ \(expires in (59m|1h)/);
    expectNoSecretsIn(run.stderr, token);
  });

  test('GitHub errors are the action’s, with flag names', async () => {
    const run = await runCli(['token', '--owner', 'nobody', '--api-url', github.url], {
      env: { APP_ID: '4242', PRIVATE_KEY_FILE: keyFile },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not installed on nobody .*apps\/cli-app\/installations\/new/);
    const noOwner = await runCli(['token', '--api-url', github.url], {
      env: { APP_ID: '4242', PRIVATE_KEY_FILE: keyFile },
    });
    expect(noOwner.code).toBe(2);
    expect(noOwner.stderr).toMatch(/^app-jwt: --owner: is needed/);
    const badPermission = await runCli(['token', '--owner', 'octo-org', '--permissions', 'pull-request: write'], {
      env: { APP_ID: '4242', PRIVATE_KEY_FILE: keyFile },
    });
    expect(badPermission.stderr).toMatch(/^app-jwt: --permissions: .*pull-requests/);
  });

  test('RingCentral: the access token for a JWT credential', async () => {
    const client = makeRingCentralClient();
    const rc = await startRingCentralEmulator({ clients: [client] });
    try {
      const credential = rc.issueCredential({ userId: 5 });
      const run = await runCli(['token', '--provider', 'ringcentral', '--server-url', rc.url], {
        env: { RC_JWT: credential, RC_CLIENT_ID: client.clientId, RC_CLIENT_SECRET: client.clientSecret },
      });
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(rc.liveSessions()[0].accessToken);
      expectNoSecretsIn(run.stderr, credential, client.clientSecret, run.stdout.trim());
    } finally {
      await rc.close();
    }
  });
});

describe('inspect', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const good = () => signTestJwt({ iat: now() - 60, exp: now() + 540, iss: 4242 }, privateKeyPem);

  test('a good JWT: claims with dates, a valid signature, exit 0', async () => {
    const run = await runCli(['inspect', good(), '--public-key', publicKeyFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Header: \{"alg":"RS256","typ":"JWT"\}/);
    expect(run.stdout).toMatch(/iat +\d+ +\S+ \(1m( \ds)? ago\)/);
    expect(run.stdout).toMatch(/exp +\d+ +\S+ \(expires in (8m 5\ds|9m)/);
    expect(run.stdout).toMatch(/Platform: GitHub App JWT/);
    expect(run.stdout).toMatch(/Signature: valid/);
    expect(run.stdout).not.toMatch(/Warning/);
  });

  test('from stdin, checked with the private key file', async () => {
    const run = await runCli(['inspect', '--private-key-file', keyFile], { input: `${good()}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Signature: valid/);
  });

  test('an expired JWT: exit 1', async () => {
    const run = await runCli([
      'inspect',
      signTestJwt({ iat: now() - 900, exp: now() - 180, iss: 4242 }, privateKeyPem),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/expired 3m( \ds)? ago/);
    expect(run.stdout).toMatch(/Expired: yes/);
  });

  test('a tampered JWT: the signature is invalid, exit 1', async () => {
    const [h, , s] = good().split('.');
    const forged = Buffer.from(JSON.stringify({ iat: now() - 60, exp: now() + 540, iss: 1 })).toString('base64url');
    const run = await runCli(['inspect', `${h}.${forged}.${s}`, '--public-key', publicKeyFile]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Signature: INVALID/);
  });

  test('a JWT signed by another key: invalid, exit 1', async () => {
    const other = makeTestApp();
    const run = await runCli([
      'inspect',
      signTestJwt({ iat: now(), exp: now() + 60, iss: 4242 }, other.privateKeyPem),
      '--public-key',
      publicKeyFile,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Signature: INVALID/);
  });

  test('GitHub rules: exp too far ahead, iat in the future, a bad iss', async () => {
    const run = await runCli([
      'inspect',
      signTestJwt({ iat: now() + 120, exp: now() + 3600, iss: 'my-app' }, privateKeyPem),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Warning: GitHub: iat is 1\d\d s in the future/);
    expect(run.stdout).toMatch(/Warning: GitHub: exp is 3\d{3} s after now; GitHub refuses more than 600/);
    expect(run.stdout).toMatch(/Warning: GitHub: iss \("my-app"\) is neither/);
  });

  test('Vonage rules: jti missing, a lifetime over 24 h', async () => {
    const run = await runCli([
      'inspect',
      signTestJwt({ application_id: 'x', iat: now(), exp: now() + 90_000 }, privateKeyPem),
    ]);
    expect(run.stdout).toMatch(/Platform: Vonage/);
    expect(run.stdout).toMatch(/Warning: Vonage: jti is missing/);
    expect(run.stdout).toMatch(/Warning: Vonage: the JWT lives 90000 s/);
  });

  test('not a JWT: exit 1 with the reason', async () => {
    const run = await runCli(['inspect', 'hello']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a JWT: a JWT has three base64url parts separated by dots; this has 1 part\./);
  });
});

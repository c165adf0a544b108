// The CLI in-process: runCli(io) with streams made here, against the GitHub and RingCentral emulators over
// real sockets. (The built CLI is run as a process by __tests__/e2e/cli.test.ts.)
import { createPublicKey, verify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PassThrough, Readable, Writable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import { HELP } from '../../src/cli/help.js';
import {
  signTestJwt,
  startGitHubEmulator,
  type EmulatedApp,
  type GitHubEmulator,
} from '../../test/emulators/github.ts';
import {
  makeRingCentralClient,
  startRingCentralEmulator,
  type RingCentralEmulator,
} from '../../test/emulators/ringcentral.ts';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));
const KEY_FILE = fixture('app-key.pem');
const CERTIFICATE_FILE = fixture('certificate.pem');
const MISSING_FILE = fixture('no-such-key.pem');
const KEY_LINES = APP_KEY_PEM.trim().split('\n').slice(1, -1);
const VONAGE_APP = 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab';

const app: EmulatedApp = {
  id: 4242,
  clientId: 'Iv23liAbCdEfGhIjKlMn',
  slug: 'cli-app',
  name: 'CLI App',
  owner: 'octo-org',
  publicKey: APP_KEY_PEM,
  permissions: { contents: 'write', metadata: 'read' },
};
const rcApp = makeRingCentralClient();
let github: GitHubEmulator;
let rc: RingCentralEmulator;

beforeAll(async () => {
  [github, rc] = await Promise.all([
    startGitHubEmulator({
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
    }),
    startRingCentralEmulator({ clients: [rcApp] }),
  ]);
});
afterAll(() => Promise.all([github.close(), rc.close()]));

interface CliOptions {
  env?: Record<string, string>;
  /** What is piped to stdin (no terminal). */
  input?: string;
  /** A terminal: each answer is typed once its prompt has been written to stderr. */
  answers?: { prompt: string; answer: string }[];
  stdin?: Readable & { isTTY?: boolean };
}

/** Runs one command with streams that record what it writes. */
async function cli(argv: string[], options: CliOptions = {}) {
  let stdout = '';
  let stderr = '';
  const pending = [...(options.answers ?? [])];
  const terminal = new PassThrough() as PassThrough & { isTTY?: boolean };
  let stdin: Readable & { isTTY?: boolean } = terminal;
  if (options.stdin) stdin = options.stdin;
  else if (options.answers) terminal.isTTY = true;
  else terminal.end(options.input ?? '');
  const code = await runCli({
    argv,
    env: options.env ?? {},
    stdin,
    stdout: new Writable({
      write(chunk, _encoding, done) {
        stdout += String(chunk);
        done();
      },
    }),
    stderr: new Writable({
      write(chunk, _encoding, done) {
        stderr += String(chunk);
        if (pending.length && stderr.includes(pending[0].prompt)) {
          const { answer } = pending.shift()!;
          setImmediate(() => terminal.write(`${answer}\r`));
        }
        done();
      },
    }),
  });
  return { code, stdout, stderr };
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
const verifies = (jwt: string) => {
  const [header, payload, signature] = jwt.split('.');
  return verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey(APP_KEY_PEM),
    Buffer.from(signature, 'base64url'),
  );
};
const now = () => Math.floor(Date.now() / 1000);

function expectNoSecretsIn(text: string, ...secrets: string[]) {
  for (const line of KEY_LINES) expect(text).not.toContain(line);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('help', () => {
  test.each([['--help'], ['-h'], ['help']])('%s: the tool help on stdout, exit 0', async (flag) => {
    expect(await cli([flag])).toEqual({ code: 0, stdout: `${HELP.main}\n`, stderr: '' });
  });

  test.each([
    ['sign', '--help'],
    ['token', '-h'],
    ['inspect', '--help'],
  ] as const)("%s %s: the command's help on stdout, exit 0", async (command, flag) => {
    expect(await cli([command, flag])).toEqual({ code: 0, stdout: `${HELP[command]}\n`, stderr: '' });
  });

  test('no command: the help on stderr, exit 2', async () => {
    expect(await cli([])).toEqual({ code: 2, stdout: '', stderr: `${HELP.main}\n` });
  });
});

describe('usage errors exit 2 with a pointer to the help', () => {
  test.each([
    [['frobnicate'], "unknown command 'frobnicate'.", 'app-jwt --help'],
    [['sign', '--nope'], "Unknown option '--nope'.", 'app-jwt sign --help'],
    [
      ['sign', 'extra'],
      "Unexpected argument 'extra'. This command does not take positional arguments.",
      'app-jwt sign --help',
    ],
    [['sign', '--app-id'], "Option '--app-id <value>' argument missing.", 'app-jwt sign --help'],
    [['inspect', '--public-key'], "Option '--public-key <value>' argument missing.", 'app-jwt inspect --help'],
    [
      ['sign', '--app-id', '1'],
      '--private-key-file is missing: give --private-key-file or set PRIVATE_KEY_FILE.',
      'app-jwt sign --help',
    ],
    [
      ['sign', '--private-key-file', KEY_FILE],
      '--app-id is missing: give --app-id or set APP_ID.',
      'app-jwt sign --help',
    ],
    [
      ['sign', '--provider', 'ringcentral'],
      'sign makes GitHub and Vonage JWTs; for RingCentral use: app-jwt token --provider ringcentral.',
      'app-jwt sign --help',
    ],
    [
      ['token', '--provider', 'vonage'],
      'Vonage takes the signed JWT itself as its token: use app-jwt sign --provider vonage.',
      'app-jwt token --help',
    ],
    [['token', '--provider', 'ringcentral'], '--jwt is missing: give --jwt or set RC_JWT.', 'app-jwt token --help'],
    [['inspect', 'a', 'b'], 'inspect takes one JWT.', 'app-jwt inspect --help'],
  ])('%j', async (argv, message, help) => {
    expect(await cli(argv)).toEqual({ code: 2, stdout: '', stderr: `app-jwt: ${message}\nRun ${help} for usage.\n` });
  });

  test('RingCentral: each missing value is named with its variable', async () => {
    const credential = rc.issueCredential({ userId: 1 });
    expect((await cli(['token', '--provider', 'ringcentral', '--jwt', credential])).stderr).toMatch(
      /^app-jwt: --client-id is missing: give --client-id or set RC_CLIENT_ID\./,
    );
    const run = await cli(['token', '--provider', 'ringcentral'], { env: { RC_JWT: credential, RC_CLIENT_ID: 'x' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^app-jwt: --client-secret is missing: give --client-secret or set RC_CLIENT_SECRET\./);
  });

  test('inspect on a terminal with no JWT: give it or pipe it', async () => {
    const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
    stdin.isTTY = true;
    expect(await cli(['inspect'], { stdin })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'app-jwt: give the JWT as an argument, or pipe it to stdin.\nRun app-jwt inspect --help for usage.\n',
    });
  });
});

describe('sign', () => {
  test('flags: the JWT alone on stdout, issuer and expiry on stderr', async () => {
    const before = now();
    const run = await cli(['sign', '--app-id', '4242', '--private-key-file', KEY_FILE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const jwt = run.stdout.trim();
    expect(verifies(jwt)).toBe(true);
    const claims = claimsOf(jwt);
    expect(claims).toEqual({ iat: expect.any(Number), exp: claims.iat + 600, iss: 4242 });
    expect(claims.iat).toBeGreaterThanOrEqual(before - 60);
    const expiry = new Date(claims.exp * 1000).toISOString();
    expect(run.stderr).toMatch(
      new RegExp(
        `^Signed a JWT for GitHub App 4242; it expires at ${expiry}\\.\\nJWT ${expiry} \\(expires in (8m 5\\ds|9m)\\)\\n$`,
      ),
    );
    expectNoSecretsIn(run.stderr, jwt);
  });

  test('a Client ID as --app-id is the iss string', async () => {
    const run = await cli(['sign', '--app-id', app.clientId, '--private-key-file', KEY_FILE]);
    expect(claimsOf(run.stdout.trim()).iss).toBe(app.clientId);
  });

  test('environment variables: APP_ID with PRIVATE_KEY_FILE, or PRIVATE_KEY holding the PEM', async () => {
    const envs: Record<string, string>[] = [
      { APP_ID: '4242', PRIVATE_KEY_FILE: KEY_FILE },
      { APP_ID: '4242', PRIVATE_KEY: APP_KEY_PEM },
    ];
    for (const env of envs) {
      const run = await cli(['sign'], { env });
      expect(run.code).toBe(0);
      expect(verifies(run.stdout.trim())).toBe(true);
      expect(claimsOf(run.stdout.trim()).iss).toBe(4242);
    }
  });

  test('flags win over environment variables', async () => {
    const run = await cli(['sign', '--app-id', '4242'], { env: { APP_ID: '1', PRIVATE_KEY_FILE: KEY_FILE } });
    expect(claimsOf(run.stdout.trim()).iss).toBe(4242);
  });

  test('--expires-in is checked like the action input, named as the flag: a usage error, exit 2', async () => {
    const run = await cli(['sign', '--app-id', '4242', '--private-key-file', KEY_FILE, '--expires-in', '900']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "app-jwt: --expires-in: '900' is not a whole number of seconds from 1 to 600. GitHub refuses app JWTs that expire more than 10 minutes ahead.\nRun app-jwt sign --help for usage.\n",
    });
    const short = await cli(['sign', '--app-id', '4242', '--private-key-file', KEY_FILE, '--expires-in', '60']);
    const claims = claimsOf(short.stdout.trim());
    expect(claims.exp - claims.iat).toBe(120);
  });

  test('a bad --app-id is named as the flag, exit 2', async () => {
    const run = await cli(['sign', '--app-id', 'my-app', '--private-key-file', KEY_FILE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^app-jwt: --app-id: 'my-app' is neither an App ID/);
  });

  test('a key file that is not a private key says what it is, without quoting it', async () => {
    const run = await cli(['sign', '--app-id', '4242', '--private-key-file', CERTIFICATE_FILE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^app-jwt: --private-key-file: holds a certificate, not a private key\./);
    expect(run.stdout).toBe('');
  });

  test('a key file that cannot be read: no such file, or why not', async () => {
    expect(await cli(['sign', '--app-id', '4242', '--private-key-file', MISSING_FILE])).toEqual({
      code: 1,
      stdout: '',
      stderr: `app-jwt: --private-key-file ${MISSING_FILE}: no such file.\n`,
    });
    const directory = fixture('');
    const run = await cli(['sign', '--app-id', '4242', '--private-key-file', directory]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^app-jwt: --private-key-file .*: EISDIR: illegal operation on a directory, read\.\n$/);
  });

  test('vonage: application_id, jti, acl and sub', async () => {
    const run = await cli([
      'sign',
      '--provider',
      'vonage',
      '--app-id',
      VONAGE_APP,
      '--private-key-file',
      KEY_FILE,
      '--acl',
      '{"paths": {"/*/users/**": {}}}',
      '--subject',
      'alice',
      '--expires-in',
      '3600',
    ]);
    expect(run.code).toBe(0);
    const claims = claimsOf(run.stdout.trim());
    expect(claims).toEqual({
      application_id: VONAGE_APP,
      iat: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      exp: claims.iat + 3600,
      sub: 'alice',
      acl: { paths: { '/*/users/**': {} } },
    });
    expect(verifies(run.stdout.trim())).toBe(true);
    expect(run.stderr).toMatch(
      new RegExp(
        `^Signed a JWT for Vonage application ${VONAGE_APP}; .*\\nJWT \\S+ \\(expires in (59m 5\\ds|1h)\\)\\n$`,
      ),
    );
  });

  test('vonage errors name the flag', async () => {
    const run = await cli(['sign', '--provider', 'vonage', '--app-id', 'abcd1234'], {
      env: { PRIVATE_KEY: APP_KEY_PEM },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^app-jwt: --app-id: 'abcd1234' is not a Vonage application ID/);
    const acl = await cli(['sign', '--provider', 'vonage', '--app-id', VONAGE_APP, '--acl', '[]'], {
      env: { PRIVATE_KEY: APP_KEY_PEM },
    });
    expect(acl.stderr).toMatch(/^app-jwt: --acl: must be a mapping with a 'paths' key/);
  });

  test('an unknown provider is refused like the action input', async () => {
    const run = await cli(['sign', '--provider', 'gitlab', '--app-id', '1'], { env: { PRIVATE_KEY: APP_KEY_PEM } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^app-jwt: sign makes GitHub and Vonage JWTs/);
  });

  test('prompts for the key file and the App ID on a terminal', async () => {
    const run = await cli(['sign'], {
      answers: [
        { prompt: 'Path of the private key (PEM) file: ', answer: KEY_FILE },
        { prompt: 'App ID: ', answer: '4242' },
      ],
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Path of the private key \(PEM\) file: [\s\S]*App ID: /);
    expect(claimsOf(run.stdout.trim()).iss).toBe(4242);
    expectNoSecretsIn(run.stderr, run.stdout.trim());
  });

  test('an empty answer on a terminal is a missing value', async () => {
    const run = await cli(['sign', '--private-key-file', KEY_FILE], {
      answers: [{ prompt: 'App ID: ', answer: '  ' }],
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/app-jwt: --app-id is missing: give --app-id or set APP_ID\.\nRun app-jwt sign --help/);
  });
});

describe('token', () => {
  test('GitHub: the installation token on stdout, its expiry on stderr', async () => {
    const before = github.requests.length;
    const run = await cli(['token', '--owner', 'octo-org', '--repositories', 'api', '--api-url', github.url], {
      env: { APP_ID: '4242', PRIVATE_KEY_FILE: KEY_FILE },
    });
    expect(run.code).toBe(0);
    const [issued] = github.issuedTokens().slice(-1);
    expect(run.stdout).toBe(`${issued.token}\n`);
    expect(issued.repositories).toEqual(['api']);
    expect(github.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo-org/api/installation',
      'POST /app/installations/77/access_tokens',
    ]);
    expect(run.stderr).toMatch(/^Created an installation token \(installation 77\) for octo-org\/api; it expires at /);
    expect(run.stderr).toMatch(/\nToken \S+ \(expires in (59m 5\ds|1h)\)\n$/);
    // Not revoked: it expires by itself.
    expect(issued.revoked).toBe(false);
    expectNoSecretsIn(run.stderr, issued.token);
  });

  test('GitHub: a JWT signed elsewhere, and the API URL from GITHUB_API_URL', async () => {
    const jwt = signTestJwt({ iat: now() - 60, exp: now() + 300, iss: 4242 }, APP_KEY_PEM);
    const run = await cli(['token', '--jwt', jwt, '--owner', 'octo-org'], { env: { GITHUB_API_URL: github.url } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${github.issuedTokens().at(-1)!.token}\n`);
    expectNoSecretsIn(run.stderr, jwt);
  });

  test('GitHub errors are the action’s, with flag names', async () => {
    const env = { APP_ID: '4242', PRIVATE_KEY_FILE: KEY_FILE };
    const notInstalled = await cli(['token', '--owner', 'nobody', '--api-url', github.url], { env });
    expect(notInstalled.code).toBe(1);
    expect(notInstalled.stderr).toMatch(/not installed on nobody .*apps\/cli-app\/installations\/new/);
    const noOwner = await cli(['token', '--api-url', github.url], { env });
    expect(noOwner.code).toBe(2);
    expect(noOwner.stderr).toMatch(/^app-jwt: --owner: is needed/);
    const badPermission = await cli(['token', '--owner', 'octo-org', '--permissions', 'pull-request: write'], { env });
    expect(badPermission.code).toBe(2);
    expect(badPermission.stderr).toMatch(/^app-jwt: --permissions: .*pull-requests/);
    const badUrl = await cli(['token', '--owner', 'octo-org', '--api-url', 'http://ghe.example.com'], { env });
    expect(badUrl.stderr).toMatch(/^app-jwt: --api-url: 'http:\/\/ghe\.example\.com' is not https/);
    const badId = await cli(['token', '--installation-id', 'x', '--api-url', github.url], { env });
    expect(badId.stderr).toMatch(/^app-jwt: --installation-id: 'x' is not an installation ID/);
  });

  test('RingCentral: the access token for a JWT credential, from the environment', async () => {
    const credential = rc.issueCredential({ userId: 5 });
    const run = await cli(['token', '--provider', 'ringcentral'], {
      env: {
        RC_JWT: credential,
        RC_CLIENT_ID: rcApp.clientId,
        RC_CLIENT_SECRET: rcApp.clientSecret,
        RC_SERVER_URL: rc.url,
      },
    });
    expect(run.code).toBe(0);
    const session = rc.liveSessions().at(-1)!;
    expect(run.stdout).toBe(`${session.accessToken}\n`);
    expect(session.credentialId).toBe(claimsOf(credential).jti);
    expect(run.stderr).toMatch(/^Got a RingCentral access token from http:\/\/127\.0\.0\.1:\d+; it expires at /);
    expect(run.stderr).toMatch(/\nToken \S+ \(expires in (59m 5\ds|1h)\)\n$/);
    expectNoSecretsIn(run.stderr, credential, rcApp.clientSecret, session.accessToken, session.refreshToken);
  });

  test('RingCentral: flags win over the environment', async () => {
    const credential = rc.issueCredential({ userId: 6 });
    const run = await cli(
      [
        'token',
        '--provider',
        'ringcentral',
        '--jwt',
        credential,
        '--client-id',
        rcApp.clientId,
        '--client-secret',
        rcApp.clientSecret,
        '--server-url',
        rc.url,
      ],
      {
        env: {
          RC_JWT: 'x.y.z',
          RC_CLIENT_ID: 'other',
          RC_CLIENT_SECRET: 'other',
          RC_SERVER_URL: 'https://example.com',
        },
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${rc.liveSessions().at(-1)!.accessToken}\n`);
  });

  test('RingCentral errors: a refused login, and bad values named as flags', async () => {
    const credential = rc.issueCredential({ userId: 7 });
    const base = ['token', '--provider', 'ringcentral', '--jwt', credential, '--client-id', rcApp.clientId];
    const refused = await cli([...base, '--client-secret', 'wrong-secret', '--server-url', rc.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^app-jwt: RingCentral refused the app's credentials \(400 OAU-153/);
    expectNoSecretsIn(refused.stderr, 'wrong-secret', credential);
    const badUrl = await cli([...base, '--client-secret', 's', '--server-url', 'http://platform.example.com']);
    expect(badUrl.stderr).toMatch(/^app-jwt: --server-url: 'http:\/\/platform\.example\.com' is not https/);
    const badJwt = await cli([...base.slice(0, 4), 'nope', '--client-id', 'x', '--client-secret', 's']);
    expect(badJwt.stderr).toMatch(/^app-jwt: --jwt: is not a JWT/);
  });

  test('a flag of another provider is refused, not ignored', async () => {
    const rcBase = ['token', '--provider', 'ringcentral', '--jwt', rc.issueCredential({ userId: 8 })];
    const rcFlags = ['--client-id', rcApp.clientId, '--client-secret', rcApp.clientSecret, '--server-url', rc.url];
    const before = rc.requests.length;
    expect(await cli([...rcBase, ...rcFlags, '--owner', 'octo-org'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'app-jwt: --owner: is for provider: github, and this step has provider: ringcentral. Remove it, or set provider: github.\nRun app-jwt token --help for usage.\n',
    });
    expect((await cli([...rcBase, ...rcFlags, '--private-key-file', KEY_FILE])).stderr).toBe(
      'app-jwt: --private-key-file: is for provider: github or vonage, and this step has provider: ringcentral. Remove it.\nRun app-jwt token --help for usage.\n',
    );
    expect((await cli([...rcBase, ...rcFlags, '--expires-in', '60'])).stderr).toMatch(
      /^app-jwt: --expires-in: is for provider: github or vonage/,
    );
    expect(rc.requests.length).toBe(before);
    const env = { APP_ID: '4242', PRIVATE_KEY_FILE: KEY_FILE };
    expect((await cli(['token', '--owner', 'octo-org', '--client-secret', 's'], { env })).stderr).toMatch(
      /^app-jwt: --client-secret: is for provider: ringcentral, and this step has provider: github/,
    );
    const jwt = signTestJwt({ iat: now() - 60, exp: now() + 300, iss: 4242 }, APP_KEY_PEM);
    expect((await cli(['token', '--jwt', jwt, '--private-key-file', KEY_FILE, '--owner', 'octo-org'])).stderr).toMatch(
      /^app-jwt: --jwt: and private-key are both set/,
    );
  });
});

describe('inspect', () => {
  const good = () => signTestJwt({ iat: now() - 60, exp: now() + 540, iss: 4242 }, APP_KEY_PEM);

  test('a good JWT: claims with dates, a valid signature, exit 0', async () => {
    const run = await cli(['inspect', good(), '--public-key', CERTIFICATE_FILE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Header: \{"alg":"RS256","typ":"JWT"\}\nClaims:\n/);
    expect(run.stdout).toMatch(/\n {2}iat +\d+ +\S+ \(1m( \ds)? ago\)\n/);
    expect(run.stdout).toMatch(/\n {2}exp +\d+ +\S+ \(expires in (8m 5\ds|9m)\)\n/);
    expect(run.stdout).toMatch(/\n {2}iss +4242\n/);
    expect(run.stdout).toMatch(/\nPlatform: GitHub App JWT\n/);
    expect(run.stdout).toContain(`\nSignature: valid for the key in ${CERTIFICATE_FILE}\n`);
    expect(run.stdout).not.toMatch(/Warning|Expired/);
    expect(run.stderr).toBe('');
  });

  test('from stdin, checked with the private key file; a Bearer prefix is dropped', async () => {
    const run = await cli(['inspect', '--private-key-file', KEY_FILE], { input: `Bearer ${good()}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Signature: valid for the key in ${KEY_FILE}`);
  });

  test('without a key, the signature is not checked', async () => {
    const run = await cli(['inspect', good()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Signature: not checked (give --public-key FILE or --private-key-file FILE)');
  });

  test('an expired JWT: exit 1', async () => {
    const run = await cli(['inspect', signTestJwt({ iat: now() - 900, exp: now() - 180, iss: 4242 }, APP_KEY_PEM)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/expired 3m( \ds)? ago/);
    expect(run.stdout).toMatch(/\nExpired: yes\n/);
  });

  test('a tampered JWT: the signature is invalid, exit 1', async () => {
    const [h, , s] = good().split('.');
    const forged = Buffer.from(JSON.stringify({ iat: now() - 60, exp: now() + 540, iss: 1 })).toString('base64url');
    const run = await cli(['inspect', `${h}.${forged}.${s}`, '--public-key', CERTIFICATE_FILE]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Signature: INVALID for the key in ${CERTIFICATE_FILE}`);
  });

  test('not a JWT: exit 1 with the reason', async () => {
    expect(await cli(['inspect', 'hello'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'app-jwt: not a JWT: a JWT has three base64url parts separated by dots; this has 1 part.\n',
    });
  });

  test('a key file that cannot be used: exit 1, naming the flag', async () => {
    expect(await cli(['inspect', good(), '--public-key', MISSING_FILE])).toEqual({
      code: 1,
      stdout: '',
      stderr: `app-jwt: --public-key ${MISSING_FILE}: no such file.\n`,
    });
    const openssh = fixture('openssh-ed25519');
    expect(await cli(['inspect', good(), '--private-key-file', openssh])).toEqual({
      code: 1,
      stdout: '',
      stderr: `app-jwt: --private-key-file ${openssh}: not a PEM key or certificate.\n`,
    });
  });

  test('a stdin that fails is an unexpected error, exit 1', async () => {
    const stdin = new Readable({
      read() {
        this.destroy(new Error('stdin went away'));
      },
    });
    expect(await cli(['inspect'], { stdin })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'app-jwt: unexpected error: stdin went away\n',
    });
  });
});

describe('exit codes: a value of the wrong form is a usage error (2), a refusal by a service a failure (1)', () => {
  const env = { APP_ID: '4242', PRIVATE_KEY_FILE: KEY_FILE };
  test.each([
    [['sign', '--app-id', 'abc'], /^app-jwt: --app-id: 'abc' is neither an App ID/],
    [['sign', '--expires-in', '601'], /^app-jwt: --expires-in: '601' is not a whole number of seconds from 1 to 600/],
    [
      ['token', '--installation-id', 'x', '--owner', 'octo-org'],
      /^app-jwt: --installation-id: 'x' is not an installation ID/,
    ],
    [
      ['token', '--owner', 'octo-org', '--api-url', 'http://ghe.example.com'],
      /^app-jwt: --api-url: 'http:\/\/ghe\.example\.com' is not https/,
    ],
    [['token', '--owner', 'octo-org', '--permissions', 'contents: writ'], /^app-jwt: --permissions: /],
    [['sign', '--provider', 'vonage', '--app-id', '123'], /^app-jwt: --app-id: '123' is not a Vonage application ID/],
  ])('%j exits 2 with a pointer to the help', async (argv, message) => {
    const before = github.requests.length;
    const run = await cli(argv, { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(new RegExp(`\\nRun app-jwt ${argv[0]} --help for usage\\.\\n$`));
    expect(run.stdout).toBe('');
    expect(github.requests.length).toBe(before);
  });

  test('an app that is not installed on the account exits 1: the values were well formed', async () => {
    const run = await cli(['token', '--owner', 'nobody', '--api-url', github.url], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/--help/);
  });

  test('a key or a token where a file path belongs is described, never echoed, and exits 2', async () => {
    for (const [value, kind] of [
      [APP_KEY_PEM, /holds a PEM private key \(\d+ lines, \d+ characters\), not a file path/],
      ['ghs_16C7e42F292c6912E7710c838347Ae178B4a', /holds a GitHub token \(40 characters\), not a file path/],
    ] as const) {
      const run = await cli(['sign', '--app-id', '4242', `--private-key-file=${value}`]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`^app-jwt: --private-key-file: ${kind.source}`));
      expectNoSecretsIn(run.stderr, 'ghs_16C7e42F292c6912E7710c838347Ae178B4a');
      const inspected = await cli(['inspect', 'a.b.c', `--public-key=${value}`]);
      expect(inspected.code).toBe(2);
      expectNoSecretsIn(inspected.stderr, 'ghs_16C7e42F292c6912E7710c838347Ae178B4a');
    }
  });

  test('a token pasted into another flag never reaches stderr whole', async () => {
    const token = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
    const run = await cli(['token', '--owner', 'octo-org', '--installation-id', token, '--api-url', github.url], {
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^app-jwt: --installation-id: /);
    expect(run.stderr).not.toContain(token);
  });
});

describe('prompts for secrets echo nothing', () => {
  // eslint-disable-next-line no-control-regex
  const withoutEscapes = (text: string) => text.replace(/\u001b\[\d*[A-Za-z]|\r/g, '');
  test('RingCentral on a terminal: the JWT credential and the client secret are not echoed, the client ID is', async () => {
    const credential = rc.issueCredential({ userId: 21 });
    const run = await cli(['token', '--provider', 'ringcentral', '--server-url', rc.url], {
      answers: [
        { prompt: 'JWT credential (not shown): ', answer: credential },
        { prompt: 'Client ID: ', answer: rcApp.clientId },
        { prompt: 'Client secret (not shown): ', answer: rcApp.clientSecret },
      ],
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${rc.liveSessions().at(-1)!.accessToken}\n`);
    // readline's cursor moves aside, each hidden answer is a bare line end.
    expect(withoutEscapes(run.stderr)).toMatch(
      new RegExp(
        `^JWT credential \\(not shown\\): \\nClient ID: ${rcApp.clientId}\\nClient secret \\(not shown\\): \\n`,
      ),
    );
    expect(run.stderr).toContain(rcApp.clientId);
    expectNoSecretsIn(run.stderr, credential, credential.split('.')[2], rcApp.clientSecret);
  });

  test('a key pasted whole at the key file prompt is used, and only its BEGIN line is echoed', async () => {
    const run = await cli(['sign', '--app-id', '4242'], {
      answers: [{ prompt: 'Path of the private key (PEM) file: ', answer: APP_KEY_PEM.trim() }],
    });
    expect(run.code).toBe(0);
    expect(verifies(run.stdout.trim())).toBe(true);
    expect(run.stderr).toContain('-----BEGIN RSA PRIVATE KEY-----');
    expectNoSecretsIn(run.stderr, run.stdout.trim());
  });

  test('Ctrl-C at a hidden prompt cancels: exit 1, nothing sent', async () => {
    const before = rc.requests.length;
    const run = await cli(['token', '--provider', 'ringcentral'], {
      answers: [{ prompt: 'JWT credential (not shown): ', answer: '\u0003' }],
    });
    // (The harness types a line end after Ctrl-C; the prompt is gone by then, so it shows as an empty line.)
    expect({ ...run, stderr: withoutEscapes(run.stderr) }).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^JWT credential \(not shown\): \n+app-jwt: cancelled at the prompt\.\n$/),
    });
    expect(rc.requests.length).toBe(before);
  });
});

describe('a server cannot write lines of its own to the terminal', () => {
  test('line breaks and escape sequences in a RingCentral error are shown on one line, escaped', async () => {
    rc.fail('POST /restapi/oauth/token', {
      status: 400,
      body: { errorCode: 'XYZ-001', message: 'Bad\r\nFAKE: everything is fine\u001b[2K' },
    });
    const credential = rc.issueCredential({ userId: 22 });
    const run = await cli(['token', '--provider', 'ringcentral', '--jwt', credential], {
      env: { RC_CLIENT_ID: rcApp.clientId, RC_CLIENT_SECRET: rcApp.clientSecret, RC_SERVER_URL: rc.url },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'app-jwt: RingCentral refused the login (400 XYZ-001: Bad FAKE: everything is fine [2K).\n',
    );
  });
});

test('a long file path of letters, digits, - and / is taken as a path, not as a secret', async () => {
  const path = fixture('Ab3Cd4Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv.pem');
  expect(await cli(['sign', '--app-id', '4242', '--private-key-file', path])).toEqual({
    code: 1,
    stdout: '',
    stderr: `app-jwt: --private-key-file ${path}: no such file.\n`,
  });
});

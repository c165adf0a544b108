// The main step in-process: run() reads the inputs through @actions/core and writes what the runner reads
// (workflow commands on stdout, the outputs, state and summary files), against the emulators over real sockets.
import { createPublicKey, verify } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createClock } from '../src/clock.js';
import { run } from '../src/main.js';
import type { RevokeRecord } from '../src/providers/provider.js';
import { startGitHubEmulator, type EmulatedApp, type GitHubEmulator } from '../test/emulators/github.ts';
import {
  makeRingCentralClient,
  startRingCentralEmulator,
  type RingCentralEmulator,
} from '../test/emulators/ringcentral.ts';
import { fakeRunner, type RunnerRecord } from '../test/fake-runner.ts';
import { APP_KEY_PEM } from '../test/key-forms.ts';

const NOW_MS = 1_700_000_000_000;
const EXPIRES_AT = '2023-11-14T22:22:20.000Z'; // NOW_MS + the default 540 s
const KEY_BODY_LINES = APP_KEY_PEM.trim()
  .split('\n')
  .filter((line) => !line.startsWith('-----'));
const ENV = { GITHUB_REPOSITORY: 'octo-org/octo-repo' };

const runner = fakeRunner();
const app: EmulatedApp = {
  id: 123456,
  clientId: 'Iv23liAbCdEfGhIjKlMn',
  slug: 'octo-bot',
  name: 'Octo Bot',
  owner: 'octo-org',
  publicKey: APP_KEY_PEM,
  permissions: { contents: 'write', metadata: 'read' },
};
// The RingCentral secret has a '%', which a workflow command must escape.
const rcApp = makeRingCentralClient({ clientSecret: 'rc-secret-100%-of-it' });
let github: GitHubEmulator;
let rc: RingCentralEmulator;

beforeAll(async () => {
  [github, rc] = await Promise.all([
    startGitHubEmulator({
      apps: [app],
      pathPrefix: '/api/v3',
      installations: [
        {
          id: 77,
          appId: app.id,
          account: { login: 'octo-org', type: 'Organization' },
          repositorySelection: 'selected',
          repositories: ['octo-repo', 'web'],
          permissions: { contents: 'write', metadata: 'read' },
        },
      ],
    }),
    startRingCentralEmulator({ clients: [rcApp] }),
  ]);
});
afterAll(async () => {
  runner.remove();
  await Promise.all([github.close(), rc.close()]);
});

const main = (inputs: Record<string, string>, env: Record<string, string> = ENV, clock = createClock(() => NOW_MS)) =>
  runner.run(() => run(env, clock), { inputs });

const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
const maskWrites = (record: RunnerRecord) => record.writes.filter((w) => w.text.startsWith('::add-mask::'));

/** Nothing but its ::add-mask:: line shows `secret` on stdout, and the summary never does. */
function expectShownOnlyInMasks(record: RunnerRecord, secret: string) {
  const outside = record.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::') && line.includes(secret));
  expect(outside).toEqual([]);
  expect(record.summary).not.toContain(secret);
}

describe('a JWT-only GitHub run', () => {
  const inputs = { 'app-id': '123456', 'private-key': APP_KEY_PEM };

  test('masks every line of the key before it does anything else', async () => {
    const record = await main(inputs);
    const firstOther = record.writes.findIndex((w) => !w.text.startsWith('::add-mask::'));
    expect(firstOther).toBeGreaterThan(0);
    const maskedFirst = record.writes.slice(0, firstOther).map((w) => w.text.slice('::add-mask::'.length).trim());
    expect(maskedFirst).toEqual(expect.arrayContaining(KEY_BODY_LINES));
    for (const line of KEY_BODY_LINES) expectShownOnlyInMasks(record, line);
  });

  test('masks the JWT and its signature before setting any output', async () => {
    const record = await main(inputs);
    const jwt = record.outputs.token;
    const signature = jwt.split('.')[2];
    const masked = maskWrites(record).filter((w) => w.outputBytes === 0 && w.stateBytes === 0);
    expect(masked.map((w) => w.text)).toEqual(
      expect.arrayContaining([`::add-mask::${jwt}\n`, `::add-mask::${signature}\n`]),
    );
    expectShownOnlyInMasks(record, jwt);
    expectShownOnlyInMasks(record, signature);
  });

  test('sets the JWT as token, with type jwt and its expiry by the given clock', async () => {
    const { outputs } = await main(inputs);
    expect(outputs).toEqual({
      token: outputs.jwt,
      'token-type': 'jwt',
      'expires-at': EXPIRES_AT,
      jwt: expect.stringMatching(/^ey[\w-]+\.ey[\w-]+\.[\w-]+$/),
      'jwt-expires-at': EXPIRES_AT,
    });
    const [header, payload, signature] = outputs.jwt.split('.');
    expect(decode(payload)).toEqual({ iat: NOW_MS / 1000 - 60, exp: NOW_MS / 1000 + 540, iss: 123456 });
    const verifies = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      createPublicKey(APP_KEY_PEM),
      Buffer.from(signature, 'base64url'),
    );
    expect(verifies).toBe(true);
  });

  test('succeeds: no failure, no state for the post step (a JWT expires by itself), one summary', async () => {
    const record = await main(inputs);
    expect(record.exitCode).toBeUndefined();
    expect(record.commands('error')).toEqual([]);
    expect(record.stateFile).toBe('');
    expect(record.summary).toBe(
      [
        '### app-jwt-action issued a JWT',
        '',
        '| | |',
        '|---|---|',
        '| Provider | GitHub App |',
        '| App | 123456 |',
        `| JWT expires | ${EXPIRES_AT} |`,
        '',
        '',
      ].join('\n'),
    );
    expect(record.info).toEqual([`Signed a JWT for GitHub App 123456; it expires at ${EXPIRES_AT}.`]);
  });
});

describe('a bad input fails the step once, naming the input, and sets nothing', () => {
  const truncatedKey = APP_KEY_PEM.trim().split('\n').slice(0, 13).join('\n');
  test.each([
    ['app-id', 'neither an App ID nor a Client ID', { 'app-id': 'my-app', 'private-key': APP_KEY_PEM }],
    ['app-id', 'missing', { 'private-key': APP_KEY_PEM }],
    ['private-key', 'cut short', { 'app-id': '123456', 'private-key': truncatedKey }],
    ['jwt-expires-in', 'over 600 s', { 'app-id': '123456', 'private-key': APP_KEY_PEM, 'jwt-expires-in': '900' }],
    ['provider', 'not one served', { provider: 'gitlab', 'app-id': '123456', 'private-key': APP_KEY_PEM }],
    ['acl', "another provider's", { 'app-id': '123456', 'private-key': APP_KEY_PEM, acl: '{paths: {}}' }],
    ['exchange', 'not a boolean', { 'app-id': '123456', 'private-key': APP_KEY_PEM, exchange: 'yes' }],
  ])('%s: %s', async (input, _what, inputs) => {
    const record = await main(inputs);
    const failures = record.commands('error');
    expect(failures).toEqual([expect.stringMatching(new RegExp(`^Input '${input}': `))]);
    expect(record.exitCode).toBe(1);
    expect(record.outputFile).toBe('');
    expect(record.stateFile).toBe('');
    expect(record.summary).toBe('');
    for (const line of KEY_BODY_LINES) expect(record.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(line);
  });
});

test('an unforeseen failure fails the step too, asking for a report', async () => {
  const record = await runner.run(
    async () => {
      // The runner's outputs file is gone: @actions/core throws a plain Error.
      rmSync(runner.files.GITHUB_OUTPUT);
      await run(
        ENV,
        createClock(() => NOW_MS),
      );
    },
    { inputs: { 'app-id': '123456', 'private-key': APP_KEY_PEM } },
  );
  expect(record.exitCode).toBe(1);
  expect(record.commands('error')).toEqual([
    `app-jwt-action failed unexpectedly: Missing file at path: ${runner.files.GITHUB_OUTPUT}. Please report this with the step's log.`,
  ]);
});

test('a mask the runner cannot be sent stops the step before anything else is written', async () => {
  const eagain = Object.assign(new Error('write EAGAIN'), { code: 'EAGAIN' });
  const record = await runner.run(
    () =>
      run(
        ENV,
        createClock(() => NOW_MS),
      ),
    {
      inputs: { 'app-id': '123456', 'private-key': APP_KEY_PEM },
      stdoutError: (text) => (text.startsWith('::add-mask::') ? eagain : undefined),
    },
  );
  expect(record.exitCode).toBe(1);
  expect(record.writes.map((w) => w.text)).toEqual([
    expect.stringMatching(/^::add-mask::/),
    "::error::app-jwt-action failed unexpectedly: write EAGAIN. Please report this with the step's log.\n",
  ]);
  expect(record.outputFile).toBe('');
  expect(record.summary).toBe('');
});

test("run() with no arguments reads the runner's environment and the real clock", async () => {
  const before = Math.floor(Date.now() / 1000);
  const record = await runner.run(() => run(), { inputs: { 'app-id': '123456', 'private-key': APP_KEY_PEM } });
  expect(record.exitCode).toBeUndefined();
  const { iat, exp } = decode(record.outputs.jwt.split('.')[1]);
  expect(iat).toBeGreaterThanOrEqual(before - 60);
  expect(iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 60);
  expect(exp - iat).toBe(600);
});

describe('an installation token', () => {
  const inputs = { 'app-id': '123456', 'private-key': APP_KEY_PEM, exchange: 'true' };
  const withApi = () => ({ ...inputs, 'github-api-url': `${github.url}/` });

  test('for the current repository, under the GHES path: masked first, then the outputs', async () => {
    const before = github.requests.length;
    const record = await main(withApi(), ENV, createClock());
    expect(record.commands('error')).toEqual([]);
    expect(github.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v3/repos/octo-org/octo-repo/installation',
      'POST /api/v3/app/installations/77/access_tokens',
    ]);
    const [issued] = github.issuedTokens().slice(-1);
    expect(record.outputs).toEqual({
      token: issued.token,
      'token-type': 'installation',
      'expires-at': new Date(issued.expiresAt).toISOString(),
      jwt: expect.stringMatching(/^ey[\w-]+\.ey[\w-]+\.[\w-]+$/),
      'jwt-expires-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      'installation-id': '77',
      'app-slug': 'octo-bot',
      permissions: JSON.stringify(issued.permissions),
    });
    const masked = maskWrites(record).filter((w) => w.outputBytes === 0 && w.stateBytes === 0);
    expect(masked.map((w) => w.text)).toEqual(
      expect.arrayContaining([`::add-mask::${issued.token}\n`, `::add-mask::${record.outputs.jwt}\n`]),
    );
    expectShownOnlyInMasks(record, issued.token);
    expectShownOnlyInMasks(record, record.outputs.jwt);
    expect(record.info).toContain(
      `Created an installation token (installation 77) for octo-org/octo-repo; it expires at ${record.outputs['expires-at']}.`,
    );
  });

  test('the state holds one revoke record for the post step, and the summary says it will be revoked', async () => {
    const record = await main(withApi(), ENV, createClock());
    const records = JSON.parse(record.state.revoke) as RevokeRecord[];
    expect(Object.keys(record.state)).toEqual(['revoke']);
    expect(records).toEqual([
      {
        provider: 'github',
        token: record.outputs.token,
        apiUrl: github.url,
        expiresAt: record.outputs['expires-at'],
      },
    ]);
    expect(record.summary).toMatch(/^### app-jwt-action issued an installation token\n/);
    expect(record.summary).toContain('| App | octo-bot (123456) |');
    expect(record.summary).toContain('| Revoked after the job | yes |');
  });

  test('skip-token-revoke: no state', async () => {
    const record = await main({ ...withApi(), 'skip-token-revoke': 'true' }, ENV, createClock());
    expect(record.outputs['token-type']).toBe('installation');
    expect(record.stateFile).toBe('');
    expect(record.summary).toContain('| Revoked after the job | no (skip-token-revoke) |');
  });

  test('a refusal from GitHub fails the step with its message, and sets nothing', async () => {
    const record = await main({ ...withApi(), owner: 'nobody' }, ENV, createClock());
    expect(record.exitCode).toBe(1);
    expect(record.commands('error')).toEqual([expect.stringMatching(/nobody/)]);
    expect(record.outputFile).toBe('');
    expect(record.stateFile).toBe('');
  });
});

describe('a RingCentral access token', () => {
  const inputs = () => ({
    provider: 'ringcentral',
    jwt: rc.issueCredential({ userId: 11 }),
    'client-id': rcApp.clientId,
    'client-secret': rcApp.clientSecret,
    'server-url': rc.url,
  });

  test('masks the credential and the client secret first, the tokens before the outputs', async () => {
    const given = inputs();
    const record = await main(given, {}, createClock());
    expect(record.commands('error')).toEqual([]);
    const session = rc.liveSessions().at(-1)!;
    const basic = Buffer.from(`${rcApp.clientId}:${rcApp.clientSecret}`).toString('base64');
    expect(record.masks.slice(0, 4)).toEqual([given.jwt, given.jwt.split('.')[2], rcApp.clientSecret, basic]);
    const masked = maskWrites(record).filter((w) => w.outputBytes === 0 && w.stateBytes === 0);
    expect(masked.map((w) => w.text)).toEqual(
      expect.arrayContaining([`::add-mask::${session.accessToken}\n`, `::add-mask::${session.refreshToken}\n`]),
    );
    for (const secret of [given.jwt, rcApp.clientSecret, session.accessToken, session.refreshToken])
      expectShownOnlyInMasks(record, secret);
    expect(record.outputs).toEqual({
      token: session.accessToken,
      'token-type': 'access',
      'expires-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
    });
  });

  test('the state holds what the post step needs to revoke, client ID and secret included', async () => {
    const record = await main(inputs(), {}, createClock());
    expect(JSON.parse(record.state.revoke)).toEqual([
      {
        provider: 'ringcentral',
        token: record.outputs.token,
        apiUrl: rc.url,
        expiresAt: record.outputs['expires-at'],
        extra: { clientId: rcApp.clientId, clientSecret: rcApp.clientSecret },
      },
    ]);
  });
});

describe('what the action writes parses the way the runner parses it', () => {
  test('every output is a heredoc with its own random delimiter', async () => {
    const record = await main({ 'app-id': '123456', 'private-key': APP_KEY_PEM });
    const lines = record.outputFile.split('\n');
    const starts = lines.filter((line) => /^[\w-]+<<ghadelimiter_[0-9a-f-]{36}$/.test(line));
    expect(starts.map((line) => line.split('<<')[0])).toEqual([
      'token',
      'token-type',
      'expires-at',
      'jwt',
      'jwt-expires-at',
    ]);
    expect(new Set(starts.map((line) => line.split('<<')[1])).size).toBe(5);
    expect(lines).toHaveLength(5 * 3 + 1);
  });

  test('the state is a heredoc too, and holds JSON the post step reads back', async () => {
    const record = await main(
      { 'app-id': '123456', 'private-key': APP_KEY_PEM, exchange: 'true', 'github-api-url': github.url },
      ENV,
      createClock(),
    );
    expect(record.stateFile).toMatch(/^revoke<<ghadelimiter_[0-9a-f-]{36}\n\[\{.*\}\]\nghadelimiter_[0-9a-f-]{36}\n$/);
    expect(JSON.parse(record.state.revoke)).toHaveLength(1);
  });

  test('a secret with a % is masked with the escape the runner undoes', async () => {
    const record = await main(
      {
        provider: 'ringcentral',
        jwt: rc.issueCredential({ userId: 12 }),
        'client-id': rcApp.clientId,
        'client-secret': rcApp.clientSecret,
        'server-url': rc.url,
      },
      {},
      createClock(),
    );
    expect(record.stdout).toContain('::add-mask::rc-secret-100%25-of-it\n');
    expect(record.masks).toContain(rcApp.clientSecret);
    // Every mask is one line: the runner masks what follows ::add-mask:: up to the end of the line.
    for (const write of maskWrites(record)) expect(write.text).toMatch(/^::add-mask::[^\r\n]+\n$/);
  });
});

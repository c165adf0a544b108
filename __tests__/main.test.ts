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
      // Set whenever a token is made: one entry for one account.
      tokens: JSON.stringify({ 'octo-org': issued.token }),
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

describe('a key or a token in any input is masked before anything is written, and never quoted', () => {
  const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

  /** The writes before the first one that is not a mask. */
  const leadingMasks = (record: RunnerRecord) => {
    const first = record.writes.findIndex((w) => !w.text.startsWith('::add-mask::'));
    return record.masks.slice(0, first < 0 ? undefined : first);
  };

  test('app-id holding the PEM (inputs swapped): every line masked first, the error says what it holds', async () => {
    const record = await main({ 'app-id': APP_KEY_PEM, 'private-key': '123456' });
    // Line by line, as the private-key input's own masks are (the runner masks one line per ::add-mask::).
    expect(leadingMasks(record)).toEqual(KEY_BODY_LINES);
    expect(record.commands('error')).toEqual([
      expect.stringMatching(
        /^Input 'app-id': holds a PEM private key \(\d+ lines, \d+ characters\), not an App ID or Client ID\. The key belongs in private-key\./,
      ),
    ]);
    for (const line of KEY_BODY_LINES) expectShownOnlyInMasks(record, line);
  });

  test.each([
    ['installation-id', { 'app-id': '123456', 'private-key': APP_KEY_PEM, 'installation-id': TOKEN }],
    ['provider', { provider: TOKEN, 'app-id': '123456', 'private-key': APP_KEY_PEM }],
    ['owner', { 'app-id': '123456', 'private-key': APP_KEY_PEM, owner: TOKEN }],
    ['jwt-expires-in', { 'app-id': '123456', 'private-key': APP_KEY_PEM, 'jwt-expires-in': TOKEN }],
  ])(
    'a token in %s is masked before anything else, and the error names the input without it',
    async (input, inputs) => {
      const record = await main(inputs);
      // Masked with the key's lines (in the order the inputs are listed), before any other write.
      expect([...leadingMasks(record)].sort()).toEqual([...KEY_BODY_LINES, TOKEN].sort());
      const [error] = record.commands('error');
      expect(error).toMatch(new RegExp(`^Input '${input}': `));
      expect(error).not.toContain(TOKEN);
      expect(error).toMatch(/a GitHub token/);
      expectShownOnlyInMasks(record, TOKEN);
    },
  );

  test('the provider input holding a token gets no hint drawn from it', async () => {
    const record = await main({ provider: `${TOKEN}github`, 'app-id': '123456', 'private-key': APP_KEY_PEM });
    expect(record.commands('error')).toEqual([
      "Input 'provider': a GitHub token (46 characters) is not a provider this action serves: write github, vonage or ringcentral.",
    ]);
  });

  test('github-api-url with a token in its query: the token is masked, the URL shown without its query', async () => {
    const record = await main({
      'app-id': '123456',
      'private-key': APP_KEY_PEM,
      exchange: 'true',
      'github-api-url': `https://ghe.example.com/api/v3?access_token=${TOKEN}`,
    });
    expect(record.masks).toContain(TOKEN);
    expect(record.commands('error')).toEqual([
      "Input 'github-api-url': 'https://ghe.example.com/api/v3' has a query string or fragment. Give only the base URL: https://ghe.example.com/api/v3",
    ]);
  });

  test('github-api-url whose user info does not parse (a / in the password) is shown without it', async () => {
    const record = await main({
      'app-id': '123456',
      'private-key': APP_KEY_PEM,
      exchange: 'true',
      'github-api-url': 'https://x-access-token:pa/ss#w?rd@ghe.example.com/api/v3',
    });
    const [error] = record.commands('error');
    expect(error).toMatch(/^Input 'github-api-url': 'https:\/\/\*\*\*@ghe\.example\.com\/api\/v3' is not a valid URL/);
    expect(error).not.toMatch(/pa\/ss|w\?rd|x-access-token/);
  });
});

describe('actions/create-github-app-token inputs', () => {
  test('permission-<name> inputs: one error naming them, with the permissions line to write; nothing else', async () => {
    const before = github.requests.length;
    const record = await main({
      'app-id': '123456',
      'private-key': APP_KEY_PEM,
      'permission-contents': 'write',
      'permission-pull-requests': 'read',
    });
    expect(record.commands('error')).toEqual([
      "Inputs 'permission-contents' and 'permission-pull-requests' are inputs of actions/create-github-app-token, which this action does not read: the token's permissions come from one input, permissions, as a YAML or JSON mapping. Replace them with this one line: permissions: '{contents: write, pull-requests: read}'.",
    ]);
    expect(record.exitCode).toBe(1);
    expect(record.outputFile).toBe('');
    expect(record.info).toEqual([]);
    expect(github.requests.length).toBe(before);
  });

  test('the permissions line it gives is one the permissions input takes', async () => {
    const { parsePermissions } = await import('../src/providers/github/permissions.js');
    expect(parsePermissions('{contents: write, pull-requests: read}')).toEqual({
      contents: 'write',
      pull_requests: 'read',
    });
  });

  test('one permission input, empty: named, with the advice to list permissions in one input', async () => {
    const record = await main({ 'app-id': '123456', 'private-key': APP_KEY_PEM, 'permission-issues': '' });
    expect(record.commands('error')).toEqual([
      "Input 'permission-issues' is an input of actions/create-github-app-token, which this action does not read: the token's permissions come from one input, permissions, as a YAML or JSON mapping. Remove it (empty), and list the token's permissions in one input, e.g. permissions: '{contents: read}'.",
    ]);
  });

  test('client-id and app-id both set and different: client-id wins, with a warning naming both', async () => {
    const record = await main({ 'app-id': '654321', 'client-id': app.clientId, 'private-key': APP_KEY_PEM });
    expect(record.commands('warning')).toEqual([
      `client-id ('${app.clientId}') and app-id ('654321') are both set, and differ: the action uses client-id, as actions/create-github-app-token does. Remove app-id, or set it to the same app.`,
    ]);
    expect(record.commands('error')).toEqual([]);
    expect(decode(record.outputs.jwt.split('.')[1]).iss).toBe(app.clientId);
  });
});

describe('a step that fails after a token was issued revokes it before it ends', () => {
  /** The main step with the outputs file gone: @actions/core fails to write the first output. */
  const failingPublish = (inputs: Record<string, string>, env: Record<string, string> = ENV) =>
    runner.run(
      async () => {
        rmSync(runner.files.GITHUB_OUTPUT);
        await run(env, createClock());
      },
      { inputs },
    );

  test.each([[{}], [{ 'skip-token-revoke': 'true' }]])(
    'RingCentral %j: the session is ended, the step fails with the first error',
    async (extra) => {
      const record = await failingPublish(
        {
          provider: 'ringcentral',
          jwt: rc.issueCredential({ userId: 31 }),
          'client-id': rcApp.clientId,
          'client-secret': rcApp.clientSecret,
          'server-url': rc.url,
          ...extra,
        },
        {},
      );
      const session = rc.sessions().at(-1)!;
      expect(session.state).toBe('revoked');
      expect(record.masks).toContain(session.accessToken);
      expect(record.info).toContain(
        'The step failed after the token was issued: Revoked the RingCentral access token; its session has ended.',
      );
      expect(record.commands('error')).toEqual([
        `app-jwt-action failed unexpectedly: Missing file at path: ${runner.files.GITHUB_OUTPUT}. Please report this with the step's log.`,
      ]);
      expect(record.exitCode).toBe(1);
      expectShownOnlyInMasks(record, session.accessToken);
    },
  );

  test('GitHub: the installation token is revoked at the API it came from', async () => {
    const record = await failingPublish({
      'app-id': '123456',
      'private-key': APP_KEY_PEM,
      exchange: 'true',
      'github-api-url': github.url,
    });
    const [issued] = github.issuedTokens().slice(-1);
    expect(issued.revoked).toBe(true);
    expect(record.info).toContain('The step failed after the token was issued: Revoked the installation token.');
    expect(record.exitCode).toBe(1);
    expectShownOnlyInMasks(record, issued.token);
  });

  test('a revoke that fails as well is a warning with the expiry; the step fails with the first error', async () => {
    rc.fail('POST /restapi/oauth/revoke', { status: 400, body: { error: 'invalid_request', error_description: 'no' } });
    const record = await failingPublish(
      {
        provider: 'ringcentral',
        jwt: rc.issueCredential({ userId: 32 }),
        'client-id': rcApp.clientId,
        'client-secret': rcApp.clientSecret,
        'server-url': rc.url,
      },
      {},
    );
    expect(record.commands('warning')).toEqual([
      expect.stringMatching(
        /^The step failed after the token was issued, and revoking it failed too: RingCentral answered 400 invalid_request \(no\) to the revoke request\. It expires by itself at \d{4}-/,
      ),
    ]);
    expect(record.commands('error')).toEqual([
      expect.stringMatching(/^app-jwt-action failed unexpectedly: Missing file/),
    ]);
  });
});

describe('text from a server never becomes a workflow command', () => {
  test('a RingCentral error with line breaks and commands is one ::error:: line; no line of stdout obeys it', async () => {
    rc.fail('POST /restapi/oauth/token', {
      status: 400,
      body: { errorCode: 'XYZ-001', message: 'nope\n::stop-commands::pwned\n::add-mask::\r\n##[warning]fake' },
    });
    const record = await main(
      {
        provider: 'ringcentral',
        jwt: rc.issueCredential({ userId: 33 }),
        'client-id': rcApp.clientId,
        'client-secret': rcApp.clientSecret,
        'server-url': rc.url,
      },
      {},
      createClock(),
    );
    expect(record.commands('error')).toEqual([
      'RingCentral refused the login (400 XYZ-001: nope ::stop-commands::pwned ::add-mask:: ## [warning]fake).',
    ]);
    const lines = record.stdout.split('\n').filter(Boolean);
    expect(lines.filter((line) => !/^::(add-mask|error)::/.test(line))).toEqual([]);
    expect(record.stdout).not.toContain('%0A');
  });
});

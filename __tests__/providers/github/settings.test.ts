import { createPublicKey, verify } from 'node:crypto';
import { createClock } from '../../../src/clock.js';
import { InputError } from '../../../src/errors.js';
import { normalizePrivateKey } from '../../../src/keys/private-key.js';
import {
  readGitHubSettings,
  type GitHubAppSettings,
  type GitHubSettings,
} from '../../../src/providers/github/settings.js';
import { createInputReader, type Env } from '../../../src/settings/inputs.js';
import { signTestJwt } from '../../../test/emulators/github.ts';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';

const NOW = 1_800_000_000;
const IN_A_RUN: Env = { GITHUB_REPOSITORY: 'octo-org/octo-repo' };
const base = { 'app-id': '123', 'private-key': APP_KEY_PEM };

const readAny = (inputs: Record<string, string>, env: Env = IN_A_RUN): Promise<GitHubSettings> =>
  readGitHubSettings(
    createInputReader((name) => inputs[name] ?? ''),
    { env, clock: createClock(() => NOW * 1000) },
  );

/** The settings of a run with a key: the app's, never the fallback. */
async function read(inputs: Record<string, string>, env: Env = IN_A_RUN): Promise<GitHubAppSettings> {
  const settings = await readAny(inputs, env);
  if (settings.fallback) throw new Error('these inputs fell back on fallback-token');
  return settings;
}

async function errorOf(inputs: Record<string, string>, env?: Env): Promise<InputError> {
  const outcome = await readAny(inputs, env).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome instanceof InputError) return outcome;
  throw new Error(outcome === undefined ? 'no error' : `not an InputError: ${String(outcome)}`);
}

/** A JWT as a KMS would sign it for the app, with the test key. */
const presigned = (claims: Record<string, unknown> = {}) =>
  signTestJwt({ iat: NOW - 60, exp: NOW + 540, iss: 123, ...claims }, APP_KEY_PEM);

describe('the app and its key', () => {
  test('an App ID becomes an integer issuer, with the default lifetime of 540 s', async () => {
    expect(await read(base)).toMatchObject({ provider: 'github', issuer: 123, jwtExpiresIn: 540 });
  });

  test('Client IDs of both generations are kept as strings', async () => {
    expect((await read({ ...base, 'app-id': 'Iv1.0123456789abcdef' })).issuer).toBe('Iv1.0123456789abcdef');
    expect((await read({ ...base, 'app-id': 'Iv23liAbCdEfGhIjKlMn' })).issuer).toBe('Iv23liAbCdEfGhIjKlMn');
  });

  test('client-id alone is used as the issuer', async () => {
    expect((await read({ 'client-id': 'Iv23liAbCdEfGhIjKlMn', 'private-key': APP_KEY_PEM })).issuer).toBe(
      'Iv23liAbCdEfGhIjKlMn',
    );
  });

  test('app-id and client-id that agree are accepted', async () => {
    expect((await read({ ...base, 'client-id': '123' })).issuer).toBe(123);
  });

  // As in actions/create-github-app-token, which a workflow may be moving from with an old app-id left in.
  test('app-id and client-id that differ: client-id wins, with one warning that names both', async () => {
    const warnings: string[] = [];
    const settings = await readGitHubSettings(
      createInputReader((name) => ({ ...base, 'client-id': 'Iv23liAbCdEfGhIjKlMn' })[name] ?? ''),
      { env: IN_A_RUN, clock: createClock(() => NOW * 1000), warn: (message) => warnings.push(message) },
    );
    expect(settings.fallback ? undefined : settings.issuer).toBe('Iv23liAbCdEfGhIjKlMn');
    expect(warnings).toEqual([
      "client-id ('Iv23liAbCdEfGhIjKlMn') and app-id ('123') are both set, and differ: the action uses client-id, as actions/create-github-app-token does. Remove app-id, or set it to the same app.",
    ]);
  });

  test('app-id and client-id that differ, client-id not an app: the error is on client-id, app-id unused', async () => {
    const error = await errorOf({ ...base, 'client-id': 'my-app' });
    expect(error.input).toBe('client-id');
    expect(error.message).toMatch(/^Input 'client-id': 'my-app' is neither an App ID/);
  });

  test('app-id and client-id that differ with no warning channel (a caller that gives none): client-id still wins', async () => {
    expect((await read({ ...base, 'client-id': '456' })).issuer).toBe(456);
  });

  test('a PEM in app-id (inputs swapped) is described, never quoted, and sent to private-key', async () => {
    const error = await errorOf({ 'app-id': APP_KEY_PEM, 'private-key': '123' });
    expect(error.input).toBe('app-id');
    expect(error.message).toMatch(
      /^Input 'app-id': holds a PEM private key \(\d+ lines, \d+ characters\), not an App ID or Client ID\. The key belongs in private-key\./,
    );
    for (const line of APP_KEY_PEM.trim().split('\n').slice(1, -1)) expect(error.message).not.toContain(line);
  });

  test('an app-id or client-id that is no App ID or Client ID is refused on the input it came from', async () => {
    const fromAppId = await errorOf({ ...base, 'app-id': 'my-app' });
    expect(fromAppId.message).toMatch(/^Input 'app-id': 'my-app' is neither an App ID/);
    const fromClientId = await errorOf({ 'client-id': 'Ov23liAbCdEfGhIjKlMn', 'private-key': APP_KEY_PEM });
    expect(fromClientId.message).toMatch(/^Input 'client-id': 'Ov23liAbCdEfGhIjKlMn' is an OAuth App's client ID/);
  });

  test('a missing app-id is named, with where to find it', async () => {
    expect((await errorOf({ 'private-key': APP_KEY_PEM })).message).toBe(
      "Input 'app-id': is required: set it to the GitHub App's App ID or Client ID, from the app's settings page (app-id: ${{ vars.APP_ID }}).",
    );
  });

  test('jwt-expires-in accepts 1..600 and refuses the rest', async () => {
    expect((await read({ ...base, 'jwt-expires-in': '1' })).jwtExpiresIn).toBe(1);
    expect((await read({ ...base, 'jwt-expires-in': '600' })).jwtExpiresIn).toBe(600);
    for (const bad of ['0', '601', '-5', '1.5', 'ten'])
      expect((await errorOf({ ...base, 'jwt-expires-in': bad })).message).toBe(
        `Input 'jwt-expires-in': '${bad}' is not a whole number of seconds from 1 to 600. GitHub refuses app JWTs that expire more than 10 minutes ahead.`,
      );
  });

  test('a private-key problem is reported as an InputError on private-key', async () => {
    expect((await errorOf({ ...base, 'private-key': '' })).message).toMatch(/^Input 'private-key': is empty/);
  });

  test('the private key signs here, and every form of it is a secret to mask', async () => {
    const settings = await read(base);
    if (settings.credential.kind !== 'signer') throw new Error(`credential is ${settings.credential.kind}`);
    expect(settings.credential.secrets).toEqual(normalizePrivateKey(APP_KEY_PEM).secrets);
    const signed = await settings.credential.signer.sign({ exp: NOW + 60, iss: 123 });
    const [header, claims, signature] = signed.token.split('.');
    const publicKey = createPublicKey(APP_KEY_PEM);
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
  });
});

describe('a JWT signed elsewhere (the jwt input)', () => {
  test('jwt and private-key together are refused on jwt', async () => {
    expect((await errorOf({ ...base, jwt: presigned() })).message).toBe(
      "Input 'jwt': and private-key are both set. Give the private key to have the action sign, or a JWT signed elsewhere (a KMS or HSM), not both.",
    );
  });

  test('the issuer comes from its iss claim, and an installation token is implied', async () => {
    const token = presigned({ iss: 'Iv23liAbCdEfGhIjKlMn' });
    const settings = await read({ jwt: token });
    expect(settings).toEqual({
      provider: 'github',
      issuer: 'Iv23liAbCdEfGhIjKlMn',
      credential: {
        kind: 'presigned',
        jwt: {
          token,
          signature: token.split('.')[2],
          expiresAt: new Date((NOW + 540) * 1000),
          issuer: 'Iv23liAbCdEfGhIjKlMn',
        },
      },
      jwtExpiresIn: 540,
      exchange: {
        apiUrl: 'https://api.github.com',
        targets: [
          { owner: 'octo-org', repositories: ['octo-repo'], installationId: undefined, permissions: undefined },
        ],
        skipTokenRevoke: false,
        botIdentity: false,
        git: undefined,
      },
    });
  });

  test('an app-id that agrees with the iss claim is accepted', async () => {
    expect((await read({ 'app-id': '123', jwt: presigned() })).issuer).toBe(123);
  });

  test('an app-id that differs from the iss claim is an error on app-id', async () => {
    expect((await errorOf({ 'app-id': '456', jwt: presigned() })).message).toBe(
      "Input 'app-id': '456' differs from the iss claim of the jwt input ('123'). Leave app-id out, or sign the JWT for this app.",
    );
  });

  test('an expired JWT is refused on jwt, before any request, without quoting it', async () => {
    const token = presigned({ exp: NOW - 5 });
    const error = await errorOf({ jwt: token });
    expect(error.message).toMatch(/^Input 'jwt': expired at .*, 5 s ago\./);
    expect(error.message).not.toContain(token.split('.')[2]);
  });
});

describe('installation token settings', () => {
  /** The exchange settings of a run in octo-org/octo-repo, with what these tests do not set left at defaults. */
  const exchangeOf = (overrides: Record<string, unknown>) => ({
    apiUrl: 'https://api.github.com',
    targets: [{ owner: 'octo-org', repositories: ['octo-repo'], installationId: undefined, permissions: undefined }],
    skipTokenRevoke: false,
    botIdentity: false,
    git: undefined,
    ...overrides,
  });

  test('a JWT-only run has no exchange', async () => {
    expect((await read(base)).exchange).toBeUndefined();
  });

  test('exchange alone targets the current repository at the default API URL', async () => {
    expect((await read({ ...base, exchange: 'true' })).exchange).toEqual(exchangeOf({}));
  });

  test.each<Record<string, string>>([
    { owner: 'a' },
    { repositories: 'x' },
    { 'installation-id': '5' },
    { enterprise: 'octo-ent' },
    { 'bot-identity': 'true' },
    { 'configure-git': 'true' },
  ])('%j implies exchange', async (inputs) => {
    expect((await read({ ...base, ...inputs })).exchange).toBeDefined();
  });

  test('bot-identity or configure-git asks for a token even with exchange: false (the bot is looked up with it)', async () => {
    expect((await read({ ...base, exchange: 'false', 'bot-identity': 'true' })).exchange?.botIdentity).toBe(true);
  });

  test('exchange must be a boolean', async () => {
    expect((await errorOf({ ...base, exchange: 'yes' })).message).toBe(
      "Input 'exchange': 'yes' is not a boolean: write true or false.",
    );
  });

  test.each(['bot-identity', 'configure-git'])('%s must be a boolean', async (name) => {
    const error = await errorOf({ ...base, [name]: 'please' });
    expect(error.input).toBe(name);
    expect(error.message).toBe(`Input '${name}': 'please' is not a boolean: write true or false.`);
  });

  test('the targets are read from owner and repositories: one per account, in the order given', async () => {
    expect((await read({ ...base, owner: 'octo-org, mona', repositories: 'mona/dotfiles' })).exchange?.targets).toEqual(
      [
        { owner: 'octo-org', repositories: [], installationId: undefined, permissions: undefined },
        { owner: 'mona', repositories: ['dotfiles'], installationId: undefined, permissions: undefined },
      ],
    );
  });

  test('a target that cannot be read is an InputError of readGitHubSettings, before any request', async () => {
    expect((await errorOf({ ...base, repositories: 'a/b/c' })).input).toBe('repositories');
    expect((await errorOf({ ...base, exchange: 'true' }, {})).input).toBe('owner');
  });

  test('enterprise targets the enterprise installation', async () => {
    expect((await read({ ...base, enterprise: 'octo-ent' })).exchange?.targets).toEqual([
      { owner: 'octo-ent', enterprise: true, repositories: [], permissions: undefined },
    ]);
  });

  test('permissions are read into every target, in snake_case', async () => {
    const settings = await read({ ...base, owner: 'a, b', permissions: 'contents: write\npull-requests: read' });
    expect(settings.exchange?.targets.map((target) => target.permissions)).toEqual([
      { contents: 'write', pull_requests: 'read' },
      { contents: 'write', pull_requests: 'read' },
    ]);
  });

  test('permissions of only comments mean all of the installation permissions', async () => {
    const settings = await read({ ...base, exchange: 'true', permissions: '# none yet' });
    expect(settings.exchange?.targets[0].permissions).toBe(undefined);
  });

  test('a bad permissions input is an InputError on permissions', async () => {
    expect((await errorOf({ ...base, exchange: 'true', permissions: 'Contents: read' })).message).toBe(
      "Input 'permissions': 'Contents': permission names are lowercase; write `contents`.",
    );
  });

  test('skip-token-revoke keeps the token from being revoked', async () => {
    expect((await read({ ...base, exchange: 'true', 'skip-token-revoke': 'true' })).exchange?.skipTokenRevoke).toBe(
      true,
    );
  });

  test('the API URL keeps a GHES path and drops a trailing slash; GITHUB_API_URL is the fallback', async () => {
    expect(
      (await read({ ...base, exchange: 'true', 'github-api-url': 'https://ghe.example.com/api/v3/' })).exchange?.apiUrl,
    ).toBe('https://ghe.example.com/api/v3');
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: 'https://api.example.ghe.com' };
    expect((await read({ ...base, exchange: 'true' }, env)).exchange?.apiUrl).toBe('https://api.example.ghe.com');
  });

  test('github-api-url is preferred to GITHUB_API_URL', async () => {
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: 'https://api.example.ghe.com' };
    const inputs = { ...base, exchange: 'true', 'github-api-url': 'https://ghe.example.com/api/v3' };
    expect((await read(inputs, env)).exchange?.apiUrl).toBe('https://ghe.example.com/api/v3');
  });

  test('plain http is refused except on loopback', async () => {
    expect((await errorOf({ ...base, exchange: 'true', 'github-api-url': 'http://ghe.example.com' })).message).toBe(
      "Input 'github-api-url': 'http://ghe.example.com' is not https: the action sends credentials to this URL, so it must be https (plain http is accepted only for loopback addresses such as localhost, 127.0.0.1 and [::1], for local test servers). Use https://ghe.example.com",
    );
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:3000', '127.1.2.3'])
      expect((await read({ ...base, exchange: 'true', 'github-api-url': `http://${host}` })).exchange?.apiUrl).toBe(
        `http://${host}`,
      );
  });

  test('a github-api-url with a user name and password is refused without showing them', async () => {
    const error = await errorOf({ ...base, exchange: 'true', 'github-api-url': 'https://me:hunter22@ghe.example.com' });
    expect(error.input).toBe('github-api-url');
    expect(error.message).toMatch(/holds a user name or password/);
    expect(error.message).not.toMatch(/me:|hunter22/);
  });

  test('a GITHUB_API_URL that cannot be used is reported on github-api-url, the input that overrides it', async () => {
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: 'ghe.example.com/api/v3' };
    expect((await errorOf({ ...base, exchange: 'true' }, env)).message).toBe(
      "Input 'github-api-url': 'ghe.example.com/api/v3' has no scheme. Write the URL in full: https://ghe.example.com/api/v3",
    );
  });

  test('the API URL is not checked when no token is wanted', async () => {
    expect((await read({ ...base, 'github-api-url': 'http://ghe.example.com' })).exchange).toBeUndefined();
  });

  test('skip-token-revoke and permissions without an exchange are errors', async () => {
    expect((await errorOf({ ...base, 'skip-token-revoke': 'true' })).input).toBe('skip-token-revoke');
    expect((await errorOf({ ...base, permissions: 'contents: read' })).message).toBe(
      "Input 'permissions': applies to an installation token, and this step only signs a JWT. Set exchange: true (or owner, repositories or installation-id) to get a token.",
    );
  });

  test('exchange: false with permissions is refused the same way', async () => {
    expect((await errorOf({ ...base, exchange: 'false', permissions: 'contents: read' })).input).toBe('permissions');
  });

  test('skip-token-revoke and permissions left at their defaults are no error without an exchange', async () => {
    expect((await read({ ...base, exchange: 'false', 'skip-token-revoke': 'false', permissions: '' })).exchange).toBe(
      undefined,
    );
  });
});

describe("the bot's identity and git", () => {
  test('bot-identity asks for the bot user, and no git set-up', async () => {
    expect((await read({ ...base, 'bot-identity': 'true' })).exchange).toEqual(
      expect.objectContaining({ botIdentity: true, git: undefined }),
    );
  });

  test("configure-git implies bot-identity, and git may send the tokens to GITHUB_SERVER_URL's origin only", async () => {
    const env = { ...IN_A_RUN, GITHUB_SERVER_URL: 'https://ghe.example.com/some/path/' };
    expect((await read({ ...base, 'configure-git': 'true' }, env)).exchange).toEqual(
      expect.objectContaining({ botIdentity: true, git: { serverUrl: 'https://ghe.example.com' } }),
    );
  });

  test.each([
    ['https://ghe.example.com/api/v3', 'https://ghe.example.com'],
    ['https://api.octocorp.ghe.com', 'https://octocorp.ghe.com'],
    ['https://api.github.com', 'https://github.com'],
  ])('without GITHUB_SERVER_URL, git is set up for the web host of %s', async (apiUrl, serverUrl) => {
    const settings = await read({ ...base, 'configure-git': 'true', 'github-api-url': apiUrl });
    expect(settings.exchange?.git).toEqual({ serverUrl });
  });

  test('a GITHUB_SERVER_URL over plain http to another host is refused on configure-git, before any token', async () => {
    const env = { ...IN_A_RUN, GITHUB_SERVER_URL: 'http://ghe.example.com' };
    const error = await errorOf({ ...base, 'configure-git': 'true' }, env);
    expect(error.input).toBe('configure-git');
    expect(error.message).toMatch(
      /^Input 'configure-git': git would send the tokens to the server in GITHUB_SERVER_URL, and it cannot be used: 'http:\/\/ghe\.example\.com' is not https/,
    );
  });

  test('GITHUB_SERVER_URL is not read without configure-git', async () => {
    const env = { ...IN_A_RUN, GITHUB_SERVER_URL: 'not a url' };
    expect((await read({ ...base, 'bot-identity': 'true' }, env)).exchange?.git).toBeUndefined();
  });
});

describe('no key at all', () => {
  const FALLBACK = 'ghs_' + 'f'.repeat(36);
  const dependabot: Env = { ...IN_A_RUN, GITHUB_ACTOR: 'dependabot[bot]', GITHUB_EVENT_NAME: 'pull_request' };

  test('fallback-token is passed on, saying that no key input was set', async () => {
    expect(await readAny({ 'app-id': '123', 'fallback-token': FALLBACK, owner: 'octo-org' })).toEqual({
      provider: 'github',
      fallback: { token: FALLBACK, why: 'private-key, kms-key and jwt are all empty' },
    });
  });

  test('on a Dependabot run, the fallback says so', async () => {
    expect(await readAny({ 'fallback-token': FALLBACK }, dependabot)).toEqual({
      provider: 'github',
      fallback: {
        token: FALLBACK,
        why: 'this is a Dependabot run, and Dependabot runs get only the secrets stored under Settings > Secrets and variables > Dependabot',
      },
    });
  });

  test.each([
    ['private-key', { 'private-key': APP_KEY_PEM, 'app-id': '123' }],
    ['jwt', { jwt: presigned() }],
  ])('with %s given, fallback-token never applies', async (_name, inputs) => {
    const settings = await readAny({ ...inputs, 'fallback-token': FALLBACK }, dependabot);
    expect(settings.fallback).toBeUndefined();
  });

  test('with a key given that is unusable, the error stands: the fallback is for a missing key only', async () => {
    const error = await errorOf({ 'app-id': '123', 'private-key': 'not a key', 'fallback-token': FALLBACK });
    expect(error.input).toBe('private-key');
  });

  test('without fallback-token, a Dependabot run is named in the error, with the way out', async () => {
    const error = await errorOf({ 'app-id': '123' }, dependabot);
    expect(error.input).toBe('private-key');
    expect(error.message).toBe(
      "Input 'private-key': is empty: this is a Dependabot run, and Dependabot runs get only the secrets stored under Settings > Secrets and variables > Dependabot. To let the job go on without the app in such runs, set fallback-token: ${{ github.token }}; or skip the step there (if: github.event.pull_request.head.repo.fork != true).",
    );
  });

  test('without fallback-token and with nothing to explain it, the error is the usual one', async () => {
    expect((await errorOf({ 'app-id': '123' })).message).toMatch(/^Input 'private-key': is empty/);
    expect((await errorOf({})).input).toBe('app-id');
  });
});

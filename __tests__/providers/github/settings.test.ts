import { createPublicKey, verify } from 'node:crypto';
import { createClock } from '../../../src/clock.js';
import { InputError } from '../../../src/errors.js';
import { normalizePrivateKey } from '../../../src/keys/private-key.js';
import { readGitHubSettings, type GitHubSettings } from '../../../src/providers/github/settings.js';
import { createInputReader, type Env } from '../../../src/settings/inputs.js';
import { signTestJwt } from '../../../test/emulators/github.ts';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';

const NOW = 1_800_000_000;
const IN_A_RUN: Env = { GITHUB_REPOSITORY: 'octo-org/octo-repo' };
const base = { 'app-id': '123', 'private-key': APP_KEY_PEM };

const read = (inputs: Record<string, string>, env: Env = IN_A_RUN): Promise<GitHubSettings> =>
  readGitHubSettings(
    createInputReader((name) => inputs[name] ?? ''),
    { env, clock: createClock(() => NOW * 1000) },
  );

async function errorOf(inputs: Record<string, string>, env?: Env): Promise<InputError> {
  const outcome = await read(inputs, env).then(
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

  test('app-id and client-id that differ are an error on client-id', async () => {
    const error = await errorOf({ ...base, 'client-id': '456' });
    expect(error.input).toBe('client-id');
    expect(error.message).toBe(
      "Input 'client-id': '456' differs from app-id '123'. They name the same thing; set only one of them.",
    );
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
        target: { owner: 'octo-org', repositories: ['octo-repo'], installationId: undefined, permissions: undefined },
        skipTokenRevoke: false,
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
  test('a JWT-only run has no exchange', async () => {
    expect((await read(base)).exchange).toBeUndefined();
  });

  test('exchange alone targets the current repository at the default API URL', async () => {
    expect((await read({ ...base, exchange: 'true' })).exchange).toEqual({
      apiUrl: 'https://api.github.com',
      target: { owner: 'octo-org', repositories: ['octo-repo'], installationId: undefined, permissions: undefined },
      skipTokenRevoke: false,
    });
  });

  test('owner, repositories and installation-id each imply exchange', async () => {
    for (const inputs of [{ owner: 'a' }, { repositories: 'x' }, { 'installation-id': '5' }] as Record<
      string,
      string
    >[])
      expect((await read({ ...base, ...inputs })).exchange).toBeDefined();
  });

  test('exchange must be a boolean', async () => {
    expect((await errorOf({ ...base, exchange: 'yes' })).message).toBe(
      "Input 'exchange': 'yes' is not a boolean: write true or false.",
    );
  });

  test('owner alone covers all its repositories', async () => {
    expect((await read({ ...base, owner: 'other' })).exchange?.target).toMatchObject({
      owner: 'other',
      repositories: [],
    });
  });

  test('repositories alone are in the current repository owner', async () => {
    expect((await read({ ...base, repositories: 'api, octo-org/web' })).exchange?.target).toMatchObject({
      owner: 'octo-org',
      repositories: ['api', 'web'],
    });
  });

  test('repositories are split on commas and new lines, owner/ prefixes dropped, duplicates removed', async () => {
    const settings = await read({ ...base, owner: 'o', repositories: 'a, o/b\nc,,A' });
    expect(settings.exchange?.target.repositories).toEqual(['a', 'b', 'c']);
  });

  test('an owner/ prefix is matched without regard to case', async () => {
    const settings = await read({ ...base, owner: 'Octo-Org', repositories: 'octo-org/api' });
    expect(settings.exchange?.target).toMatchObject({ owner: 'Octo-Org', repositories: ['api'] });
  });

  test('a repository of another owner is refused: a token covers one account', async () => {
    expect((await errorOf({ ...base, owner: 'octo-org', repositories: 'api, mona/dotfiles' })).message).toBe(
      "Input 'repositories': 'mona/dotfiles' belongs to 'mona', but the token is for repositories of 'octo-org' (the owner input). A token covers one account: set owner: mona, or use a separate step for each account.",
    );
    expect((await errorOf({ ...base, repositories: 'mona/dotfiles' })).message).toBe(
      "Input 'repositories': 'mona/dotfiles' belongs to 'mona', but the token is for repositories of 'octo-org' (the current repository's owner). A token covers one account: set owner: mona, or use a separate step for each account.",
    );
  });

  test.each(['a/b/c', 'my repo', 'api,we$b'])('%s is not a list of repository names', async (value) => {
    const bad = value === 'api,we$b' ? 'we$b' : value;
    expect((await errorOf({ ...base, repositories: value })).message).toBe(
      `Input 'repositories': '${bad}' is not a repository name; write names (api, web) or owner/name, separated by commas or new lines.`,
    );
  });

  test('an owner given as owner/repository is refused with the two inputs to set instead', async () => {
    expect((await errorOf({ ...base, owner: 'octo-org/api' })).message).toBe(
      "Input 'owner': 'octo-org/api' is a repository, not an account. Set owner to 'octo-org' and repositories to 'api'.",
    );
  });

  test.each(['-octo', 'octo_org', 'a'.repeat(40)])('owner %s is not a GitHub account name', async (owner) => {
    expect((await errorOf({ ...base, owner })).message).toBe(
      `Input 'owner': '${owner}' is not a GitHub user or organization name (letters, digits and single hyphens, at most 39).`,
    );
  });

  test('installation-id is a positive whole number; the owner is still the current repository owner', async () => {
    expect((await read({ ...base, 'installation-id': '42' })).exchange?.target).toEqual({
      installationId: 42,
      owner: 'octo-org',
      repositories: ['octo-repo'],
      permissions: undefined,
    });
  });

  test.each(['0', '-1', '1.5', 'abc', '99999999999999999999'])('installation-id %s is refused', async (value) => {
    expect((await errorOf({ ...base, 'installation-id': value })).message).toBe(
      `Input 'installation-id': '${value}' is not an installation ID (a positive whole number, the last part of the installation's settings URL).`,
    );
  });

  test('permissions are read into the target, in snake_case', async () => {
    const settings = await read({ ...base, exchange: 'true', permissions: 'contents: write\npull-requests: read' });
    expect(settings.exchange?.target.permissions).toEqual({ contents: 'write', pull_requests: 'read' });
  });

  test('permissions of only comments mean all of the installation permissions', async () => {
    expect((await read({ ...base, exchange: 'true', permissions: '# none yet' })).exchange?.target.permissions).toBe(
      undefined,
    );
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

  test('outside a workflow run, owner is needed', async () => {
    const error = await errorOf({ ...base, exchange: 'true' }, {});
    expect(error.input).toBe('owner');
    expect(error.message).toBe(
      "Input 'owner': is needed outside a workflow run (GITHUB_REPOSITORY is not set), installation-id or not: set it to the account the app is installed on.",
    );
  });

  test('outside a workflow run, installation-id alone does not do without owner', async () => {
    expect((await errorOf({ ...base, 'installation-id': '42' }, {})).input).toBe('owner');
    expect((await read({ ...base, 'installation-id': '42', owner: 'mona' }, {})).exchange?.target).toMatchObject({
      installationId: 42,
      owner: 'mona',
      repositories: [],
    });
  });

  test('a GITHUB_REPOSITORY that is not owner/name counts as none', async () => {
    for (const GITHUB_REPOSITORY of ['octo-org', 'octo-org/api/extra', '/api'])
      expect((await errorOf({ ...base, exchange: 'true' }, { GITHUB_REPOSITORY })).input).toBe('owner');
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

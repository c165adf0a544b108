import { InputError } from '../../src/errors.js';
import { readSettings, type GitHubSettings } from '../../src/inputs.js';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const read = async (
  inputs: Record<string, string>,
  env: Record<string, string> = { GITHUB_REPOSITORY: 'octo-org/octo-repo' },
) => (await readSettings((name) => inputs[name] ?? '', env)) as GitHubSettings;
const base = { 'app-id': '123', 'private-key': APP_KEY_PEM };

async function errorOf(inputs: Record<string, string>, env?: Record<string, string>): Promise<InputError> {
  try {
    await read(inputs, env);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
}

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
  expect((await errorOf({ ...base, 'client-id': '456' })).input).toBe('client-id');
});

test('a missing app-id is named, with where to find it', async () => {
  expect((await errorOf({ 'private-key': APP_KEY_PEM })).message).toMatch(
    /^Input 'app-id': is required.*settings page/,
  );
});

test('jwt-expires-in accepts 1..600 and refuses the rest', async () => {
  expect((await read({ ...base, 'jwt-expires-in': '1' })).jwtExpiresIn).toBe(1);
  expect((await read({ ...base, 'jwt-expires-in': '600' })).jwtExpiresIn).toBe(600);
  for (const bad of ['0', '601', '-5', '1.5', 'ten'])
    expect((await errorOf({ ...base, 'jwt-expires-in': bad })).message).toMatch(
      /^Input 'jwt-expires-in': .* from 1 to 600/,
    );
});

test('a private-key problem is reported as an InputError on private-key', async () => {
  expect((await errorOf({ ...base, 'private-key': '' })).message).toMatch(/^Input 'private-key': is empty/);
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

  test('owner alone covers all its repositories', async () => {
    expect((await read({ ...base, owner: 'other' })).exchange?.target).toMatchObject({
      owner: 'other',
      repositories: [],
    });
  });

  test('repositories are split on commas and new lines, owner/ prefixes dropped, duplicates removed', async () => {
    const settings = await read({ ...base, owner: 'o', repositories: 'a, o/b\nc,,A' });
    expect(settings.exchange?.target.repositories).toEqual(['a', 'b', 'c']);
  });

  test('the API URL keeps a GHES path and drops a trailing slash; GITHUB_API_URL is the fallback', async () => {
    expect(
      (await read({ ...base, exchange: 'true', 'github-api-url': 'https://ghe.example.com/api/v3/' })).exchange?.apiUrl,
    ).toBe('https://ghe.example.com/api/v3');
    const env = { GITHUB_REPOSITORY: 'o/r', GITHUB_API_URL: 'https://api.example.ghe.com' };
    expect((await read({ ...base, exchange: 'true' }, env)).exchange?.apiUrl).toBe('https://api.example.ghe.com');
  });

  test('plain http is refused except on loopback', async () => {
    expect((await errorOf({ ...base, exchange: 'true', 'github-api-url': 'http://ghe.example.com' })).input).toBe(
      'github-api-url',
    );
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:3000', '127.1.2.3'])
      expect((await read({ ...base, exchange: 'true', 'github-api-url': `http://${host}` })).exchange?.apiUrl).toBe(
        `http://${host}`,
      );
  });

  test('outside a workflow run, owner is needed', async () => {
    expect((await errorOf({ ...base, exchange: 'true' }, {})).input).toBe('owner');
  });

  test('skip-token-revoke and permissions without an exchange are errors', async () => {
    expect((await errorOf({ ...base, 'skip-token-revoke': 'true' })).input).toBe('skip-token-revoke');
    expect((await errorOf({ ...base, permissions: 'contents: read' })).input).toBe('permissions');
  });
});

describe('providers', () => {
  const vonageKey = {
    provider: 'vonage',
    'app-id': 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
    'private-key': APP_KEY_PEM,
  };

  test('an unknown provider is named with the three that exist', async () => {
    expect((await errorOf({ ...base, provider: 'GitHub-App' })).message).toMatch(
      /write github, vonage or ringcentral \(github\?\)/,
    );
  });

  test('an input of another provider is an error, not ignored', async () => {
    const error = await errorOf({ ...base, acl: '{"paths": {}}' });
    expect(error.input).toBe('acl');
    expect(error.message).toMatch(
      /is for provider: vonage, and this step has provider: github\. Remove it, or set provider: vonage/,
    );
    expect((await errorOf({ ...vonageKey, owner: 'octo-org' })).input).toBe('owner');
    expect((await errorOf({ ...vonageKey, exchange: 'true' })).input).toBe('exchange');
  });

  test('defaults of other providers are not mistaken for inputs', async () => {
    const settings = await readSettings(
      (name) =>
        ({ ...vonageKey, exchange: 'false', 'skip-token-revoke': 'false', 'github-api-url': 'https://api.github.com' })[
          name
        ] ?? '',
    );
    expect(settings.provider).toBe('vonage');
  });

  test('vonage: defaults to 900 s and reads acl from YAML, bare paths meaning {}', async () => {
    const settings = await readSettings(
      (name) =>
        ({ ...vonageKey, acl: 'paths:\n  /*/users/**:\n  /*/conversations/**: {}\n', subject: 'alice' })[name] ?? '',
    );
    expect(settings).toMatchObject({
      provider: 'vonage',
      jwtExpiresIn: 900,
      subject: 'alice',
      acl: { paths: { '/*/users/**': {}, '/*/conversations/**': {} } },
    });
  });

  test.each([
    [{ 'app-id': '' }, 'app-id', /is required/],
    [{ 'app-id': '123456' }, 'app-id', /is not a Vonage application ID/],
    [{ 'jwt-expires-in': '29' }, 'jwt-expires-in', /from 30 to 86400/],
    [{ 'jwt-expires-in': '86401' }, 'jwt-expires-in', /from 30 to 86400/],
    [{ acl: '[a, b]' }, 'acl', /must be a mapping with a 'paths' key/],
    [{ acl: '{"path": {}}' }, 'acl', /has no 'paths' key/],
    [{ acl: 'paths: [/a]' }, 'acl', /a list is not accepted/],
    [{ acl: '{"paths": ' }, 'acl', /is not valid YAML or JSON/],
  ])('vonage %j: an error on %s', async (inputs, input, message) => {
    const error = await errorOf({ ...vonageKey, ...inputs });
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });

  const rcCredential = ['e30', Buffer.from('{"sub":"1","exp":4102444800}').toString('base64url'), 'c2ln'].join('.');
  const rc = { provider: 'ringcentral', jwt: rcCredential, 'client-id': 'abc', 'client-secret': 's3cr3t' };

  test('ringcentral: the production server by default, a sandbox URL when given', async () => {
    expect(await readSettings((name) => (rc as Record<string, string>)[name] ?? '')).toMatchObject({
      provider: 'ringcentral',
      client: { clientId: 'abc', clientSecret: 's3cr3t', serverUrl: 'https://platform.ringcentral.com' },
      skipTokenRevoke: false,
    });
    const sandbox = { ...rc, 'server-url': 'https://platform.devtest.ringcentral.com/' } as Record<string, string>;
    expect(await readSettings((name) => sandbox[name] ?? '')).toMatchObject({
      client: { serverUrl: 'https://platform.devtest.ringcentral.com' },
    });
  });

  test.each([
    [{ jwt: '' }, 'jwt', /is required with provider: ringcentral/],
    [{ jwt: 'not-a-jwt' }, 'jwt', /is not a JWT/],
    [{ jwt: ['e30', Buffer.from('{"exp":1000}').toString('base64url'), 'c2ln'].join('.') }, 'jwt', /expired at 1970/],
    [{ 'client-id': '' }, 'client-id', /is required/],
    [{ 'client-secret': '' }, 'client-secret', /is required/],
    [{ 'server-url': 'http://platform.example.com' }, 'server-url', /is not https/],
    [{ 'private-key': APP_KEY_PEM }, 'private-key', /is for provider: github or vonage/],
  ])('ringcentral %j: an error on %s', async (inputs, input, message) => {
    const error = await errorOf({ ...rc, ...inputs });
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });
});

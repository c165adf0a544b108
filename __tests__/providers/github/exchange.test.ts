import { appJwtSource, githubAppClaims } from '../../../src/providers/github/app-jwt.js';
import { exchangeForInstallationToken, revokeGitHubToken } from '../../../src/providers/github/exchange.js';
import { readGitHubSettings, type GitHubSettings } from '../../../src/providers/github/settings.js';
import { createInputReader } from '../../../src/settings/inputs.js';
import { makeTestApp, startGitHubEmulator, type GitHubEmulator } from '../../../test/emulators/github.ts';
import { infoLines, LOCAL_S, providerContext, sent } from './harness.ts';

const { app, privateKeyPem } = makeTestApp({ slug: 'octo-app' });
let emulator: GitHubEmulator;

beforeEach(async () => {
  emulator = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 42,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'all',
        repositories: ['app', 'web'],
        permissions: { contents: 'read', metadata: 'read' },
      },
    ],
    latencyMs: 0,
    pathPrefix: '/api/v3',
  });
});

afterEach(async () => {
  await emulator.close();
});

/** The settings the action reads from these inputs, pointed at the emulator. */
function settingsFor(inputs: Record<string, string>): Promise<GitHubSettings> {
  const all: Record<string, string> = {
    'app-id': String(app.id),
    'private-key': privateKeyPem,
    'github-api-url': emulator.url,
    ...inputs,
  };
  const context = providerContext();
  return readGitHubSettings(
    createInputReader((name) => all[name] ?? ''),
    { env: {}, clock: context.clock },
  );
}

/** exchangeForInstallationToken as the provider calls it: a JWT source signing by the context's clock. */
async function exchangeWith(inputs: Record<string, string>) {
  const settings = await settingsFor(inputs);
  const context = providerContext();
  if (settings.credential.kind === 'kms') throw new Error('these inputs name a KMS key');
  const jwt = appJwtSource(
    settings.credential,
    () => githubAppClaims(settings.issuer, settings.jwtExpiresIn, context.clock),
    context.mask,
  );
  if (!settings.exchange) throw new Error('these inputs ask for no installation token');
  const credentials = await exchangeForInstallationToken(settings, settings.exchange, jwt, context);
  return { credentials, context, jwt };
}

test('the credentials say which app, where, what the token covers, both expiries, and that it is revoked later', async () => {
  const { credentials, jwt } = await exchangeWith({ owner: 'octo-org', repositories: 'app, web' });
  const [issued] = emulator.issuedTokens();
  const expires = new Date(issued.expiresAt).toISOString();
  expect(credentials).toEqual({
    token: issued.token,
    tokenType: 'installation',
    expiresAt: new Date(issued.expiresAt),
    secrets: [issued.token],
    outputs: { 'installation-id': '42', permissions: '{"contents":"read","metadata":"read"}', 'app-slug': 'octo-app' },
    summary: [
      ['Provider', 'GitHub App'],
      ['App', `octo-app (${app.id})`],
      ['API', emulator.url],
      ['Installation', '42 on octo-org'],
      ['Repositories', 'octo-org/app, octo-org/web'],
      ['Permissions', 'contents: read, metadata: read'],
      ['Token expires', expires],
      ['JWT expires', new Date((LOCAL_S + 540) * 1000).toISOString()],
      ['Revoked after the job', 'yes'],
    ],
    jwt: jwt.last(),
    revoke: [{ provider: 'github', token: issued.token, apiUrl: emulator.url, expiresAt: expires }],
  });
});

test('the log says which installation the token is for, what it covers and when it expires', async () => {
  const { credentials, context } = await exchangeWith({ owner: 'octo-org', repositories: 'app' });
  expect(infoLines(context.log)).toEqual([
    `Created an installation token (installation 42) for octo-org/app; it expires at ${credentials.expiresAt.toISOString()}.`,
  ]);
});

test('a token for the whole installation is logged as every repository the owner lets it reach', async () => {
  const { context } = await exchangeWith({ owner: 'octo-org' });
  expect(infoLines(context.log)).toEqual([
    expect.stringMatching(
      /^Created an installation token \(installation 42\) for every repository of octo-org the installation can reach; it expires at /,
    ),
  ]);
});

test('with installation-id there is no slug: the app is named by its ID', async () => {
  const { credentials } = await exchangeWith({ owner: 'octo-org', 'installation-id': '42' });
  expect(credentials.summary[1]).toEqual(['App', String(app.id)]);
  expect(sent(emulator.requests)).toEqual(['POST /api/v3/app/installations/42/access_tokens']);
});

test('the JWT each request carried is masked before it is sent', async () => {
  const { context } = await exchangeWith({ owner: 'octo-org', repositories: 'app' });
  const sentJwts = emulator.requests.map((r) => String(r.headers.authorization).replace(/^Bearer /, ''));
  for (const token of sentJwts) {
    expect(context.masked).toContain(token);
    expect(context.masked).toContain(token.split('.')[2]);
  }
});

test('with skip-token-revoke: nothing to revoke, and the summary says why', async () => {
  const { credentials } = await exchangeWith({ owner: 'octo-org', 'skip-token-revoke': 'true' });
  expect(credentials.revoke).toBeUndefined();
  expect(credentials.summary.at(-1)).toEqual(['Revoked after the job', 'no (skip-token-revoke)']);
});

test("revokeGitHubToken revokes the record's token at the record's API URL", async () => {
  const { credentials } = await exchangeWith({ owner: 'octo-org' });
  const [record] = credentials.revoke ?? [];
  emulator.requests.length = 0;

  expect(await revokeGitHubToken(record, providerContext())).toBe('Revoked the installation token.');

  expect(sent(emulator.requests)).toEqual(['DELETE /api/v3/installation/token']);
  expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${credentials.token}`);
  expect(emulator.issuedTokens().map((t) => t.revoked)).toEqual([true]);
});

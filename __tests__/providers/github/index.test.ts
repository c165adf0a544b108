import { createPublicKey, verify } from 'node:crypto';
import { normalizePrivateKey } from '../../../src/keys/private-key.js';
import { github } from '../../../src/providers/github/index.js';
import type { GitHubSettings } from '../../../src/providers/github/settings.js';
import { createInputReader, type Env } from '../../../src/settings/inputs.js';
import { makeTestApp, signTestJwt, startGitHubEmulator, type GitHubEmulator } from '../../../test/emulators/github.ts';
import { infoLines, LOCAL_S, providerContext, sent, stoppedClock } from './harness.ts';

const { app, privateKeyPem } = makeTestApp({ slug: 'octo-app' });

function settingsFor(inputs: Record<string, string>, env: Env = {}): Promise<GitHubSettings> {
  return github.readSettings(
    createInputReader((name) => inputs[name] ?? ''),
    { env, clock: stoppedClock() },
  );
}

/** A context whose transport fails the test if anything asks for it. */
function offlineContext() {
  const context = providerContext();
  return {
    ...context,
    transport: async () => {
      throw new Error('a JWT-only run asked for the network');
    },
  };
}

describe('a JWT-only run', () => {
  test('signs one JWT for the app by the clock, masks it, logs its expiry, and never touches the network', async () => {
    const settings = await settingsFor({ 'app-id': String(app.id), 'private-key': privateKeyPem });
    const context = offlineContext();

    const credentials = await github.issue(settings, context);

    const [header, claims, signature] = credentials.token.split('.');
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toEqual({
      iat: LOCAL_S - 60,
      exp: LOCAL_S + 540,
      iss: app.id,
    });
    const publicKey = createPublicKey(privateKeyPem);
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
    const expiresAt = new Date((LOCAL_S + 540) * 1000);
    expect(credentials).toEqual({
      token: credentials.token,
      tokenType: 'jwt',
      expiresAt,
      jwt: { token: credentials.token, signature, expiresAt },
      secrets: [],
      outputs: {},
      summary: [
        ['Provider', 'GitHub App'],
        ['App', String(app.id)],
        ['JWT expires', expiresAt.toISOString()],
      ],
    });
    expect(context.masked).toEqual([credentials.token, signature]);
    expect(infoLines(context.log)).toEqual([
      `Signed a JWT for GitHub App ${app.id}; it expires at ${expiresAt.toISOString()}.`,
    ]);
  });

  test('jwt-expires-in sets how long the JWT lives', async () => {
    const settings = await settingsFor({
      'app-id': String(app.id),
      'private-key': privateKeyPem,
      'jwt-expires-in': '60',
    });
    expect((await github.issue(settings, offlineContext())).expiresAt).toEqual(new Date((LOCAL_S + 60) * 1000));
  });
});

test('the secrets to mask first: every form of the private key, or the given JWT and its signature', async () => {
  const withKey = await settingsFor({ 'app-id': String(app.id), 'private-key': privateKeyPem });
  expect(github.secrets(withKey)).toEqual(normalizePrivateKey(privateKeyPem).secrets);
  const token = signTestJwt({ iat: LOCAL_S - 60, exp: LOCAL_S + 540, iss: app.id }, privateKeyPem);
  const withJwt = await settingsFor({ jwt: token }, { GITHUB_REPOSITORY: 'octo-org/app' });
  expect(github.secrets(withJwt)).toEqual([token, token.split('.')[2]]);
});

describe('with an installation token', () => {
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
          repositories: [],
          permissions: { contents: 'read', metadata: 'read' },
        },
      ],
      latencyMs: 0,
    });
  });

  afterEach(async () => {
    await emulator.close();
  });

  test('the JWT is exchanged for a token, which the post step then revokes through the provider', async () => {
    const settings = await settingsFor(
      { 'app-id': String(app.id), 'private-key': privateKeyPem, 'github-api-url': emulator.url, exchange: 'true' },
      { GITHUB_REPOSITORY: 'octo-org/app' },
    );
    const credentials = await github.issue(settings, providerContext());
    const [issued] = emulator.issuedTokens();
    expect([credentials.tokenType, credentials.token]).toEqual(['installation', issued.token]);

    const [record] = credentials.revoke ?? [];
    expect(await github.revoke?.(record, providerContext())).toBe('Revoked the installation token.');
    expect(sent(emulator.requests)).toEqual([
      'GET /repos/octo-org/app/installation',
      'POST /app/installations/42/access_tokens',
      'DELETE /installation/token',
    ]);
    expect(emulator.issuedTokens()[0].revoked).toBe(true);
  });

  test('a JWT from the jwt input is sent as given, and is the jwt of the credentials', async () => {
    const token = signTestJwt({ iat: LOCAL_S - 60, exp: LOCAL_S + 540, iss: app.id }, privateKeyPem);
    const settings = await settingsFor(
      { jwt: token, 'github-api-url': emulator.url, 'installation-id': '42' },
      {
        GITHUB_REPOSITORY: 'octo-org/app',
      },
    );
    const context = providerContext();
    const credentials = await github.issue(settings, context);
    expect(emulator.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`]);
    expect(credentials.jwt?.token).toBe(token);
    // The given JWT is masked by the edge, from secrets(); the provider masks only the token GitHub sent.
    expect(context.masked).toEqual([credentials.token]);
  });
});

describe('no key, and fallback-token', () => {
  const FALLBACK = 'ghs_' + 'F'.repeat(36);

  test('the fallback token is passed on as is: type fallback, a notice, no other output, nothing to revoke, no network', async () => {
    const settings = await settingsFor({ 'app-id': String(app.id), 'fallback-token': FALLBACK, owner: 'octo-org' });
    expect(github.secrets(settings)).toEqual([FALLBACK]);
    const context = offlineContext();

    const credentials = await github.issue(settings, context);

    expect(credentials).toEqual({
      token: FALLBACK,
      tokenType: 'fallback',
      secrets: [FALLBACK],
      outputs: {},
      summary: [
        ['Provider', 'GitHub'],
        ['Token', 'fallback-token, since private-key, kms-key and jwt are all empty'],
      ],
    });
    // Never revoked: a revoke would end the job's own GITHUB_TOKEN.
    expect(credentials.revoke).toBeUndefined();
    expect(credentials.issued).toBeUndefined();
    expect(context.log.lines).toEqual([
      'notice: No app key was given (private-key, kms-key and jwt are all empty), so the step passes fallback-token on as its token.',
    ]);
  });

  test('the notice says why there was no key: a Dependabot run', async () => {
    const settings = await settingsFor({ 'fallback-token': FALLBACK }, { GITHUB_ACTOR: 'dependabot[bot]' });
    const context = offlineContext();
    await github.issue(settings, context);
    expect(context.log.lines).toEqual([
      'notice: No app key was given (this is a Dependabot run, and Dependabot runs get only the secrets stored under Settings > Secrets and variables > Dependabot), so the step passes fallback-token on as its token.',
    ]);
  });

  test('with a key, fallback-token is not a secret of this run and not used', async () => {
    const settings = await settingsFor({
      'app-id': String(app.id),
      'private-key': privateKeyPem,
      'fallback-token': FALLBACK,
    });
    expect(github.secrets(settings)).not.toContain(FALLBACK);
    expect((await github.issue(settings, offlineContext())).tokenType).toBe('jwt');
  });
});

// kms-key: hashivault://KEY, from the committed dist/ under Node 24: the app's key lives in the Vault emulator's
// transit engine, GitHub's and Vonage's emulators check the JWTs. Each test checks the requests, the outputs, the
// masks and that neither the Vault token nor any token leaked.
import type { KeyObject } from 'node:crypto';
import { leaksOf, runAction, type ActionRun } from '../../test/action-process.ts';
import {
  makeTestApp,
  signTestJwt,
  startGitHubEmulator,
  type EmulatedInstallation,
  type GitHubEmulator,
} from '../../test/emulators/github.ts';
import { makeVonageApp, startVonageEmulator, type VonageEmulator } from '../../test/emulators/vonage.ts';
import {
  makeVaultKey,
  makeVaultToken,
  signingPolicy,
  startVaultEmulator,
  vaultKeyPem,
  type VaultEmulator,
  type VaultToken,
} from '../../test/emulators/vault.ts';
import { makeTestCertificates } from '../../test/tls.ts';

const appKey = makeVaultKey('github-app', 'rsa-2048');
const vonageKey = makeVaultKey('vonage-app', 'rsa-2048');
const ecKey = makeVaultKey('ec-key', 'ecdsa-p256');
const teamKey = makeVaultKey('github-app', 'rsa-2048', { namespace: 'admin', mount: 'ci/transit' });

const signer: VaultToken = {
  token: makeVaultToken(),
  policies: [signingPolicy('github-app'), signingPolicy('vonage-app'), signingPolicy('ec-key')],
};
const readOnly: VaultToken = { token: makeVaultToken(), policies: [{ 'transit/keys/github-app': ['read'] }] };
const team: VaultToken = {
  token: makeVaultToken(),
  namespace: 'admin',
  policies: [signingPolicy('github-app', 'ci/transit')],
};

const { app } = makeTestApp({ id: 31337, slug: 'vault-bot', permissions: { contents: 'read', metadata: 'read' } });
app.publicKey = appKey.versions[0].publicKey as KeyObject;
const installations: EmulatedInstallation[] = [
  {
    id: 1001,
    appId: app.id,
    account: { login: 'octo-org', type: 'Organization' },
    repositorySelection: 'selected',
    repositories: ['octo-repo'],
    permissions: { contents: 'read', metadata: 'read' },
  },
];
const vonageApp = makeVonageApp();

let vault: VaultEmulator;
let github: GitHubEmulator;

beforeEach(async () => {
  vault = await startVaultEmulator({ keys: [appKey, vonageKey, ecKey, teamKey], tokens: [signer, readOnly, team] });
  github = await startGitHubEmulator({ apps: [app], installations });
});
afterEach(async () => {
  await vault.close();
  await github.close();
});

const githubInputs = (extra: Record<string, string> = {}) => ({
  'app-id': String(app.id),
  'kms-key': 'hashivault://github-app',
  'github-api-url': github.url,
  ...extra,
});
const vaultEnv = (token: VaultToken = signer, extra: Record<string, string> = {}) => ({
  VAULT_ADDR: vault.url,
  VAULT_TOKEN: token.token,
  ...extra,
});
const vaultRequests = () => vault.requests.map((r) => `${r.method} ${r.path}`);
const ALL_TOKENS = [signer, readOnly, team].map((t) => t.token);

/** The JWT is the one the key's PEM makes for the same header and claims: only Vault signed it. */
function expectSignedByVaultKey(jwt: string, pem: string) {
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
  expect(signTestJwt(claims, pem)).toBe(jwt);
}

/** The Vault token is masked, and before the action writes anything but masks. */
function expectTokenMaskedFirst(run: ActionRun, token = signer.token) {
  const lines = run.stdout.split('\n');
  const at = lines.indexOf(`::add-mask::${token}`);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(lines.slice(0, at).every((line) => line.startsWith('::add-mask::'))).toBe(true);
}

function expectOneError(run: ActionRun, message: string | RegExp) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  if (typeof message === 'string') expect(run.errors[0]).toBe(message);
  else expect(run.errors[0]).toMatch(message);
  expect(run.outputs.token).toBeUndefined();
  expect(leaksOf(run, ALL_TOKENS)).toEqual([]);
}

describe('GitHub Apps', () => {
  test('JWT mode: one key read, one signature, a JWT GitHub accepts', async () => {
    const run = await runAction('main', { inputs: githubInputs(), env: vaultEnv() });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const { token, jwt } = run.outputs;
    expect(run.outputs['token-type']).toBe('jwt');
    expect(jwt).toBe(token);
    expectSignedByVaultKey(jwt, vaultKeyPem(appKey));
    const response = await fetch(`${github.url}/app`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(response.status).toBe(200);
    expect(vaultRequests()).toEqual(['GET /v1/transit/keys/github-app', 'POST /v1/transit/sign/github-app']);
    expect(vault.signatures()).toEqual([expect.objectContaining({ signatureAlgorithm: 'pkcs1v15', version: 1 })]);
    expectTokenMaskedFirst(run);
    expect(run.masks).toEqual(expect.arrayContaining([jwt, jwt.split('.')[2]]));
    expect(leaksOf(run, [jwt, ...ALL_TOKENS])).toEqual([]);
  });

  test('exchange: the installation token, with the JWT from Vault', async () => {
    const run = await runAction('main', { inputs: githubInputs({ exchange: 'true' }), env: vaultEnv() });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['token-type']).toBe('installation');
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo-org/octo-repo/installation',
      'POST /app/installations/1001/access_tokens',
    ]);
    expectSignedByVaultKey(run.outputs.jwt, vaultKeyPem(appKey));
    expect(run.masks).toEqual(expect.arrayContaining([run.outputs.token, run.outputs.jwt]));
    expectTokenMaskedFirst(run);
    expect(leaksOf(run, [run.outputs.token, run.outputs.jwt, ...ALL_TOKENS])).toEqual([]);
  });

  test("GitHub's clock an hour ahead: the JWT is signed again by Vault, the key read once", async () => {
    github.setClockOffset(3600);
    const run = await runAction('main', { inputs: githubInputs({ exchange: 'true' }), env: vaultEnv() });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(vaultRequests()).toEqual([
      'GET /v1/transit/keys/github-app',
      'POST /v1/transit/sign/github-app',
      'POST /v1/transit/sign/github-app',
    ]);
    expect(run.stdout).toMatch(/GitHub's clock is \d+ s ahead of the runner's/);
    expectSignedByVaultKey(run.outputs.jwt, vaultKeyPem(appKey));
  });

  test('Vault over https (a private CA through NODE_EXTRA_CA_CERTS), a namespace and a mount of its own', async () => {
    const certificates = makeTestCertificates(['127.0.0.1']);
    await vault.close();
    vault = await startVaultEmulator({ keys: [teamKey], tokens: [team], tls: certificates });
    const run = await runAction('main', {
      inputs: githubInputs(),
      env: vaultEnv(team, {
        VAULT_NAMESPACE: 'admin',
        TRANSIT_SECRET_ENGINE_PATH: 'ci/transit',
        NODE_EXTRA_CA_CERTS: certificates.caFile,
      }),
    });
    expect(run.errors).toEqual([]);
    expect(vault.url).toMatch(/^https:/);
    expect(vaultRequests()).toEqual(['GET /v1/ci/transit/keys/github-app', 'POST /v1/ci/transit/sign/github-app']);
    expect(vault.requests.map((r) => r.headers['x-vault-namespace'])).toEqual(['admin', 'admin']);
    expectSignedByVaultKey(run.outputs.jwt, vaultKeyPem(teamKey));
    expectTokenMaskedFirst(run, team.token);
  });
});

describe('Vonage', () => {
  let vonage: VonageEmulator;
  afterEach(() => vonage.close());

  test('a JWT from Vault that Vonage accepts', async () => {
    vonage = await startVonageEmulator({
      applications: [{ id: vonageApp.applicationId, publicKey: vonageKey.versions[0].publicKey as KeyObject }],
    });
    const run = await runAction('main', {
      inputs: { provider: 'vonage', 'app-id': vonageApp.applicationId, 'kms-key': 'hashivault://vonage-app' },
      env: vaultEnv(),
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expectSignedByVaultKey(run.outputs.token, vaultKeyPem(vonageKey));
    const response = await fetch(`${vonage.url}/v1/calls`, {
      headers: { authorization: `Bearer ${run.outputs.token}` },
    });
    expect(response.status).toBe(200);
    expect(vaultRequests()).toEqual(['GET /v1/transit/keys/vonage-app', 'POST /v1/transit/sign/vonage-app']);
    expectTokenMaskedFirst(run);
    expect(leaksOf(run, [run.outputs.token, ...ALL_TOKENS])).toEqual([]);
  });
});

describe('errors: one ::error:: naming the key and the fix', () => {
  const uri = 'hashivault://github-app';

  test('no VAULT_TOKEN: nothing is sent', async () => {
    const run = await runAction('main', { inputs: githubInputs(), env: { VAULT_ADDR: vault.url } });
    expectOneError(
      run,
      `${uri}: VAULT_TOKEN is not set: log in to Vault in an earlier step of this job with hashicorp/vault-action and exportToken: true (it exports VAULT_TOKEN), or set VAULT_TOKEN from a secret.`,
    );
    expect(vault.requests).toEqual([]);
  });

  test('a plain-http VAULT_ADDR that is not loopback: nothing is sent', async () => {
    const run = await runAction('main', {
      inputs: githubInputs(),
      env: vaultEnv(signer, { VAULT_ADDR: 'http://vault.example.com:8200' }),
    });
    expectOneError(run, new RegExp(`^${uri}: VAULT_ADDR 'http://vault.example.com:8200' is not https`));
    expectTokenMaskedFirst(run);
  });

  test('a policy without sign: the policy to grant', async () => {
    const run = await runAction('main', { inputs: githubInputs(), env: vaultEnv(readOnly) });
    expectOneError(
      run,
      `${uri}: Vault denied signing with the key (POST ${vault.url}/v1/transit/sign/github-app answered 403: permission denied). Grant the token's policy: path "transit/keys/github-app" { capabilities = ["read"] } and path "transit/sign/github-app" { capabilities = ["update"] }. On Vault Enterprise or HCP Vault, also set VAULT_NAMESPACE to the namespace the key is in (HCP Vault: admin).`,
    );
    expect(github.requests).toEqual([]);
  });

  test('an unknown token', async () => {
    const unknown = makeVaultToken();
    const run = await runAction('main', {
      inputs: githubInputs(),
      env: { VAULT_ADDR: vault.url, VAULT_TOKEN: unknown },
    });
    expectOneError(run, new RegExp(`^${uri}: Vault does not accept VAULT_TOKEN \\(GET `));
    expect(leaksOf(run, [unknown])).toEqual([]);
    expectTokenMaskedFirst(run, unknown);
  });

  test('an EC key: refused before any signature', async () => {
    const run = await runAction('main', {
      inputs: githubInputs({ 'kms-key': 'hashivault://ec-key' }),
      env: vaultEnv(),
    });
    expectOneError(
      run,
      "hashivault://ec-key is a transit key of type ecdsa-p256 (an elliptic-curve key: Vault signs with it, but not RS256). RS256 JWTs need a key of type rsa-2048, rsa-3072 or rsa-4096: import the app's private key into Vault (see the README), or create one with 'vault write transit/keys/NAME type=rsa-2048' and register its public key with the app, and name that key in kms-key.",
    );
    expect(vault.signatures()).toEqual([]);
  });

  test('a key that does not exist', async () => {
    const run = await runAction('main', {
      inputs: githubInputs({ 'kms-key': 'hashivault://missing' }),
      env: vaultEnv(signer),
    });
    // The signer's policy does not cover the missing key's path, so Vault answers 403 before looking.
    expectOneError(
      run,
      /^hashivault:\/\/missing: Vault denied reading the key \(GET .*answered 403: permission denied\)/,
    );
  });

  test('a Vault that signs PSS: caught by the check against the public key', async () => {
    await vault.close();
    vault = await startVaultEmulator({ keys: [appKey], tokens: [signer], ignoresSignatureAlgorithm: true });
    const run = await runAction('main', { inputs: githubInputs(), env: vaultEnv() });
    expectOneError(
      run,
      `${uri} returned a signature that its own public key does not verify as RS256: the key signs with another algorithm (RSA-PSS?) or the service answered for another key. Use a key (version) made for RSASSA-PKCS1-v1_5 with SHA-256.`,
    );
    expect(github.requests).toEqual([]);
  });

  test('a malformed kms-key URI', async () => {
    const run = await runAction('main', { inputs: githubInputs({ 'kms-key': 'hashivault://' }), env: vaultEnv() });
    expectOneError(
      run,
      "Input 'kms-key': must be hashivault://KEY, KEY being the name of a transit key (letters, digits, _ . -).",
    );
    expect(vault.requests).toEqual([]);
  });
});

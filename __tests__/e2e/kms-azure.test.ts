// kms-key: azurekms://, from the committed dist/ under Node 24, against the Key Vault and Entra ID emulator (over
// TLS, its CA given as NODE_EXTRA_CA_CERTS, as a runner trusting a private CA would) and the GitHub and Vonage
// emulators. The key never reaches the runner: the apps' downloaded PEMs were imported into the vault.
//
// The credentials come as the login steps leave them: AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET;
// a federated token file (workload identity); or an Azure CLI session. The Azure CLI is not installed here, so
// PATH holds only what a test puts there: a stand-in `az` that answers `az account get-access-token` as a
// signed-in CLI would, with a token from the emulator's Entra ID. No test reaches beyond this machine.
import { createPublicKey, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leaksOf, runAction, transcript, type ActionRun } from '../../test/action-process.ts';
import {
  makeOidcIssuer,
  makeVaultKey,
  startAzureKeyVaultEmulator,
  type AzureKeyVaultEmulator,
  type EntraApplication,
} from '../../test/emulators/azure-key-vault.ts';
import { makeTestApp, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';
import { makeVonageApp, startVonageEmulator, type VonageEmulator } from '../../test/emulators/vonage.ts';
import { makeTestCertificates } from '../../test/tls.ts';

const TENANT = '7f3c2a10-5b4d-4e6f-8a9b-0c1d2e3f4a5b';
const SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';
const github = makeOidcIssuer();
const signer: EntraApplication = {
  clientId: '3d2c1b0a-9f8e-4d7c-b6a5-948372615041',
  secrets: ['Kv8Q~signer.client-secret-value_0123456789'],
  federatedCredentials: [{ issuer: github.issuer, subject: SUBJECT }],
  keyPermissions: { '*': ['get', 'sign'] },
};
const reader: EntraApplication = {
  clientId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  secrets: ['Kv8Q~reader.client-secret-value_9876543210'],
  keyPermissions: { '*': ['get'] },
};

const { app, privateKeyPem } = makeTestApp({ id: 31337, slug: 'octo-kms' });
const vonageApp = makeVonageApp();
const appKey = makeVaultKey('github-app', { privateKey: privateKeyPem });
const vonageKey = makeVaultKey('vonage-app', { privateKey: vonageApp.privateKeyPem, kty: 'RSA-HSM' });
const ecKey = makeVaultKey('ec-key', { kty: 'EC', curve: 'P-256' });
const disabledKey = makeVaultKey('disabled-key', { enabled: false });
const certificates = makeTestCertificates([]);

let vault: AzureKeyVaultEmulator;
let gh: GitHubEmulator;
let vonage: VonageEmulator;
let scratch: string;
/** An empty folder: PATH for the action, so no az, pwsh or azd of this machine takes part. */
let emptyPath: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'kms-azure-e2e-'));
  emptyPath = join(scratch, 'bin-empty');
  mkdirSync(emptyPath);
  vonage = await startVonageEmulator({
    applications: [{ id: vonageApp.applicationId, publicKey: createPublicKey(vonageApp.privateKeyPem) }],
  });
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await vonage.close();
});

beforeEach(async () => {
  vault = await startAzureKeyVaultEmulator({
    tls: certificates,
    tenantId: TENANT,
    applications: [signer, reader],
    keys: [appKey, vonageKey, ecKey, disabledKey],
    trustedIssuers: [github],
  });
  gh = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 1001,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'selected',
        repositories: ['octo-repo'],
        permissions: { contents: 'read', metadata: 'read' },
      },
    ],
  });
});
afterEach(async () => {
  await vault.close();
  await gh.close();
});

const kmsKey = (name: string) => `azurekms://${new URL(vault.vaultUrl).host}/${name}`;

/** The environment a client-secret login leaves (azure/login with creds, or the variables set by hand). */
const secretEnv = (app: EntraApplication = signer) => ({
  AZURE_TENANT_ID: TENANT,
  AZURE_CLIENT_ID: app.clientId,
  AZURE_CLIENT_SECRET: app.secrets![0],
  AZURE_AUTHORITY_HOST: vault.authorityHost,
  NODE_EXTRA_CA_CERTS: certificates.caFile,
  PATH: emptyPath,
});

const githubInputs = (extra: Record<string, string> = {}) => ({
  'app-id': String(app.id),
  'kms-key': kmsKey('github-app'),
  'github-api-url': gh.url,
  ...extra,
});

const vaultRequests = () => vault.vault.requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`);
const requestsMade = () => [
  ...vault.timeline().map(({ server, request }) => {
    const auth = server === 'vault' ? (request.headers.authorization ? ' (token)' : ' (no token)') : '';
    return `${server}: ${request.method} ${request.path.replace(/\?.*$/, '')}${auth}`;
  }),
  ...gh.requests.map((r) => `github: ${r.method} ${r.path}`),
];
const accessTokens = () => vault.issuedTokens().map((t) => t.token);

/** Runs the action and records what a user sees of it as this scenario's snapshot. */
async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(
    transcript(run, {
      names: {
        token: run.outputs?.token,
        jwt: run.outputs?.jwt,
        'github-app-version': appKey.versions[0].version,
        'vonage-app-version': vonageKey.versions[0].version,
        'vonage-application-id': vonageApp.applicationId,
      },
      urls: { github: gh.url, vault: vault.vaultUrl, login: vault.authorityHost },
      requests: requestsMade(),
    }),
  ).toMatchSnapshot();
  return run;
}

function expectSecretsSafe(run: ActionRun, secrets: string[]) {
  for (const secret of secrets) expect(run.masks).toContain(secret);
  expect(leaksOf(run, [...secrets, privateKeyPem])).toEqual([]);
}

function expectFailure(run: ActionRun, message: string, secrets: string[] = []) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([message]);
  expect(run.outputs.token).toBeUndefined();
  expect(leaksOf(run, [...secrets, ...accessTokens(), privateKeyPem])).toEqual([]);
}

async function getApp(jwt: string) {
  const response = await fetch(`${gh.url}/app`, { headers: { authorization: `Bearer ${jwt}` } });
  return response.status;
}

describe('GitHub App JWTs signed by Key Vault', () => {
  test('JWT mode: a masked JWT GitHub accepts; the client secret and the access token masked too', async () => {
    const run = await runScenario('main', { inputs: githubInputs(), env: secretEnv() });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['token-type']).toBe('jwt');
    expect(run.outputs.jwt).toBe(run.outputs.token);
    expect(gh.requests).toEqual([]);
    expect(await getApp(run.outputs.token)).toBe(200);
    expectSecretsSafe(run, [signer.secrets![0], ...accessTokens(), run.outputs.jwt, run.outputs.jwt.split('.')[2]]);
    expect(accessTokens()).toHaveLength(1);
    expect(vaultRequests()).toEqual([
      'GET /keys/github-app/',
      'GET /keys/github-app/',
      `POST /keys/github-app/${appKey.versions[0].version}/sign`,
      `POST /keys/github-app/${appKey.versions[0].version}/sign`,
    ]);
  });

  test('exchange: the Key Vault-signed JWT gets an installation token', async () => {
    const run = await runScenario('main', { inputs: githubInputs({ 'installation-id': '1001' }), env: secretEnv() });
    expect(run.errors).toEqual([]);
    expect(run.outputs['token-type']).toBe('installation');
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /app/installations/1001/access_tokens']);
    expect(gh.requests[0].headers.authorization).toBe(`Bearer ${run.outputs.jwt}`);
    expectSecretsSafe(run, [signer.secrets![0], ...accessTokens(), run.outputs.token, run.outputs.jwt]);
  });

  test('clock skew: the re-signed JWT is one more sign call to Key Vault, with the same key and token', async () => {
    gh.setClockOffset(3600);
    const run = await runScenario('main', { inputs: githubInputs({ exchange: 'true' }), env: secretEnv() });
    expect(run.errors).toEqual([]);
    expect(run.outputs['token-type']).toBe('installation');
    expect(run.stdout).toMatch(/GitHub's clock is \d+ s ahead of the runner's/);
    expect(vault.signatures()).toHaveLength(2);
    expect(vaultRequests().filter((r) => r.startsWith('GET '))).toHaveLength(2);
    expect(accessTokens()).toHaveLength(1);
    const claims = JSON.parse(Buffer.from(run.outputs.jwt.split('.')[1], 'base64url').toString());
    expect(Math.abs(claims.iat + 60 - gh.serverNow())).toBeLessThanOrEqual(2);
  });

  test('workload identity: the federated token file is masked before any request and exchanged', async () => {
    const federated = github.token({ sub: SUBJECT });
    const file = join(scratch, `federated-${randomUUID()}`);
    writeFileSync(file, federated);
    const env = {
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: signer.clientId,
      AZURE_FEDERATED_TOKEN_FILE: file,
      AZURE_AUTHORITY_HOST: vault.authorityHost,
      NODE_EXTRA_CA_CERTS: certificates.caFile,
      PATH: emptyPath,
    };
    const run = await runAction('main', { inputs: githubInputs(), env });
    expect(run.errors).toEqual([]);
    expect(await getApp(run.outputs.token)).toBe(200);
    expect(vault.issuedTokens().map((t) => t.credential)).toEqual(['client_assertion']);
    expectSecretsSafe(run, [federated, ...accessTokens(), run.outputs.jwt]);
    expect(run.masks.indexOf(federated)).toBeLessThan(run.masks.indexOf(accessTokens()[0]));
  });

  test('an Azure CLI session (as azure/login leaves it): the token `az` hands out is masked and used', async () => {
    // A stand-in for the Azure CLI after azure/login: it answers get-access-token for Key Vault with a token
    // the emulator's Entra ID issued to the signed-in application, as az does from its session.
    const cliToken = vault.issueAccessToken(signer.clientId);
    const bin = mkdtempSync(join(scratch, 'bin-az-'));
    const expires = new Date(Date.now() + 3_000_000);
    writeFileSync(
      join(bin, 'az'),
      [
        '#!/bin/sh',
        'case "$*" in',
        '  "account get-access-token --output json --resource https://vault.azure.net"*)',
        `    printf '%s' '${JSON.stringify({ accessToken: cliToken, expiresOn: expires.toISOString().replace('T', ' ').slice(0, 19), expires_on: Math.floor(expires.getTime() / 1000), subscription: randomUUID(), tenant: TENANT, tokenType: 'Bearer' })}'`,
        '    ;;',
        '  *) echo "ERROR: unexpected az $*" >&2; exit 2 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'az'), 0o755);
    const env = { NODE_EXTRA_CA_CERTS: certificates.caFile, PATH: `${bin}:/usr/bin:/bin` };
    const run = await runAction('main', { inputs: githubInputs(), env });
    expect(run.errors).toEqual([]);
    expect(await getApp(run.outputs.token)).toBe(200);
    expect(vault.login.requests).toEqual([]);
    expect(vault.vault.requests.filter((r) => r.headers.authorization === `Bearer ${cliToken}`)).toHaveLength(2);
    expectSecretsSafe(run, [cliToken, run.outputs.jwt]);
  });
});

test('Vonage: a Key Vault-signed JWT that Vonage accepts', async () => {
  const run = await runScenario('main', {
    inputs: { provider: 'vonage', 'app-id': vonageApp.applicationId, 'kms-key': kmsKey('vonage-app') },
    env: secretEnv(),
  });
  expect(run.errors).toEqual([]);
  expect(run.outputs['token-type']).toBe('jwt');
  const response = await fetch(`${vonage.url}/v1/calls`, { headers: { authorization: `Bearer ${run.outputs.token}` } });
  expect(response.status).toBe(200);
  expectSecretsSafe(run, [signer.secrets![0], ...accessTokens(), run.outputs.token]);
});

describe('errors: one ::error:: naming the key and the fix, no credential in it', () => {
  test('no credentials in the environment and no Azure CLI', async () => {
    const run = await runScenario('main', {
      inputs: githubInputs(),
      env: { NODE_EXTRA_CA_CERTS: certificates.caFile, PATH: emptyPath },
    });
    expectFailure(
      run,
      `${kmsKey('github-app')}: no Azure credentials were found to sign with Key Vault. Sign in before this step with azure/login, which leaves an Azure CLI session (the Azure CLI, az, is not installed on this runner); or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a service principal's client secret); or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (workload identity federation).`,
    );
    expect(vault.login.requests).toEqual([]);
    expect(gh.requests).toEqual([]);
  });

  test('an Azure CLI that is installed but not signed in', async () => {
    // A stand-in for the Azure CLI without a session: it answers get-access-token as az does then.
    const bin = mkdtempSync(join(scratch, 'bin-az-'));
    writeFileSync(join(bin, 'az'), `#!/bin/sh\necho "ERROR: Please run 'az login' to setup account." >&2\nexit 1\n`);
    chmodSync(join(bin, 'az'), 0o755);
    const run = await runAction('main', {
      inputs: githubInputs(),
      env: { NODE_EXTRA_CA_CERTS: certificates.caFile, PATH: `${bin}:/usr/bin:/bin` },
    });
    expectFailure(
      run,
      `${kmsKey('github-app')}: no Azure credentials were found to sign with Key Vault. Sign in before this step with azure/login, which leaves an Azure CLI session (the Azure CLI has no signed-in session); or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a service principal's client secret); or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (workload identity federation).`,
    );
  });

  test('a wrong client secret: masked, and not in the message', async () => {
    const env = { ...secretEnv(), AZURE_CLIENT_SECRET: 'Kv8Q~not.the.secret_value_0000000000' };
    const run = await runScenario('main', { inputs: githubInputs(), env });
    expectFailure(
      run,
      `${kmsKey('github-app')}: Entra ID refused the client secret of application ${signer.clientId} (AADSTS7000215: invalid client secret). Put the secret's Value, not its Secret ID, in AZURE_CLIENT_SECRET, or create a new client secret.`,
      [env.AZURE_CLIENT_SECRET],
    );
    expect(run.masks).toContain(env.AZURE_CLIENT_SECRET);
  });

  test('no sign permission: the permission and the command that grants it', async () => {
    const run = await runScenario('main', { inputs: githubInputs(), env: secretEnv(reader) });
    const objectId = vault.issuedTokens()[0].objectId;
    expectFailure(
      run,
      `${kmsKey('github-app')}: Key Vault (access policy) denied application ${reader.clientId} the key permission 'sign'. Grant it the key permissions get and sign: az keyvault set-policy --name VAULT --object-id ${objectId} --key-permissions get sign`,
      [reader.secrets![0]],
    );
    expect(vault.signatures()).toEqual([]);
  });

  test('an EC key: refused before any signature', async () => {
    const run = await runScenario('main', { inputs: githubInputs({ 'kms-key': kmsKey('ec-key') }), env: secretEnv() });
    expectFailure(
      run,
      `${kmsKey('ec-key')} is an EC key (EC, curve P-256); RS256 JWTs need an RSA key (RSA or RSA-HSM, 2048 bits or more). Import the app's private key as a new key (az keyvault key import --vault-name VAULT --name NEW_NAME --pem-file app.pem --ops sign verify) and name that in kms-key.`,
      [signer.secrets![0]],
    );
    expect(vaultRequests().filter((r) => r.endsWith('/sign'))).toEqual([]);
  });

  test('a disabled key version', async () => {
    const version = disabledKey.versions[0].version;
    const run = await runAction('main', {
      inputs: githubInputs({ 'kms-key': kmsKey('disabled-key') }),
      env: secretEnv(),
    });
    expectFailure(
      run,
      `${kmsKey('disabled-key')}: key version ${version} is disabled, so Key Vault will not sign with it. Enable it (az keyvault key set-attributes --vault-name VAULT --name disabled-key --version ${version} --enabled true) or name an enabled version.`,
      [signer.secrets![0]],
    );
  });

  test('a key the vault does not have', async () => {
    const run = await runAction('main', {
      inputs: githubInputs({ 'kms-key': kmsKey('no-such-key') }),
      env: secretEnv(),
    });
    expectFailure(
      run,
      `${kmsKey('no-such-key')}: the vault 127.0.0.1 has no key named no-such-key (KeyNotFound). Check the name in kms-key; a key deleted recently can be recovered: az keyvault key recover --vault-name VAULT --name no-such-key`,
      [signer.secrets![0]],
    );
  });

  test('a malformed azurekms URI fails before any request', async () => {
    const run = await runAction('main', {
      inputs: githubInputs({ 'kms-key': 'azurekms://app-keys.vault.azure.net/' }),
      env: secretEnv(),
    });
    expectFailure(
      run,
      "Input 'kms-key': must be azurekms://VAULT.vault.azure.net/KEY or azurekms://VAULT.vault.azure.net/KEY/VERSION.",
    );
    expect(vault.vault.requests).toEqual([]);
  });
});

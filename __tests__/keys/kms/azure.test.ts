// azurekms:// keys through the real Azure clients (@azure/identity's DefaultAzureCredential, @azure/keyvault-keys)
// against the Key Vault and Entra ID emulator over TLS: the signer the action uses, remoteSigner over azureKey.
//
// @azure/identity reads its variables from process.env, so each test sets the AZURE_* variables there, restored
// after it. The Azure CLI and PowerShell credentials of DefaultAzureCredential's chain run `az` and `pwsh` with
// the environment of the Jest worker itself (Jest's process.env is its own copy), so whether this machine has an
// Azure CLI changes one clause of the no-credentials message: CLI_STATE. The e2e tests, which control PATH,
// check both clauses exactly. The emulator's certificates come from a throwaway CA this process trusts for the
// file (tls.setDefaultCACertificates).
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomUUID, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { createClock } from '../../../src/clock.js';
import { createTransport } from '../../../src/http/transport.js';
import { signJwt } from '../../../src/keys/jwt/sign.js';
import { azureKey, isKeyVaultHost, KEY_VAULT_DOMAINS } from '../../../src/keys/kms/azure.js';
import { KmsError, remoteSigner } from '../../../src/keys/kms/remote-key.js';
import { parseKmsKey } from '../../../src/keys/kms/uri.js';
import { githubAppClaims } from '../../../src/providers/github/app-jwt.js';
import {
  makeKeyVersion,
  makeOidcIssuer,
  makeVaultKey,
  startAzureKeyVaultEmulator,
  type AzureKeyVaultEmulator,
  type AzureKeyVaultEmulatorOptions,
  type EntraApplication,
} from '../../../test/emulators/azure-key-vault.ts';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';
import { startProxy } from '../../../test/proxy.ts';
import { makeTestCertificates } from '../../../test/tls.ts';

const REAL_VAULT_HOST = 'app-keys.vault.azure.net';
/** What the no-credentials message says of this machine's Azure CLI (signed in, it would not be reached). */
const CLI_STATE =
  spawnSync('sh', ['-c', 'command -v az'], { stdio: 'ignore' }).status === 0
    ? 'the Azure CLI has no signed-in session'
    : 'the Azure CLI, az, is not installed on this runner';
const certificates = makeTestCertificates([REAL_VAULT_HOST]);
const systemCas = getCACertificates('default');
const github = makeOidcIssuer();
const SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';

const signer: EntraApplication = {
  clientId: randomUUID(),
  secrets: ['signer-secret-Q8~aBcDeFgHiJkLmNoPqRsTuVwXyZ'],
  expiredSecrets: ['expired-secret-Q8~aBcDeFgHiJkLmNoPqRsTuVw'],
  federatedCredentials: [{ issuer: github.issuer, subject: SUBJECT }],
  keyPermissions: { '*': ['get', 'sign'] },
};
const reader: EntraApplication = {
  clientId: randomUUID(),
  secrets: ['reader-secret-Q8~aBcDeFgHiJkLmNoPqRsTuVwXyZ'],
  keyPermissions: { '*': ['get'] },
};
const stranger: EntraApplication = { clientId: randomUUID(), secrets: ['stranger-secret-Q8~aBcDeFgHiJkLmNo'] };
const OTHER_TENANT = randomUUID();
const foreigner: EntraApplication = {
  clientId: randomUUID(),
  tenantId: OTHER_TENANT,
  secrets: ['foreign-secret-Q8~aBcDeFgHiJkLmNoPqRs'],
  keyPermissions: { '*': ['get', 'sign'] },
};

const hour = 3600;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const appKey = makeVaultKey('app-key', {}, { privateKey: APP_KEY_PEM });
const keys = [
  appKey,
  makeVaultKey('rsa-3072', { kty: 'RSA-HSM', size: 3072 }),
  makeVaultKey('rsa-4096', { size: 4096 }),
  makeVaultKey('ec-key', { kty: 'EC-HSM', curve: 'P-256' }),
  makeVaultKey('aes-key', { kty: 'oct-HSM' }),
  makeVaultKey('disabled-key', { enabled: false }),
  makeVaultKey('expired-key', { expires: nowSeconds() - hour }),
  makeVaultKey('future-key', { notBefore: nowSeconds() + hour }),
  makeVaultKey('encrypt-only', { keyOps: ['encrypt', 'decrypt'] }),
];

const emulatorOptions: AzureKeyVaultEmulatorOptions = {
  tls: certificates,
  applications: [signer, reader, stranger, foreigner],
  keys,
  trustedIssuers: [github],
};
let vault: AzureKeyVaultEmulator;
let scratch: string;

beforeAll(async () => {
  setDefaultCACertificates([...systemCas, certificates.caPem]);
  scratch = mkdtempSync(join(tmpdir(), 'azure-kms-test-'));
  vault = await startAzureKeyVaultEmulator(emulatorOptions);
});
afterAll(async () => {
  setDefaultCACertificates(systemCas);
  rmSync(scratch, { recursive: true, force: true });
  await vault.close();
});

// ---------------------------------------------------------------------------------------------------------
// The environment, as the login actions leave it

const VARIABLES = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USERNAME',
  'AZURE_PASSWORD',
  'AZURE_TOKEN_CREDENTIALS',
  'AZURE_REGIONAL_AUTHORITY_NAME',
  'IDENTITY_ENDPOINT',
  'MSI_ENDPOINT',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

/** Sets exactly these variables (the others of VARIABLES unset). */
function useEnv(values: Record<string, string | undefined>): void {
  for (const name of VARIABLES) delete process.env[name];
  for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
}
afterEach(() => {
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
});

const secretEnv = (app: EntraApplication = signer, secret = app.secrets?.[0]) => ({
  AZURE_TENANT_ID: app.tenantId ?? vault.tenantId,
  AZURE_CLIENT_ID: app.clientId,
  AZURE_CLIENT_SECRET: secret,
  AZURE_AUTHORITY_HOST: vault.authorityHost,
});

function federatedEnv(token: string) {
  const file = join(scratch, `federated-${randomUUID()}`);
  writeFileSync(file, token);
  return {
    AZURE_TENANT_ID: vault.tenantId,
    AZURE_CLIENT_ID: signer.clientId,
    AZURE_FEDERATED_TOKEN_FILE: file,
    AZURE_AUTHORITY_HOST: vault.authorityHost,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The signer, and what it did

interface Mask {
  secret: string;
  /** Requests the two servers had received when the secret was masked. */
  requests: number;
  /** Of those, the ones that carried the secret (in a header or the body). */
  carried: number;
}

/** The requests both servers received since `start` (from requestCounts()). */
const requestCounts = () => [vault.vault.requests.length, vault.login.requests.length] as const;
const requestsSince = ([vaultStart, loginStart]: readonly [number, number]) => [
  ...vault.vault.requests.slice(vaultStart),
  ...vault.login.requests.slice(loginStart),
];
const carries = (secret: string) => (r: { headers: object; body: unknown }) =>
  JSON.stringify([r.headers, r.body]).includes(secret);

function harness(options: { deadlineMs?: number } = {}) {
  const masks: Mask[] = [];
  const logs: string[] = [];
  const start = requestCounts();
  const deps = {
    env: process.env,
    mask: (secret: string) => {
      const since = requestsSince(start);
      masks.push({ secret, requests: since.length, carried: since.filter(carries(secret)).length });
    },
    log: { info: (line: string) => logs.push(line), debug: (line: string) => logs.push(`debug: ${line}`) },
    transport: async () =>
      createTransport({
        retry: { sleep: async () => {} },
        limits: options.deadlineMs ? { deadlineMs: options.deadlineMs } : {},
      }),
  };
  return { deps, masks, logs, start };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const objectIdOf = (app: EntraApplication) =>
  vault.issuedTokens().find((t) => t.clientId === app.clientId)?.objectId ?? 'unknown';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const uriFor = (name: string, version?: string) =>
  `azurekms://${new URL(vault.vaultUrl).host}/${name}${version ? `/${version}` : ''}`;

/** The URI as the kms-key input parses it; these tests use azurekms:// only. */
function azureUri(text: string) {
  const key = parseKmsKey(text);
  if (key.scheme !== 'azurekms') throw new Error(`${text} is not an azurekms:// URI`);
  return key;
}

async function signerFor(uri: string, options: { deadlineMs?: number } = {}) {
  const h = harness(options);
  return { ...h, signer: remoteSigner(await azureKey(azureUri(uri), h.deps)) };
}

const claims = () => {
  const now = nowSeconds();
  return { iat: now - 60, exp: now + 540, iss: 123456 };
};

async function failureOf(uri: string, options: { deadlineMs?: number } = {}): Promise<KmsError> {
  const h = harness(options);
  try {
    await remoteSigner(await azureKey(azureUri(uri), h.deps)).sign(claims());
  } catch (error) {
    if (error instanceof KmsError) return error;
    throw error;
  }
  throw new Error('the signer did not fail');
}

/** Requests since `from`, as 'METHOD /path' with the status-relevant part only. */
const vaultRequests = (from = 0) =>
  vault.vault.requests.slice(from).map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`);

// ---------------------------------------------------------------------------------------------------------

describe('signing through Key Vault', () => {
  test('a fixed key and clock give the same JWT, byte for byte, as the PEM it was imported from', async () => {
    useEnv(secretEnv());
    const { signer: kms } = await signerFor(uriFor('app-key'));
    const fixed = githubAppClaims(
      123456,
      540,
      createClock(() => 1_700_000_000_000),
    );
    const remote = await kms.sign(fixed);
    const local = signJwt(fixed, createPrivateKey(APP_KEY_PEM));
    expect(remote).toEqual(local);
    expect(remote.token.split('.')[0]).toBe(Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url'));
  });

  test('the JWT verifies with the key’s public half, and Key Vault signed the SHA-256 digest with RS256', async () => {
    useEnv(secretEnv());
    const before = vault.signatures().length;
    const { signer: kms } = await signerFor(uriFor('app-key'));
    const { token } = await kms.sign(claims());
    const [header, payload, signature] = token.split('.');
    const input = Buffer.from(`${header}.${payload}`);
    expect(verify('sha256', input, createPublicKey(APP_KEY_PEM), Buffer.from(signature, 'base64url'))).toBe(true);
    expect(vault.signatures().slice(before)).toEqual([
      {
        keyName: 'app-key',
        version: appKey.versions[1].version,
        alg: 'RS256',
        digest: createHash('sha256').update(input).digest('base64url'),
        clientId: signer.clientId,
      },
    ]);
  });

  test.each(['rsa-3072', 'rsa-4096'])('a %s key signs JWTs that verify', async (name) => {
    useEnv(secretEnv());
    const { signer: kms } = await signerFor(uriFor(name));
    const { token } = await kms.sign(claims());
    const [header, payload, signature] = token.split('.');
    const publicKey = createPublicKey(keys.find((k) => k.name === name)!.versions[0].privateKey);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
  });

  test('a version in the URI signs with that version, not the current one', async () => {
    useEnv(secretEnv());
    const before = vault.signatures().length;
    const older = appKey.versions[0].version;
    const { signer: kms } = await signerFor(uriFor('app-key', older));
    await kms.sign(claims());
    expect(
      vault
        .signatures()
        .slice(before)
        .map((s) => s.version),
    ).toEqual([older]);
  });

  test('the key is read once; every later JWT (a re-sign after clock skew) is one more sign call', async () => {
    useEnv(secretEnv());
    const from = vault.vault.requests.length;
    const tokensBefore = vault.issuedTokens().length;
    const { signer: kms } = await signerFor(uriFor('app-key'));
    await kms.sign(claims());
    await kms.sign(claims());
    await kms.sign(claims());
    const version = appKey.versions[1].version;
    // Each client answers Key Vault's challenge once (the first request goes without a token).
    expect(vaultRequests(from)).toEqual([
      'GET /keys/app-key/',
      'GET /keys/app-key/',
      `POST /keys/app-key/${version}/sign`,
      `POST /keys/app-key/${version}/sign`,
      `POST /keys/app-key/${version}/sign`,
      `POST /keys/app-key/${version}/sign`,
    ]);
    expect(vault.issuedTokens().length - tokensBefore).toBe(1);
  });

  test('the client secret is masked before any request, each access token before a request carries it', async () => {
    useEnv(secretEnv());
    const tokensBefore = vault.issuedTokens().length;
    const { signer: kms, masks, start } = await signerFor(uriFor('app-key'));
    await kms.sign(claims());
    expect(masks[0]).toEqual({ secret: signer.secrets![0], requests: 0, carried: 0 });
    const tokens = vault.issuedTokens().slice(tokensBefore);
    expect(tokens).toHaveLength(1);
    expect(masks.find((m) => m.secret === tokens[0].token)).toMatchObject({ carried: 0 });
    expect(requestsSince(start).filter(carries(tokens[0].token)).length).toBeGreaterThan(0);
  });
});

describe('workload identity: a federated token file', () => {
  test('is masked before any request and exchanged for the token that signs', async () => {
    const federated = github.token({ sub: SUBJECT });
    useEnv(federatedEnv(federated));
    const tokensBefore = vault.issuedTokens().length;
    const { signer: kms, masks, start } = await signerFor(uriFor('app-key'));
    await kms.sign(claims());
    expect(masks[0]).toEqual({ secret: federated, requests: 0, carried: 0 });
    const issued = vault.issuedTokens().slice(tokensBefore);
    expect(issued.map((t) => [t.clientId, t.credential, t.resource])).toEqual([
      [signer.clientId, 'client_assertion', 'https://vault.azure.net'],
    ]);
    expect(masks.find((m) => m.secret === issued[0].token)).toMatchObject({ carried: 0 });
    const tokenRequest = requestsSince(start).find((r) => r.route === 'POST /:tenant/oauth2/v2.0/token');
    expect(tokenRequest?.body).toMatchObject({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: federated,
    });
  });

  test.each([
    [
      'a subject no federated credential names',
      () => github.token({ sub: 'repo:octo-org/octo-repo:pull_request' }),
      () =>
        `Entra ID refused the federated token in AZURE_FEDERATED_TOKEN_FILE for application ${signer.clientId}: AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${github.issuer}'. Assertion Subject: 'repo:octo-org/octo-repo:pull_request'. Assertion Audience: 'api://AzureADTokenExchange'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation Add a federated credential with the token's issuer, subject and audience to the application (for GitHub: subject repo:OWNER/REPO:…, audience api://AzureADTokenExchange).`,
    ],
    [
      'an issuer Entra ID does not trust',
      () => makeOidcIssuer('https://issuer.example').token({ sub: SUBJECT }),
      () =>
        `Entra ID refused the federated token in AZURE_FEDERATED_TOKEN_FILE for application ${signer.clientId}: AADSTS700211: No matching federated identity record found for presented assertion issuer 'https://issuer.example'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. Add a federated credential with the token's issuer, subject and audience to the application (for GitHub: subject repo:OWNER/REPO:…, audience api://AzureADTokenExchange).`,
    ],
    [
      'an expired token',
      () => github.token({ sub: SUBJECT, iat: nowSeconds() - 2 * hour }),
      () =>
        'the federated token in AZURE_FEDERATED_TOKEN_FILE is expired or not yet valid (AADSTS700024). Write a fresh token to the file right before this step.',
    ],
  ])('%s is refused by Entra ID, and the message says which', async (_name, token, message) => {
    useEnv(federatedEnv(token()));
    expect((await failureOf(uriFor('app-key'))).message).toBe(`${uriFor('app-key')}: ${message()}`);
  });

  test('a file that cannot be read fails before any request, naming the file', async () => {
    const file = join(scratch, 'no-such-token');
    useEnv({ ...federatedEnv('unused'), AZURE_FEDERATED_TOKEN_FILE: file });
    const counts = requestCounts();
    expect((await failureOf(uriFor('app-key'))).message).toBe(
      `${uriFor('app-key')}: AZURE_FEDERATED_TOKEN_FILE names ${file}, which cannot be read (ENOENT). Write the federated token (for GitHub, the job's OIDC token for the audience api://AzureADTokenExchange) to that file before this step, or unset the variable.`,
    );
    expect(requestsSince(counts)).toEqual([]);
  });
});

describe('keys that cannot make RS256 signatures fail before any signature', () => {
  const version = (name: string) => keys.find((k) => k.name === name)!.versions.at(-1)!.version;
  test.each([
    [
      'ec-key',
      () =>
        `${uriFor('ec-key')} is an EC key (EC-HSM, curve P-256); RS256 JWTs need an RSA key (RSA or RSA-HSM, 2048 bits or more). Import the app's private key as a new key (az keyvault key import --vault-name VAULT --name NEW_NAME --pem-file app.pem --ops sign verify) and name that in kms-key.`,
    ],
    [
      'aes-key',
      () =>
        `${uriFor('aes-key')} is a symmetric key (oct-HSM); RS256 JWTs need an RSA key (RSA or RSA-HSM, 2048 bits or more). Import the app's private key as a new key (az keyvault key import --vault-name VAULT --name NEW_NAME --pem-file app.pem --ops sign verify) and name that in kms-key.`,
    ],
    [
      'disabled-key',
      () =>
        `${uriFor('disabled-key')}: key version ${version('disabled-key')} is disabled, so Key Vault will not sign with it. Enable it (az keyvault key set-attributes --vault-name VAULT --name disabled-key --version ${version('disabled-key')} --enabled true) or name an enabled version.`,
    ],
    [
      'expired-key',
      () =>
        `${uriFor('expired-key')}: key version ${version('expired-key')} expired at ${new Date(keys[6].versions[0].expires! * 1000).toISOString()} (its expiration date), so Key Vault will not sign with it. Name a current version, or move the date (az keyvault key set-attributes --vault-name VAULT --name expired-key --version ${version('expired-key')} --expires YYYY-MM-DDTHH:MM:SSZ).`,
    ],
    [
      'future-key',
      () =>
        `${uriFor('future-key')}: key version ${version('future-key')} is not valid before ${new Date(keys[7].versions[0].notBefore! * 1000).toISOString()} (its activation date), so Key Vault will not sign with it yet. Name a current version, or move the date (az keyvault key set-attributes --vault-name VAULT --name future-key --version ${version('future-key')} --not-before YYYY-MM-DDTHH:MM:SSZ).`,
    ],
    [
      'encrypt-only',
      () =>
        `${uriFor('encrypt-only')}: the key's permitted operations (key_ops: encrypt, decrypt) do not include sign. Allow it (az keyvault key set-attributes --vault-name VAULT --name encrypt-only --ops sign verify).`,
    ],
  ])('%s', async (name, message) => {
    useEnv(secretEnv());
    const signaturesBefore = vault.signatures().length;
    const from = vault.vault.requests.length;
    expect((await failureOf(uriFor(name))).message).toBe(message());
    expect(vault.signatures().length).toBe(signaturesBefore);
    expect(vaultRequests(from).every((r) => r.startsWith('GET '))).toBe(true);
  });

  test('a key disabled after the first JWT: Key Vault refuses the next signature, and the message says why', async () => {
    useEnv(secretEnv());
    const rotating = makeKeyVersion();
    const key = { name: 'rotating-key', versions: [rotating] };
    keys.push(key);
    try {
      const { signer: kms } = await signerFor(uriFor('rotating-key'));
      await kms.sign(claims());
      rotating.enabled = false;
      await expect(kms.sign(claims())).rejects.toThrow(
        new KmsError(
          `${uriFor('rotating-key')}: the key is disabled, so Key Vault will not sign with it. Enable it (az keyvault key set-attributes --vault-name VAULT --name rotating-key --enabled true) or name an enabled version.`,
        ),
      );
    } finally {
      keys.splice(keys.indexOf(key), 1);
    }
  });

  test('a signature that the key does not verify (another key answered) fails here, not as the API’s 401', async () => {
    useEnv(secretEnv());
    const other = makeKeyVersion();
    const { signer: kms } = await signerFor(uriFor('app-key'));
    vault.vault.fail('POST /keys/:name/:version/sign', {
      status: 200,
      body: { kid: vault.keyId('app-key'), value: signJwt(claims(), other.privateKey).signature },
    });
    await expect(kms.sign(claims())).rejects.toThrow(/does not verify as RS256/);
  });
});

describe('Key Vault refusals name the permission and the fix', () => {
  test('no sign permission (access policy): the application, the permission and the az command', async () => {
    useEnv(secretEnv(reader));
    const error = await failureOf(uriFor('app-key'));
    expect(error.message).toBe(
      `${uriFor('app-key')}: Key Vault (access policy) denied application ${reader.clientId} the key permission 'sign'. Grant it the key permissions get and sign: az keyvault set-policy --name VAULT --object-id ${objectIdOf(reader)} --key-permissions get sign`,
    );
  });

  test('no get permission: refused before any signature, naming get', async () => {
    useEnv(secretEnv(stranger));
    expect((await failureOf(uriFor('app-key'))).message).toBe(
      `${uriFor('app-key')}: Key Vault (access policy) denied application ${stranger.clientId} the key permission 'get'. Grant it the key permissions get and sign: az keyvault set-policy --name VAULT --object-id ${objectIdOf(stranger)} --key-permissions get sign`,
    );
  });

  test('Azure RBAC: the data action, the role and the scope Key Vault named', async () => {
    useEnv(secretEnv(reader));
    emulatorOptions.authorization = 'rbac';
    try {
      const error = await failureOf(uriFor('app-key'));
      expect(error.message).toMatch(
        new RegExp(
          `^${escape(uriFor('app-key'))}: Key Vault \\(Azure RBAC\\) denied application ${reader.clientId} the data action Microsoft\\.KeyVault/vaults/keys/sign/action on key app-key\\. Assign it a role with Microsoft\\.KeyVault/vaults/keys/read and Microsoft\\.KeyVault/vaults/keys/sign/action on the key or the vault \\(the built-in Key Vault Crypto User has both\\): az role assignment create --role "Key Vault Crypto User" --assignee-object-id ${objectIdOf(reader)} --scope /subscriptions/[0-9a-f-]+/resourcegroups/app-keys-rg/providers/microsoft\\.keyvault/vaults/app-keys/keys/app-key$`,
        ),
      );
    } finally {
      delete emulatorOptions.authorization;
    }
  });

  test('a key the vault does not have, and a version it does not have', async () => {
    useEnv(secretEnv());
    expect((await failureOf(uriFor('no-such-key'))).message).toBe(
      `${uriFor('no-such-key')}: the vault 127.0.0.1 has no key named no-such-key (KeyNotFound). Check the name in kms-key; a key deleted recently can be recovered: az keyvault key recover --vault-name VAULT --name no-such-key`,
    );
    const missing = '0123456789abcdef0123456789abcdef';
    expect((await failureOf(uriFor('app-key', missing))).message).toBe(
      `${uriFor('app-key', missing)}: Key Vault has no version ${missing} of key app-key (KeyNotFound). Check the version in kms-key, or leave it out to sign with the key's current version.`,
    );
  });

  test('an answer Key Vault gives for a bad request is quoted, with the status', async () => {
    useEnv(secretEnv());
    vault.vault.fail('POST /keys/:name/:version/sign', {
      status: 400,
      body: { error: { code: 'BadParameter', message: 'The digest is not valid.' } },
    });
    expect((await failureOf(uriFor('app-key'))).message).toBe(
      `${uriFor('app-key')}: Key Vault answered HTTP 400 BadParameter to the sign request: The digest is not valid.`,
    );
  });

  test('the vault’s firewall: the runner’s address is not allowed', async () => {
    useEnv(secretEnv());
    vault.vault.fail('GET /keys/:name', {
      status: 403,
      body: {
        error: {
          code: 'Forbidden',
          message:
            'Client address is not authorized and caller is not a trusted service.\r\nClient address: 203.0.113.7\r\nCaller: appid=x\r\nVault: app-keys;location=eastus',
          innererror: { code: 'ForbiddenByFirewall' },
        },
      },
    });
    // The firewall answers before anything else: the client's first request (the one for the challenge) gets it.
    const error = await failureOf(uriFor('app-key'));
    expect(error.message).toBe(
      `${uriFor('app-key')}: the vault's firewall does not let this runner in (Client address is not authorized and caller is not a trusted service). Allow the runner's address in the vault's networking settings, or run the job where the vault is reachable.`,
    );
  });

  test('a token Key Vault no longer accepts (its application was deleted): sign in again', async () => {
    const temporary: EntraApplication = {
      clientId: randomUUID(),
      secrets: ['temporary-secret-Q8~aBcDeFgHiJkLmNoPq'],
      keyPermissions: { '*': ['get', 'sign'] },
    };
    emulatorOptions.applications.push(temporary);
    useEnv(secretEnv(temporary));
    const { signer: kms } = await signerFor(uriFor('app-key'));
    await kms.sign(claims());
    emulatorOptions.applications.splice(emulatorOptions.applications.indexOf(temporary), 1);
    await expect(kms.sign(claims())).rejects.toThrow(
      new KmsError(
        `${uriFor('app-key')}: Key Vault refused the access token from Entra ID ([BearerReadAccessTokenFailed] Error validating token: 'S2S12005'). Sign in again (azure/login), or check the AZURE_* variables.`,
      ),
    );
  });

  test('throttled until the client’s retries run out: the status, and that it may pass', async () => {
    useEnv(secretEnv());
    const { signer: kms } = await signerFor(uriFor('app-key'));
    await kms.sign(claims());
    const throttled = {
      status: 429,
      headers: { 'retry-after': '0' },
      body: {
        error: { code: 'Throttled', message: 'Request was not processed because too many requests were received.' },
      },
    };
    // One attempt and the client's three retries.
    vault.vault.fail('POST /keys/:name/:version/sign', throttled, throttled, throttled, throttled);
    await expect(kms.sign(claims())).rejects.toThrow(
      new KmsError(
        `${uriFor('app-key')}: Key Vault answered HTTP 429 Throttled to the sign request: Request was not processed because too many requests were received. This may pass: run the job again.`,
      ),
    );
    expect(vault.vault.pendingFaults()).toBe(0);
  });

  test('any other refusal is quoted with its status and codes', async () => {
    useEnv(secretEnv());
    vault.vault.fail('GET /keys/:name', {
      status: 403,
      body: {
        error: {
          code: 'Forbidden',
          message: 'Public network access is disabled.',
          innererror: { code: 'ForbiddenByConnection' },
        },
      },
    });
    expect((await failureOf(uriFor('app-key'))).message).toBe(
      `${uriFor('app-key')}: Key Vault refused to read the key (HTTP 403 Forbidden/ForbiddenByConnection): Public network access is disabled.`,
    );
  });

  test('a key bundle without the public modulus cannot be checked', async () => {
    useEnv(secretEnv());
    const { signer: kms } = await signerFor(uriFor('app-key'));
    // The client's first request is answered with the challenge; the fault answers the second, with a token.
    vault.vault.fail(
      'GET /keys/:name',
      {
        status: 401,
        headers: {
          'www-authenticate': `Bearer authorization="${vault.authorityHost}/${vault.tenantId}", resource="https://vault.azure.net"`,
        },
        body: { error: { code: 'Unauthorized', message: 'Request is missing a Bearer or PoP token.' } },
      },
      {
        status: 200,
        body: {
          key: { kid: vault.keyId('app-key'), kty: 'RSA', key_ops: ['sign', 'verify'] },
          attributes: { enabled: true },
        },
      },
    );
    await expect(kms.sign(claims())).rejects.toThrow(
      new KmsError(
        `${uriFor('app-key')}: Key Vault answered without the key's public modulus and exponent; the key cannot be checked.`,
      ),
    );
  });

  test('a challenge the client cannot read: the client’s own words', async () => {
    useEnv(secretEnv());
    vault.vault.fail('GET /keys/:name', {
      status: 401,
      headers: { 'www-authenticate': 'Bearer authorization="not-a-url", resource="https://vault.azure.net"' },
      body: { error: { code: 'Unauthorized', message: 'Request is missing a Bearer or PoP token.' } },
    });
    expect((await failureOf(uriFor('app-key'))).message).toBe(
      `${uriFor('app-key')}: reading the key from Key Vault failed: The challenge authorization URI 'not-a-url' is invalid.`,
    );
  });

  test('a 503 is retried by the client, and the next answer signs', async () => {
    useEnv(secretEnv());
    const from = vault.vault.requests.length;
    const { signer: kms } = await signerFor(uriFor('app-key'));
    vault.vault.fail('POST /keys/:name/:version/sign', {
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'Busy.' } },
    });
    await kms.sign(claims());
    expect(vaultRequests(from).filter((r) => r.endsWith('/sign'))).toHaveLength(3);
  });
});

describe('Entra ID refusals and missing credentials', () => {
  test.each([
    [
      'a wrong client secret',
      () => secretEnv(signer, 'wrong-secret-value-1234567890'),
      () =>
        `Entra ID refused the client secret of application ${signer.clientId} (AADSTS7000215: invalid client secret). Put the secret's Value, not its Secret ID, in AZURE_CLIENT_SECRET, or create a new client secret.`,
    ],
    [
      'an expired client secret',
      () => secretEnv(signer, signer.expiredSecrets![0]),
      () =>
        `the client secret in AZURE_CLIENT_SECRET has expired (AADSTS7000222). Create a new client secret for application ${signer.clientId} and update AZURE_CLIENT_SECRET.`,
    ],
    [
      'a client ID the tenant does not have',
      () => ({ ...secretEnv(), AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000aa' }),
      () =>
        `Entra ID knows no application 00000000-0000-0000-0000-0000000000aa in tenant ${vault.tenantId} (AADSTS700016). Check AZURE_CLIENT_ID (the application's client ID) and AZURE_TENANT_ID.`,
    ],
    [
      'credentials of another tenant than the vault’s',
      () => secretEnv(foreigner),
      () =>
        `the vault belongs to tenant ${vault.tenantId} (Key Vault's challenge names it), but the credentials are for tenant ${OTHER_TENANT} (AZURE_TENANT_ID). Sign in to tenant ${vault.tenantId}: set AZURE_TENANT_ID (or azure/login's tenant-id) to it.`,
    ],
    [
      'no credentials at all',
      () => ({}),
      () =>
        `no Azure credentials were found to sign with Key Vault. Sign in before this step with azure/login, which leaves an Azure CLI session (${CLI_STATE}); or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a service principal's client secret); or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (workload identity federation).`,
    ],
    [
      'a tenant and client ID without a secret or token file',
      () => ({ AZURE_TENANT_ID: vault.tenantId, AZURE_CLIENT_ID: signer.clientId }),
      () =>
        `no Azure credentials were found to sign with Key Vault. Sign in before this step with azure/login, which leaves an Azure CLI session (${CLI_STATE}); or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a service principal's client secret); or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (workload identity federation). Of these, only AZURE_TENANT_ID and AZURE_CLIENT_ID are set.`,
    ],
    [
      'an AZURE_TOKEN_CREDENTIALS value the chain does not know',
      () => ({ ...secretEnv(), AZURE_TOKEN_CREDENTIALS: 'everything' }),
      () =>
        "Invalid value for AZURE_TOKEN_CREDENTIALS = everything. Valid values are 'prod' or 'dev' or any of these credentials - EnvironmentCredential, WorkloadIdentityCredential, ManagedIdentityCredential, VisualStudioCodeCredential, AzureCliCredential, AzurePowerShellCredential, AzureDeveloperCliCredential.",
    ],
    [
      'an AZURE_AUTHORITY_HOST that is not a URL',
      () => ({ ...secretEnv(), AZURE_AUTHORITY_HOST: 'login.microsoftonline.us' }),
      () =>
        "AZURE_AUTHORITY_HOST must be the https URL of your cloud's Entra ID login host, such as https://login.microsoftonline.us; leave it unset for Azure's public cloud.",
    ],
    [
      'an AZURE_AUTHORITY_HOST that is not https',
      () => ({ ...secretEnv(), AZURE_AUTHORITY_HOST: 'http://login.example.test' }),
      () =>
        "AZURE_AUTHORITY_HOST must be the https URL of your cloud's Entra ID login host, such as https://login.microsoftonline.us; leave it unset for Azure's public cloud.",
    ],
  ])('%s', async (_name, env, message) => {
    useEnv(env());
    const error = await failureOf(uriFor('app-key'));
    expect(error.message).toBe(`${uriFor('app-key')}: ${message()}`);
    for (const secret of [signer, reader, stranger, foreigner].flatMap((a) => [
      ...(a.secrets ?? []),
      ...(a.expiredSecrets ?? []),
    ]))
      expect(error.message).not.toContain(secret);
  });
});

describe('Entra ID answers this file does not name', () => {
  test('are quoted with their AADSTS code, without the trace details', async () => {
    useEnv(secretEnv());
    vault.login.fail('POST /:tenant/oauth2/v2.0/token', {
      status: 400,
      body: {
        error: 'invalid_client',
        error_description:
          'AADSTS7000112: Application is disabled. Trace ID: 0f0f0f0f-0000-4000-8000-000000000000 Correlation ID: 1e1e1e1e-0000-4000-8000-000000000000 Timestamp: 2026-01-01 00:00:00Z',
        error_codes: [7000112],
      },
    });
    expect((await failureOf(uriFor('app-key'))).message).toBe(
      `${uriFor('app-key')}: Entra ID refused to issue a token for Key Vault: AADSTS7000112: Application is disabled.`,
    );
  });
});

describe('the network and the step deadline', () => {
  test('a vault that cannot be reached: the host and the cause, after the client’s retries', async () => {
    useEnv(secretEnv());
    const port = await closedPort();
    expect((await failureOf(`azurekms://127.0.0.1:${port}/app-key`)).message).toBe(
      `azurekms://127.0.0.1:${port}/app-key: could not reach Key Vault at 127.0.0.1:${port}: connection refused (ECONNREFUSED) by 127.0.0.1:${port}. Check the URL and that the server is up and reachable from the runner.`,
    );
  });

  test('a login host that cannot be reached names AZURE_AUTHORITY_HOST', async () => {
    const port = await closedPort();
    useEnv({ ...secretEnv(), AZURE_AUTHORITY_HOST: `https://127.0.0.1:${port}` });
    expect((await failureOf(uriFor('app-key'))).message).toBe(
      `${uriFor('app-key')}: could not reach Entra ID at https://127.0.0.1:${port} to get a token for Key Vault (its endpoints could not be read). Check that the runner can reach it, and AZURE_AUTHORITY_HOST.`,
    );
  });

  test('the step deadline bounds the calls to Key Vault', async () => {
    useEnv(secretEnv());
    vault.vault.setLatency(2000);
    try {
      expect((await failureOf(uriFor('app-key'), { deadlineMs: 500 })).message).toBe(
        `${uriFor('app-key')}: the step's deadline (500 ms for all requests, retries and waits) passed while waiting for Key Vault or Entra ID.`,
      );
    } finally {
      vault.vault.setLatency(0);
    }
  });
});

describe('only a vault outside the Key Vault domains is treated as an emulator', () => {
  test.each([
    ['app-keys.vault.azure.net', true],
    ['APP-KEYS.VAULT.AZURE.NET.', true],
    ['app-keys.vault.azure.cn', true],
    ['app-keys.vault.usgovcloudapi.net', true],
    ['app-keys.vault.microsoftazure.de', true],
    ['app-hsm.managedhsm.azure.net', true],
    ['127.0.0.1', false],
    ['localhost', false],
    ['vault.azure.net.example.com', false],
    ['evilvault.azure.net', false],
  ])('%s is a Key Vault host: %s', (host, expected) => {
    expect(isKeyVaultHost(host)).toBe(expected);
  });

  test('the emulator’s host says so in the log', async () => {
    useEnv(secretEnv());
    const { logs } = await signerFor(uriFor('app-key'));
    expect(logs[0]).toBe(
      `127.0.0.1 is not a Key Vault host (${KEY_VAULT_DOMAINS.join(', ')}): Entra ID instance discovery and the check of Key Vault's challenge resource are off for it, as for an emulator.`,
    );
  });

  test('a vault on vault.azure.net keeps both checks: its challenge is checked, and MSAL asks login.microsoftonline.com', async () => {
    // Reached through a forward proxy that maps the names to 127.0.0.1: nothing leaves this machine.
    const proxy = await startProxy({
      hosts: { [REAL_VAULT_HOST]: '127.0.0.1', 'login.microsoftonline.com': '127.0.0.1' },
    });
    const real = await startAzureKeyVaultEmulator({
      ...emulatorOptions,
      vaultHost: REAL_VAULT_HOST,
      tenantId: vault.tenantId,
    });
    try {
      useEnv({ ...secretEnv(), AZURE_AUTHORITY_HOST: real.authorityHost, HTTPS_PROXY: proxy.url });
      const uri = `azurekms://${new URL(real.vaultUrl).host}/app-key`;
      const { logs, deps } = harness();
      await expect(remoteSigner(await azureKey(azureUri(uri), deps)).sign(claims())).rejects.toThrow(KmsError);
      expect(logs.filter((line) => line.includes('not a Key Vault host'))).toEqual([]);
      // The challenge came from the vault and passed the resource check; instance discovery then went to Microsoft.
      expect(real.vault.requests.map((r) => r.method + ' ' + r.path.replace(/\?.*/, ''))).toEqual([
        'GET /keys/app-key/',
      ]);
      expect(proxy.seen[0]).toEqual({ method: 'CONNECT', url: new URL(real.vaultUrl).host });
      expect(proxy.seen.slice(1).map((s) => s.url)).toContain('login.microsoftonline.com:443');
      expect(real.login.requests).toEqual([]);
    } finally {
      await real.close();
      await proxy.close();
    }
  });
});

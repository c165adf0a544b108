// The Key Vault and Entra ID emulator, proven against Azure's official clients: @azure/identity's credentials
// get tokens from its login server (client secret, federated token), @azure/keyvault-keys's KeyClient and
// CryptographyClient answer its challenge, read keys and sign over TLS, and its refusals reach them in the
// shapes the clients parse (AuthenticationError with the AADSTS text, RestError with code, status and the
// innererror). What no client sends (a token for another audience, an expired or forged token, a sign request
// for a key that cannot sign) is sent by hand over https, as the service would receive it.
//
// The emulator's certificates come from a throwaway CA this process trusts for the file.
import { createHash, createPublicKey, randomUUID, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { CryptographyClient, KeyClient, type KeyVaultKey } from '@azure/keyvault-keys';
import {
  API_VERSIONS,
  makeKeyVersion,
  makeOidcIssuer,
  makeVaultKey,
  MANAGEMENT_RESOURCE,
  startAzureKeyVaultEmulator,
  type AzureKeyVaultEmulator,
  type AzureKeyVaultEmulatorOptions,
  type EntraApplication,
} from '../../test/emulators/azure-key-vault.ts';
import { makeTestCertificates } from '../../test/tls.ts';

const certificates = makeTestCertificates([]);
const systemCas = getCACertificates('default');
const github = makeOidcIssuer();
const SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';
const OTHER_TENANT = randomUUID();

const signer: EntraApplication = {
  clientId: randomUUID(),
  secrets: ['signer-secret-value'],
  expiredSecrets: ['old-secret-value'],
  federatedCredentials: [{ issuer: github.issuer, subject: SUBJECT }],
  keyPermissions: { '*': ['get', 'sign'] },
};
const reader: EntraApplication = {
  clientId: randomUUID(),
  secrets: ['reader-secret'],
  keyPermissions: { '*': ['get'] },
};
const scoped: EntraApplication = {
  clientId: randomUUID(),
  secrets: ['scoped-secret'],
  keyPermissions: { 'rsa-3072': ['get', 'sign'] },
};
const foreigner: EntraApplication = {
  clientId: randomUUID(),
  tenantId: OTHER_TENANT,
  secrets: ['foreign-secret'],
  keyPermissions: { '*': ['get', 'sign'] },
};

const appKey = makeVaultKey('app-key', {}, {});
const keys = [
  appKey,
  makeVaultKey('rsa-3072', { kty: 'RSA-HSM', size: 3072 }),
  makeVaultKey('rsa-4096', { size: 4096 }),
  makeVaultKey('ec-key', { kty: 'EC', curve: 'P-256' }),
  makeVaultKey('ec-hsm', { kty: 'EC-HSM', curve: 'P-384' }),
  makeVaultKey('aes-key', { kty: 'oct-HSM' }),
  makeVaultKey('disabled-key', { enabled: false }),
  makeVaultKey('expired-key', { expires: Math.floor(Date.now() / 1000) - 60 }),
  makeVaultKey('encrypt-only', { keyOps: ['encrypt', 'decrypt'] }),
  { ...makeVaultKey('deleted-key'), deleted: true },
];

const options: AzureKeyVaultEmulatorOptions = {
  tls: certificates,
  applications: [signer, reader, scoped, foreigner],
  keys,
  trustedIssuers: [github],
};
let emulator: AzureKeyVaultEmulator;
let scratch: string;

beforeAll(async () => {
  setDefaultCACertificates([...systemCas, certificates.caPem]);
  scratch = mkdtempSync(join(tmpdir(), 'azure-kv-emulator-'));
  emulator = await startAzureKeyVaultEmulator(options);
});
afterAll(async () => {
  setDefaultCACertificates(systemCas);
  rmSync(scratch, { recursive: true, force: true });
  await emulator.close();
});

const azureOptions = () => ({ authorityHost: emulator.authorityHost, disableInstanceDiscovery: true });
const clientOptions = { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } };
const secretCredential = (app: EntraApplication, secret = app.secrets![0]) =>
  new ClientSecretCredential(app.tenantId ?? emulator.tenantId, app.clientId, secret, {
    ...azureOptions(),
    additionallyAllowedTenants: ['*'],
  });
const keyClient = (credential: TokenCredential = secretCredential(signer)) =>
  new KeyClient(emulator.vaultUrl, credential, clientOptions);
const cryptoClient = (key: KeyVaultKey | string, credential: TokenCredential = secretCredential(signer)) =>
  new CryptographyClient(key, credential, clientOptions);
const publicKeyOf = (name: string, index = -1): KeyObject =>
  createPublicKey(keys.find((k) => k.name === name)!.versions.at(index)!.privateKey);
const sha256 = (text: string) => createHash('sha256').update(text).digest();

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a failure');
}

/** One https request, as the service receives it; the body parsed as JSON. */
function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca: certificates.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const signRequest = (name: string, version: string, token: string, body: unknown, apiVersion = '7.6') =>
  send(`${emulator.vaultUrl}/keys/${name}/${version}/sign?api-version=${apiVersion}`, {
    method: 'POST',
    headers: bearer(token),
    body: JSON.stringify(body),
  });
const currentVersion = (name: string) => keys.find((k) => k.name === name)!.versions.at(-1)!.version;
const digestOf = (bytes = 32) => Buffer.alloc(bytes, 7).toString('base64url');

// ---------------------------------------------------------------------------------------------------------

describe("Key Vault's challenge, then Entra ID's token", () => {
  test('KeyClient and CryptographyClient: challenge, token, key, RS256 signature that verifies', async () => {
    const from = emulator.timeline().length;
    const credential = secretCredential(signer);
    const key = await keyClient(credential).getKey('app-key');
    const digest = sha256('header.claims');
    const signed = await cryptoClient(key, credential).sign('RS256', digest);
    expect(verify('sha256', Buffer.from('header.claims'), publicKeyOf('app-key'), Buffer.from(signed.result))).toBe(
      true,
    );
    expect(signed.keyID).toBe(emulator.keyId('app-key'));
    const version = currentVersion('app-key');
    expect(
      emulator
        .timeline()
        .slice(from)
        .map(({ server, request }) => [server, request.route, request.headers.authorization ? 'token' : 'none']),
    ).toEqual([
      ['vault', 'GET /keys/:name', 'none'],
      ['login', 'GET /:tenant/v2.0/.well-known/openid-configuration', 'none'],
      ['login', 'POST /:tenant/oauth2/v2.0/token', 'none'],
      ['vault', 'GET /keys/:name', 'token'],
      ['vault', 'POST /keys/:name/:version/sign', 'none'],
      ['vault', 'POST /keys/:name/:version/sign', 'token'],
    ]);
    expect(emulator.vault.requests.at(-1)?.body).toEqual({ alg: 'RS256', value: digest.toString('base64url') });
    expect(emulator.vault.requests.at(-1)?.path).toBe(`/keys/app-key/${version}/sign?api%2Dversion=2025-07-01`);
    expect(emulator.login.requests.at(-1)?.body).toMatchObject({
      grant_type: 'client_credentials',
      client_id: signer.clientId,
      client_secret: signer.secrets![0],
      scope: 'https://vault.azure.net/.default',
    });
  });

  test('the challenge is a 401 with the tenant’s authority, Key Vault’s resource and Key Vault’s body', async () => {
    const answer = await send(`${emulator.vaultUrl}/keys/app-key?api-version=7.6`);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(
      `Bearer authorization="${emulator.authorityHost}/${emulator.tenantId}", resource="https://vault.azure.net"`,
    );
    expect(answer.body).toEqual({
      error: { code: 'Unauthorized', message: 'Request is missing a Bearer or PoP token.' },
    });
  });

  test('the access token is a JWT for https://vault.azure.net from the tenant, signed with the keys Entra ID publishes', async () => {
    const token = (await secretCredential(signer).getToken('https://vault.azure.net/.default'))!.token;
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({
      aud: 'https://vault.azure.net',
      iss: `https://sts.windows.net/${emulator.tenantId}/`,
      appid: signer.clientId,
      tid: emulator.tenantId,
      ver: '1.0',
    });
    const jwks = (await send(`${emulator.authorityHost}/${emulator.tenantId}/discovery/v2.0/keys`)).body as {
      keys: Record<string, string>[];
    };
    const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid;
    const jwk = jwks.keys.find((k) => k.kid === kid)!;
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  test.each([
    [
      'an expired token',
      () => emulator.issueAccessToken(signer.clientId, { lifetimeSeconds: -5 }),
      "[TokenExpired] Error validating token: 'S2S12086'.",
    ],
    [
      'a token for another resource',
      () => emulator.issueAccessToken(signer.clientId, { resource: MANAGEMENT_RESOURCE }),
      `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${MANAGEMENT_RESOURCE}.`,
    ],
    [
      'a token from another tenant',
      () => emulator.issueAccessToken(foreigner.clientId),
      `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/{vault}/, found https://sts.windows.net/${OTHER_TENANT}/.`,
    ],
    [
      'a token whose signature was changed',
      () => emulator.issueAccessToken(signer.clientId).replace(/.{4}$/, 'AAAA'),
      "[BearerReadAccessTokenFailed] Error validating token: 'S2S12005'.",
    ],
    ['not a JWT', () => 'not-a-token', "[BearerReadAccessTokenFailed] Error validating token: 'S2S12005'."],
  ])('%s: 401 with the challenge again', async (_name, token, message) => {
    const answer = await send(`${emulator.vaultUrl}/keys/app-key?api-version=7.6`, { headers: bearer(token()) });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer authorization="/);
    expect(answer.body).toEqual({
      error: { code: 'Unauthorized', message: message.replace('{vault}', emulator.tenantId) },
    });
  });

  test('a token for another resource reaches KeyClient as a RestError 401', async () => {
    const wrongAudience: TokenCredential = {
      getToken: async () => ({
        token: emulator.issueAccessToken(signer.clientId, { resource: MANAGEMENT_RESOURCE }),
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    const error = await failure(keyClient(wrongAudience).getKey('app-key'));
    expect([error.name, error.statusCode, error.code, error.message]).toEqual([
      'RestError',
      401,
      'Unauthorized',
      `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${MANAGEMENT_RESOURCE}.`,
    ]);
  });

  test('api-version: the supported ones are answered, another is refused with BadParameter', async () => {
    const token = emulator.issueAccessToken(signer.clientId);
    for (const version of API_VERSIONS)
      expect(
        (await send(`${emulator.vaultUrl}/keys/app-key?api-version=${version}`, { headers: bearer(token) })).status,
      ).toBe(200);
    expect(
      await send(`${emulator.vaultUrl}/keys/app-key?api-version=1999-01-01`, { headers: bearer(token) }),
    ).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'BadParameter',
          message:
            'The specified version (1999-01-01) is not recognized. Consider using the latest supported version (2025-07-01).',
        },
      },
    });
    expect((await send(`${emulator.vaultUrl}/keys/app-key`, { headers: bearer(token) })).body).toEqual({
      error: { code: 'BadParameter', message: "The 'api-version' query parameter is missing." },
    });
  });
});

describe('Entra ID: the client-credentials grant', () => {
  const entraFailure = async (credential: TokenCredential, scope = 'https://vault.azure.net/.default') => {
    const error = await failure(credential.getToken(scope, { tenantId: undefined }));
    return { name: error.name, message: error.message };
  };

  // @azure/identity 4.x reports Entra's refusals of a client credential as AuthenticationRequiredError.
  test.each([
    [
      'a wrong secret',
      () => secretCredential(signer, 'not-the-secret'),
      'invalid_client',
      /AADSTS7000215: Invalid client secret provided\. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '[-0-9a-f]+'\./,
    ],
    [
      'an expired secret',
      () => secretCredential(signer, 'old-secret-value'),
      'invalid_client',
      /AADSTS7000222: The provided client secret keys for app '[-0-9a-f]+' are expired\./,
    ],
    [
      'a client ID the tenant does not have',
      () => new ClientSecretCredential(emulator.tenantId, randomUUID(), 'x', azureOptions()),
      'unauthorized_client',
      /AADSTS700016: Application with identifier '[-0-9a-f]+' was not found in the directory '[-0-9a-f]+'\./,
    ],
  ])('%s: refused with the AADSTS code and text', async (_name, credential, error, text) => {
    const refused = await entraFailure(credential());
    expect(refused.name).toBe('AuthenticationRequiredError');
    expect(refused.message).toContain(`${error}: Error(s): `);
    expect(refused.message).toMatch(text);
    expect(refused.message).toMatch(
      /Trace ID: [-0-9a-f]+ Correlation ID: [-0-9a-f]+ Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/,
    );
  });

  test('a tenant that does not exist: its metadata is refused with AADSTS90002, which MSAL reports as endpoints_resolution_error', async () => {
    const tenant = randomUUID();
    const metadata = await send(`${emulator.authorityHost}/${tenant}/v2.0/.well-known/openid-configuration`);
    expect(metadata.status).toBe(400);
    expect(metadata.body).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    expect((metadata.body as { error_description: string }).error_description).toMatch(
      new RegExp(`^AADSTS90002: Tenant '${tenant}' not found\\.`),
    );
    const refused = await entraFailure(new ClientSecretCredential(tenant, signer.clientId, 'x', azureOptions()));
    expect(refused).toEqual({
      name: 'CredentialUnavailableError',
      message: 'endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details',
    });
  });

  test('a resource Entra ID does not know is refused with AADSTS500011', async () => {
    const refused = await entraFailure(secretCredential(signer), 'https://unknown.example/.default');
    expect(refused.message).toMatch(
      /invalid_resource.*AADSTS500011: The resource principal named https:\/\/unknown\.example was not found in the tenant named/s,
    );
  });

  test('the token endpoint checks the grant, the parameters and the /.default scope', async () => {
    const tokenUrl = `${emulator.authorityHost}/${emulator.tenantId}/oauth2/v2.0/token`;
    const post = (form: Record<string, string>) =>
      send(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const codes = async (form: Record<string, string>) => {
      const answer = await post(form);
      const body = answer.body as { error: string; error_codes: number[] };
      return [answer.status, body.error, body.error_codes[0]];
    };
    const base = { grant_type: 'client_credentials', client_id: signer.clientId, client_secret: 'signer-secret-value' };
    expect(await codes({ ...base, grant_type: 'password' })).toEqual([400, 'unsupported_grant_type', 70003]);
    expect(await codes({ grant_type: 'client_credentials', scope: 'https://vault.azure.net/.default' })).toEqual([
      400,
      'invalid_request',
      900144,
    ]);
    expect(await codes({ ...base })).toEqual([400, 'invalid_request', 900144]);
    expect(await codes({ ...base, scope: 'https://vault.azure.net/user_impersonation' })).toEqual([
      400,
      'invalid_scope',
      1002012,
    ]);
    expect(
      await codes({
        grant_type: 'client_credentials',
        client_id: signer.clientId,
        scope: 'https://vault.azure.net/.default',
      }),
    ).toEqual([401, 'invalid_client', 7000218]);
    const ok = await post({ ...base, scope: 'https://vault.azure.net/.default' });
    expect(ok).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 } });
  });

  test('a federated token (workload identity) read from its file is exchanged for an access token', async () => {
    const file = join(scratch, 'federated-token');
    const federated = github.token({ sub: SUBJECT });
    writeFileSync(file, federated);
    const credential = new WorkloadIdentityCredential({
      tenantId: emulator.tenantId,
      clientId: signer.clientId,
      tokenFilePath: file,
      ...azureOptions(),
    });
    const key = await keyClient(credential).getKey('app-key');
    expect(key.id).toBe(emulator.keyId('app-key'));
    expect(emulator.login.requests.at(-1)?.body).toMatchObject({
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: federated,
    });
    expect(emulator.issuedTokens().at(-1)).toMatchObject({ clientId: signer.clientId, credential: 'client_assertion' });
  });

  test.each([
    [
      'another subject',
      () => github.token({ sub: 'repo:octo-org/octo-repo:environment:prod' }),
      /AADSTS70021: No matching federated identity record found for presented assertion\. Assertion Issuer: 'https:\/\/token\.actions\.githubusercontent\.com'\. Assertion Subject: 'repo:octo-org\/octo-repo:environment:prod'\. Assertion Audience: 'api:\/\/AzureADTokenExchange'\./,
    ],
    [
      'another audience',
      () => github.token({ sub: SUBJECT, aud: 'https://github.com/octo-org' }),
      /AADSTS70021: .*Assertion Audience: 'https:\/\/github\.com\/octo-org'\./,
    ],
    [
      'an untrusted issuer',
      () => makeOidcIssuer('https://issuer.example').token({ sub: SUBJECT }),
      /AADSTS700211: No matching federated identity record found for presented assertion issuer 'https:\/\/issuer\.example'\./,
    ],
    [
      'a forged signature',
      () => github.token({ sub: SUBJECT }).replace(/.{4}$/, 'AAAA'),
      /AADSTS50013: Assertion failed signature validation\./,
    ],
    [
      'an expired token',
      () => github.token({ sub: SUBJECT, iat: Math.floor(Date.now() / 1000) - 7200 }),
      /AADSTS700024: Client assertion is not within its valid time range\./,
    ],
    ['not a JWT', () => 'not-a-jwt', /AADSTS50027: JWT token is invalid or malformed\./],
  ])('a federated token with %s is refused', async (_name, token, text) => {
    const credential = new ClientAssertionCredential(
      emulator.tenantId,
      signer.clientId,
      async () => token(),
      azureOptions(),
    );
    const refused = await entraFailure(credential);
    expect(refused.message).toMatch(text);
  });
});

describe('keys and signatures', () => {
  test.each([
    ['app-key', 2048],
    ['rsa-3072', 3072],
    ['rsa-4096', 4096],
  ])('%s (RSA %i) signs RS256, RS384 and RS512 digests that verify', async (name, bits) => {
    const credential = secretCredential(signer);
    const key = await keyClient(credential).getKey(name);
    expect(key.key?.n?.length).toBe(bits / 8);
    const client = cryptoClient(key, credential);
    for (const [alg, hash] of [
      ['RS256', 'sha256'],
      ['RS384', 'sha384'],
      ['RS512', 'sha512'],
    ] as const) {
      const digest = createHash(hash).update('payload').digest();
      const { result } = await client.sign(alg, digest);
      expect(verify(hash, Buffer.from('payload'), publicKeyOf(name), Buffer.from(result))).toBe(true);
    }
  });

  test('the key bundle: JWK with the public half only, key_ops, and attributes', async () => {
    const key = await keyClient().getKey('app-key');
    expect(key.keyType).toBe('RSA');
    expect(key.keyOperations).toEqual(['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey']);
    expect(key.properties).toMatchObject({
      enabled: true,
      version: currentVersion('app-key'),
      recoveryLevel: 'Recoverable+Purgeable',
    });
    const token = emulator.issueAccessToken(signer.clientId);
    const raw = (await send(`${emulator.vaultUrl}/keys/app-key?api-version=7.6`, { headers: bearer(token) })).body as {
      key: Record<string, unknown>;
    };
    expect(Object.keys(raw.key).sort()).toEqual(['e', 'key_ops', 'kid', 'kty', 'n']);
  });

  test('an EC key’s JWK has its curve and point; a symmetric key’s has no key material', async () => {
    const client = keyClient();
    const ec = await client.getKey('ec-hsm');
    expect([ec.keyType, ec.key?.crv, ec.key?.x?.length, ec.key?.n]).toEqual(['EC-HSM', 'P-384', 48, undefined]);
    const aes = await client.getKey('aes-key');
    expect([aes.keyType, aes.key?.n, aes.key?.k, aes.keyOperations]).toEqual([
      'oct-HSM',
      undefined,
      undefined,
      ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
    ]);
  });

  test('a named version is that version; without one, the current version', async () => {
    const rotated = makeVaultKey('rotated', {}, {});
    keys.push(rotated);
    try {
      const client = keyClient();
      const [older, newer] = rotated.versions.map((v) => v.version);
      expect((await client.getKey('rotated', { version: older })).properties.version).toBe(older);
      expect((await client.getKey('rotated')).properties.version).toBe(newer);
      rotated.versions.push(makeKeyVersion());
      expect((await client.getKey('rotated')).properties.version).toBe(rotated.versions[2].version);
    } finally {
      keys.splice(keys.indexOf(rotated), 1);
    }
  });

  test.each([
    ['EC', 'ec-key', 'RS256', "Algorithm 'RS256' is not supported by key type EC."],
    ['RSA', 'app-key', 'ES256', "Algorithm 'ES256' is not supported by key type RSA."],
  ])('a sign request an %s key cannot do is a 400 BadParameter', async (_kind, name, alg, message) => {
    const answer = await signRequest(name, currentVersion(name), emulator.issueAccessToken(signer.clientId), {
      alg,
      value: digestOf(),
    });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'BadParameter', message } } });
  });

  test('a digest of the wrong length for the algorithm is a 400', async () => {
    const error = await failure(cryptoClient(await keyClient().getKey('app-key')).sign('RS256', Buffer.alloc(20)));
    expect([error.statusCode, error.code, error.message]).toEqual([
      400,
      'BadParameter',
      'Invalid digest length 20 for algorithm RS256.',
    ]);
  });

  test.each([
    ['disabled-key', 'KeyDisabled', 'Operation sign is not allowed on a disabled key.'],
    ['expired-key', 'KeyExpired', 'Operation sign is not allowed on an expired key.'],
    ['encrypt-only', 'KeyOperationForbidden', 'Operation sign is not permitted on this key.'],
    ['aes-key', 'KeyOperationForbidden', 'Operation sign is not permitted on this key.'],
  ])('%s: the key is read, and signing is a 403 %s', async (name, inner, message) => {
    const key = await keyClient().getKey(name);
    expect(key.properties.version).toBe(currentVersion(name));
    const answer = await signRequest(name, currentVersion(name), emulator.issueAccessToken(signer.clientId), {
      alg: 'RS256',
      value: digestOf(),
    });
    expect(answer).toMatchObject({
      status: 403,
      body: { error: { code: 'Forbidden', message, innererror: { code: inner } } },
    });
  });

  test('a disabled key through CryptographyClient: a RestError with the innererror the client parses', async () => {
    const key = await keyClient().getKey('disabled-key');
    expect(key.properties.enabled).toBe(false);
    const error = (await failure(cryptoClient(key).sign('RS256', Buffer.alloc(32)))) as Error & {
      statusCode?: number;
      code?: string;
      details?: { error?: { innerError?: { code?: string } } };
    };
    expect([error.statusCode, error.code, error.message, error.details?.error?.innerError?.code]).toEqual([
      403,
      'Forbidden',
      'Operation sign is not allowed on a disabled key.',
      'KeyDisabled',
    ]);
  });

  test('unknown keys, unknown versions and deleted keys: 404 KeyNotFound with the name (and version)', async () => {
    const client = keyClient();
    const notFound = async (name: string, version?: string) => {
      const error = await failure(client.getKey(name, { version }));
      return [error.statusCode, error.code, error.message];
    };
    const text = (id: string) =>
      `A key with (name/id) ${id} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`;
    expect(await notFound('no-such-key')).toEqual([404, 'KeyNotFound', text('no-such-key')]);
    expect(await notFound('deleted-key')).toEqual([404, 'KeyNotFound', text('deleted-key')]);
    const version = '0123456789abcdef0123456789abcdef';
    expect(await notFound('app-key', version)).toEqual([404, 'KeyNotFound', text(`app-key/${version}`)]);
  });
});

describe('permissions: access policies and Azure RBAC', () => {
  test('without the sign permission: 403 ForbiddenByPolicy naming the caller, the permission and the vault', async () => {
    const credential = secretCredential(reader);
    const key = await keyClient(credential).getKey('app-key');
    const error = (await failure(cryptoClient(key, credential).sign('RS256', Buffer.alloc(32)))) as Error & {
      statusCode?: number;
      details?: { error?: { innerError?: { code?: string } } };
    };
    expect(error.statusCode).toBe(403);
    expect(error.details?.error?.innerError?.code).toBe('ForbiddenByPolicy');
    expect(error.message).toMatch(
      new RegExp(
        `^The user, group or application 'appid=${reader.clientId};oid=[-0-9a-f]+;iss=https://sts\\.windows\\.net/${emulator.tenantId}/' does not have keys sign permission on key vault 'app-keys;location=eastus'\\. For help resolving this issue, please see https://go\\.microsoft\\.com/fwlink/\\?linkid=2125287$`,
      ),
    );
  });

  test('permissions on one key do not reach another', async () => {
    const client = keyClient(secretCredential(scoped));
    expect((await client.getKey('rsa-3072')).name).toBe('rsa-3072');
    const error = await failure(client.getKey('app-key'));
    expect([error.statusCode, error.message]).toEqual([
      403,
      expect.stringContaining('does not have keys get permission'),
    ]);
  });

  test('RBAC: 403 ForbiddenByRbac naming the data action and the key’s resource ID', async () => {
    options.authorization = 'rbac';
    try {
      const error = (await failure(keyClient(secretCredential(scoped)).getKey('app-key'))) as Error & {
        statusCode?: number;
        details?: { error?: { innerError?: { code?: string } } };
      };
      expect(error.statusCode).toBe(403);
      expect(error.details?.error?.innerError?.code).toBe('ForbiddenByRbac');
      expect(error.message).toMatch(
        /^Caller is not authorized to perform action on resource\.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time\.\r\nCaller: appid=[-0-9a-f]+;oid=[-0-9a-f]+;iss=https:\/\/sts\.windows\.net\/[-0-9a-f]+\/\r\nAction: 'Microsoft\.KeyVault\/vaults\/keys\/read'\r\nResource: '\/subscriptions\/[-0-9a-f]+\/resourcegroups\/app-keys-rg\/providers\/microsoft\.keyvault\/vaults\/app-keys\/keys\/app-key'\r\n/,
      );
    } finally {
      delete options.authorization;
    }
  });

  test('permissions are read live: a grant added between requests takes effect', async () => {
    const late: EntraApplication = { clientId: randomUUID(), secrets: ['late-secret'] };
    options.applications.push(late);
    try {
      const client = keyClient(secretCredential(late));
      expect((await failure(client.getKey('app-key'))).statusCode).toBe(403);
      late.keyPermissions = { 'app-key': ['get'] };
      expect((await client.getKey('app-key')).name).toBe('app-key');
    } finally {
      options.applications.splice(options.applications.indexOf(late), 1);
    }
  });
});

describe('scripted faults', () => {
  test('a 503 answer is retried by the client; the next one signs', async () => {
    const credential = secretCredential(signer);
    const key = await keyClient(credential).getKey('app-key');
    emulator.vault.fail('POST /keys/:name/:version/sign', {
      status: 503,
      body: { error: { code: 'ServiceUnavailable', message: 'Busy.' } },
    });
    const retrying = new CryptographyClient(key, credential, {
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 1, retryDelayInMs: 10 },
    });
    const from = emulator.vault.requests.length;
    await retrying.sign('RS256', Buffer.alloc(32));
    expect(emulator.vault.requests.slice(from).map((r) => r.route)).toHaveLength(3);
    expect(emulator.vault.pendingFaults()).toBe(0);
  });
});

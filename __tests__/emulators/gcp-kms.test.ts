// The Cloud KMS emulator proved against Google's official Node client: google-auth-library runs its own token
// flows (the service-account assertion at oauth2.googleapis.com; workload identity federation at
// sts.googleapis.com and iamcredentials.googleapis.com) and calls the KMS REST API, all through the forward proxy
// of test/proxy.ts, which maps Google's host names to the emulator. The throwaway CA is trusted in-process with
// tls.setDefaultCACertificates and HTTPS_PROXY set where gaxios reads it, both restored after the file.
import { constants, createHash, createPublicKey, sign, verify } from 'node:crypto';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { GoogleAuth, gaxios, type AuthClient } from 'google-auth-library';
import { APP_KEY_PEM } from '../../test/key-forms.ts';
import { startProxy, type RunningProxy } from '../../test/proxy.ts';
import { makeTestCertificates } from '../../test/tls.ts';
import {
  GOOGLE_HOSTS,
  crc32c,
  makeKeyVersion,
  makeServiceAccount,
  startGcpKmsEmulator,
  workloadIdentityCredentials,
  type GcpKmsEmulator,
  type GcpKmsEmulatorOptions,
} from '../../test/emulators/gcp-kms.ts';

const RING = 'projects/emu-project/locations/us-east1/keyRings/ring';
const name = (key: string, v = '1') => `${RING}/cryptoKeys/${key}/cryptoKeyVersions/${v}`;
const KMS = 'https://cloudkms.googleapis.com/v1';
const KMS_SCOPE = 'https://www.googleapis.com/auth/cloudkms';

const versions = {
  rsa2048: makeKeyVersion(name('rsa2048'), 'RSA_SIGN_PKCS1_2048_SHA256'),
  rsa3072: makeKeyVersion(name('rsa3072'), 'RSA_SIGN_PKCS1_3072_SHA256'),
  rsa4096: makeKeyVersion(name('rsa4096'), 'RSA_SIGN_PKCS1_4096_SHA256'),
  imported: makeKeyVersion(name('imported'), 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: APP_KEY_PEM }),
  pss: makeKeyVersion(name('pss'), 'RSA_SIGN_PSS_2048_SHA256'),
  ec: makeKeyVersion(name('ec'), 'EC_SIGN_P256_SHA256'),
  symmetric: makeKeyVersion(name('symmetric'), 'GOOGLE_SYMMETRIC_ENCRYPTION'),
  disabled: makeKeyVersion(name('rsa2048', '2'), 'RSA_SIGN_PKCS1_2048_SHA256', { state: 'DISABLED' }),
  destroyed: makeKeyVersion(name('rsa2048', '3'), 'RSA_SIGN_PKCS1_2048_SHA256', { state: 'DESTROYED' }),
};

const signer = makeServiceAccount('signer@emu-project.iam.gserviceaccount.com');
const viewer = makeServiceAccount('viewer@emu-project.iam.gserviceaccount.com');
const impersonated = makeServiceAccount('deployer@emu-project.iam.gserviceaccount.com');
const stranger = makeServiceAccount('stranger@emu-project.iam.gserviceaccount.com');

const POOL = 'projects/987654321/locations/global/workloadIdentityPools/gha';
const PROVIDER = `${POOL}/providers/github`;
const REQUEST_TOKEN = 'request-token-for-this-job-0123456789';
const REPO_SET = `principalSet://iam.googleapis.com/${POOL}/attribute.repository/octo-org/octo-repo`;

const certificates = makeTestCertificates(Object.values(GOOGLE_HOSTS));
const systemCas = getCACertificates('default');
const savedProxy = process.env.HTTPS_PROXY;

let emulator: GcpKmsEmulator;
let proxy: RunningProxy;

const baseOptions = (): GcpKmsEmulatorOptions => ({
  tls: certificates,
  keyVersions: Object.values(versions),
  serviceAccounts: [signer.account, viewer.account, impersonated.account],
  bindings: [
    {
      resource: RING,
      role: 'roles/cloudkms.signerVerifier',
      members: [`serviceAccount:${signer.account.email}`, REPO_SET],
    },
    { resource: RING, role: 'roles/cloudkms.publicKeyViewer', members: [`serviceAccount:${viewer.account.email}`] },
    {
      resource: `${RING}/cryptoKeys/rsa2048`,
      role: 'roles/cloudkms.signer',
      members: [`serviceAccount:${impersonated.account.email}`],
    },
  ],
  providers: [{ name: PROVIDER, condition: (claims) => claims.repository_owner === 'octo-org' }],
  impersonation: [{ serviceAccount: impersonated.account.email, members: [REPO_SET] }],
  oidc: {
    requestToken: REQUEST_TOKEN,
    claims: {
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
    },
  },
});

async function start(options: Partial<GcpKmsEmulatorOptions> = {}) {
  await proxy?.close();
  await emulator?.close();
  emulator = await startGcpKmsEmulator({ ...baseOptions(), ...options });
  proxy = await startProxy({ hosts: emulator.proxyHosts() });
  process.env.HTTPS_PROXY = proxy.url;
}

beforeAll(() => setDefaultCACertificates([...systemCas, certificates.caPem]));
beforeEach(() => start());
afterEach(async () => {
  await proxy.close();
  await emulator.close();
});
afterAll(() => {
  setDefaultCACertificates(systemCas);
  if (savedProxy === undefined) delete process.env.HTTPS_PROXY;
  else process.env.HTTPS_PROXY = savedProxy;
});

const clientFor = (credentials: Record<string, unknown>, scopes = [KMS_SCOPE]): Promise<AuthClient> =>
  new GoogleAuth({ credentials, scopes }).getClient();

const getPublicKey = (client: AuthClient, version: string) =>
  client.request<{ pem: string; algorithm: string; pemCrc32c: string; name: string; protectionLevel: string }>({
    url: `${KMS}/${version}/publicKey`,
  });

function asymmetricSign(client: AuthClient, version: string, message: Buffer, body: Record<string, unknown> = {}) {
  const digest = createHash('sha256').update(message).digest();
  return client.request<{ signature: string; signatureCrc32c: string; verifiedDigestCrc32c: boolean; name: string }>({
    url: `${KMS}/${version}:asymmetricSign`,
    method: 'POST',
    data: { digest: { sha256: digest.toString('base64') }, digestCrc32c: String(crc32c(digest)), ...body },
  });
}

/** The error google-auth-library throws, as its callers see it: the status and Google's error object. */
async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    const e = error as { message: string; status?: number; response?: { status: number; data: unknown } };
    return { message: e.message, status: e.response?.status, data: e.response?.data };
  }
  throw new Error('the request succeeded');
}

const message = Buffer.from('eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOjF9');

test("CRC32C is Castagnoli's: the check value of 123456789 is 0xE3069283", () => {
  expect(crc32c('123456789')).toBe(0xe3069283);
  expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
});

describe('the service-account flow', () => {
  test("the library posts its RS256 assertion to oauth2.googleapis.com, whatever the file's token_uri", async () => {
    const client = await clientFor({ ...signer.keyFile, token_uri: 'https://elsewhere.invalid/token' });
    const { token } = await client.getAccessToken();
    expect(emulator.issuedTokens()).toEqual([
      expect.objectContaining({
        token,
        principal: `serviceAccount:${signer.account.email}`,
        scopes: [KMS_SCOPE],
        issuedBy: 'oauth2',
      }),
    ]);
    expect(proxy.seen).toEqual([{ method: 'CONNECT', url: 'oauth2.googleapis.com:443' }]);
    const [request] = emulator.requests;
    expect([request.method, request.path, request.headers.host]).toEqual(['POST', '/token', 'oauth2.googleapis.com']);
    const { grant_type, assertion } = request.body as Record<string, string>;
    expect(grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, payload, signature] = assertion.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      iss: signer.account.email,
      aud: 'https://oauth2.googleapis.com/token',
      scope: KMS_SCOPE,
    });
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        signer.account.keys[0].publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });

  test('an assertion signed by a deleted key: invalid_grant, as the library words it', async () => {
    const client = await clientFor({ ...signer.keyFile, private_key: stranger.privateKeyPem });
    expect(await rejection(client.getAccessToken())).toEqual({
      message: 'invalid_grant: Invalid JWT Signature.',
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' },
    });
    expect(emulator.issuedTokens()).toEqual([]);
  });

  test('an account Google does not know', async () => {
    const client = await clientFor(stranger.keyFile);
    expect((await rejection(client.getAccessToken())).message).toBe('invalid_grant: Invalid grant: account not found');
  });

  test("a client clock hours ahead of Google's", async () => {
    emulator.setClockOffset(-2 * 3600);
    const client = await clientFor(signer.keyFile);
    expect((await rejection(client.getAccessToken())).message).toBe(
      'invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    );
  });

  test('a token endpoint reached under another host name answers 404, as Google front ends do', async () => {
    const response = await new gaxios.Gaxios().request({
      url: 'https://sts.googleapis.com/token',
      method: 'POST',
      data: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }),
      validateStatus: () => true,
    });
    expect(response.status).toBe(404);
    expect(String(response.data)).toContain('Error 404 (Not Found)');
  });

  test('the library retries a 503 from the token endpoint by itself', async () => {
    emulator.fail('POST /token', { status: 503, body: { error: 'temporarily_unavailable' } });
    const client = await clientFor(signer.keyFile);
    await expect(client.getAccessToken()).resolves.toMatchObject({ token: expect.stringMatching(/^ya29\.c\./) });
    expect(emulator.requests.map((r) => r.path)).toEqual(['/token', '/token']);
  });
});

describe('getPublicKey and asymmetricSign', () => {
  test('the public key comes with its algorithm, its CRC32C and the version name', async () => {
    const client = await clientFor(signer.keyFile);
    const { data } = await getPublicKey(client, name('rsa2048'));
    expect(data).toEqual({
      pem: createPublicKey(versions.rsa2048.privateKey!).export({ type: 'spki', format: 'pem' }),
      algorithm: 'RSA_SIGN_PKCS1_2048_SHA256',
      pemCrc32c: String(crc32c(data.pem)),
      name: name('rsa2048'),
      protectionLevel: 'SOFTWARE',
    });
    expect(proxy.seen.map((s) => s.url)).toEqual(['oauth2.googleapis.com:443', 'cloudkms.googleapis.com:443']);
  });

  test.each(['rsa2048', 'rsa3072', 'rsa4096'] as const)(
    '%s: RSASSA-PKCS1-v1_5 over the given SHA-256 digest, with its CRC32C',
    async (key) => {
      const client = await clientFor(signer.keyFile);
      const { data } = await asymmetricSign(client, name(key), message);
      const signature = Buffer.from(data.signature, 'base64');
      expect(verify('sha256', message, createPublicKey(versions[key].privateKey!), signature)).toBe(true);
      expect(data).toEqual({
        signature: data.signature,
        signatureCrc32c: String(crc32c(signature)),
        verifiedDigestCrc32c: true,
        name: name(key),
        protectionLevel: 'SOFTWARE',
      });
    },
  );

  test('an imported PEM signs exactly as node:crypto does with it (PKCS#1 v1.5 is deterministic)', async () => {
    const client = await clientFor(signer.keyFile);
    const { data } = await asymmetricSign(client, name('imported'), message);
    expect(Buffer.from(data.signature, 'base64')).toEqual(sign('sha256', message, APP_KEY_PEM));
  });

  test('without digestCrc32c the signature still comes, with verifiedDigestCrc32c false', async () => {
    const client = await clientFor(signer.keyFile);
    const digest = createHash('sha256').update(message).digest();
    const { data } = await client.request<{ verifiedDigestCrc32c: boolean }>({
      url: `${KMS}/${name('rsa2048')}:asymmetricSign`,
      method: 'POST',
      data: { digest: { sha256: digest.toString('base64') } },
    });
    expect(data.verifiedDigestCrc32c).toBe(false);
  });

  test('a PSS key signs happily, with RSA-PSS: the signature fails as PKCS#1 v1.5', async () => {
    const client = await clientFor(signer.keyFile);
    const { data } = await asymmetricSign(client, name('pss'), message);
    const signature = Buffer.from(data.signature, 'base64');
    const key = createPublicKey(versions.pss.privateKey!);
    expect(
      verify('sha256', message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature),
    ).toBe(true);
    expect(verify('sha256', message, key, signature)).toBe(false);
    expect((await getPublicKey(client, name('pss'))).data.algorithm).toBe('RSA_SIGN_PSS_2048_SHA256');
  });

  test('an EC key signs happily too: a DER ECDSA signature over the digest', async () => {
    const client = await clientFor(signer.keyFile);
    const { data } = await asymmetricSign(client, name('ec'), message);
    const key = createPublicKey(versions.ec.privateKey!);
    expect(verify('sha256', message, { key, dsaEncoding: 'der' }, Buffer.from(data.signature, 'base64'))).toBe(true);
    expect((await getPublicKey(client, name('ec'))).data.algorithm).toBe('EC_SIGN_P256_SHA256');
  });
});

describe("Cloud KMS's errors, as the library reports them", () => {
  const apiError = (code: number, status: string, text: string, details?: unknown[]) => ({
    error: { code, status, message: text, ...(details ? { details } : {}) },
  });
  const iamDenied = (permission: string, resource: string) =>
    apiError(
      403,
      'PERMISSION_DENIED',
      `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`,
      [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'IAM_PERMISSION_DENIED',
          domain: 'cloudkms.googleapis.com',
          metadata: { permission, resource },
        },
      ],
    );

  test('no viewPublicKey: PERMISSION_DENIED naming cloudkms.cryptoKeyVersions.viewPublicKey', async () => {
    const client = await clientFor(impersonated.keyFile);
    const failure = await rejection(getPublicKey(client, name('rsa2048')));
    expect(failure).toEqual({
      status: 403,
      message: `Permission 'cloudkms.cryptoKeyVersions.viewPublicKey' denied on resource '${name('rsa2048')}' (or it may not exist).`,
      data: iamDenied('cloudkms.cryptoKeyVersions.viewPublicKey', name('rsa2048')),
    });
  });

  test('no useToSign: PERMISSION_DENIED naming cloudkms.cryptoKeyVersions.useToSign', async () => {
    const client = await clientFor(viewer.keyFile);
    await expect(getPublicKey(client, name('rsa2048'))).resolves.toMatchObject({ status: 200 });
    expect((await rejection(asymmetricSign(client, name('rsa2048'), message))).data).toEqual(
      iamDenied('cloudkms.cryptoKeyVersions.useToSign', name('rsa2048')),
    );
  });

  test('IAM comes first: a missing key version without the permission is PERMISSION_DENIED too', async () => {
    const client = await clientFor(viewer.keyFile);
    expect(
      (
        await rejection(
          getPublicKey(client, 'projects/other/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1'),
        )
      ).status,
    ).toBe(403);
  });

  test('with the permission, a missing version is NOT_FOUND', async () => {
    const client = await clientFor(signer.keyFile);
    expect((await rejection(getPublicKey(client, name('rsa2048', '7')))).data).toEqual(
      apiError(404, 'NOT_FOUND', `CryptoKeyVersion ${name('rsa2048', '7')} not found.`),
    );
  });

  test.each([
    ['DISABLED', 'disabled', '2', 'KEY_DISABLED'],
    ['DESTROYED', 'destroyed', '3', 'KEY_NOT_ENABLED'],
  ] as const)(
    'a %s version is FAILED_PRECONDITION, for the public key and for signing',
    async (state, _key, v, type) => {
      const client = await clientFor(signer.keyFile);
      const expected = apiError(
        400,
        'FAILED_PRECONDITION',
        `${name('rsa2048', v)} is not enabled, current state is: ${state}.`,
        [
          {
            '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
            violations: [{ type, subject: name('rsa2048', v) }],
          },
        ],
      );
      expect((await rejection(getPublicKey(client, name('rsa2048', v)))).data).toEqual(expected);
      expect((await rejection(asymmetricSign(client, name('rsa2048', v), message))).data).toEqual(expected);
    },
  );

  test('a symmetric key has no public key: incorrect key purpose', async () => {
    const client = await clientFor(signer.keyFile);
    const failure = await rejection(getPublicKey(client, name('symmetric')));
    expect(failure.status).toBe(400);
    expect(failure.message).toBe(
      `Operation requested for Key ${name('symmetric')} has incorrect key purpose: ENCRYPT_DECRYPT`,
    );
  });

  test('a digest whose CRC32C does not match is refused', async () => {
    const client = await clientFor(signer.keyFile);
    const failure = await rejection(asymmetricSign(client, name('rsa2048'), message, { digestCrc32c: '12345' }));
    expect(failure).toMatchObject({
      status: 400,
      message: 'The checksum in field digest_crc32c did not match the data in field digest.',
    });
    expect(emulator.signatures()).toEqual([]);
  });

  test('a digest of another hash, and a field the request does not have, are INVALID_ARGUMENT', async () => {
    const client = await clientFor(signer.keyFile);
    const wrongHash = await rejection(
      client.request({
        url: `${KMS}/${name('rsa2048')}:asymmetricSign`,
        method: 'POST',
        data: { digest: { sha512: Buffer.alloc(64).toString('base64') } },
      }),
    );
    expect(wrongHash).toMatchObject({ status: 400, data: { error: { status: 'INVALID_ARGUMENT' } } });
    const unknownField = await rejection(asymmetricSign(client, name('rsa2048'), message, { algorithm: 'RS256' }));
    expect(unknownField.message).toBe('Invalid JSON payload received. Unknown name "algorithm": Cannot find field.');
  });

  test('no token, an unknown token, an expired token: 401 UNAUTHENTICATED', async () => {
    const raw = new gaxios.Gaxios();
    const url = `${KMS}/${name('rsa2048')}/publicKey`;
    const missing = await raw.request({ url, validateStatus: () => true });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/"');
    expect(missing.data).toMatchObject({
      error: {
        status: 'UNAUTHENTICATED',
        message: expect.stringMatching(/^Request is missing required authentication credential/),
      },
    });
    const unknown = await raw.request({
      url,
      headers: { authorization: 'Bearer ya29.made-up' },
      validateStatus: () => true,
    });
    expect(unknown.data).toMatchObject({
      error: { code: 401, message: expect.stringMatching(/^Request had invalid authentication credentials/) },
    });
    const client = await clientFor(signer.keyFile);
    const { token } = await client.getAccessToken();
    emulator.expireToken(token!);
    const expired = await raw.request({
      url,
      headers: { authorization: `Bearer ${token}` },
      validateStatus: () => true,
    });
    expect(expired.status).toBe(401);
  });

  test('a token without a Cloud KMS scope: 403 insufficient scopes', async () => {
    const client = await clientFor(signer.keyFile, ['https://www.googleapis.com/auth/devstorage.read_only']);
    const failure = await rejection(getPublicKey(client, name('rsa2048')));
    expect(failure).toMatchObject({ status: 403, message: 'Request had insufficient authentication scopes.' });
  });
});

describe('workload identity federation, from the file google-github-actions/auth writes', () => {
  const file = (serviceAccount?: string, requestToken = REQUEST_TOKEN) =>
    workloadIdentityCredentials({
      provider: PROVIDER,
      oidcTokenUrl: emulator.oidcTokenUrl(`https://iam.googleapis.com/${PROVIDER}`),
      requestToken,
      serviceAccount,
    });

  test('direct: OIDC token from the runner, exchanged at STS for a federated token that KMS takes', async () => {
    const client = await clientFor(file());
    const { data } = await asymmetricSign(client, name('rsa2048'), message);
    expect(
      verify('sha256', message, createPublicKey(versions.rsa2048.privateKey!), Buffer.from(data.signature, 'base64')),
    ).toBe(true);
    expect(
      emulator.requests.map((r) => `${r.method} ${r.headers.host?.replace(/:\d+$/, '')} ${r.path.replace(/\?.*/, '')}`),
    ).toEqual([
      'GET 127.0.0.1 /oidc/token',
      'POST sts.googleapis.com /v1/token',
      `POST cloudkms.googleapis.com /v1/${name('rsa2048')}:asymmetricSign`,
    ]);
    const exchange = emulator.requests[1].body as Record<string, string>;
    expect(exchange).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: `//iam.googleapis.com/${PROVIDER}`,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });
    const [federated] = emulator.issuedTokens();
    expect(federated).toMatchObject({
      issuedBy: 'sts',
      principal: `principal://iam.googleapis.com/${POOL}/subject/repo:octo-org/octo-repo:ref:refs/heads/main`,
      attributes: expect.objectContaining({ 'attribute.repository': 'octo-org/octo-repo' }),
    });
    expect(emulator.signatures().map((s) => s.principal)).toEqual([federated.principal]);
  });

  test('through a service account: IAM Credentials generateAccessToken, and KMS sees the account', async () => {
    const client = await clientFor(file(impersonated.account.email));
    await asymmetricSign(client, name('rsa2048'), message);
    expect(emulator.issuedTokens().map((t) => [t.issuedBy, t.principal])).toEqual([
      ['sts', expect.stringMatching(/^principal:\/\//)],
      ['iamcredentials', `serviceAccount:${impersonated.account.email}`],
    ]);
    expect(emulator.requests[2].body).toEqual({ scope: [KMS_SCOPE], lifetime: '3600s' });
  });

  test('a repository the attribute condition refuses: unauthorized_client', async () => {
    await start({
      oidc: {
        requestToken: REQUEST_TOKEN,
        claims: { sub: 'repo:evil/fork:ref:refs/heads/main', repository: 'evil/fork', repository_owner: 'evil' },
      },
    });
    const failure = await rejection((await clientFor(file())).getAccessToken());
    expect(failure.message).toBe(
      'Error code unauthorized_client: The given credential is rejected by the attribute condition.',
    );
  });

  test('an OIDC token for another audience: invalid_grant', async () => {
    await start({ providers: [{ name: PROVIDER, allowedAudiences: ['https://example.com/only'] }] });
    const failure = await rejection((await clientFor(file())).getAccessToken());
    expect(failure.message).toBe(
      `Error code invalid_grant: The audience in ID Token [https://iam.googleapis.com/${PROVIDER}] does not match the expected audience.`,
    );
  });

  test('an OIDC token from another issuer is refused, its signature checked', async () => {
    const forged = emulator.mintOidcToken(`https://iam.googleapis.com/${PROVIDER}`);
    const [h, c] = forged.split('.');
    const response = await new gaxios.Gaxios().request({
      url: 'https://sts.googleapis.com/v1/token',
      method: 'POST',
      data: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        audience: `//iam.googleapis.com/${PROVIDER}`,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        subject_token: `${h}.${c}.${Buffer.alloc(256).toString('base64url')}`,
      }),
      validateStatus: () => true,
    });
    expect(response.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid ID Token signature.' });
  });

  test('a provider that does not exist: invalid_target', async () => {
    await start({ providers: [] });
    expect((await rejection((await clientFor(file())).getAccessToken())).message).toMatch(
      /^Error code invalid_target: The target service indicated by the "audience" parameters is invalid\./,
    );
  });

  test('acting as an account without roles/iam.workloadIdentityUser: PERMISSION_DENIED', async () => {
    const failure = await rejection((await clientFor(file(signer.account.email))).getAccessToken());
    expect(failure).toMatchObject({
      status: 403,
      message: "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
    });
  });

  test("the runner's ID-token service wants its request token", async () => {
    const failure = await rejection((await clientFor(file(undefined, 'another-jobs-token'))).getAccessToken());
    expect(failure.status).toBe(401);
    expect(emulator.issuedTokens()).toEqual([]);
  });
});

// awskms:// keys through @aws-sdk/client-kms against the KMS emulator (test/emulators/aws-kms.ts) over real
// sockets. The SDK reads its credentials, region and endpoint variables from process.env, so each test sets them
// there (and nothing else of AWS's: no profile files, no instance metadata) and they are restored after it.
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { createClock } from '../../../src/clock.js';
import { createTransport } from '../../../src/http/transport.js';
import { signJwt } from '../../../src/keys/jwt/sign.js';
import { awsKey } from '../../../src/keys/kms/aws.js';
import type { KmsDependencies } from '../../../src/keys/kms/dependencies.js';
import { KmsError, remoteSigner } from '../../../src/keys/kms/remote-key.js';
import { parseKmsKey } from '../../../src/keys/kms/uri.js';
import { normalizePrivateKey } from '../../../src/keys/private-key.js';
import { githubAppClaims } from '../../../src/providers/github/app-jwt.js';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';
import { startProxy, type RunningProxy } from '../../../test/proxy.ts';
import { makeTestCertificates } from '../../../test/tls.ts';
import {
  makeAwsCredential,
  makeKmsKey,
  startAwsKmsEmulator,
  type AwsKmsEmulator,
  type AwsKmsEmulatorOptions,
  type EmulatedKmsKey,
} from '../../../test/emulators/aws-kms.ts';

const signer = makeAwsCredential({ name: 'gha-signer' });
const reader = makeAwsCredential({ name: 'gha-reader' });
const user = makeAwsCredential({ name: 'ci-user', longTerm: true });
const expired = makeAwsCredential({ name: 'gha-expired', expiresAt: Math.floor(Date.now() / 1000) - 60 });
const container = makeAwsCredential({ name: 'ecs-task' });
const canUse = { [signer.principal]: ['kms:Sign', 'kms:GetPublicKey'] } as EmulatedKmsKey['allow'];
const everyone = {
  [signer.principal]: ['kms:Sign', 'kms:GetPublicKey'],
  [user.principal]: ['kms:Sign', 'kms:GetPublicKey'],
  [expired.principal]: ['kms:Sign', 'kms:GetPublicKey'],
  [container.principal]: ['kms:Sign', 'kms:GetPublicKey'],
  [reader.principal]: ['kms:GetPublicKey'],
} as EmulatedKmsKey['allow'];

// The app's downloaded PEM imported as key material: a PEM signer and KMS then make the same RS256 JWT.
const appKey = makeKmsKey('RSA_2048', { privateKey: APP_KEY_PEM, aliases: ['alias/github-app'], allow: everyone });
const rsa3072 = makeKmsKey('RSA_3072', { allow: canUse });
const rsa4096 = makeKmsKey('RSA_4096', { allow: canUse });
const ecKey = makeKmsKey('ECC_NIST_P256', { aliases: ['alias/ec'], allow: canUse });
const symmetric = makeKmsKey('SYMMETRIC_DEFAULT', { aliases: ['alias/symmetric'], allow: canUse });
const hmacKey = makeKmsKey('HMAC_256', { aliases: ['alias/hmac'], allow: canUse });
const encryption = makeKmsKey('RSA_2048', {
  keyUsage: 'ENCRYPT_DECRYPT',
  aliases: ['alias/encryption'],
  allow: canUse,
});
const pssOnly = makeKmsKey('RSA_2048', {
  aliases: ['alias/pss-only'],
  signingAlgorithms: ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'],
  allow: canUse,
});
const disabled = makeKmsKey('RSA_2048', { state: 'Disabled', aliases: ['alias/disabled'], allow: canUse });
const deleting = makeKmsKey('RSA_2048', { state: 'PendingDeletion', aliases: ['alias/deleting'], allow: canUse });
const importing = makeKmsKey('RSA_2048', {
  state: 'PendingImport',
  privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  aliases: ['alias/importing'],
  allow: canUse,
});
const keys = [appKey, rsa3072, rsa4096, ecKey, symmetric, hmacKey, encryption, pssOnly, disabled, deleting, importing];
const credentials = [signer, reader, user, expired, container];

const clock = () => createClock(() => 1_700_000_000_000);
const claims = () => githubAppClaims(123456, 540, clock());
const pemKey = normalizePrivateKey(APP_KEY_PEM).key;

// ----------------------------------------------------------------------------------------------------------
// The environment, the emulators, the dependencies

const HOST = 'kms.emulator.test';
const certificates = makeTestCertificates([HOST]);
const systemCas = getCACertificates('default');
beforeAll(() => setDefaultCACertificates([...systemCas, certificates.caPem]));
afterAll(() => setDefaultCACertificates(systemCas));

const savedEnv = { ...process.env };
/** No profile files and no instance metadata: only what a test sets reaches the SDK's default chain. */
const QUIET_AWS = {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/aws/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws/credentials',
};
function setEnv(values: Record<string, string>): void {
  for (const name of Object.keys(process.env))
    if (name.startsWith('AWS_') || /^(https?|no|all)_proxy$/i.test(name)) delete process.env[name];
  Object.assign(process.env, QUIET_AWS, values);
}
/** What aws-actions/configure-aws-credentials exports for a role session. */
function signedIn(credential = signer, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
    ...(credential.sessionToken ? { AWS_SESSION_TOKEN: credential.sessionToken } : {}),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
}

let kms: AwsKmsEmulator;
let tlsKms: AwsKmsEmulator;
const started: AwsKmsEmulator[] = [];
async function emulator(options: Partial<AwsKmsEmulatorOptions> = {}): Promise<AwsKmsEmulator> {
  const made = await startAwsKmsEmulator({ keys, credentials, ...options });
  started.push(made);
  return made;
}
beforeEach(async () => {
  kms = await emulator();
  tlsKms = await emulator({ tls: certificates });
  setEnv({ ...signedIn(), AWS_ENDPOINT_URL_KMS: kms.url });
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

/** The operations every emulator answered, in order: 'GetPublicKey ok', 'Sign DisabledException'. */
const answered = (emulator = kms) => emulator.operations().map((op) => `${op.operation} ${op.outcome}`);

interface Recorder {
  deps: KmsDependencies;
  masks: string[];
  /** For each mask, how many KMS requests the emulators had received when it was made. */
  kmsRequestsAtMask: number[];
  info: string[];
}

function recorder(): Recorder {
  const masks: string[] = [];
  const kmsRequestsAtMask: number[] = [];
  const info: string[] = [];
  const transport = createTransport({ env: process.env, retry: { sleep: async () => {} } });
  const kmsRequests = () => started.reduce((n, e) => n + e.requests.filter((r) => r.route === 'POST /').length, 0);
  return {
    masks,
    kmsRequestsAtMask,
    info,
    deps: {
      env: process.env,
      mask: (secret) => {
        masks.push(secret);
        kmsRequestsAtMask.push(kmsRequests());
      },
      log: { info: (message) => info.push(message), debug: () => undefined },
      transport: async () => transport,
    },
  };
}

function awsUri(uri: string) {
  const key = parseKmsKey(uri);
  if (key.scheme !== 'awskms') throw new Error(`${uri} is not an awskms URI`);
  return key;
}

async function signerFor(uri: string, record = recorder()) {
  return remoteSigner(await awsKey(awsUri(uri), record.deps));
}

async function failure(uri: string, record = recorder()): Promise<KmsError> {
  try {
    await (await signerFor(uri, record)).sign(claims());
  } catch (error) {
    if (error instanceof KmsError) {
      for (const credential of credentials) {
        expect(error.message).not.toContain(credential.secretAccessKey);
        if (credential.sessionToken) expect(error.message).not.toContain(credential.sessionToken);
      }
      return error;
    }
    throw error;
  }
  throw new Error('signed');
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const arn = (key: EmulatedKmsKey) => kms.keyArn(key);
const NEEDED = 'an asymmetric RSA key with key usage SIGN_VERIFY (key spec RSA_2048, RSA_3072 or RSA_4096)';
const LOGIN =
  'Sign in with aws-actions/configure-aws-credentials in this job before this step (it exports AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION), or set those variables yourself';

// ----------------------------------------------------------------------------------------------------------

describe('signing', () => {
  test('the JWT is byte for byte the one the app key PEM signs: only the signature comes from KMS', async () => {
    const jwt = await (await signerFor('awskms:///alias/github-app')).sign(claims());
    expect(jwt.token).toBe(signJwt(claims(), pemKey).token);
    const [header, payload, signature] = jwt.token.split('.');
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        createPublicKey(APP_KEY_PEM),
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    expect(jwt.signature).toBe(signature);
    expect(jwt.expiresAt).toEqual(new Date(claims().exp * 1000));
  });

  test('KMS is asked for the public key once, then for one DIGEST signature per JWT', async () => {
    const jwtSigner = await signerFor('awskms:///alias/github-app');
    const first = await jwtSigner.sign(claims());
    await jwtSigner.sign({ ...claims(), exp: claims().exp + 1 });
    await jwtSigner.sign({ ...claims(), exp: claims().exp + 2 });
    expect(answered()).toEqual(['GetPublicKey ok', 'Sign ok', 'Sign ok', 'Sign ok']);
    const bodies = kms.requests.map((r) => r.body);
    expect(bodies[0]).toEqual({ KeyId: 'alias/github-app' });
    const signingInput = first.token.slice(0, first.token.lastIndexOf('.'));
    expect(bodies[1]).toEqual({
      KeyId: 'alias/github-app',
      Message: createHash('sha256').update(signingInput).digest('base64'),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    });
    expect(kms.requests.map((r) => r.headers['x-amz-target'])).toEqual([
      'TrentService.GetPublicKey',
      'TrentService.Sign',
      'TrentService.Sign',
      'TrentService.Sign',
    ]);
  });

  test.each([
    ['its key ID', () => appKey.keyId],
    ['its key ARN', () => arn(appKey)],
    ['its alias name', () => 'alias/github-app'],
    ['its alias ARN', () => kms.aliasArn('alias/github-app')],
  ])('the key is found by %s', async (_, keyId) => {
    const jwt = await (await signerFor(`awskms:///${keyId()}`)).sign(claims());
    expect(jwt.token).toBe(signJwt(claims(), pemKey).token);
    expect(kms.operations().map((op) => op.keyId)).toEqual([keyId(), keyId()]);
  });

  test.each([
    ['RSA_3072', rsa3072],
    ['RSA_4096', rsa4096],
  ])('%s keys sign too', async (_, key) => {
    const jwt = await (await signerFor(`awskms:///${key.keyId}`)).sign(claims());
    const [header, payload, signature] = jwt.token.split('.');
    const publicKey = createPublicKey(key.privateKey!);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
  });

  test('the log names the key KMS resolved, its spec and region', async () => {
    const record = recorder();
    await (await signerFor('awskms:///alias/github-app', record)).sign(claims());
    expect(record.info).toEqual([`Signing with AWS KMS key ${arn(appKey)} (RSA_2048, us-east-1).`]);
  });

  test('the secret key and session token are masked before the first request, the access key ID is not', async () => {
    const record = recorder();
    await (await signerFor('awskms:///alias/github-app', record)).sign(claims());
    expect(record.masks).toEqual([signer.secretAccessKey, signer.sessionToken]);
    expect(record.kmsRequestsAtMask).toEqual([0, 0]);
  });

  test('long-term access keys (no session token) sign too', async () => {
    setEnv({ ...signedIn(user), AWS_ENDPOINT_URL_KMS: kms.url });
    const record = recorder();
    await (await signerFor('awskms:///alias/github-app', record)).sign(claims());
    expect(record.masks).toEqual([user.secretAccessKey]);
    expect(kms.operations().map((op) => op.accessKeyId)).toEqual([user.accessKeyId, user.accessKeyId]);
  });

  test('credentials the SDK fetches (a container credentials endpoint) are masked before the KMS request', async () => {
    const token = 'container-authorization-token-0123456789';
    const withToken = await emulator({ containerAuthorizationToken: token });
    setEnv({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_KMS: withToken.url,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: withToken.containerCredentialsUri(container),
      AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
    });
    const record = recorder();
    await (await signerFor('awskms:///alias/github-app', record)).sign(claims());
    expect(withToken.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v2/credentials/${container.accessKeyId}`,
      'POST /',
      'POST /',
    ]);
    expect(withToken.operations().map((op) => op.accessKeyId)).toEqual([container.accessKeyId, container.accessKeyId]);
    expect(record.masks).toEqual([token, container.secretAccessKey, container.sessionToken]);
    expect(record.kmsRequestsAtMask).toEqual([0, 0, 0]);
  });
});

test('token files the SDK may read (web identity, container authorization) are masked before any request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aws-kms-test-'));
  try {
    writeFileSync(join(dir, 'web-identity'), 'eyJ.web-identity-token.sig\n');
    writeFileSync(join(dir, 'container'), 'container-token-from-a-file');
    setEnv({
      ...signedIn(),
      AWS_ENDPOINT_URL_KMS: kms.url,
      // The variables come first in the SDK's chain: the files are never used here, only masked.
      AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'web-identity'),
      AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/gha-signer',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, 'container'),
    });
    const record = recorder();
    await (await signerFor('awskms:///alias/github-app', record)).sign(claims());
    expect(record.masks).toEqual([
      signer.secretAccessKey,
      signer.sessionToken,
      'eyJ.web-identity-token.sig',
      'container-token-from-a-file',
    ]);
    expect(record.kmsRequestsAtMask).toEqual([0, 0, 0, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a token file that cannot be read is left to the SDK, which does not need it here', async () => {
  setEnv({ ...signedIn(), AWS_ENDPOINT_URL_KMS: kms.url, AWS_WEB_IDENTITY_TOKEN_FILE: '/nonexistent/token' });
  const record = recorder();
  await (await signerFor('awskms:///alias/github-app', record)).sign(claims());
  expect(record.masks).toEqual([signer.secretAccessKey, signer.sessionToken]);
});

describe('the region and the endpoint', () => {
  test("a key ARN's region is used, whatever AWS_REGION says", async () => {
    setEnv({ ...signedIn(signer, 'eu-west-1'), AWS_ENDPOINT_URL_KMS: kms.url });
    await (await signerFor(`awskms:///${arn(appKey)}`)).sign(claims());
    expect(answered()).toEqual(['GetPublicKey ok', 'Sign ok']);
    expect(kms.requests[0].headers.authorization).toContain(`/us-east-1/kms/aws4_request`);
  });

  test('AWS_DEFAULT_REGION is used when AWS_REGION is not set', async () => {
    const { AWS_REGION, ...rest } = signedIn();
    void AWS_REGION;
    setEnv({ ...rest, AWS_ENDPOINT_URL_KMS: kms.url });
    await (await signerFor('awskms:///alias/github-app')).sign(claims());
    expect(answered()).toEqual(['GetPublicKey ok', 'Sign ok']);
  });

  test('AWS_ENDPOINT_URL serves when AWS_ENDPOINT_URL_KMS is not set', async () => {
    setEnv({ ...signedIn(), AWS_ENDPOINT_URL: kms.url });
    await (await signerFor('awskms:///alias/github-app')).sign(claims());
    expect(answered()).toEqual(['GetPublicKey ok', 'Sign ok']);
  });

  test('awskms://HOST:PORT/KEY reaches https://HOST:PORT, before AWS_ENDPOINT_URL_KMS', async () => {
    const port = new URL(tlsKms.url).port;
    await (await signerFor(`awskms://127.0.0.1:${port}/alias/github-app`)).sign(claims());
    expect(answered(tlsKms)).toEqual(['GetPublicKey ok', 'Sign ok']);
    expect(kms.requests).toEqual([]);
  });

  test("requests follow the runner's proxy settings (HTTPS_PROXY), through the action's HTTP layer", async () => {
    let proxy: RunningProxy | undefined;
    try {
      proxy = await startProxy({ hosts: { [HOST]: '127.0.0.1' } });
      const named = await emulator({ tls: certificates, urlHost: HOST });
      setEnv({ ...signedIn(), HTTPS_PROXY: proxy.url });
      const port = new URL(named.url).port;
      await (await signerFor(`awskms://${HOST}:${port}/alias/github-app`)).sign(claims());
      expect(answered(named)).toEqual(['GetPublicKey ok', 'Sign ok']);
      expect(proxy.seen.map((seen) => `${seen.method} ${seen.url}`)).toContain(`CONNECT ${HOST}:${port}`);
    } finally {
      await proxy?.close();
    }
  });

  test("a runner clock 20 minutes off is corrected from KMS's Date header, as the SDK does", async () => {
    const ahead = await emulator({ clockOffsetSeconds: 20 * 60 });
    setEnv({ ...signedIn(), AWS_ENDPOINT_URL_KMS: ahead.url });
    await (await signerFor('awskms:///alias/github-app')).sign(claims());
    expect(answered(ahead)).toEqual(['GetPublicKey InvalidSignatureException', 'GetPublicKey ok', 'Sign ok']);
  });

  test('a 500 from KMS is retried by the SDK', async () => {
    kms.fail('POST /', { status: 500, body: { __type: 'KMSInternalException', message: 'internal failure' } });
    await (await signerFor('awskms:///alias/github-app')).sign(claims());
    expect(kms.requests).toHaveLength(3);
    expect(answered()).toEqual(['GetPublicKey ok', 'Sign ok']);
  });
});

describe('errors name the key, the cause and the fix', () => {
  test('no credentials anywhere: no request, the login action and the variables', async () => {
    setEnv({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_KMS: kms.url });
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      `awskms:///alias/github-app: no AWS credentials were found. ${LOGIN}; the role needs kms:Sign and kms:GetPublicKey on the key.`,
    );
    expect(kms.requests).toEqual([]);
  });

  test('AWS_PROFILE naming a profile the config files lack, the variables set too: the profile is named', async () => {
    setEnv({ ...signedIn(), AWS_ENDPOINT_URL_KMS: kms.url, AWS_PROFILE: 'signer' });
    const record = recorder();
    expect((await failure('awskms:///alias/github-app', record)).message).toBe(
      `awskms:///alias/github-app: no AWS credentials were found. ${LOGIN}; the role needs kms:Sign and kms:GetPublicKey on the key. AWS_PROFILE is set ('signer'): the SDK then reads that profile from the shared config files instead of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; unset it or add the profile.`,
    );
    // The SDK's own warning reaches the step's log, not stderr.
    expect(record.info).toEqual([expect.stringMatching(/^AWS SDK: .*Multiple credential sources detected/s)]);
    expect(kms.requests).toEqual([]);
  });

  test('no region and a key that is not an ARN: no request', async () => {
    const { AWS_REGION, AWS_DEFAULT_REGION, ...rest } = signedIn();
    void AWS_REGION;
    void AWS_DEFAULT_REGION;
    setEnv({ ...rest, AWS_ENDPOINT_URL_KMS: kms.url });
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      'awskms:///alias/github-app: no AWS region is set. Set AWS_REGION (aws-actions/configure-aws-credentials sets it from its aws-region input), or write the key as its ARN, which names its region.',
    );
    expect(kms.requests).toEqual([]);
  });

  test('GetPublicKey denied: names kms:GetPublicKey', async () => {
    setEnv({ ...signedIn(signer), AWS_ENDPOINT_URL_KMS: kms.url });
    const denied = await emulator({ keys: [{ ...appKey, allow: {} }] });
    process.env.AWS_ENDPOINT_URL_KMS = denied.url;
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      `awskms:///alias/github-app: AWS KMS refused kms:GetPublicKey (AccessDeniedException: User: ${signer.principal} is not authorized to perform: kms:GetPublicKey on resource: ${arn(appKey)} because no identity-based policy allows the kms:GetPublicKey action). Allow kms:GetPublicKey on the key to the role this job signs in with, in the role's IAM policy or in the key policy; signing needs kms:Sign and kms:GetPublicKey.`,
    );
  });

  test('Sign denied (the role may only read the key): names kms:Sign', async () => {
    setEnv({ ...signedIn(reader), AWS_ENDPOINT_URL_KMS: kms.url });
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      `awskms:///alias/github-app: AWS KMS refused kms:Sign (AccessDeniedException: User: ${reader.principal} is not authorized to perform: kms:Sign on resource: ${arn(appKey)} because no identity-based policy allows the kms:Sign action). Allow kms:Sign on the key to the role this job signs in with, in the role's IAM policy or in the key policy; signing needs kms:Sign and kms:GetPublicKey.`,
    );
    expect(answered()).toEqual(['GetPublicKey ok', 'Sign AccessDeniedException']);
  });

  test.each([
    ['an alias', 'alias/nope', (k: AwsKmsEmulator) => `Alias ${k.aliasArn('alias/nope')} is not found.`],
    [
      'a key ID',
      '0b2ad402-0000-46ac-0000-000000000000',
      (k: AwsKmsEmulator) =>
        `Key '${k.keyArn({ keyId: '0b2ad402-0000-46ac-0000-000000000000' } as EmulatedKmsKey)}' does not exist`,
    ],
    ['a malformed key ID', 'not-a-key', () => 'Invalid keyId not-a-key'],
  ])('no such key (%s): the region and how to name a key', async (_, keyId, said) => {
    expect((await failure(`awskms:///${keyId}`)).message).toBe(
      `awskms:///${keyId}: AWS KMS in us-east-1 has no such key (NotFoundException: ${said(kms)}). Check the key ID, ARN or alias and the region: a key lives in one region and account, so set AWS_REGION to the key's region or write the key as its ARN.`,
    );
  });

  test('a disabled key', async () => {
    expect((await failure('awskms:///alias/disabled')).message).toBe(
      `awskms:///alias/disabled: the key is disabled (DisabledException: ${arn(disabled)} is disabled.). Enable it (aws kms enable-key --key-id KEY) or name another key.`,
    );
  });

  test('a key disabled after the first JWT: the next signature fails the same way', async () => {
    const key = makeKmsKey('RSA_2048', { aliases: ['alias/later'], allow: canUse });
    const later = await emulator({ keys: [key] });
    process.env.AWS_ENDPOINT_URL_KMS = later.url;
    const jwtSigner = await signerFor('awskms:///alias/later');
    await jwtSigner.sign(claims());
    key.state = 'Disabled';
    await expect(jwtSigner.sign(claims())).rejects.toThrow(
      new KmsError(
        `awskms:///alias/later: the key is disabled (DisabledException: ${later.keyArn(key)} is disabled.). Enable it (aws kms enable-key --key-id KEY) or name another key.`,
      ),
    );
    expect(answered(later)).toEqual(['GetPublicKey ok', 'Sign ok', 'Sign DisabledException']);
  });

  test.each([
    ['pending deletion', 'alias/deleting', () => `${arn(deleting)} is pending deletion.`],
    ['pending import', 'alias/importing', () => `${arn(importing)} is pending import.`],
  ])('a key %s', async (_, keyId, said) => {
    expect((await failure(`awskms:///${keyId}`)).message).toBe(
      `awskms:///${keyId}: the key cannot sign in its current state (KMSInvalidStateException: ${said()}). A key pending deletion can be restored with aws kms cancel-key-deletion, then aws kms enable-key; a key pending import needs its key material imported.`,
    );
  });

  test.each([
    ['an EC key', 'alias/ec', () => `awskms:///alias/ec has key spec ECC_NIST_P256; RS256 needs ${NEEDED}.`],
    [
      'a symmetric key',
      'alias/symmetric',
      () =>
        `awskms:///alias/symmetric is a symmetric key, which has no public key and cannot sign JWTs (UnsupportedOperationException: ${arn(symmetric)} is a symmetric key: it has no public key.). RS256 needs ${NEEDED}.`,
    ],
    [
      'an HMAC key',
      'alias/hmac',
      () =>
        `awskms:///alias/hmac is a symmetric key, which has no public key and cannot sign JWTs (UnsupportedOperationException: ${arn(hmacKey)} is a symmetric key: it has no public key.). RS256 needs ${NEEDED}.`,
    ],
    [
      'an RSA encryption key',
      'alias/encryption',
      () =>
        "awskms:///alias/encryption has key usage ENCRYPT_DECRYPT (key spec RSA_2048); RS256 needs key usage SIGN_VERIFY. Create a signing key: a key's usage cannot be changed.",
    ],
    [
      'an RSA key that signs only with PSS',
      'alias/pss-only',
      () =>
        'awskms:///alias/pss-only does not sign with RSASSA_PKCS1_V1_5_SHA_256 (it offers RSASSA_PSS_SHA_256, RSASSA_PSS_SHA_384, RSASSA_PSS_SHA_512); RS256 needs it.',
    ],
  ])('%s cannot make RS256 JWTs: refused before any signature', async (_, keyId, message) => {
    expect((await failure(`awskms:///${keyId}`)).message).toBe(message());
    expect(kms.operations().map((op) => op.operation)).toEqual(['GetPublicKey']);
  });

  test('Sign refusing the algorithm (InvalidKeyUsageException) says what RS256 needs', async () => {
    // A key whose public key looks right but that KMS refuses to sign with: only the Sign answer tells.
    const odd = makeKmsKey('RSA_2048', { aliases: ['alias/odd'], allow: canUse });
    const oddKms = await emulator({ keys: [odd] });
    process.env.AWS_ENDPOINT_URL_KMS = oddKms.url;
    const jwtSigner = await signerFor('awskms:///alias/odd');
    await jwtSigner.sign(claims());
    odd.signingAlgorithms = ['RSASSA_PSS_SHA_256'];
    await expect(jwtSigner.sign(claims())).rejects.toThrow(
      new KmsError(
        `awskms:///alias/odd cannot make RS256 signatures (InvalidKeyUsageException: Algorithm RSASSA_PKCS1_V1_5_SHA_256 is incompatible with key spec RSA_2048.). RS256 needs ${NEEDED}.`,
      ),
    );
  });

  test.each([
    [
      'an unknown access key',
      () => ({ ...signedIn(), AWS_ACCESS_KEY_ID: 'ASIAUNKNOWNUNKNOWN00' }),
      'UnrecognizedClientException: The security token included in the request is invalid.',
    ],
    [
      'a wrong secret key',
      () => ({ ...signedIn(), AWS_SECRET_ACCESS_KEY: 'wrong-secret-key-wrong-secret-key-wrong-se' }),
      'InvalidSignatureException: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ],
    [
      'a missing session token',
      () => {
        const { AWS_SESSION_TOKEN, ...rest } = signedIn();
        void AWS_SESSION_TOKEN;
        return rest;
      },
      'UnrecognizedClientException: The security token included in the request is invalid.',
    ],
    [
      'an expired session',
      () => signedIn(expired),
      'ExpiredTokenException: The security token included in the request is expired',
    ],
  ])('credentials AWS does not take (%s): sign in again', async (_, env, said) => {
    setEnv({ ...env(), AWS_ENDPOINT_URL_KMS: kms.url });
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      `awskms:///alias/github-app: AWS did not accept the credentials (${said}). ${LOGIN}; the access key, secret key and session token must come from the same, unexpired sign-in.`,
    );
  });

  test("a key ARN of another region than the endpoint's: the endpoint does not serve that region", async () => {
    const elsewhere = `arn:aws:kms:eu-west-1:${kms.accountId}:key/${appKey.keyId}`;
    expect((await failure(`awskms:///${elsewhere}`)).message).toBe(
      `awskms:///${elsewhere}: the KMS endpoint ${kms.url} does not serve eu-west-1 (InvalidSignatureException: Credential should be scoped to a valid region, not 'eu-west-1'. ). Set AWS_REGION to the endpoint's region.`,
    );
  });

  test('nothing listening at the endpoint: the attempts and the address', async () => {
    const port = await closedPort();
    process.env.AWS_ENDPOINT_URL_KMS = `http://127.0.0.1:${port}`;
    const error = await failure('awskms:///alias/github-app');
    expect(error.message).toMatch(
      new RegExp(
        `^awskms:///alias/github-app: AWS KMS at http://127\\.0\\.0\\.1:${port} could not be reached \\(3 attempts\\): .*127\\.0\\.0\\.1:${port}.*\\.`,
      ),
    );
  });

  test('connections dropped on every attempt', async () => {
    kms.fail('POST /', 'reset', 'reset', 'reset');
    const error = await failure('awskms:///alias/github-app');
    expect(error.message).toMatch(
      new RegExp(
        `^awskms:///alias/github-app: AWS KMS at ${kms.url.replace(/\./g, '\\.')} could not be reached \\(3 attempts\\): `,
      ),
    );
    expect(kms.requests).toHaveLength(3);
  });

  test('KMS failing on every attempt: the status, the attempts, run again later', async () => {
    const internal = { status: 500, body: { __type: 'KMSInternalException', message: 'internal failure' } };
    kms.fail('POST /', internal, internal, internal);
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      `awskms:///alias/github-app: AWS KMS at ${kms.url} answered GetPublicKey with HTTP 500 (KMSInternalException: internal failure; 3 attempts). Run the job again later.`,
    );
  });

  test('KMS throttling every attempt: run again later', async () => {
    const throttled = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
    kms.fail('POST /', throttled, throttled, throttled);
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      `awskms:///alias/github-app: AWS KMS at ${kms.url} answered GetPublicKey with HTTP 400 (ThrottlingException: Rate exceeded; 3 attempts). Run the job again later.`,
    );
  });

  test("a page that is not KMS's (a proxy's 403): the status, not retried", async () => {
    kms.fail('POST /', {
      status: 403,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Forbidden by policy</body></html>',
    });
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      `awskms:///alias/github-app: ${kms.url} answered GetPublicKey with HTTP 403 and a body that is not AWS KMS's JSON (1 attempt). Check that the endpoint is AWS KMS (the URI's HOST:PORT, AWS_ENDPOINT_URL_KMS or AWS_ENDPOINT_URL) and that no proxy answers in its place.`,
    );
    expect(kms.requests).toHaveLength(1);
  });

  test("a proxy's 502 page on every attempt: retried, then run again later", async () => {
    const page = { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>' };
    kms.fail('POST /', page, page, page);
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      `awskms:///alias/github-app: ${kms.url} answered GetPublicKey with HTTP 502 and a body that is not AWS KMS's JSON (3 attempts). Check that the endpoint is AWS KMS (the URI's HOST:PORT, AWS_ENDPOINT_URL_KMS or AWS_ENDPOINT_URL) and that no proxy answers in its place. Run the job again later.`,
    );
  });

  test('a region the SDK cannot use: refused before any request', async () => {
    setEnv({ ...signedIn(signer, 'us east 1'), AWS_ENDPOINT_URL_KMS: kms.url });
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      'awskms:///alias/github-app: GetPublicKey failed before AWS KMS answered (Error: Region not accepted: region="us east 1" is not a valid hostname component.).',
    );
    expect(kms.requests).toEqual([]);
  });

  test('a clock KMS refuses, with retries turned off (AWS_MAX_ATTEMPTS=1): fix the clock', async () => {
    const ahead = await emulator({ clockOffsetSeconds: 20 * 60 });
    setEnv({ ...signedIn(), AWS_ENDPOINT_URL_KMS: ahead.url, AWS_MAX_ATTEMPTS: '1' });
    expect((await failure('awskms:///alias/github-app')).message).toMatch(
      /^awskms:\/\/\/alias\/github-app: AWS refused the request's time \(InvalidSignatureException: Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)\): this machine's clock is more than 15 minutes off\. Fix the runner's clock \(NTP\)\.$/,
    );
    expect(ahead.requests).toHaveLength(1);
  });

  test('an answer without the public key, or without the signature, is refused', async () => {
    kms.fail('POST /', {
      status: 200,
      body: {
        KeyId: arn(appKey),
        KeySpec: 'RSA_2048',
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256'],
      },
    });
    expect((await failure('awskms:///alias/github-app')).message).toBe(
      'awskms:///alias/github-app: AWS KMS answered GetPublicKey without the public key.',
    );
    const jwtSigner = await signerFor('awskms:///alias/github-app');
    await jwtSigner.sign(claims());
    kms.fail('POST /', { status: 200, body: { KeyId: arn(appKey), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' } });
    await expect(jwtSigner.sign(claims())).rejects.toThrow(
      new KmsError('awskms:///alias/github-app: AWS KMS answered Sign without a signature.'),
    );
  });

  test('a signature the public key does not verify (KMS answering for another key) is refused', async () => {
    const jwtSigner = await signerFor('awskms:///alias/github-app');
    await jwtSigner.sign(claims());
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    kms.fail('POST /', {
      status: 200,
      body: {
        KeyId: arn(appKey),
        Signature: sign('sha256', Buffer.from('something else'), other).toString('base64'),
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      },
    });
    await expect(jwtSigner.sign(claims())).rejects.toThrow(
      new KmsError(
        'awskms:///alias/github-app returned a signature that its own public key does not verify as RS256: the key signs with another algorithm (RSA-PSS?) or the service answered for another key. Use a key (version) made for RSASSA-PKCS1-v1_5 with SHA-256.',
      ),
    );
  });
});

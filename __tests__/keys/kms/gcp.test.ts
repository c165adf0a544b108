// gcpkms:// keys through google-auth-library against the Cloud KMS emulator (test/emulators/gcp-kms.ts), over
// real sockets. google-auth-library posts to Google's token hosts whatever the credentials file says, so the
// emulator answers as them over TLS, reached through the forward proxy of test/proxy.ts (HTTPS_PROXY, set in
// process.env where gaxios reads it) with its throwaway CA trusted through tls.setDefaultCACertificates; both
// are restored after the file. Credentials files live in a temporary folder removed after the file.
import { createHash, createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { createClock } from '../../../src/clock.js';
import { createTransport } from '../../../src/http/transport.js';
import { signJwt } from '../../../src/keys/jwt/sign.js';
import type { KmsDependencies } from '../../../src/keys/kms/dependencies.js';
import { crc32c, gcpKey } from '../../../src/keys/kms/gcp.js';
import { KmsError, remoteSigner } from '../../../src/keys/kms/remote-key.js';
import { parseKmsKey } from '../../../src/keys/kms/uri.js';
import { githubAppClaims } from '../../../src/providers/github/app-jwt.js';
import { APP_KEY_PEM } from '../../../test/key-forms.ts';
import { startProxy, type RunningProxy } from '../../../test/proxy.ts';
import { makeTestCertificates } from '../../../test/tls.ts';
import {
  GOOGLE_HOSTS,
  crc32c as emulatorCrc32c,
  makeKeyVersion,
  makeServiceAccount,
  startGcpKmsEmulator,
  workloadIdentityCredentials,
  type EmulatedKeyVersion,
  type GcpKmsEmulator,
  type KmsAlgorithm,
} from '../../../test/emulators/gcp-kms.ts';

const RING = 'projects/octo-kms/locations/global/keyRings/github';
const version = (key: string, v = '1') => `${RING}/cryptoKeys/${key}/cryptoKeyVersions/${v}`;
const uriOf = (name: string) => `gcpkms://${name}`;

// The app's downloaded PEM imported as version 1 of "app": a PEM signer and KMS then make the same RS256 JWT.
const appVersion = makeKeyVersion(version('app'), 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: APP_KEY_PEM });
const keyVersions: EmulatedKeyVersion[] = [
  appVersion,
  makeKeyVersion(version('app', '2'), 'RSA_SIGN_PKCS1_2048_SHA256', { state: 'DISABLED' }),
  makeKeyVersion(version('app', '3'), 'RSA_SIGN_PKCS1_2048_SHA256', { state: 'DESTROYED' }),
  makeKeyVersion(version('app', '4'), 'RSA_SIGN_PKCS1_2048_SHA256', { state: 'DESTROY_SCHEDULED' }),
  makeKeyVersion(version('app', '5'), 'RSA_SIGN_PKCS1_2048_SHA256', { state: 'PENDING_IMPORT' }),
  makeKeyVersion(version('app', '6'), 'RSA_SIGN_PKCS1_2048_SHA256', { state: 'IMPORT_FAILED' }),
  makeKeyVersion(version('rsa3072'), 'RSA_SIGN_PKCS1_3072_SHA256'),
  makeKeyVersion(version('rsa4096'), 'RSA_SIGN_PKCS1_4096_SHA256', { protectionLevel: 'HSM' }),
  makeKeyVersion(version('ec'), 'EC_SIGN_P256_SHA256'),
  makeKeyVersion(version('pss'), 'RSA_SIGN_PSS_2048_SHA256'),
  makeKeyVersion(version('sha512'), 'RSA_SIGN_PKCS1_4096_SHA512'),
  makeKeyVersion(version('raw'), 'RSA_SIGN_RAW_PKCS1_2048'),
  makeKeyVersion(version('decrypt'), 'RSA_DECRYPT_OAEP_2048_SHA256'),
  makeKeyVersion(version('symmetric'), 'GOOGLE_SYMMETRIC_ENCRYPTION'),
];

const signer = makeServiceAccount('kms-signer@octo-kms.iam.gserviceaccount.com');
const viewer = makeServiceAccount('kms-viewer@octo-kms.iam.gserviceaccount.com');
const outsider = makeServiceAccount('outsider@octo-kms.iam.gserviceaccount.com');
const wifAccount = makeServiceAccount('wif-signer@octo-kms.iam.gserviceaccount.com');
const unknownAccount = makeServiceAccount('deleted@octo-kms.iam.gserviceaccount.com');

const POOL = 'projects/123456789/locations/global/workloadIdentityPools/github';
const PROVIDER = `${POOL}/providers/actions`;
const REPOSITORY_SET = `principalSet://iam.googleapis.com/${POOL}/attribute.repository/octo-org/octo-repo`;
const REQUEST_TOKEN = 'ACTIONS-ID-TOKEN-REQUEST-TOKEN-0123456789abcdef';
const repositoryClaims = (repository = 'octo-org/octo-repo') => ({
  sub: `repo:${repository}:ref:refs/heads/main`,
  repository,
  repository_owner: repository.split('/')[0],
  ref: 'refs/heads/main',
});

const clock = () => createClock(() => 1_700_000_000_000);
const claims = () => githubAppClaims(123456, 540, clock());
const appPrivateKey = createPrivateKey(APP_KEY_PEM);

// ----------------------------------------------------------------------------------------------------------
// The environment, the emulator, the dependencies

const certificates = makeTestCertificates(Object.values(GOOGLE_HOSTS));
const systemCas = getCACertificates('default');
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
const savedProxyEnv = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
const folder = mkdtempSync(join(tmpdir(), 'app-jwt-gcp-kms-'));

beforeAll(() => setDefaultCACertificates([...systemCas, certificates.caPem]));
afterAll(() => {
  setDefaultCACertificates(systemCas);
  for (const [name, value] of Object.entries(savedProxyEnv))
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  rmSync(folder, { recursive: true, force: true });
});

let emulator: GcpKmsEmulator;
let proxy: RunningProxy;

beforeEach(async () => {
  emulator = await startGcpKmsEmulator({
    tls: certificates,
    keyVersions,
    serviceAccounts: [signer.account, viewer.account, outsider.account, wifAccount.account],
    bindings: [
      { resource: RING, role: 'roles/cloudkms.signerVerifier', members: [`serviceAccount:${signer.account.email}`] },
      { resource: RING, role: 'roles/cloudkms.publicKeyViewer', members: [`serviceAccount:${viewer.account.email}`] },
      {
        resource: `${RING}/cryptoKeys/app`,
        role: 'roles/cloudkms.signerVerifier',
        members: [REPOSITORY_SET, `serviceAccount:${wifAccount.account.email}`],
      },
    ],
    providers: [{ name: PROVIDER, condition: (c) => String(c.repository_owner) === 'octo-org' }],
    impersonation: [{ serviceAccount: wifAccount.account.email, members: [REPOSITORY_SET] }],
    oidc: { requestToken: REQUEST_TOKEN, claims: repositoryClaims() },
  });
  proxy = await startProxy({ hosts: emulator.proxyHosts() });
  for (const name of PROXY_VARIABLES) delete process.env[name];
  process.env.HTTPS_PROXY = proxy.url;
});
afterEach(async () => {
  await proxy.close();
  await emulator.close();
});

let files = 0;
function credentialsFile(json: unknown): string {
  const path = join(folder, `credentials-${++files}.json`);
  writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json, null, 2));
  return path;
}

const wifFile = (options: { serviceAccount?: string; requestToken?: string } = {}) =>
  credentialsFile(
    workloadIdentityCredentials({
      provider: PROVIDER,
      oidcTokenUrl: emulator.oidcTokenUrl(`https://iam.googleapis.com/${PROVIDER}`),
      requestToken: options.requestToken ?? REQUEST_TOKEN,
      serviceAccount: options.serviceAccount,
    }),
  );

interface Recorded {
  /** Each mask with the number of requests the emulator had received when it was sent. */
  masks: { value: string; requestsBefore: number }[];
  logs: string[];
}

function dependencies(env: Record<string, string | undefined>): KmsDependencies & Recorded {
  const masks: Recorded['masks'] = [];
  const logs: string[] = [];
  return {
    env,
    masks,
    logs,
    mask: (value) => masks.push({ value, requestsBefore: emulator.requests.length }),
    log: { info: (message) => logs.push(message), debug: () => undefined },
    transport: async () =>
      createTransport({
        retry: {
          sleep: async () => undefined,
          onRetry: ({ service, attempt, reason }) => logs.push(`${service} retry ${attempt}: ${reason}`),
        },
      }),
  };
}

const asSigner = (keyFile: Record<string, unknown> = signer.keyFile) => ({
  GOOGLE_APPLICATION_CREDENTIALS: credentialsFile(keyFile),
});

function gcpKmsKey(name: string) {
  const key = parseKmsKey(uriOf(name));
  if (key.scheme !== 'gcpkms') throw new Error(`${name} did not parse as a gcpkms key`);
  return key;
}

async function signWith(name: string, env: Record<string, string | undefined> = asSigner()) {
  const deps = dependencies(env);
  const key = await gcpKey(gcpKmsKey(name), deps);
  const jwt = await remoteSigner(key).sign(claims());
  return { jwt, deps };
}

async function failureOf(name: string, env: Record<string, string | undefined> = asSigner()): Promise<KmsError> {
  try {
    await signWith(name, env);
  } catch (error) {
    if (error instanceof KmsError) return error;
    throw error;
  }
  throw new Error('signing succeeded');
}

const routes = () => emulator.requests.map((r) => `${r.method} ${r.headers.host} ${r.path.replace(/\?.*$/, '')}`);
const kmsRoutes = () => routes().filter((r) => r.includes(' /v1/projects/octo-kms/'));
const SIGN_ROUTE = 'POST /v1/projects/:p/locations/:l/keyRings/:r/cryptoKeys/:k/cryptoKeyVersions/:v';
const PUBLIC_KEY_ROUTE = 'GET /v1/projects/:p/locations/:l/keyRings/:r/cryptoKeys/:k/cryptoKeyVersions/:v/publicKey';

// ----------------------------------------------------------------------------------------------------------

describe('signing with a service account key', () => {
  test('the JWT is byte-identical to the one the imported PEM signs, and verifies with the key', async () => {
    const { jwt } = await signWith(version('app'));
    expect(jwt.token).toBe(signJwt(claims(), appPrivateKey).token);
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
  });

  test.each([
    ['rsa3072', 3072],
    ['rsa4096', 4096],
  ])('a %s key signs JWTs that verify with its public key', async (key, bits) => {
    const { jwt } = await signWith(version(key));
    const [header, payload, signature] = jwt.token.split('.');
    const publicKey = createPublicKey(keyVersions.find((v) => v.name === version(key))!.privateKey!);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(bits);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
  });

  test("the token comes from Google's token host through the proxy, whatever the file's token_uri says", async () => {
    await signWith(version('app'), asSigner({ ...signer.keyFile, token_uri: 'https://token.example.invalid/token' }));
    // A tunnel per request: gaxios's proxy agent keeps no connection alive.
    expect(proxy.seen).toEqual([
      { method: 'CONNECT', url: 'oauth2.googleapis.com:443' },
      { method: 'CONNECT', url: 'cloudkms.googleapis.com:443' },
      { method: 'CONNECT', url: 'cloudkms.googleapis.com:443' },
    ]);
    const assertion = (emulator.requests[0].body as Record<string, string>).assertion;
    const [, payload] = assertion.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      iss: signer.account.email,
      aud: 'https://oauth2.googleapis.com/token',
      scope: 'https://www.googleapis.com/auth/cloudkms',
    });
  });

  test('one token and one public key for the run; each JWT after that is one more sign request', async () => {
    const deps = dependencies(asSigner());
    const key = await gcpKey(gcpKmsKey(version('app')), deps);
    const jwtSigner = remoteSigner(key);
    await jwtSigner.sign(claims());
    await jwtSigner.sign({ ...claims(), iat: 1_700_000_100 });
    expect(routes()).toEqual([
      'POST oauth2.googleapis.com /token',
      `GET cloudkms.googleapis.com /v1/${version('app')}/publicKey`,
      `POST cloudkms.googleapis.com /v1/${version('app')}:asymmetricSign`,
      `POST cloudkms.googleapis.com /v1/${version('app')}:asymmetricSign`,
    ]);
  });

  test('the sign request carries the SHA-256 digest of the JWT signing input and its CRC32C', async () => {
    const { jwt } = await signWith(version('app'));
    const signingInput = jwt.token.slice(0, jwt.token.lastIndexOf('.'));
    const digest = createHash('sha256').update(signingInput).digest();
    expect(emulator.requests.at(-1)?.body).toEqual({
      digest: { sha256: digest.toString('base64') },
      digestCrc32c: String(emulatorCrc32c(digest)),
    });
    expect(emulator.signatures().map((s) => s.principal)).toEqual([`serviceAccount:${signer.account.email}`]);
  });

  test("the key file's private key is masked before any request, the access token before the first KMS request", async () => {
    const { deps } = await signWith(version('app'));
    const beforeAny = deps.masks.filter((m) => m.requestsBefore === 0).map((m) => m.value);
    const keyLines = signer.privateKeyPem.trim().split('\n').slice(1, -1);
    expect(beforeAny).toEqual(expect.arrayContaining(keyLines));
    expect(beforeAny).toContain(JSON.stringify(signer.privateKeyPem).slice(1, -1));
    // The assertion the library signs is masked before it is posted, the token as it arrives.
    const assertion = (emulator.requests[0].body as Record<string, string>).assertion;
    expect(beforeAny).toContain(assertion);
    const [token] = emulator.issuedTokens();
    const firstKms = emulator.requests.findIndex((r) => r.path.startsWith('/v1/projects/octo-kms/'));
    expect(deps.masks.find((m) => m.value === token.token)?.requestsBefore).toBeLessThanOrEqual(firstKms);
    expect(new Set(deps.masks.map((m) => m.value)).size).toBe(deps.masks.length);
  });

  test('CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS sends the KMS requests there (direct: a loopback address)', async () => {
    for (const override of [`${emulator.url}/`, emulator.url]) {
      proxy.seen.length = 0;
      emulator.requests.length = 0;
      await signWith(version('app'), { ...asSigner(), CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS: override });
      const host = new URL(emulator.url).host;
      expect(proxy.seen).toEqual([{ method: 'CONNECT', url: 'oauth2.googleapis.com:443' }]);
      expect(kmsRoutes()).toEqual([
        `GET ${host} /v1/${version('app')}/publicKey`,
        `POST ${host} /v1/${version('app')}:asymmetricSign`,
      ]);
    }
  });
});

describe('signing through workload identity federation (the file google-github-actions/auth writes)', () => {
  test('direct federation: the GitHub OIDC token is exchanged at STS and the federated token signs', async () => {
    const { jwt, deps } = await signWith(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: wifFile() });
    expect(jwt.token).toBe(signJwt(claims(), appPrivateKey).token);
    expect(routes()).toEqual([
      `GET ${new URL(emulator.url).host} /oidc/token`,
      'POST sts.googleapis.com /v1/token',
      `GET cloudkms.googleapis.com /v1/${version('app')}/publicKey`,
      `POST cloudkms.googleapis.com /v1/${version('app')}:asymmetricSign`,
    ]);
    const [federated] = emulator.issuedTokens();
    expect(federated).toMatchObject({
      issuedBy: 'sts',
      principal: expect.stringMatching(/^principal:\/\/iam\.googleapis\.com\/projects\/123456789\//),
    });
    const oidcToken = (emulator.requests[1].body as Record<string, string>).subject_token;
    const values = deps.masks.map((m) => m.value);
    expect(values).toEqual(
      expect.arrayContaining([REQUEST_TOKEN, `Bearer ${REQUEST_TOKEN}`, oidcToken, federated.token]),
    );
    expect(deps.masks.find((m) => m.value === REQUEST_TOKEN)?.requestsBefore).toBe(0);
  });

  test('through a service account: the federated token is traded for the account’s at IAM Credentials', async () => {
    const { jwt } = await signWith(version('app'), {
      GOOGLE_APPLICATION_CREDENTIALS: wifFile({ serviceAccount: wifAccount.account.email }),
    });
    expect(jwt.token).toBe(signJwt(claims(), appPrivateKey).token);
    expect(routes()).toContain(
      `POST iamcredentials.googleapis.com /v1/projects/-/serviceAccounts/${wifAccount.account.email}:generateAccessToken`,
    );
    expect(emulator.issuedTokens().map((t) => t.issuedBy)).toEqual(['sts', 'iamcredentials']);
    expect(emulator.signatures().map((s) => s.principal)).toEqual([`serviceAccount:${wifAccount.account.email}`]);
  });
});

// ----------------------------------------------------------------------------------------------------------

const SIGNER = `the service account ${signer.account.email}`;

describe('keys that cannot make RS256 signatures fail on their public key, before any signature', () => {
  const needs =
    "RS256 JWTs need an RSA signing key with algorithm RSA_SIGN_PKCS1_2048_SHA256, RSA_SIGN_PKCS1_3072_SHA256 or RSA_SIGN_PKCS1_4096_SHA256. Create a key version with one of those (a GitHub App's downloaded key imports as RSA_SIGN_PKCS1_2048_SHA256).";
  test.each<[string, KmsAlgorithm, string]>([
    ['ec', 'EC_SIGN_P256_SHA256', 'is an EC signing key (EC_SIGN_P256_SHA256); '],
    [
      'pss',
      'RSA_SIGN_PSS_2048_SHA256',
      'is an RSA-PSS key (RSA_SIGN_PSS_2048_SHA256), and RS256 is RSASSA-PKCS1-v1_5; ',
    ],
    [
      'sha512',
      'RSA_SIGN_PKCS1_4096_SHA512',
      'signs SHA-512 digests (RSA_SIGN_PKCS1_4096_SHA512), and RS256 signs SHA-256 ones; ',
    ],
    [
      'raw',
      'RSA_SIGN_RAW_PKCS1_2048',
      'signs raw data without a digest (RSA_SIGN_RAW_PKCS1_2048), and RS256 signs a SHA-256 digest; ',
    ],
    [
      'decrypt',
      'RSA_DECRYPT_OAEP_2048_SHA256',
      'is an RSA decryption key (RSA_DECRYPT_OAEP_2048_SHA256), not a signing key; ',
    ],
  ])('%s (%s)', async (key, _algorithm, what) => {
    const error = await failureOf(version(key));
    expect(error.message).toBe(`${uriOf(version(key))} ${what}${needs}`);
    expect(kmsRoutes()).toEqual([`GET cloudkms.googleapis.com /v1/${version(key)}/publicKey`]);
  });

  test('a symmetric key: Cloud KMS refuses its public key for the purpose', async () => {
    const error = await failureOf(version('symmetric'));
    expect(error.message).toBe(
      `${uriOf(version('symmetric'))} is a symmetric encryption key (purpose ENCRYPT_DECRYPT); RS256 JWTs need an RSA signing key with algorithm RSA_SIGN_PKCS1_2048_SHA256, RSA_SIGN_PKCS1_3072_SHA256 or RSA_SIGN_PKCS1_4096_SHA256 (purpose ASYMMETRIC_SIGN).`,
    );
  });
});

describe('key versions that are not enabled', () => {
  const uri = (v: string) => uriOf(version('app', v));
  test('DISABLED names the gcloud command that enables it', async () => {
    expect((await failureOf(version('app', '2'))).message).toBe(
      `${uri('2')}: this key version is DISABLED, and Cloud KMS signs only with an ENABLED one. Enable it (gcloud kms keys versions enable 2 --key app --keyring github --location global --project octo-kms), or name an enabled version in kms-key.`,
    );
  });
  test('DESTROYED says the material is gone', async () => {
    expect((await failureOf(version('app', '3'))).message).toBe(
      `${uri('3')}: this key version is DESTROYED: its key material is gone for good. Import the app's private key into a new version of the key and name that version in kms-key.`,
    );
  });
  test('DESTROY_SCHEDULED names the restore command', async () => {
    expect((await failureOf(version('app', '4'))).message).toBe(
      `${uri('4')}: this key version is scheduled for destruction (DESTROY_SCHEDULED). Restore it (gcloud kms keys versions restore 4 --key app --keyring github --location global --project octo-kms), then enable it.`,
    );
  });
  test('PENDING_IMPORT says to wait', async () => {
    expect((await failureOf(version('app', '5'))).message).toBe(
      `${uri('5')}: this key version is not ready yet (PENDING_IMPORT). Wait until it is ENABLED, then run the job again.`,
    );
  });
  test('IMPORT_FAILED, as any other state, asks for an enabled version', async () => {
    expect((await failureOf(version('app', '6'))).message).toBe(
      `${uri('6')}: this key version is IMPORT_FAILED, and Cloud KMS signs only with an ENABLED one. Name an enabled version in kms-key.`,
    );
  });
  test('a version that does not exist', async () => {
    const name = version('app', '9');
    expect((await failureOf(name)).message).toBe(
      `${uriOf(name)}: this key version does not exist (NOT_FOUND: CryptoKeyVersion ${name} not found.). Check the project, location, key ring, key and version number in kms-key (gcloud kms keys versions list --key KEY --keyring RING --location LOCATION --project PROJECT).`,
    );
  });
});

describe('access denied names the permission and the role that grants it', () => {
  test('no cloudkms.cryptoKeyVersions.viewPublicKey', async () => {
    const error = await failureOf(version('app'), asSigner(outsider.keyFile));
    expect(error.message).toBe(
      `${uriOf(version('app'))}: the service account ${outsider.account.email} lacks the permission cloudkms.cryptoKeyVersions.viewPublicKey on this key, or the key does not exist (Google answers both alike). Grant it roles/cloudkms.signerVerifier on the key (or roles/cloudkms.publicKeyViewer, for the public key alone), and check the project, location, key ring and key in kms-key.`,
    );
  });
  test('no cloudkms.cryptoKeyVersions.useToSign', async () => {
    const error = await failureOf(version('app'), asSigner(viewer.keyFile));
    expect(error.message).toBe(
      `${uriOf(version('app'))}: the service account ${viewer.account.email} lacks the permission cloudkms.cryptoKeyVersions.useToSign on this key, or the key does not exist (Google answers both alike). Grant it roles/cloudkms.signerVerifier on the key (or roles/cloudkms.signer, for signing alone), and check the project, location, key ring and key in kms-key.`,
    );
    expect(kmsRoutes()).toHaveLength(2);
  });
  test('a federated identity without a binding is named by its provider', async () => {
    const error = await failureOf(version('rsa3072'), { GOOGLE_APPLICATION_CREDENTIALS: wifFile() });
    expect(error.message).toBe(
      `${uriOf(version('rsa3072'))}: the workload identity of this workflow (${PROVIDER}) lacks the permission cloudkms.cryptoKeyVersions.viewPublicKey on this key, or the key does not exist (Google answers both alike). Grant the pool's principal set (for one repository: principalSet://iam.googleapis.com/${POOL}/attribute.repository/OWNER/REPO) roles/cloudkms.signerVerifier on the key (or roles/cloudkms.publicKeyViewer, for the public key alone), and check the project, location, key ring and key in kms-key.`,
    );
  });
});

describe('credentials: missing, unreadable, refused', () => {
  const uri = uriOf(version('app'));
  const login =
    'Run google-github-actions/auth before this step (with workload_identity_provider, or credentials_json for a service account key): it writes the credentials file and sets GOOGLE_APPLICATION_CREDENTIALS to it.';

  test('GOOGLE_APPLICATION_CREDENTIALS not set names the login action, and nothing is sent', async () => {
    expect((await failureOf(version('app'), {})).message).toBe(
      `${uri}: no Google Cloud credentials: GOOGLE_APPLICATION_CREDENTIALS is not set. ${login}`,
    );
    expect(emulator.requests).toEqual([]);
  });

  test('a file that is not there', async () => {
    const path = join(folder, 'gha-creds-gone.json');
    expect((await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: path })).message).toBe(
      `${uri}: no Google Cloud credentials: GOOGLE_APPLICATION_CREDENTIALS is ${path}, which cannot be read (ENOENT). ${login}`,
    );
  });

  test.each([
    ['not JSON', 'private_key: nope', 'it is not JSON'],
    ['an array', '[]', 'it is not a JSON object'],
    ['no type', '{}', 'it has no type'],
    [
      'another type',
      '{"type":"gdch_service_account"}',
      'its type is "gdch_service_account", not service_account or external_account',
    ],
    [
      'a service account without its key',
      '{"type":"service_account","client_email":"a@b.c"}',
      'a service_account file needs client_email and private_key',
    ],
  ])('a file that is %s', async (_name, text, detail) => {
    const path = credentialsFile(text);
    expect((await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: path })).message).toBe(
      `${uri}: ${path} (GOOGLE_APPLICATION_CREDENTIALS) is not a Google credentials file: ${detail}. Use the file google-github-actions/auth writes, or a service account key (JSON) downloaded from the Cloud console.`,
    );
    expect(emulator.requests).toEqual([]);
  });

  test("a deleted key: Google refuses the assertion's signature", async () => {
    signer.account.keys[0].disabled = true;
    try {
      expect((await failureOf(version('app'))).message).toBe(
        `${uri}: Google refused ${SIGNER} an access token (invalid_grant: Invalid JWT Signature.). The key in the file was deleted or disabled, or the file was altered: create a new key for the account and store it in the secret google-github-actions/auth's credentials_json reads (or switch to workload identity federation).`,
      );
    } finally {
      signer.account.keys[0].disabled = false;
    }
    expect(kmsRoutes()).toEqual([]);
  });

  test('a deleted account', async () => {
    expect((await failureOf(version('app'), asSigner(unknownAccount.keyFile))).message).toBe(
      `${uri}: Google refused the service account ${unknownAccount.account.email} an access token (invalid_grant: Invalid grant: account not found). The account was deleted or disabled, or the file names another one: use a key of an existing account.`,
    );
  });

  test("a runner clock hours ahead of Google's", async () => {
    emulator.setClockOffset(-3 * 3600);
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Google refused ${SIGNER} an access token (invalid_grant: Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.). This runner's clock is off: Google takes the service account's signed request only within minutes of its own time. Sync the clock (NTP) and run the job again.`,
    );
  });

  test('federation: a repository the attribute condition does not admit', async () => {
    await emulator.close();
    emulator = await startGcpKmsEmulator({
      tls: certificates,
      keyVersions,
      bindings: [],
      providers: [{ name: PROVIDER, condition: (c) => c.repository === 'octo-org/octo-repo' }],
      oidc: { requestToken: REQUEST_TOKEN, claims: repositoryClaims('fork-owner/octo-repo') },
    });
    await proxy.close();
    proxy = await startProxy({ hosts: emulator.proxyHosts() });
    process.env.HTTPS_PROXY = proxy.url;
    expect((await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: wifFile() })).message).toBe(
      `${uri}: Google's Security Token Service refused this workflow's GitHub OIDC token for ${PROVIDER} (unauthorized_client: The given credential is rejected by the attribute condition.). Change the provider's attribute condition to admit this repository (and its branch or workflow), or run from one it admits.`,
    );
  });

  test('federation: a provider that does not exist', async () => {
    const file = workloadIdentityCredentials({
      provider: `${POOL}/providers/gone`,
      oidcTokenUrl: emulator.oidcTokenUrl(`https://iam.googleapis.com/${POOL}/providers/gone`),
      requestToken: REQUEST_TOKEN,
    });
    const error = await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: credentialsFile(file) });
    expect(error.message).toBe(
      `${uri}: Google's Security Token Service refused this workflow's GitHub OIDC token for ${POOL}/providers/gone (invalid_target: The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn't exist.). The pool or provider does not exist or is disabled: check google-github-actions/auth's workload_identity_provider (projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER, with the project number).`,
    );
  });

  test('federation: a service account the workload identity may not act as', async () => {
    const error = await failureOf(version('app'), {
      GOOGLE_APPLICATION_CREDENTIALS: wifFile({ serviceAccount: signer.account.email }),
    });
    expect(error.message).toBe(
      `${uri}: Google refused to let this workflow's workload identity act as ${signer.account.email} (PERMISSION_DENIED: Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).). Grant the pool's principal set (for one repository: principalSet://iam.googleapis.com/${POOL}/attribute.repository/OWNER/REPO) roles/iam.workloadIdentityUser on ${signer.account.email}.`,
    );
  });

  test("federation: the runner's ID-token service refuses a request token from another job", async () => {
    const error = await failureOf(version('app'), {
      GOOGLE_APPLICATION_CREDENTIALS: wifFile({ requestToken: 'stale-request-token-from-another-job' }),
    });
    expect(error.message).toBe(
      `${uri}: the GitHub OIDC token for workload identity federation could not be fetched (HTTP 401 from ${new URL(emulator.url).host}). The credentials file's request token works only in the job that ran google-github-actions/auth: run it in this job, with permissions: id-token: write.`,
    );
  });

  test('no message quotes a credential', async () => {
    signer.account.keys[0].disabled = true;
    let messages: string[];
    try {
      messages = [
        (await failureOf(version('app'))).message,
        (await failureOf(version('app'), asSigner(outsider.keyFile))).message,
        (
          await failureOf(version('app'), {
            GOOGLE_APPLICATION_CREDENTIALS: wifFile({ serviceAccount: signer.account.email }),
          })
        ).message,
      ];
    } finally {
      signer.account.keys[0].disabled = false;
    }
    const secrets = [
      ...[signer, outsider].flatMap((a) => a.privateKeyPem.trim().split('\n').slice(1, -1)),
      REQUEST_TOKEN,
      ...emulator.issuedTokens().map((t) => t.token),
    ];
    for (const message of messages) for (const secret of secrets) expect(message).not.toContain(secret);
  });
});

describe('other credential files google-auth-library reads', () => {
  const uri = uriOf(version('app'));

  test('a subject token kept in a file is masked before anything is sent, then exchanged at STS', async () => {
    const tokenFile = join(folder, 'subject-token');
    const subjectToken = emulator.mintOidcToken(`https://iam.googleapis.com/${PROVIDER}`);
    writeFileSync(tokenFile, `${subjectToken}\n`);
    const path = credentialsFile({
      type: 'external_account',
      audience: `//iam.googleapis.com/${PROVIDER}`,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: 'https://sts.googleapis.com/v1/token',
      credential_source: { file: tokenFile },
    });
    const { jwt, deps } = await signWith(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: path });
    expect(jwt.token).toBe(signJwt(claims(), appPrivateKey).token);
    expect(deps.masks.find((m) => m.value === subjectToken)?.requestsBefore).toBe(0);
  });

  test('a subject token the runner serves as text is masked as it arrives', async () => {
    const subjectToken = emulator.mintOidcToken(`https://iam.googleapis.com/${PROVIDER}`);
    emulator.fail('GET /oidc/token', { status: 200, body: subjectToken, headers: { 'content-type': 'text/plain' } });
    const file = workloadIdentityCredentials({
      provider: PROVIDER,
      oidcTokenUrl: emulator.oidcTokenUrl(`https://iam.googleapis.com/${PROVIDER}`),
      requestToken: REQUEST_TOKEN,
    });
    const source = file.credential_source as Record<string, unknown>;
    source.format = { type: 'text' };
    const { deps } = await signWith(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: credentialsFile(file) });
    expect(deps.masks.find((m) => m.value === subjectToken)?.requestsBefore).toBe(1);
  });

  test("an authorized_user file's client secret and refresh token are masked before anything is sent", async () => {
    const file = {
      type: 'authorized_user',
      client_id: '764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com',
      client_secret: 'd-FL95Q19q7MQmFpd7hHD0Ty',
      refresh_token: '1//0gExampleRefreshToken-abcdefghijklmnop',
    };
    const error = await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: credentialsFile(file) });
    // The emulator takes no user credentials: Google's answer is passed on, with the credentials kept out.
    expect(error.message).toBe(
      `${uri}: Google refused the Google user of the credentials file an access token (unsupported_grant_type: Invalid grant_type: refresh_token). Check the credentials file google-github-actions/auth was given.`,
    );
    expect(emulator.requests).toHaveLength(1);
  });

  test('federation: an OIDC token for an audience the provider does not accept', async () => {
    await emulator.close();
    emulator = await startGcpKmsEmulator({
      tls: certificates,
      keyVersions,
      bindings: [],
      providers: [{ name: PROVIDER, allowedAudiences: ['https://example.com/only-this'] }],
      oidc: { requestToken: REQUEST_TOKEN, claims: repositoryClaims() },
    });
    await proxy.close();
    proxy = await startProxy({ hosts: emulator.proxyHosts() });
    process.env.HTTPS_PROXY = proxy.url;
    expect((await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: wifFile() })).message).toBe(
      `${uri}: Google's Security Token Service refused this workflow's GitHub OIDC token for ${PROVIDER} (invalid_grant: The audience in ID Token [https://iam.googleapis.com/${PROVIDER}] does not match the expected audience.). The OIDC token's audience is not one the provider accepts: leave google-github-actions/auth's audience input at its default, or add it to the provider's allowed audiences.`,
    );
  });

  test('a service account file whose private key is not a key fails before any request, without quoting it', async () => {
    const path = credentialsFile({ ...signer.keyFile, private_key: 'this is not a private key at all' });
    const error = await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: path });
    expect(error.message).toBe(
      `${uri}: ${path} (GOOGLE_APPLICATION_CREDENTIALS) is not a Google credentials file: its private_key is not a PEM private key. Use the file google-github-actions/auth writes, or a service account key (JSON) downloaded from the Cloud console.`,
    );
    expect(emulator.requests).toEqual([]);
  });

  test('an external_account file without a credential source: the library refuses it before any request', async () => {
    const path = credentialsFile({
      type: 'external_account',
      audience: `//iam.googleapis.com/${PROVIDER}`,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    });
    const error = await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: path });
    expect(error.message).toBe(
      `${uri}: ${path} (GOOGLE_APPLICATION_CREDENTIALS) is not a Google credentials file: A credential source or subject token supplier must be specified. Use the file google-github-actions/auth writes, or a service account key (JSON) downloaded from the Cloud console.`,
    );
    expect(emulator.requests).toEqual([]);
  });
});

describe('the endpoint and the network', () => {
  const uri = uriOf(version('app'));

  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  test.each([
    ['not a URL', 'cloudkms', ', and it is not a URL'],
    ['plain http to a public host', 'http://cloudkms.example.com/', '; it is http://cloudkms.example.com/'],
    ['with credentials in it', 'https://user:secret@kms.example.com/', '; it is https://kms.example.com/'],
  ])('an override that is %s fails before any request', async (_name, value, detail) => {
    expect(
      (await failureOf(version('app'), { ...asSigner(), CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS: value })).message,
    ).toBe(
      `${uri}: CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS must be the https URL of the Cloud KMS API, such as https://cloudkms.googleapis.com/ (http only for a loopback address)${detail}.`,
    );
    expect(emulator.requests).toEqual([]);
  });

  test('an override nobody listens on: retried, then the connection refusal with the variable named', async () => {
    const port = await closedPort();
    const deps = dependencies({
      ...asSigner(),
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS: `https://127.0.0.1:${port}/`,
    });
    const key = await gcpKey(gcpKmsKey(version('app')), deps);
    await expect(remoteSigner(key).sign(claims())).rejects.toThrow(
      new KmsError(
        `${uri}: Cloud KMS (the endpoint from CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS) could not be reached: GET https://127.0.0.1:${port}/v1/${version('app')}/publicKey failed after 4 attempts: connection refused (ECONNREFUSED) by 127.0.0.1:${port}. Check the URL and that the server is up and reachable from the runner.`,
      ),
    );
  });

  test("a proxy that is down: the token request's failure names the proxy", async () => {
    const port = await closedPort();
    process.env.HTTPS_PROXY = `http://127.0.0.1:${port}`;
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: could not reach oauth2.googleapis.com for a Google access token: connection refused (ECONNREFUSED) by the proxy http://127.0.0.1:${port}. If oauth2.googleapis.com should be reached directly, add it to NO_PROXY; otherwise check HTTPS_PROXY.`,
    );
  });

  test("Google's token host failing on every try: the library's retries, then the status and Google's words", async () => {
    const failing = {
      status: 500,
      body: { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } },
    };
    emulator.fail('POST /token', failing, failing, failing, failing);
    const path = credentialsFile(signer.keyFile);
    expect((await failureOf(version('app'), { GOOGLE_APPLICATION_CREDENTIALS: path })).message).toBe(
      `${uri}: could not get a Google access token for ${SIGNER} with ${path} (HTTP 500 from oauth2.googleapis.com): INTERNAL: Internal error encountered.`,
    );
    expect(routes()).toEqual(Array(4).fill('POST oauth2.googleapis.com /token'));
  });

  test("the step's deadline bounds the library's own token request too", async () => {
    emulator.setLatency(3000);
    const deps = {
      ...dependencies(asSigner()),
      transport: async () => createTransport({ env: { APP_JWT_DEADLINE_SECONDS: '1' } }),
    };
    const key = await gcpKey(gcpKmsKey(version('app')), deps);
    await expect(remoteSigner(key).sign(claims())).rejects.toThrow(
      new KmsError(
        `${uri}: could not reach oauth2.googleapis.com for a Google access token: the step's deadline (1 s for all requests, retries and waits) passed.`,
      ),
    );
  });

  test('an answer over the 1 MiB cap is not read, and not retried', async () => {
    emulator.fail(PUBLIC_KEY_ROUTE, { status: 200, body: { pem: 'x'.repeat(2 * 1024 * 1024) } });
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS gave no usable answer: GET https://cloudkms.googleapis.com/v1/${version('app')}/publicKey failed after 1 attempt: the answer is larger than 1 MiB.`,
    );
    expect(kmsRoutes()).toHaveLength(1);
  });

  test('a 401 from Cloud KMS: the token was not taken', async () => {
    emulator.fail(PUBLIC_KEY_ROUTE, {
      status: 401,
      body: {
        error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
      },
    });
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS did not accept the access token Google issued to ${SIGNER} (UNAUTHENTICATED: Request had invalid authentication credentials.). Run the job again; if it fails again, run google-github-actions/auth again in this job.`,
    );
  });

  test("the Cloud KMS API not enabled in the project: Google's own fix is passed on", async () => {
    const text =
      'Cloud Key Management Service (KMS) API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudkms.googleapis.com/overview?project=123456789 then retry.';
    emulator.fail(PUBLIC_KEY_ROUTE, {
      status: 403,
      body: {
        error: {
          code: 403,
          message: text,
          status: 'PERMISSION_DENIED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'SERVICE_DISABLED',
              domain: 'googleapis.com',
            },
          ],
        },
      },
    });
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS refused to read the public key (PERMISSION_DENIED: ${text}).`,
    );
  });

  test("another refusal is passed on in Google's words", async () => {
    emulator.fail(SIGN_ROUTE, {
      status: 400,
      body: { error: { code: 400, message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' } },
    });
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS refused to sign (INVALID_ARGUMENT: Request contains an invalid argument.).`,
    );
  });

  test('a 503 is retried by the action, and the retry logged', async () => {
    emulator.fail(SIGN_ROUTE, {
      status: 503,
      body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } },
    });
    const { jwt, deps } = await signWith(version('app'));
    expect(jwt.token).toBe(signJwt(claims(), appPrivateKey).token);
    expect(kmsRoutes().filter((r) => r.startsWith('POST'))).toHaveLength(2);
    expect(deps.logs).toEqual(['Cloud KMS retry 1: HTTP 503']);
  });

  test('503 on every attempt: told as Cloud KMS failing, after the retries', async () => {
    const unavailable = {
      status: 503,
      body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } },
    };
    emulator.fail(SIGN_ROUTE, unavailable, unavailable, unavailable, unavailable);
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS kept failing to sign (UNAVAILABLE: The service is currently unavailable.), also after retries. Run the job again later.`,
    );
    expect(kmsRoutes().filter((r) => r.startsWith('POST'))).toHaveLength(4);
  });

  test('an answer that is not Cloud KMS (an HTML 404 page)', async () => {
    emulator.fail(PUBLIC_KEY_ROUTE, {
      status: 404,
      body: '<html>not here</html>',
      headers: { 'content-type': 'text/html' },
    });
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS answered HTTP 404 to read the public key, in no form the Cloud KMS API answers with. Check the endpoint and any proxy between.`,
    );
  });
});

describe('every answer is checked as the API reference advises', () => {
  const uri = uriOf(version('app'));
  test('a public key whose pemCrc32c does not match is asked for again', async () => {
    const pem = createPublicKey(APP_KEY_PEM).export({ type: 'spki', format: 'pem' }).toString();
    emulator.fail(PUBLIC_KEY_ROUTE, {
      status: 200,
      body: {
        pem,
        algorithm: 'RSA_SIGN_PKCS1_2048_SHA256',
        pemCrc32c: String(emulatorCrc32c(pem) ^ 1),
        name: version('app'),
        protectionLevel: 'SOFTWARE',
      },
    });
    const { jwt, deps } = await signWith(version('app'));
    expect(jwt.token).toBe(signJwt(claims(), appPrivateKey).token);
    expect(kmsRoutes().filter((r) => r.startsWith('GET'))).toHaveLength(2);
    expect(deps.logs).toEqual([
      "Cloud KMS's answer to read the public key failed its integrity check (pemCrc32c does not match the PEM); asking again.",
    ]);
  });

  test('a public key that does not parse', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n';
    emulator.fail(PUBLIC_KEY_ROUTE, {
      status: 200,
      body: {
        pem,
        algorithm: 'RSA_SIGN_PKCS1_2048_SHA256',
        pemCrc32c: String(emulatorCrc32c(pem)),
        name: version('app'),
      },
    });
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS answered with a public key that does not parse as PEM.`,
    );
  });

  test('an algorithm this action does not know is refused by name', async () => {
    const pem = createPublicKey(APP_KEY_PEM).export({ type: 'spki', format: 'pem' }).toString();
    emulator.fail(PUBLIC_KEY_ROUTE, {
      status: 200,
      body: { pem, algorithm: 'PQ_SIGN_ML_DSA_65', pemCrc32c: String(emulatorCrc32c(pem)), name: version('app') },
    });
    expect((await failureOf(version('app'))).message).toMatch(
      /has the algorithm PQ_SIGN_ML_DSA_65, which cannot make RS256 signatures; RS256 JWTs need an RSA signing key/,
    );
  });

  test('a signature whose CRC32C never matches fails after three attempts', async () => {
    const bad = {
      status: 200,
      body: { signature: 'AAAA', signatureCrc32c: '1', verifiedDigestCrc32c: true, name: version('app') },
    };
    emulator.fail(SIGN_ROUTE, bad, bad, bad);
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS's answer to sign failed its integrity check 3 times (signatureCrc32c does not match the signature): the answers are damaged on the way. Run the job again.`,
    );
  });

  test('a sign answer that did not verify the digest checksum is asked for again', async () => {
    emulator.fail(SIGN_ROUTE, {
      status: 200,
      body: {
        signature: 'AAAA',
        signatureCrc32c: String(emulatorCrc32c(Buffer.from('AAAA', 'base64'))),
        verifiedDigestCrc32c: false,
        name: version('app'),
      },
    });
    const { jwt } = await signWith(version('app'));
    expect(jwt.token).toBe(signJwt(claims(), appPrivateKey).token);
  });

  test('an answer for another key version is refused', async () => {
    emulator.fail(SIGN_ROUTE, {
      status: 200,
      body: { signature: 'AAAA', signatureCrc32c: '0', verifiedDigestCrc32c: true, name: version('app', '2') },
    });
    expect((await failureOf(version('app'))).message).toBe(
      `${uri}: Cloud KMS answered for another key version (${version('app', '2')}) when asked to sign. Check the endpoint.`,
    );
  });

  test("a signature by another key (intact on the way) fails the remote signer's verification", async () => {
    const other = Buffer.alloc(256, 7);
    emulator.fail(SIGN_ROUTE, {
      status: 200,
      body: {
        signature: other.toString('base64'),
        signatureCrc32c: String(emulatorCrc32c(other)),
        verifiedDigestCrc32c: true,
        name: version('app'),
      },
    });
    expect((await failureOf(version('app'))).message).toMatch(
      /returned a signature that its own public key does not verify as RS256/,
    );
  });

  test("the action's CRC32C is Castagnoli's (the check value of 123456789 is 0xE3069283)", () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(emulatorCrc32c('123456789')).toBe(0xe3069283);
  });
});

// The Vault emulator proved with raw HTTP as Vault's API documentation describes it (Vault has no official Node
// client): the transit key read and sign endpoints, signatures checked with node:crypto, and every refusal in
// Vault's {"errors":[...]} shape with its status.
import { constants, createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  makeVaultKey,
  makeVaultToken,
  multierror,
  rotateVaultKey,
  signingPolicy,
  startVaultEmulator,
  VAULT_ERRORS,
  vaultKeyPem,
  type VaultEmulator,
  type VaultEmulatorOptions,
  type VaultToken,
  type VaultTransitKey,
} from '../../test/emulators/vault.ts';

const rsa = makeVaultKey('app-key', 'rsa-2048');
const rsa4096 = makeVaultKey('big-key', 'rsa-4096');
const ec = makeVaultKey('ec-key', 'ecdsa-p256');
const ed = makeVaultKey('ed-key', 'ed25519');
const aes = makeVaultKey('aes-key', 'aes256-gcm96');
const publicOnly = makeVaultKey('imported-key', 'rsa-2048', { publicOnly: true });
const teamKey = makeVaultKey('team-key', 'rsa-2048', { namespace: 'team-a', mount: 'apps/transit' });

const tokens = {
  signer: { token: makeVaultToken(), policies: [signingPolicy('app-key')] },
  root: { token: makeVaultToken(), policies: 'root' },
  reader: { token: makeVaultToken(), policies: [{ 'transit/keys/app-key': ['read'] }] },
  team: { token: makeVaultToken(), namespace: 'team-a', policies: [signingPolicy('team-key', 'apps/transit')] },
} satisfies Record<string, VaultToken>;

const INPUT = Buffer.from('eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiIxMjMifQ');

let vault: VaultEmulator;
let keys: VaultTransitKey[];
/** Read live by the emulator: a test may add a token. */
let tokenList: VaultToken[];

async function start(options: Partial<VaultEmulatorOptions> = {}) {
  const versioned = makeVaultKey('versioned-key', 'rsa-2048', { versions: 3 });
  keys = [rsa, rsa4096, ec, ed, aes, publicOnly, teamKey, versioned];
  tokenList = Object.values(tokens);
  vault = await startVaultEmulator({ keys, tokens: tokenList, ...options });
  return vault;
}

beforeEach(() => start());
afterEach(() => vault.close());

interface Call {
  token?: string;
  namespace?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request as Vault's API docs show it: X-Vault-Token, X-Vault-Namespace, a JSON body. */
async function call(method: string, path: string, { token, namespace, body, headers = {} }: Call = {}) {
  const sent: Record<string, string> = { ...headers };
  if (token !== undefined) sent['x-vault-token'] = token;
  if (namespace !== undefined) sent['x-vault-namespace'] = namespace;
  const response = await fetch(`${vault.url}${path}`, {
    method,
    headers: sent,
    body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (text ? JSON.parse(text) : undefined) as { data?: Record<string, unknown>; errors?: string[] },
  };
}

const signBody = (extra: Record<string, unknown> = {}) => ({ input: INPUT.toString('base64'), ...extra });
const signatureBytes = (signature: unknown) => {
  const match = /^vault:v(\d+):(.+)$/.exec(String(signature));
  if (!match) throw new Error(`not a Vault signature: ${String(signature)}`);
  return { version: Number(match[1]), bytes: Buffer.from(match[2], 'base64') };
};
const verifies = (key: KeyObject, signature: Buffer, padding = constants.RSA_PKCS1_PADDING) =>
  verify('sha256', INPUT, { key, padding }, signature);

describe('reading a transit key', () => {
  test('GET keys/NAME shows the type, the versions and each public key as an SPKI PEM', async () => {
    const { status, type, body } = await call('GET', '/v1/transit/keys/app-key', { token: tokens.signer.token });
    expect(status).toBe(200);
    expect(type).toBe('application/json');
    expect(body).toMatchObject({ lease_id: '', renewable: false, lease_duration: 0, warnings: null, auth: null });
    expect(body.data).toMatchObject({
      name: 'app-key',
      type: 'rsa-2048',
      latest_version: 1,
      min_available_version: 0,
      min_encryption_version: 0,
      supports_signing: true,
      imported_key: false,
    });
    const version = (body.data?.keys as Record<string, { name: string; public_key: string }>)['1'];
    expect(version.name).toBe('rsa-2048');
    expect(version.public_key).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const publicKey = createPublicKey(version.public_key);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(publicKey.export({ format: 'jwk' })).toEqual(rsa.versions[0].publicKey?.export({ format: 'jwk' }));
  });

  test('ECDSA versions are named by curve, ed25519 keys are raw base64, symmetric ones show creation times', async () => {
    const read = async (name: string) =>
      (await call('GET', `/v1/transit/keys/${name}`, { token: tokens.root.token })).body.data;
    const ecData = await read('ec-key');
    const ecVersion = (ecData?.keys as Record<string, { name: string; public_key: string }>)['1'];
    expect(ecVersion.name).toBe('P-256');
    expect(createPublicKey(ecVersion.public_key).asymmetricKeyType).toBe('ec');
    const edVersion = ((await read('ed-key'))?.keys as Record<string, { name: string; public_key: string }>)['1'];
    expect(edVersion.name).toBe('ed25519');
    expect(Buffer.from(edVersion.public_key, 'base64')).toHaveLength(32);
    const aesData = await read('aes-key');
    expect(aesData).toMatchObject({ type: 'aes256-gcm96', supports_signing: false, supports_encryption: true });
    expect(aesData?.keys).toEqual({ '1': Math.floor(Date.parse(aes.versions[0].creationTime) / 1000) });
  });

  test('trimmed versions are not shown; an unknown key is a bare 404', async () => {
    const versioned = keys.at(-1) as VaultTransitKey;
    versioned.minAvailableVersion = 2;
    versioned.minEncryptionVersion = 2;
    const { body } = await call('GET', '/v1/transit/keys/versioned-key', { token: tokens.root.token });
    expect(Object.keys(body.data?.keys as object)).toEqual(['2', '3']);
    expect(body.data).toMatchObject({ latest_version: 3, min_available_version: 2, min_encryption_version: 2 });
    expect(await call('GET', '/v1/transit/keys/nope', { token: tokens.root.token })).toMatchObject({
      status: 404,
      body: { errors: [] },
    });
  });
});

describe('signing', () => {
  test('pkcs1v15 with sha2-256 gives an RS256 signature, byte for byte what the private key makes', async () => {
    const { status, body } = await call('POST', '/v1/transit/sign/app-key', {
      token: tokens.signer.token,
      body: signBody({ hash_algorithm: 'sha2-256', signature_algorithm: 'pkcs1v15' }),
    });
    expect(status).toBe(200);
    expect(body.data?.key_version).toBe(1);
    const { version, bytes } = signatureBytes(body.data?.signature);
    expect(version).toBe(1);
    expect(bytes).toEqual(sign('sha256', INPUT, vaultKeyPem(rsa)));
    expect(verifies(rsa.versions[0].publicKey as KeyObject, bytes)).toBe(true);
    expect(vault.signatures()).toEqual([
      expect.objectContaining({ key: 'app-key', version: 1, signatureAlgorithm: 'pkcs1v15', input: INPUT }),
    ]);
  });

  test("Vault's default is PSS: the signature verifies as PSS and not as RS256", async () => {
    const { body } = await call('POST', '/v1/transit/sign/app-key', { token: tokens.signer.token, body: signBody() });
    const { bytes } = signatureBytes(body.data?.signature);
    const publicKey = rsa.versions[0].publicKey as KeyObject;
    expect(verifies(publicKey, bytes, constants.RSA_PKCS1_PSS_PADDING)).toBe(true);
    expect(verifies(publicKey, bytes)).toBe(false);
  });

  test('a Vault that ignores signature_algorithm signs PSS even when pkcs1v15 is asked', async () => {
    await vault.close();
    await start({ ignoresSignatureAlgorithm: true });
    const { body } = await call('POST', '/v1/transit/sign/app-key', {
      token: tokens.root.token,
      body: signBody({ signature_algorithm: 'pkcs1v15' }),
    });
    expect(verifies(rsa.versions[0].publicKey as KeyObject, signatureBytes(body.data?.signature).bytes)).toBe(false);
  });

  test('a prehashed SHA-256 digest gives the same PKCS#1 v1.5 signature; PUT works as POST', async () => {
    const digest = createHash('sha256').update(INPUT).digest();
    const { body } = await call('PUT', '/v1/transit/sign/app-key', {
      token: tokens.signer.token,
      body: { input: digest.toString('base64'), prehashed: true, signature_algorithm: 'pkcs1v15' },
    });
    expect(signatureBytes(body.data?.signature).bytes).toEqual(sign('sha256', INPUT, vaultKeyPem(rsa)));
  });

  test('a 4096-bit key signs too', async () => {
    const { body } = await call('POST', '/v1/transit/sign/big-key', {
      token: tokens.root.token,
      body: signBody({ signature_algorithm: 'pkcs1v15' }),
    });
    const { bytes } = signatureBytes(body.data?.signature);
    expect(bytes).toHaveLength(512);
    expect(verifies(rsa4096.versions[0].publicKey as KeyObject, bytes)).toBe(true);
  });

  test('key_version picks a version; after a rotation the latest is the default', async () => {
    const versioned = keys.at(-1) as VaultTransitKey;
    const signWith = async (extra: Record<string, unknown>) =>
      call('POST', '/v1/transit/sign/versioned-key', {
        token: tokens.root.token,
        body: signBody({ signature_algorithm: 'pkcs1v15', ...extra }),
      });
    const second = signatureBytes((await signWith({ key_version: 2 })).body.data?.signature);
    expect(second.version).toBe(2);
    expect(verifies(versioned.versions[1].publicKey as KeyObject, second.bytes)).toBe(true);
    rotateVaultKey(versioned);
    expect(signatureBytes((await signWith({})).body.data?.signature).version).toBe(4);
    expect(await signWith({ key_version: 5 })).toMatchObject({
      status: 500,
      body: { errors: [multierror(VAULT_ERRORS.versionTooHigh)] },
    });
    versioned.minEncryptionVersion = 3;
    expect(await signWith({ key_version: 2 })).toMatchObject({
      status: 500,
      body: {
        errors: [
          '1 error occurred:\n\t* requested version for signing is less than the minimum encryption key version\n\n',
        ],
      },
    });
  });

  test('ECDSA and ed25519 keys sign as well (Vault signs with any asymmetric key)', async () => {
    const ecSignature = await call('POST', '/v1/transit/sign/ec-key', { token: tokens.root.token, body: signBody() });
    expect(
      verify(
        'sha256',
        INPUT,
        ec.versions[0].publicKey as KeyObject,
        signatureBytes(ecSignature.body.data?.signature).bytes,
      ),
    ).toBe(true);
    const edSignature = await call('POST', '/v1/transit/sign/ed-key', { token: tokens.root.token, body: signBody() });
    expect(
      verify(
        null,
        INPUT,
        ed.versions[0].publicKey as KeyObject,
        signatureBytes(edSignature.body.data?.signature).bytes,
      ),
    ).toBe(true);
  });

  test.each([
    ['a symmetric key', 'aes-key', signBody(), 400, VAULT_ERRORS.doesNotSupportSigning('aes256-gcm96')],
    ['an unknown key', 'nope', signBody(), 400, 'signing key not found'],
    ['a public-only key', 'imported-key', signBody(), 500, multierror(VAULT_ERRORS.noPrivatePart)],
    ['an unknown hash', 'app-key', signBody({ hash_algorithm: 'md5' }), 400, 'invalid hash algorithm "md5"'],
    [
      'an unknown marshaling',
      'app-key',
      signBody({ marshaling_algorithm: 'pem' }),
      400,
      'invalid marshaling type "pem"',
    ],
    ['hash none, not prehashed', 'app-key', signBody({ hash_algorithm: 'none' }), 400, VAULT_ERRORS.hashNone],
    [
      'input that is not base64',
      'app-key',
      { input: 'not base64!' },
      400,
      'unable to decode input as base64: illegal base64 data at input byte 3',
    ],
    [
      'an unknown signature algorithm',
      'app-key',
      signBody({ signature_algorithm: 'pkcs1' }),
      500,
      '1 error occurred:\n\t* unsupported rsa signature algorithm pkcs1\n\n',
    ],
    ['a negative key_version', 'app-key', signBody({ key_version: -1 }), 500, multierror(VAULT_ERRORS.versionNegative)],
  ])('signing with %s: Vault error as it words it', async (_case, name, body, status, message) => {
    expect(await call('POST', `/v1/transit/sign/${name}`, { token: tokens.root.token, body })).toEqual({
      status,
      type: 'application/json',
      body: { errors: [message] },
    });
  });

  test('a form-encoded body is refused: Vault reads JSON', async () => {
    const { status, body } = await call('POST', '/v1/transit/sign/app-key', {
      token: tokens.root.token,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `input=${encodeURIComponent(INPUT.toString('base64'))}`,
    });
    expect([status, body]).toEqual([
      400,
      { errors: ["failed to parse JSON input: invalid character 'i' looking for beginning of value"] },
    ]);
  });
});

describe('what Vault checks before the transit engine', () => {
  test('no token, an unknown token, and a token whose policy lacks the capability: 403', async () => {
    const path = '/v1/transit/sign/app-key';
    expect(await call('POST', path, { body: signBody() })).toMatchObject({
      status: 403,
      body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] },
    });
    expect(await call('POST', path, { token: makeVaultToken(), body: signBody() })).toMatchObject({
      status: 403,
      body: { errors: ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n'] },
    });
    expect(await call('POST', path, { token: tokens.reader.token, body: signBody() })).toMatchObject({
      status: 403,
      body: { errors: [VAULT_ERRORS.permissionDenied] },
    });
    expect(await call('GET', '/v1/transit/keys/ec-key', { token: tokens.signer.token })).toMatchObject({ status: 403 });
    expect(vault.signatures()).toEqual([]);
  });

  test('the token may come as Authorization: Bearer', async () => {
    const { status } = await call('GET', '/v1/transit/keys/app-key', {
      headers: { authorization: `Bearer ${tokens.signer.token}` },
    });
    expect(status).toBe(200);
  });

  test('policy paths match exactly: sign/NAME does not cover sign/NAME/sha2-256, a glob or + does', async () => {
    const urlHash = '/v1/transit/sign/app-key/sha2-256';
    const body = signBody({ signature_algorithm: 'pkcs1v15' });
    expect((await call('POST', urlHash, { token: tokens.signer.token, body })).status).toBe(403);
    const glob = { token: makeVaultToken(), policies: [{ 'transit/sign/app-key*': ['update'] }] } satisfies VaultToken;
    const plus = {
      token: makeVaultToken(),
      policies: [{ 'transit/sign/+/sha2-256': ['update'] }],
    } satisfies VaultToken;
    const denied: VaultToken = {
      token: makeVaultToken(),
      policies: [{ 'transit/sign/*': ['update'] }, { 'transit/sign/app-key': ['deny'] }],
    };
    tokenList.push(glob, plus, denied);
    expect((await call('POST', urlHash, { token: glob.token, body })).status).toBe(200);
    expect((await call('POST', '/v1/transit/sign/app-key', { token: glob.token, body })).status).toBe(200);
    expect((await call('POST', urlHash, { token: plus.token, body })).status).toBe(200);
    expect((await call('POST', '/v1/transit/sign/app-key', { token: plus.token, body })).status).toBe(403);
    expect((await call('POST', '/v1/transit/sign/app-key', { token: denied.token, body })).status).toBe(403);
    expect((await call('POST', '/v1/transit/sign/big-key', { token: denied.token, body })).status).toBe(200);
  });

  test('a namespace: its token works only with X-Vault-Namespace, and other tokens not at all', async () => {
    const path = '/v1/apps/transit/keys/team-key';
    expect(await call('GET', path, { token: tokens.team.token, namespace: 'team-a' })).toMatchObject({ status: 200 });
    expect(await call('GET', path, { token: tokens.team.token, namespace: '/team-a/' })).toMatchObject({ status: 200 });
    expect(await call('GET', path, { token: tokens.team.token })).toMatchObject({
      status: 403,
      body: { errors: [VAULT_ERRORS.permissionDenied] },
    });
    expect(await call('GET', path, { token: tokens.root.token, namespace: 'team-a' })).toMatchObject({ status: 403 });
    // The root namespace has no apps/transit mount: root's token gets the router's 404.
    expect(await call('GET', path, { token: tokens.root.token })).toMatchObject({
      status: 404,
      body: { errors: ['no handler for route "apps/transit/keys/team-key". route entry not found.'] },
    });
  });

  test('paths the transit engine does not serve: 404 unsupported path, 405 for a wrong method', async () => {
    const root = { token: tokens.root.token };
    expect(await call('GET', '/v1/transit/export/signing-key/app-key', root)).toMatchObject({
      status: 404,
      body: { errors: [VAULT_ERRORS.unsupportedPath] },
    });
    expect(await call('GET', '/v1/transit/sign/app-key', root)).toMatchObject({
      status: 405,
      body: { errors: ['1 error occurred:\n\t* unsupported operation\n\n'] },
    });
    expect(await call('GET', '/v2/transit/keys/app-key', root)).toMatchObject({ status: 404 });
  });

  test('sealed: 503 Vault is sealed for every request until unsealed', async () => {
    vault.seal();
    expect(await call('GET', '/v1/transit/keys/app-key', { token: tokens.root.token })).toEqual({
      status: 503,
      type: 'application/json',
      body: { errors: ['Vault is sealed'] },
    });
    expect((await call('POST', '/v1/transit/sign/app-key', { body: signBody() })).status).toBe(503);
    vault.unseal();
    expect((await call('GET', '/v1/transit/keys/app-key', { token: tokens.root.token })).status).toBe(200);
  });
});

describe('the emulator controls', () => {
  test('a path prefix in front of /v1, scripted faults first, every request recorded', async () => {
    await vault.close();
    await start({ pathPrefix: '/vault' });
    expect(vault.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/vault$/);
    vault.fail('GET /v1/transit/keys/:name', { status: 503, body: { errors: ['Vault is sealed'] } });
    expect((await call('GET', '/v1/transit/keys/app-key', { token: tokens.root.token })).status).toBe(503);
    expect((await call('GET', '/v1/transit/keys/app-key', { token: tokens.root.token })).status).toBe(200);
    expect(vault.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /vault/v1/transit/keys/app-key',
      'GET /vault/v1/transit/keys/app-key',
    ]);
    expect(vault.pendingFaults()).toBe(0);
  });
});

// hashivault://KEY through the remote signer, against the Vault emulator over real sockets: the JWT is the one a
// PEM key would make, the token is masked before any request, and every refusal is one message that names the key
// URI and the fix, never the token.
import { createPrivateKey, verify, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTransport } from '../../../src/http/transport.js';
import type { RetryInfo } from '../../../src/http/retry.js';
import { signJwt, type JwtClaims } from '../../../src/keys/jwt/sign.js';
import type { KmsDependencies } from '../../../src/keys/kms/dependencies.js';
import { KmsError, remoteSigner } from '../../../src/keys/kms/remote-key.js';
import { parseKmsKey } from '../../../src/keys/kms/uri.js';
import { vaultKey } from '../../../src/keys/kms/vault.js';
import {
  makeVaultKey,
  makeVaultToken,
  rotateVaultKey,
  signingPolicy,
  startVaultEmulator,
  vaultKeyPem,
  type VaultEmulator,
  type VaultEmulatorOptions,
  type VaultToken,
  type VaultTransitKey,
} from '../../../test/emulators/vault.ts';

const appKey = makeVaultKey('app-key', 'rsa-2048');
const key3072 = makeVaultKey('key-3072', 'rsa-3072');
const key4096 = makeVaultKey('key-4096', 'rsa-4096');
const ecKey = makeVaultKey('ec-key', 'ecdsa-p256');
const edKey = makeVaultKey('ed-key', 'ed25519');
const aesKey = makeVaultKey('aes-key', 'aes256-gcm96');
const importedKey = makeVaultKey('imported-key', 'rsa-2048', { publicOnly: true });
const teamKey = makeVaultKey('team-key', 'rsa-2048', { namespace: 'admin/team-a', mount: 'apps/transit' });

const signer: VaultToken = { token: makeVaultToken(), policies: [signingPolicy('app-key')] };
const root: VaultToken = { token: makeVaultToken(), policies: 'root' };
const readOnly: VaultToken = { token: makeVaultToken(), policies: [{ 'transit/keys/app-key': ['read'] }] };
const signOnly: VaultToken = { token: makeVaultToken(), policies: [{ 'transit/sign/app-key': ['update'] }] };
const team: VaultToken = {
  token: makeVaultToken(),
  namespace: 'admin/team-a',
  policies: [signingPolicy('team-key', 'apps/transit')],
};
const TOKENS = [signer, root, readOnly, signOnly, team];

let vault: VaultEmulator;
let keys: VaultTransitKey[];

async function start(options: Partial<VaultEmulatorOptions> = {}) {
  keys = [appKey, key3072, key4096, ecKey, edKey, aesKey, importedKey, teamKey];
  vault = await startVaultEmulator({ keys, tokens: TOKENS, ...options });
}

beforeEach(() => start());
afterEach(() => vault.close());

/** The run's side of the signer: the environment, and a record of masks, logs, retries and when the network began. */
function harness(env: Record<string, string | undefined>) {
  const events: string[] = [];
  const masks: string[] = [];
  const debug: string[] = [];
  const retries: RetryInfo[] = [];
  const transport = createTransport({ retry: { sleep: async () => {}, onRetry: (info) => retries.push(info) } });
  const deps: KmsDependencies = {
    env,
    mask: (secret) => (masks.push(secret), events.push('mask')),
    log: { info: () => undefined, debug: (message) => debug.push(message) },
    transport: async () => (events.push('transport'), transport),
  };
  return { deps, events, masks, debug, retries };
}

const envFor = (token: VaultToken, extra: Record<string, string> = {}) => ({
  VAULT_ADDR: vault.url,
  VAULT_TOKEN: token.token,
  ...extra,
});

/** The parsed kms-key, checked to be a Vault one. */
function vaultUri(text: string) {
  const key = parseKmsKey(text);
  if (key.scheme !== 'hashivault') throw new Error(`${text} is not a hashivault:// URI`);
  return key;
}

async function signerFor(uri: string, env: Record<string, string | undefined>) {
  const run = harness(env);
  return { ...run, signer: remoteSigner(await vaultKey(vaultUri(uri), run.deps)) };
}

/** GitHub App claims as the action makes them; `skew` moves iat, as a re-sign after clock skew does. */
function claims(skew = 0): JwtClaims {
  const now = Math.floor(Date.now() / 1000);
  return { iat: now - 60 + skew, exp: now + 540, iss: '31337' };
}

/** The message of what `promise` rejects with, checked to be a KmsError. */
async function kmsMessage(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(KmsError);
  return (error as Error).message;
}

/** Signs once with `uri` and `env`, expecting a KmsError; its message, checked never to hold a token. */
async function failure(uri: string, env: Record<string, string | undefined>): Promise<string> {
  const message = await kmsMessage((async () => (await signerFor(uri, env)).signer.sign(claims()))());
  for (const token of TOKENS) expect(message).not.toContain(token.token);
  return message;
}

const requestsMade = () => vault.requests.map((r) => `${r.method} ${r.path}`);

describe('signing through Vault', () => {
  test('the JWT is byte for byte the one the same key as a PEM makes; the token is masked before any request', async () => {
    const { signer: vaultSigner, masks, events } = await signerFor('hashivault://app-key', envFor(signer));
    const payload = claims();
    const signed = await vaultSigner.sign(payload);
    const local = signJwt(payload, createPrivateKey(vaultKeyPem(appKey)));
    expect(signed).toEqual(local);
    expect(
      verify(
        'sha256',
        Buffer.from(signed.token.split('.').slice(0, 2).join('.')),
        appKey.versions[0].publicKey as KeyObject,
        Buffer.from(signed.signature, 'base64url'),
      ),
    ).toBe(true);
    expect(masks).toEqual([signer.token]);
    expect(events[0]).toBe('mask');
    expect(events.indexOf('transport')).toBeGreaterThan(0);
    expect(requestsMade()).toEqual(['GET /v1/transit/keys/app-key', 'POST /v1/transit/sign/app-key']);
  });

  test('the sign request: the whole signing input, sha2-256, pkcs1v15, the checked version, as JSON', async () => {
    const { signer: vaultSigner } = await signerFor('hashivault://app-key', envFor(signer));
    const signed = await vaultSigner.sign(claims());
    const [read, sign] = vault.requests;
    expect(read.headers['x-vault-token']).toBe(signer.token);
    expect(read.headers['x-vault-namespace']).toBeUndefined();
    expect(sign.headers).toMatchObject({ 'x-vault-token': signer.token, 'content-type': 'application/json' });
    expect(sign.body).toEqual({
      input: Buffer.from(signed.token.slice(0, signed.token.lastIndexOf('.'))).toString('base64'),
      hash_algorithm: 'sha2-256',
      signature_algorithm: 'pkcs1v15',
      key_version: 1,
    });
  });

  test('each re-sign is one more sign request; the key is read once', async () => {
    const { signer: vaultSigner } = await signerFor('hashivault://app-key', envFor(signer));
    await vaultSigner.sign(claims());
    await vaultSigner.sign(claims(30));
    expect(requestsMade()).toEqual([
      'GET /v1/transit/keys/app-key',
      'POST /v1/transit/sign/app-key',
      'POST /v1/transit/sign/app-key',
    ]);
  });

  test.each([
    ['key-3072', key3072],
    ['key-4096', key4096],
  ])('an RSA key of %s bits signs the same JWT as its PEM', async (name, key) => {
    const { signer: vaultSigner } = await signerFor(`hashivault://${name}`, envFor(root));
    const payload = claims();
    expect(await vaultSigner.sign(payload)).toEqual(signJwt(payload, createPrivateKey(vaultKeyPem(key))));
  });

  test('VAULT_NAMESPACE, TRANSIT_SECRET_ENGINE_PATH and a VAULT_ADDR with a path prefix are honoured', async () => {
    await vault.close();
    await start({ pathPrefix: '/vault' });
    const { signer: vaultSigner, debug } = await signerFor(
      'hashivault://team-key',
      envFor(team, {
        VAULT_ADDR: `${vault.url}/`,
        VAULT_NAMESPACE: ' /admin/team-a/ ',
        TRANSIT_SECRET_ENGINE_PATH: '/apps/transit/',
      }),
    );
    const payload = claims();
    expect(await vaultSigner.sign(payload)).toEqual(signJwt(payload, createPrivateKey(vaultKeyPem(teamKey))));
    expect(requestsMade()).toEqual([
      'GET /vault/v1/apps/transit/keys/team-key',
      'POST /vault/v1/apps/transit/sign/team-key',
    ]);
    expect(vault.requests.map((r) => r.headers['x-vault-namespace'])).toEqual(['admin/team-a', 'admin/team-a']);
    expect(debug).toEqual([
      "Vault transit key apps/transit/keys/team-key in namespace 'admin/team-a': rsa-2048, signing with version 1.",
    ]);
  });

  test('after a rotation, signatures still come from the version whose public key was checked', async () => {
    const rotating = makeVaultKey('rotating-key', 'rsa-2048');
    keys.push(rotating);
    const { signer: vaultSigner } = await signerFor('hashivault://rotating-key', envFor(root));
    const first = await vaultSigner.sign(claims());
    rotateVaultKey(rotating);
    const payload = claims(1);
    const second = await vaultSigner.sign(payload);
    expect(second).toEqual(signJwt(payload, createPrivateKey(vaultKeyPem(rotating, 1))));
    expect(first.token).not.toBe(second.token);
    expect(vault.signatures().map((s) => s.version)).toEqual([1, 1]);
  });

  test('a VAULT_TOKEN with surrounding whitespace is masked and sent trimmed', async () => {
    const { signer: vaultSigner, masks } = await signerFor('hashivault://app-key', {
      ...envFor(signer),
      VAULT_TOKEN: ` ${signer.token}\n`,
    });
    await vaultSigner.sign(claims());
    expect(masks).toEqual([signer.token]);
    expect(vault.requests[0].headers['x-vault-token']).toBe(signer.token);
  });
});

describe('settings missing or wrong: nothing is sent', () => {
  const uri = 'hashivault://app-key';
  const loginStep =
    'log in to Vault in an earlier step of this job with hashicorp/vault-action and exportToken: true (it exports VAULT_TOKEN), or set VAULT_TOKEN from a secret.';

  test.each([
    [
      'neither VAULT_ADDR nor VAULT_TOKEN',
      {},
      `${uri}: VAULT_ADDR and VAULT_TOKEN are not set. Set VAULT_ADDR to the Vault server's address in the job's env (for example VAULT_ADDR: https://vault.example.com:8200; hashicorp/vault-action does not export it), and ${loginStep}`,
    ],
    [
      'no VAULT_ADDR',
      { VAULT_TOKEN: signer.token },
      `${uri}: VAULT_ADDR is not set. Set it to the Vault server's address in the job's or step's env, for example VAULT_ADDR: https://vault.example.com:8200 (hashicorp/vault-action takes the address as its url input but does not export it).`,
    ],
    [
      'no VAULT_TOKEN',
      { VAULT_ADDR: 'https://vault.example.com:8200', VAULT_TOKEN: ' ' },
      `${uri}: VAULT_TOKEN is not set: ${loginStep}`,
    ],
    [
      'an http VAULT_ADDR that is not loopback',
      { VAULT_ADDR: 'http://vault.example.com:8200', VAULT_TOKEN: signer.token },
      `${uri}: VAULT_ADDR 'http://vault.example.com:8200' is not https: the action sends credentials to this URL, so it must be https (plain http is accepted only for loopback addresses such as localhost, 127.0.0.1 and [::1], for local test servers). Use https://vault.example.com:8200`,
    ],
    [
      'a VAULT_ADDR without a scheme',
      { VAULT_ADDR: 'vault.example.com:8200', VAULT_TOKEN: signer.token },
      `${uri}: VAULT_ADDR 'vault.example.com:8200' has no scheme. Write the URL in full: https://vault.example.com:8200`,
    ],
    [
      'a VAULT_ADDR that ends in /v1',
      { VAULT_ADDR: 'https://vault.example.com:8200/v1/', VAULT_TOKEN: signer.token },
      `${uri}: VAULT_ADDR 'https://vault.example.com:8200/v1' ends in /v1, which the action adds itself. Give the server's address: https://vault.example.com:8200`,
    ],
    [
      'a VAULT_TOKEN with a control character inside',
      { VAULT_ADDR: 'https://vault.example.com', VAULT_TOKEN: `${signer.token.slice(0, 8)}\t${signer.token.slice(8)}` },
      `${uri}: VAULT_TOKEN holds spaces or control characters, so it is not a Vault token. Store the token without them, or ${loginStep}`,
    ],
    [
      'a TRANSIT_SECRET_ENGINE_PATH that is not a path',
      {
        VAULT_ADDR: 'https://vault.example.com',
        VAULT_TOKEN: signer.token,
        TRANSIT_SECRET_ENGINE_PATH: 'team a/../transit',
      },
      `${uri}: TRANSIT_SECRET_ENGINE_PATH 'team a/../transit' is not a mount path. Give the transit engine's path as 'vault secrets list' shows it, without /v1/ (for example transit or team-a/transit), or leave it unset for transit.`,
    ],
    [
      'a VAULT_NAMESPACE with a space',
      { VAULT_ADDR: 'https://vault.example.com', VAULT_TOKEN: signer.token, VAULT_NAMESPACE: 'admin team' },
      `${uri}: VAULT_NAMESPACE 'admin team' holds spaces or control characters. Give the namespace path, for example admin or admin/team-a.`,
    ],
  ])('%s', async (_case, env, message) => {
    const run = harness(env);
    expect(await kmsMessage(vaultKey(vaultUri(uri), run.deps))).toBe(message);
    const token: string | undefined = (env as { VAULT_TOKEN?: string }).VAULT_TOKEN?.trim();
    expect(run.masks).toEqual(token ? [token] : []);
    expect(run.events).not.toContain('transport');
  });
});

describe("Vault's refusals, each one message naming the key and the fix", () => {
  const uri = 'hashivault://app-key';
  const policy =
    'path "transit/keys/app-key" { capabilities = ["read"] } and path "transit/sign/app-key" { capabilities = ["update"] }';
  const namespaceHint =
    ' On Vault Enterprise or HCP Vault, also set VAULT_NAMESPACE to the namespace the key is in (HCP Vault: admin).';

  test('a policy without read on transit/keys/KEY', async () => {
    expect(await failure(uri, envFor(signOnly))).toBe(
      `${uri}: Vault denied reading the key (GET ${vault.url}/v1/transit/keys/app-key answered 403: permission denied). Grant the token's policy: ${policy}.${namespaceHint}`,
    );
    expect(requestsMade()).toEqual(['GET /v1/transit/keys/app-key']);
  });

  test('a policy without update on transit/sign/KEY', async () => {
    expect(await failure(uri, envFor(readOnly))).toBe(
      `${uri}: Vault denied signing with the key (POST ${vault.url}/v1/transit/sign/app-key answered 403: permission denied). Grant the token's policy: ${policy}.${namespaceHint}`,
    );
  });

  test('a token Vault does not know', async () => {
    const unknown = makeVaultToken();
    const message = await failure(uri, { VAULT_ADDR: vault.url, VAULT_TOKEN: unknown });
    expect(message).toBe(
      `${uri}: Vault does not accept VAULT_TOKEN (GET ${vault.url}/v1/transit/keys/app-key answered 403: permission denied; invalid token): it has expired or been revoked, or it belongs to another Vault. Log in again in this job right before this step (hashicorp/vault-action with exportToken: true), with a token TTL that covers the job.${namespaceHint}`,
    );
    expect(message).not.toContain(unknown);
  });

  test('a namespaced key without VAULT_NAMESPACE: denied, and the message says to set it', async () => {
    const message = await failure(
      'hashivault://team-key',
      envFor(team, { TRANSIT_SECRET_ENGINE_PATH: 'apps/transit' }),
    );
    expect(message).toBe(
      `hashivault://team-key: Vault denied reading the key (GET ${vault.url}/v1/apps/transit/keys/team-key answered 403: permission denied). Grant the token's policy: path "apps/transit/keys/team-key" { capabilities = ["read"] } and path "apps/transit/sign/team-key" { capabilities = ["update"] }.${namespaceHint}`,
    );
  });

  test('a key that does not exist', async () => {
    expect(await failure('hashivault://missing-key', envFor(root))).toBe(
      `hashivault://missing-key: Vault has no transit key 'missing-key' at transit/keys/missing-key (GET ${vault.url}/v1/transit/keys/missing-key answered 404). Check the key name in kms-key, and TRANSIT_SECRET_ENGINE_PATH if the transit engine is mounted elsewhere.${namespaceHint}`,
    );
  });

  test('a key deleted after the read: the re-sign is refused', async () => {
    const doomed = makeVaultKey('doomed-key', 'rsa-2048');
    keys.push(doomed);
    const { signer: vaultSigner } = await signerFor('hashivault://doomed-key', envFor(root));
    await vaultSigner.sign(claims());
    keys.splice(keys.indexOf(doomed), 1);
    expect(await kmsMessage(vaultSigner.sign(claims()))).toBe(
      `hashivault://doomed-key: Vault has no transit key 'doomed-key' at transit/keys/doomed-key (POST ${vault.url}/v1/transit/sign/doomed-key answered 400: signing key not found). Check the key name in kms-key, and TRANSIT_SECRET_ENGINE_PATH if the transit engine is mounted elsewhere.${namespaceHint}`,
    );
  });

  test('a key rotated with min_encryption_version raised after the read: the re-sign is refused', async () => {
    const rotated = makeVaultKey('rotated-key', 'rsa-2048');
    keys.push(rotated);
    const { signer: vaultSigner } = await signerFor('hashivault://rotated-key', envFor(root));
    await vaultSigner.sign(claims());
    rotateVaultKey(rotated);
    rotated.minEncryptionVersion = 2;
    expect(await kmsMessage(vaultSigner.sign(claims()))).toBe(
      `hashivault://rotated-key: version 1 of the transit key is below its min_encryption_version, so Vault refuses to sign with it (POST ${vault.url}/v1/transit/sign/rotated-key answered 500: requested version for signing is less than the minimum encryption key version). The key was rotated during this step: run the job again, and register the new version's public key with the app.`,
    );
  });

  test('a mount that does not exist', async () => {
    expect(await failure(uri, envFor(root, { TRANSIT_SECRET_ENGINE_PATH: 'transit-prod' }))).toBe(
      `${uri}: no secrets engine is mounted at transit-prod/ (GET ${vault.url}/v1/transit-prod/keys/app-key answered 404: no handler for route "transit-prod/keys/app-key". route entry not found.). Set TRANSIT_SECRET_ENGINE_PATH to the transit engine's mount path ('vault secrets list' shows it).${namespaceHint}`,
    );
  });

  const rsaOnly =
    "RS256 JWTs need a key of type rsa-2048, rsa-3072 or rsa-4096: import the app's private key into Vault (see the README), or create one with 'vault write transit/keys/NAME type=rsa-2048' and register its public key with the app, and name that key in kms-key.";
  test.each([
    ['ec-key', 'ecdsa-p256', 'an elliptic-curve key: Vault signs with it, but not RS256'],
    ['ed-key', 'ed25519', 'an elliptic-curve key: Vault signs with it, but not RS256'],
    ['aes-key', 'aes256-gcm96', 'a symmetric key, which cannot sign'],
  ])('a key that cannot make RS256: %s', async (name, type, kind) => {
    expect(await failure(`hashivault://${name}`, envFor(root))).toBe(
      `hashivault://${name} is a transit key of type ${type} (${kind}). ${rsaOnly}`,
    );
    expect(requestsMade()).toEqual([`GET /v1/transit/keys/${name}`]);
    expect(vault.signatures()).toEqual([]);
  });

  test('a Vault that signs PSS whatever is asked: the signature fails the check against the public key', async () => {
    await vault.close();
    await start({ ignoresSignatureAlgorithm: true });
    expect(await failure(uri, envFor(signer))).toBe(
      `${uri} returned a signature that its own public key does not verify as RS256: the key signs with another algorithm (RSA-PSS?) or the service answered for another key. Use a key (version) made for RSASSA-PKCS1-v1_5 with SHA-256.`,
    );
  });

  test('a version imported without its private key', async () => {
    expect(await failure('hashivault://imported-key', envFor(root))).toBe(
      `hashivault://imported-key: version 1 of the transit key holds only a public key, so Vault cannot sign with it (POST ${vault.url}/v1/transit/sign/imported-key answered 500: requested version for signing does not contain a private part). Import the app's private key into this key (vault transit import, see the README), or use another key.`,
    );
  });

  test('a sealed Vault: retried, then one message', async () => {
    vault.seal();
    const run = harness(envFor(signer));
    const message = await kmsMessage(
      (async () => remoteSigner(await vaultKey(vaultUri(uri), run.deps)).sign(claims()))(),
    );
    expect(message).toBe(
      `${uri}: Vault is sealed (GET ${vault.url}/v1/transit/keys/app-key answered 503: Vault is sealed). It cannot sign until an operator unseals it; run the job again then.`,
    );
    expect(run.retries.map((r) => `${r.service} ${r.reason}`)).toEqual([
      'Vault HTTP 503',
      'Vault HTTP 503',
      'Vault HTTP 503',
    ]);
  });

  test('a Vault that cannot be reached', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const message = await failure(uri, { VAULT_ADDR: `http://127.0.0.1:${port}`, VAULT_TOKEN: signer.token });
    expect(message).toBe(
      `${uri}: Vault (VAULT_ADDR) did not answer. GET http://127.0.0.1:${port}/v1/transit/keys/app-key failed after 4 attempts: connection refused (ECONNREFUSED) by 127.0.0.1:${port}. Check the URL and that the server is up and reachable from the runner.`,
    );
  });

  test('answers that are not what Vault sends', async () => {
    vault.fail('GET /v1/transit/keys/app-key', { status: 200, body: { data: {} } });
    expect(await failure(uri, envFor(signer))).toBe(
      `${uri}: Vault's answer to GET ${vault.url}/v1/transit/keys/app-key names no key type. Is VAULT_ADDR (${vault.url}) a Vault server, and transit/ its transit engine?`,
    );
    vault.fail('GET /v1/transit/keys/app-key', {
      status: 200,
      body: { data: { type: 'rsa-2048', latest_version: 2, keys: { '1': {} } } },
    });
    expect(await failure(uri, envFor(signer))).toBe(
      `${uri}: Vault's answer to GET ${vault.url}/v1/transit/keys/app-key has no public key for the latest version. Is VAULT_ADDR (${vault.url}) a Vault server, and transit/ its transit engine?`,
    );
    vault.fail('GET /v1/transit/keys/app-key', {
      status: 200,
      body: { data: { type: 'rsa-2048', latest_version: 1, keys: { '1': { public_key: 'not a key' } } } },
    });
    expect(await failure(uri, envFor(signer))).toContain(
      'has a public key for version 1 that is not a PEM public key.',
    );
    vault.fail('POST /v1/transit/sign/app-key', { status: 200, body: { data: { signature: 'c2lnbmF0dXJl' } } });
    expect(await failure(uri, envFor(signer))).toBe(
      `${uri}: Vault's answer to POST ${vault.url}/v1/transit/sign/app-key holds no signature of the form vault:v<N>:<base64>. Is VAULT_ADDR (${vault.url}) a Vault server, and transit/ its transit engine?`,
    );
  });

  test('with VAULT_NAMESPACE and a mount of its own, the messages name them and leave the namespace hint out', async () => {
    const teamAdmin: VaultToken = {
      token: makeVaultToken(),
      namespace: 'admin/team-a',
      policies: [{ 'apps/transit/*': ['read', 'update'] }],
    };
    TOKENS.push(teamAdmin);
    try {
      const env = { VAULT_NAMESPACE: 'admin/team-a', TRANSIT_SECRET_ENGINE_PATH: 'apps/transit' };
      expect(await failure('hashivault://other-key', envFor(teamAdmin, env))).toBe(
        `hashivault://other-key: Vault has no transit key 'other-key' at apps/transit/keys/other-key in namespace 'admin/team-a' (GET ${vault.url}/v1/apps/transit/keys/other-key answered 404). Check the key name in kms-key and TRANSIT_SECRET_ENGINE_PATH.`,
      );
      expect(await failure('hashivault://team-key', { ...envFor(teamAdmin, env), VAULT_TOKEN: makeVaultToken() })).toBe(
        `hashivault://team-key: Vault does not accept VAULT_TOKEN (GET ${vault.url}/v1/apps/transit/keys/team-key answered 403: permission denied; invalid token): it has expired or been revoked, or it belongs to another Vault or namespace. Log in again in this job right before this step (hashicorp/vault-action with exportToken: true), with a token TTL that covers the job.`,
      );
    } finally {
      TOKENS.pop();
    }
  });

  test('a server error that is not JSON, after the retries', async () => {
    const badGateway = { status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } };
    vault.fail('GET /v1/transit/keys/app-key', badGateway, badGateway, badGateway, badGateway);
    expect(await failure(uri, envFor(signer))).toBe(
      `${uri}: Vault refused (GET ${vault.url}/v1/transit/keys/app-key answered 502). Run the job again later; if it keeps failing, check the Vault server.`,
    );
  });

  test('any other refusal is quoted as Vault words it', async () => {
    const quota = { status: 429, body: { errors: ['request path "transit/sign/app-key": rate limit quota exceeded'] } };
    // The transport retries a 429 three times: the fourth answer is the one reported.
    vault.fail('POST /v1/transit/sign/app-key', quota, quota, quota, quota);
    expect(await failure(uri, envFor(signer))).toBe(
      `${uri}: Vault refused (POST ${vault.url}/v1/transit/sign/app-key answered 429: request path "transit/sign/app-key": rate limit quota exceeded).`,
    );
    vault.fail('GET /v1/transit/keys/app-key', { status: 400, body: { errors: [`bad ${signer.token}`] } });
    expect(await failure(uri, envFor(signer))).toBe(
      `${uri}: Vault refused (GET ${vault.url}/v1/transit/keys/app-key answered 400: bad ***).`,
    );
  });
});

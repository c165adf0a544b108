/**
 * A local stand-in for Google Cloud KMS and for the Google token services a Google client goes through before
 * it: one HTTPS server on 127.0.0.1 that answers as each of these hosts (told apart by the Host header, so a
 * request sent to the wrong host fails as it would at Google):
 *
 * - oauth2.googleapis.com `POST /token`: the service-account flow. google-auth-library signs an RS256 assertion
 *   with the key file's private key and posts it here whatever the file's token_uri says; the assertion is
 *   checked (signature against the account's registered keys, iss, aud, scope, iat/exp) before a token is issued.
 * - sts.googleapis.com `POST /v1/token`: workload identity federation. The subject token (a GitHub OIDC token)
 *   is checked against the provider (issuer, signature, audience, attribute condition).
 * - iamcredentials.googleapis.com `POST /v1/projects/-/serviceAccounts/EMAIL:generateAccessToken`: the federated
 *   identity acting as a service account, when it holds roles/iam.workloadIdentityUser on it.
 * - cloudkms.googleapis.com (or the emulator's own address, for an endpoint override) `GET v1/{name}/publicKey`
 *   and `POST v1/{name}:asymmetricSign`: the bearer token is checked (issued here, not expired, a KMS scope),
 *   then IAM (the permission each method needs, granted on the key, key ring or project), then the version
 *   (exists, ENABLED, the right purpose), then the request (digest for the version's algorithm, its CRC32C).
 * - any host, `GET /oidc/token?audience=…`: the runner's ID-token service (ACTIONS_ID_TOKEN_REQUEST_URL), which
 *   the credentials file of google-github-actions/auth points at; it checks the request token.
 *
 * Google's clients reach the google hosts on port 443; a test maps them to this server through test/proxy.ts
 * (`proxyHosts()`), with the throwaway CA trusted (NODE_EXTRA_CA_CERTS, or tls.setDefaultCACertificates).
 *
 * Errors have Google's shapes: `{"error":{"code","message","status","details"}}` for the APIs and
 * `{"error","error_description"}` for the OAuth endpoints. Where each wording comes from is noted at it: "seen"
 * means quoted from real answers in issue reports and logs; "assumed" means the shape is Google's but the exact
 * words were not found.
 *
 * Keys, accounts, bindings and providers are read live from the options, so a test may disable a version or drop
 * a binding between requests. Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript
 * only, local imports with `.ts`.
 */
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  startHttpEmulator,
  type EmulatedRequest,
  type EmulatorControls,
  type ScriptedResponse as Reply,
  type ServerTimingOptions,
} from './http-emulator.ts';
import { parseJsonSegment } from './jwt-parts.ts';

export type { RecordedRequest, ScriptedFault, ScriptedResponse } from './http-emulator.ts';

/** The host names the emulator answers as; a test's certificate must name them all. */
export const GOOGLE_HOSTS = {
  oauth2: 'oauth2.googleapis.com',
  sts: 'sts.googleapis.com',
  iamcredentials: 'iamcredentials.googleapis.com',
  kms: 'cloudkms.googleapis.com',
} as const;

/** The audience of a service account's assertion: Google's token endpoint. */
export const OAUTH_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Older names of the same endpoint, which Google still accepts as the assertion's audience. */
const LEGACY_TOKEN_AUDIENCES = [
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
];
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
/** The scopes that let a token call Cloud KMS. */
export const KMS_SCOPES = [
  'https://www.googleapis.com/auth/cloudkms',
  'https://www.googleapis.com/auth/cloud-platform',
];
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;
/** How far an assertion's iat may be ahead of the server's clock. Google publishes none; kept small and sharp. */
export const ASSERTION_LEEWAY_SECONDS = 60;

export type KmsAlgorithm =
  | 'RSA_SIGN_PKCS1_2048_SHA256'
  | 'RSA_SIGN_PKCS1_3072_SHA256'
  | 'RSA_SIGN_PKCS1_4096_SHA256'
  | 'RSA_SIGN_PKCS1_4096_SHA512'
  | 'RSA_SIGN_PSS_2048_SHA256'
  | 'RSA_SIGN_PSS_3072_SHA256'
  | 'RSA_SIGN_RAW_PKCS1_2048'
  | 'EC_SIGN_P256_SHA256'
  | 'RSA_DECRYPT_OAEP_2048_SHA256'
  | 'GOOGLE_SYMMETRIC_ENCRYPTION';

type Purpose = 'ASYMMETRIC_SIGN' | 'ASYMMETRIC_DECRYPT' | 'ENCRYPT_DECRYPT';
type Scheme = 'pkcs1' | 'pss' | 'raw-pkcs1' | 'ecdsa' | 'oaep' | 'symmetric';

interface AlgorithmInfo {
  purpose: Purpose;
  scheme: Scheme;
  /** RSA modulus length; undefined for others. */
  bits?: number;
  /** The digest asymmetricSign takes. */
  digest?: 'sha256' | 'sha512';
}

/** The algorithms of the CryptoKeyVersionAlgorithm enum this emulator can hold (Cloud KMS REST reference). */
export const ALGORITHMS: Record<KmsAlgorithm, AlgorithmInfo> = {
  RSA_SIGN_PKCS1_2048_SHA256: { purpose: 'ASYMMETRIC_SIGN', scheme: 'pkcs1', bits: 2048, digest: 'sha256' },
  RSA_SIGN_PKCS1_3072_SHA256: { purpose: 'ASYMMETRIC_SIGN', scheme: 'pkcs1', bits: 3072, digest: 'sha256' },
  RSA_SIGN_PKCS1_4096_SHA256: { purpose: 'ASYMMETRIC_SIGN', scheme: 'pkcs1', bits: 4096, digest: 'sha256' },
  RSA_SIGN_PKCS1_4096_SHA512: { purpose: 'ASYMMETRIC_SIGN', scheme: 'pkcs1', bits: 4096, digest: 'sha512' },
  RSA_SIGN_PSS_2048_SHA256: { purpose: 'ASYMMETRIC_SIGN', scheme: 'pss', bits: 2048, digest: 'sha256' },
  RSA_SIGN_PSS_3072_SHA256: { purpose: 'ASYMMETRIC_SIGN', scheme: 'pss', bits: 3072, digest: 'sha256' },
  RSA_SIGN_RAW_PKCS1_2048: { purpose: 'ASYMMETRIC_SIGN', scheme: 'raw-pkcs1', bits: 2048 },
  EC_SIGN_P256_SHA256: { purpose: 'ASYMMETRIC_SIGN', scheme: 'ecdsa', digest: 'sha256' },
  RSA_DECRYPT_OAEP_2048_SHA256: { purpose: 'ASYMMETRIC_DECRYPT', scheme: 'oaep', bits: 2048 },
  GOOGLE_SYMMETRIC_ENCRYPTION: { purpose: 'ENCRYPT_DECRYPT', scheme: 'symmetric' },
};

export type KeyVersionState =
  | 'ENABLED'
  | 'DISABLED'
  | 'DESTROYED'
  | 'DESTROY_SCHEDULED'
  | 'PENDING_GENERATION'
  | 'PENDING_IMPORT'
  | 'IMPORT_FAILED';

export interface EmulatedKeyVersion {
  /** projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V */
  name: string;
  algorithm: KmsAlgorithm;
  state: KeyVersionState;
  protectionLevel: 'SOFTWARE' | 'HSM';
  /** The private half; undefined for symmetric keys. */
  privateKey?: KeyObject;
}

/**
 * A key version; its key is generated for the algorithm unless `privateKey` is given (an imported key, e.g. a
 * GitHub App's downloaded PEM, as `gcloud kms keys versions import` would bring it in).
 */
export function makeKeyVersion(
  name: string,
  algorithm: KmsAlgorithm,
  options: { state?: KeyVersionState; privateKey?: KeyObject | string; protectionLevel?: 'SOFTWARE' | 'HSM' } = {},
): EmulatedKeyVersion {
  const info = ALGORITHMS[algorithm];
  let privateKey: KeyObject | undefined;
  if (options.privateKey !== undefined)
    privateKey = typeof options.privateKey === 'string' ? createPrivateKey(options.privateKey) : options.privateKey;
  else if (info.scheme === 'ecdsa') privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  else if (info.bits) privateKey = generateKeyPairSync('rsa', { modulusLength: info.bits }).privateKey;
  return {
    name,
    algorithm,
    state: options.state ?? 'ENABLED',
    protectionLevel: options.protectionLevel ?? 'SOFTWARE',
    privateKey,
  };
}

export type KmsRole =
  | 'roles/cloudkms.signerVerifier'
  | 'roles/cloudkms.signer'
  | 'roles/cloudkms.publicKeyViewer'
  | 'roles/cloudkms.verifier'
  | 'roles/cloudkms.cryptoKeyEncrypterDecrypter';

/** What each predefined role grants on key versions (IAM roles and permissions for Cloud KMS). */
export const ROLE_PERMISSIONS: Record<KmsRole, string[]> = {
  'roles/cloudkms.signerVerifier': [
    'cloudkms.cryptoKeyVersions.useToSign',
    'cloudkms.cryptoKeyVersions.useToVerify',
    'cloudkms.cryptoKeyVersions.viewPublicKey',
  ],
  'roles/cloudkms.signer': ['cloudkms.cryptoKeyVersions.useToSign'],
  'roles/cloudkms.publicKeyViewer': ['cloudkms.cryptoKeyVersions.viewPublicKey'],
  'roles/cloudkms.verifier': ['cloudkms.cryptoKeyVersions.useToVerify', 'cloudkms.cryptoKeyVersions.viewPublicKey'],
  'roles/cloudkms.cryptoKeyEncrypterDecrypter': [
    'cloudkms.cryptoKeyVersions.useToEncrypt',
    'cloudkms.cryptoKeyVersions.useToDecrypt',
  ],
};

/**
 * A role granted on a resource: a key (projects/…/cryptoKeys/K), a key ring or a project; IAM has no bindings on
 * single versions. Members: `serviceAccount:EMAIL`, `principal://iam.googleapis.com/…/subject/SUB` or
 * `principalSet://iam.googleapis.com/…/workloadIdentityPools/POOL/attribute.NAME/VALUE` (or `…/POOL/*`).
 */
export interface KmsBinding {
  resource: string;
  role: KmsRole;
  members: string[];
}

export interface EmulatedServiceAccount {
  email: string;
  /** The account's keys, by private_key_id; Google checks an assertion against each active one. */
  keys: { id: string; publicKey: KeyObject; disabled?: boolean }[];
  disabled?: boolean;
}

/** A service account and the key file the console would download for it (a fresh key). */
export function makeServiceAccount(email: string): {
  account: EmulatedServiceAccount;
  keyFile: Record<string, string>;
  privateKeyPem: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const id = randomBytes(20).toString('hex');
  const projectId = /@([^.]+)\./.exec(email)?.[1] ?? 'test-project';
  const clientId = String(BigInt(`0x${randomBytes(8).toString('hex')}`));
  return {
    account: { email, keys: [{ id, publicKey }] },
    privateKeyPem,
    // The fields and their order as in a key downloaded from the console.
    keyFile: {
      type: 'service_account',
      project_id: projectId,
      private_key_id: id,
      private_key: privateKeyPem,
      client_email: email,
      client_id: clientId,
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: OAUTH_TOKEN_URL,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
      universe_domain: 'googleapis.com',
    },
  };
}

export interface EmulatedWorkloadIdentityProvider {
  /** projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER */
  name: string;
  /** Default: token.actions.githubusercontent.com. */
  issuer?: string;
  /** Audiences the provider accepts in the OIDC token; default `https://iam.googleapis.com/` + name. */
  allowedAudiences?: string[];
  /** The attribute condition, on the OIDC token's claims; default: every token passes. */
  condition?: (claims: Record<string, unknown>) => boolean;
  disabled?: boolean;
}

/** Who may act as a service account: roles/iam.workloadIdentityUser on it. */
export interface ImpersonationGrant {
  serviceAccount: string;
  members: string[];
}

/** The runner's ID-token service, as google-github-actions/auth's credentials file reaches it. */
export interface OidcTokenService {
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN: the bearer token the service wants. */
  requestToken: string;
  /** The token's claims besides iss, aud, iat, nbf, exp and jti. */
  claims: Record<string, unknown>;
}

export interface GcpKmsEmulatorOptions extends ServerTimingOptions {
  /** Google's clients speak only https: a certificate for GOOGLE_HOSTS (test/tls.ts). */
  tls: { key: string; cert: string };
  keyVersions: EmulatedKeyVersion[];
  bindings: KmsBinding[];
  serviceAccounts?: EmulatedServiceAccount[];
  providers?: EmulatedWorkloadIdentityProvider[];
  impersonation?: ImpersonationGrant[];
  oidc?: OidcTokenService;
}

export interface IssuedAccessToken {
  token: string;
  /** `serviceAccount:EMAIL`, or the federated `principal://…` */
  principal: string;
  /** The federated identity's attributes (google.subject, attribute.repository, …); empty for an account. */
  attributes: Record<string, string>;
  scopes: string[];
  /** By the server's clock, seconds. */
  expiresAt: number;
  /** Which endpoint issued it. */
  issuedBy: 'oauth2' | 'sts' | 'iamcredentials';
}

export interface KmsSignature {
  name: string;
  digest: Buffer;
  signature: Buffer;
  principal: string;
}

export interface GcpKmsEmulator extends EmulatorControls {
  /** `https://127.0.0.1:<port>`: the value for CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS is this plus '/'. */
  url: string;
  port: number;
  /** For test/proxy.ts's `hosts`: every Google host name to this server's address and port. */
  proxyHosts(): Record<string, string>;
  /** The URL for a credentials file's credential_source (ACTIONS_ID_TOKEN_REQUEST_URL with its audience). */
  oidcTokenUrl(audience: string): string;
  /** Every access token issued, in order. */
  issuedTokens(): IssuedAccessToken[];
  /** Every signature made, in order. */
  signatures(): KmsSignature[];
  /** Makes a token expire now: KMS refuses it from then on. */
  expireToken(token: string): void;
  /** An OIDC token as the runner's service would issue it, signed by the emulated GitHub issuer. */
  mintOidcToken(audience: string, claims?: Record<string, unknown>): string;
}

/** The external_account file google-github-actions/auth writes for workload identity federation. */
export function workloadIdentityCredentials(options: {
  provider: string;
  oidcTokenUrl: string;
  requestToken: string;
  serviceAccount?: string;
}): Record<string, unknown> {
  const file: Record<string, unknown> = {
    type: 'external_account',
    audience: `//iam.googleapis.com/${options.provider}`,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: 'https://sts.googleapis.com/v1/token',
    credential_source: {
      url: options.oidcTokenUrl,
      headers: { Authorization: `Bearer ${options.requestToken}` },
      format: { type: 'json', subject_token_field_name: 'value' },
    },
  };
  if (options.serviceAccount)
    file.service_account_impersonation_url = `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${options.serviceAccount}:generateAccessToken`;
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// Checksums and signatures, written here rather than taken from the action's code: the emulator is an
// independent check.

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32C (Castagnoli), the checksum Cloud KMS puts beside its data. */
export function crc32c(data: Buffer | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const DIGEST_INFO: Record<'sha256' | 'sha512', Buffer> = {
  sha256: Buffer.from('3031300d060960864801650304020105000420', 'hex'),
  sha512: Buffer.from('3051300d060960864801650304020305000440', 'hex'),
};

function modulusBits(key: KeyObject): number {
  return key.asymmetricKeyDetails?.modulusLength ?? 0;
}

/** RSASSA-PKCS1-v1_5 over a digest: the DigestInfo, padded with block type 1. */
function signPkcs1(key: KeyObject, digest: Buffer, hash: 'sha256' | 'sha512'): Buffer {
  return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[hash], digest]));
}

function mgf1(seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * 32 < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    blocks.push(createHash('sha256').update(seed).update(c).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** RSASSA-PSS over a SHA-256 digest, MGF1-SHA-256, salt as long as the digest (as Cloud KMS signs). */
function signPss(key: KeyObject, digest: Buffer): Buffer {
  const bits = modulusBits(key);
  const emBits = bits - 1;
  const emLength = Math.ceil(emBits / 8);
  const salt = randomBytes(32);
  const h = createHash('sha256')
    .update(Buffer.concat([Buffer.alloc(8), digest, salt]))
    .digest();
  const db = Buffer.concat([Buffer.alloc(emLength - 32 - 32 - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLength - emBits);
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const padded = Buffer.concat([Buffer.alloc(Math.ceil(bits / 8) - em.length), em]);
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, padded);
}

// ECDSA over a given digest: Node signs only messages it hashes itself, so P-256 is done by hand.
const P256 = {
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};
type Point = { x: bigint; y: bigint } | undefined;

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;
function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}
const inverse = (a: bigint, m: bigint) => modPow(a, m - 2n, m);

function addPoints(a: Point, b: Point): Point {
  const { p } = P256;
  if (!a) return b;
  if (!b) return a;
  if (a.x === b.x && mod(a.y + b.y, p) === 0n) return undefined;
  const slope =
    a.x === b.x ? mod(3n * (a.x * a.x - 1n) * inverse(2n * a.y, p), p) : mod((b.y - a.y) * inverse(b.x - a.x, p), p);
  const x = mod(slope * slope - a.x - b.x, p);
  return { x, y: mod(slope * (a.x - x) - a.y, p) };
}

function multiply(k: bigint, point: Point): Point {
  let result: Point;
  let addend = point;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = addPoints(result, addend);
    addend = addPoints(addend, addend);
  }
  return result;
}

const toBigInt = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex') || '0'}`);

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** ECDSA P-256 over a SHA-256 digest, DER-encoded as Cloud KMS returns it. */
function signEcdsa(key: KeyObject, digest: Buffer): Buffer {
  const { n, gx, gy } = P256;
  const d = toBigInt(Buffer.from(String(key.export({ format: 'jwk' }).d), 'base64url'));
  const e = toBigInt(digest);
  for (;;) {
    const k = mod(toBigInt(randomBytes(40)), n - 1n) + 1n;
    const r = mod(multiply(k, { x: gx, y: gy })!.x, n);
    const s = mod(inverse(k, n) * (e + r * d), n);
    if (r === 0n || s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Internals

type Service = 'oauth2' | 'sts' | 'iamcredentials' | 'kms' | 'oidc';

interface Route {
  method: string;
  pattern: string;
  service: Service;
  handle(request: EmulatedRequest<Route>): Reply;
}

const KMS_VERSION_PATH =
  '/v1/projects/:project/locations/:location/keyRings/:keyRing/cryptoKeys/:cryptoKey/cryptoKeyVersions/:version';

/** Google's API error body (google.rpc.Status in its HTTP/JSON form, AIP-193). */
function apiError(
  code: number,
  status: string,
  message: string,
  details?: unknown[],
  headers?: Record<string, string>,
): Reply {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } }, headers };
}

/** The OAuth endpoints' error body (RFC 6749 section 5.2). */
function oauthError(error: string, description: string, status = 400): Reply {
  return { status, body: { error, error_description: description } };
}

function errorInfo(reason: string, domain: string, metadata: Record<string, string>) {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata };
}

/** Google's front end answers an unknown path (or a path on the wrong host) with an HTML page. */
const NOT_FOUND_PAGE: Reply = {
  status: 404,
  headers: { 'content-type': 'text/html; charset=UTF-8' },
  body: '<!DOCTYPE html>\n<html lang=en>\n  <title>Error 404 (Not Found)!!1</title>\n  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL was not found on this server.  <ins>That’s all we know.</ins>\n',
};

const randomToken = (prefix: string) => `${prefix}${randomBytes(96).toString('base64url')}`;

function bearer(header: string | string[] | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(Array.isArray(header) ? header[0] : (header ?? ''));
  return match?.[1];
}

function hostName(header: string | string[] | undefined): string {
  const host = (Array.isArray(header) ? header[0] : header) ?? '';
  return host.replace(/:\d+$/, '').toLowerCase();
}

/** `resource` covers `name` when it is the name itself or one of its parents (key, key ring, location, project). */
function covers(resource: string, name: string): boolean {
  const parent = resource.replace(/\/+$/, '');
  return name === parent || name.startsWith(`${parent}/`);
}

/** Whether a token's principal is one of the binding's members, principal sets included. */
function isMember(members: string[], token: IssuedAccessToken): boolean {
  return members.some((member) => {
    if (member === token.principal) return true;
    const set =
      /^principalSet:\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/[^/]+\/workloadIdentityPools\/[^/]+)\/(.+)$/.exec(
        member,
      );
    if (!set || !token.principal.startsWith(`principal://iam.googleapis.com/${set[1]}/subject/`)) return false;
    if (set[2] === '*') return true;
    const attribute = /^attribute\.([^/]+)\/(.+)$/.exec(set[2]);
    return attribute !== null && token.attributes[`attribute.${attribute[1]}`] === attribute[2];
  });
}

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  return typeof claims[name] === 'string' ? (claims[name] as string) : undefined;
}

export async function startGcpKmsEmulator(options: GcpKmsEmulatorOptions): Promise<GcpKmsEmulator> {
  const tokens = new Map<string, IssuedAccessToken>();
  const issued: IssuedAccessToken[] = [];
  const signed: KmsSignature[] = [];
  const oidcIssuerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const oidcKeyId = randomBytes(8).toString('hex');
  let serverNow = () => Math.floor(Date.now() / 1000);

  function issue(
    token: Omit<IssuedAccessToken, 'token' | 'expiresAt'>,
    prefix: string,
    lifetime = ACCESS_TOKEN_LIFETIME_SECONDS,
  ) {
    const record = { token: randomToken(prefix), expiresAt: serverNow() + lifetime, ...token };
    tokens.set(record.token, record);
    issued.push(record);
    return record;
  }

  function mintOidcToken(audience: string, claims: Record<string, unknown> = options.oidc?.claims ?? {}): string {
    const now = serverNow();
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = {
      jti: randomBytes(16).toString('hex'),
      ...claims,
      aud: audience,
      iss: GITHUB_OIDC_ISSUER,
      nbf: now - 5,
      exp: now + 300,
      iat: now - 5,
    };
    const input = `${encode({ typ: 'JWT', alg: 'RS256', kid: oidcKeyId })}.${encode(payload)}`;
    const digest = createHash('sha256').update(input).digest();
    return `${input}.${signPkcs1(oidcIssuerKey.privateKey, digest, 'sha256').toString('base64url')}`;
  }

  /** A JWT's header and claims, and whether its RS256 signature verifies with one of `keys`. */
  function readJwt(token: unknown, keys: KeyObject[]) {
    if (typeof token !== 'string') return { parsed: false as const };
    const [h, c, s, extra] = token.split('.');
    const header = parseJsonSegment(h);
    const claims = parseJsonSegment(c);
    if (!header || !claims || s === undefined || extra !== undefined) return { parsed: false as const };
    const signature = Buffer.from(s, 'base64url');
    const verified =
      header.alg === 'RS256' && keys.some((key) => verify('sha256', Buffer.from(`${h}.${c}`), key, signature));
    return { parsed: true as const, header, claims, verified };
  }

  // ---- oauth2.googleapis.com: the service-account assertion (JWT bearer grant, RFC 7523)

  function serviceAccountToken({ body }: EmulatedRequest<Route>): Reply {
    const form = (body ?? {}) as Record<string, unknown>;
    if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      // seen: {"error":"unsupported_grant_type","error_description":"Invalid grant_type: …"}
      return oauthError('unsupported_grant_type', `Invalid grant_type: ${String(form.grant_type ?? '')}`);
    const unverified = readJwt(form.assertion, []);
    // assumed wording
    if (!unverified.parsed) return oauthError('invalid_request', 'Invalid JWT format.');
    const issuer = stringClaim(unverified.claims, 'iss');
    const account = options.serviceAccounts?.find((a) => a.email === issuer);
    // seen: "Invalid grant: account not found" (a deleted account, or an iss naming none)
    if (!account || account.disabled) return oauthError('invalid_grant', 'Invalid grant: account not found');
    const keys = account.keys.filter((k) => !k.disabled).map((k) => k.publicKey);
    const { claims, verified } = readJwt(form.assertion, keys) as {
      claims: Record<string, unknown>;
      verified: boolean;
    };
    // seen: the answer to an assertion signed by a deleted, disabled or foreign key
    if (!verified) return oauthError('invalid_grant', 'Invalid JWT Signature.');
    const aud = stringClaim(claims, 'aud');
    if (aud !== OAUTH_TOKEN_URL && !LEGACY_TOKEN_AUDIENCES.includes(aud ?? ''))
      // assumed wording
      return oauthError(
        'invalid_grant',
        `Invalid JWT: Failed audience check. The right audience is ${OAUTH_TOKEN_URL}`,
      );
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    const now = serverNow();
    if (
      !Number.isInteger(iat) ||
      !Number.isInteger(exp) ||
      iat > now + ASSERTION_LEEWAY_SECONDS ||
      exp <= now ||
      exp - iat > 3600
    )
      // seen, verbatim, in many clock-skew reports
      return oauthError(
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      );
    const scopes = String(claims.scope ?? '')
      .split(/\s+/)
      .filter(Boolean);
    // seen: the answer to an assertion without a scope (or with an unknown one)
    if (!scopes.length) return oauthError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    const token = issue(
      { principal: `serviceAccount:${account.email}`, attributes: {}, scopes, issuedBy: 'oauth2' },
      'ya29.c.',
    );
    return {
      status: 200,
      body: { access_token: token.token, expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' },
    };
  }

  // ---- sts.googleapis.com: the token exchange of workload identity federation (RFC 8693)

  function federatedToken({ body }: EmulatedRequest<Route>): Reply {
    const form = (body ?? {}) as Record<string, unknown>;
    if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:token-exchange')
      // assumed wording
      return oauthError('invalid_request', `Invalid value for "grant_type": ${String(form.grant_type ?? '')}`);
    if (form.requested_token_type !== 'urn:ietf:params:oauth:token-type:access_token')
      return oauthError('invalid_request', `Invalid value for "requested_token_type"`);
    if (
      !['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token'].includes(
        String(form.subject_token_type),
      )
    )
      return oauthError('invalid_request', `Invalid value for "subject_token_type"`);
    const audience = String(form.audience ?? '');
    const provider = options.providers?.find((p) => `//iam.googleapis.com/${p.name}` === audience);
    if (!provider || provider.disabled)
      // seen (google-github-actions/auth troubleshooting reports)
      return oauthError(
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
      );
    const subject = readJwt(form.subject_token, [oidcIssuerKey.publicKey]);
    // assumed wording
    if (!subject.parsed) return oauthError('invalid_grant', 'Unable to parse the ID Token.');
    const { claims } = subject;
    const issuer = provider.issuer ?? GITHUB_OIDC_ISSUER;
    if (claims.iss !== issuer)
      return oauthError(
        'invalid_grant',
        `The issuer in ID Token ${String(claims.iss)} does not match the expected ones: ${issuer}.`,
      );
    if (!subject.verified) return oauthError('invalid_grant', 'Invalid ID Token signature.');
    const allowed = provider.allowedAudiences ?? [`https://iam.googleapis.com/${provider.name}`];
    const audiences = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
    if (!audiences.some((a) => allowed.includes(a)))
      // seen: "The audience in ID Token [X] does not match the expected audience." (auth's troubleshooting)
      return oauthError(
        'invalid_grant',
        `The audience in ID Token [${audiences.join(', ')}] does not match the expected audience.`,
      );
    if (!(Number(claims.exp) > serverNow())) return oauthError('invalid_grant', 'ID Token expired.');
    if (provider.condition && !provider.condition(claims))
      // seen, verbatim
      return oauthError('unauthorized_client', 'The given credential is rejected by the attribute condition.');
    const pool = provider.name.replace(/\/providers\/[^/]+$/, '');
    const sub = stringClaim(claims, 'sub') ?? '';
    const attributes: Record<string, string> = { 'google.subject': sub };
    for (const name of ['repository', 'repository_owner', 'ref', 'workflow_ref', 'actor']) {
      const value = stringClaim(claims, name);
      if (value !== undefined) attributes[`attribute.${name}`] = value;
    }
    const scopes = String(form.scope ?? '')
      .split(/\s+/)
      .filter(Boolean);
    const token = issue(
      { principal: `principal://iam.googleapis.com/${pool}/subject/${sub}`, attributes, scopes, issuedBy: 'sts' },
      'ya29.d.',
    );
    return {
      status: 200,
      body: {
        access_token: token.token,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      },
    };
  }

  // ---- the API side: bearer tokens

  const UNAUTHENTICATED_HEADERS = { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' };

  function authenticate(request: EmulatedRequest<Route>, service: string, method: string): IssuedAccessToken | Reply {
    const credential = bearer(request.headers.authorization);
    const metadata = { service, method };
    if (!credential)
      // seen
      return apiError(
        401,
        'UNAUTHENTICATED',
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        [errorInfo('CREDENTIALS_MISSING', 'googleapis.com', metadata)],
        UNAUTHENTICATED_HEADERS,
      );
    const token = tokens.get(credential);
    if (!token || token.expiresAt <= serverNow())
      // seen
      return apiError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        [errorInfo(token ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_TYPE_UNSUPPORTED', 'googleapis.com', metadata)],
        UNAUTHENTICATED_HEADERS,
      );
    return token;
  }

  // ---- iamcredentials.googleapis.com: acting as a service account

  function generateAccessToken(request: EmulatedRequest<Route>): Reply {
    const match = /^(.+):generateAccessToken$/.exec(request.params.account);
    if (!match) return NOT_FOUND_PAGE;
    const caller = authenticate(
      request,
      'iamcredentials.googleapis.com',
      'google.iam.credentials.v1.IAMCredentials.GenerateAccessToken',
    );
    if ('status' in caller) return caller;
    const email = match[1];
    const account = options.serviceAccounts?.find((a) => a.email === email && !a.disabled);
    const granted = options.impersonation?.some((g) => g.serviceAccount === email && isMember(g.members, caller));
    if (!account || !granted)
      // seen, verbatim
      return apiError(
        403,
        'PERMISSION_DENIED',
        "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
        [
          errorInfo('IAM_PERMISSION_DENIED', 'iam.googleapis.com', {
            permission: 'iam.serviceAccounts.getAccessToken',
          }),
        ],
      );
    const body = (request.body ?? {}) as { scope?: unknown; lifetime?: unknown };
    const scopes = Array.isArray(body.scope) ? body.scope.map(String) : [];
    // assumed wording
    if (!scopes.length) return apiError(400, 'INVALID_ARGUMENT', 'Scope required.');
    const lifetime = /^(\d+)s$/.exec(String(body.lifetime ?? '3600s'));
    const seconds = lifetime ? Number(lifetime[1]) : 3600;
    const token = issue(
      { principal: `serviceAccount:${email}`, attributes: {}, scopes, issuedBy: 'iamcredentials' },
      'ya29.c.',
      seconds,
    );
    return {
      status: 200,
      body: {
        accessToken: token.token,
        expireTime: new Date(token.expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
  }

  // ---- the runner's ID-token service

  function oidcToken(request: EmulatedRequest<Route>): Reply {
    const service = options.oidc;
    if (!service || bearer(request.headers.authorization) !== service.requestToken)
      return { status: 401, body: { message: 'Unauthorized' } };
    const audience = request.query.get('audience');
    if (!audience) return { status: 400, body: { message: 'audience is required' } };
    return { status: 200, body: { value: mintOidcToken(audience) } };
  }

  // ---- cloudkms.googleapis.com

  function versionName(params: Record<string, string>, version: string): string {
    return `projects/${params.project}/locations/${params.location}/keyRings/${params.keyRing}/cryptoKeys/${params.cryptoKey}/cryptoKeyVersions/${version}`;
  }

  /** The checks every KMS method makes, in Google's order: token, scope, IAM, existence, state, purpose. */
  function usableVersion(
    request: EmulatedRequest<Route>,
    name: string,
    method: string,
    permission: string,
  ): { version: EmulatedKeyVersion; token: IssuedAccessToken } | Reply {
    const token = authenticate(
      request,
      'cloudkms.googleapis.com',
      `google.cloud.kms.v1.KeyManagementService.${method}`,
    );
    if ('status' in token) return token;
    if (!token.scopes.some((scope) => KMS_SCOPES.includes(scope)))
      // seen
      return apiError(
        403,
        'PERMISSION_DENIED',
        'Request had insufficient authentication scopes.',
        [
          errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'googleapis.com', {
            service: 'cloudkms.googleapis.com',
            method: `google.cloud.kms.v1.KeyManagementService.${method}`,
          }),
        ],
        {
          'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${KMS_SCOPES.join(' ')}"`,
        },
      );
    const allowed = options.bindings.some(
      (b) => covers(b.resource, name) && ROLE_PERMISSIONS[b.role].includes(permission) && isMember(b.members, token),
    );
    if (!allowed)
      // seen, verbatim (gcloud's PERMISSION_DENIED for get-public-key and asymmetric-sign)
      return apiError(
        403,
        'PERMISSION_DENIED',
        `Permission '${permission}' denied on resource '${name}' (or it may not exist).`,
        [errorInfo('IAM_PERMISSION_DENIED', 'cloudkms.googleapis.com', { permission, resource: name })],
      );
    const version = options.keyVersions.find((v) => v.name === name);
    // assumed wording
    if (!version) return apiError(404, 'NOT_FOUND', `CryptoKeyVersion ${name} not found.`);
    if (version.state !== 'ENABLED')
      // seen: "… is not enabled, current state is: DISABLED." with a PreconditionFailure of type KEY_DISABLED; the
      // violation type for the other states is assumed
      return apiError(400, 'FAILED_PRECONDITION', `${name} is not enabled, current state is: ${version.state}.`, [
        {
          '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
          violations: [{ type: version.state === 'DISABLED' ? 'KEY_DISABLED' : 'KEY_NOT_ENABLED', subject: name }],
        },
      ]);
    const { purpose } = ALGORITHMS[version.algorithm];
    const wanted = method === 'GetPublicKey' ? ['ASYMMETRIC_SIGN', 'ASYMMETRIC_DECRYPT'] : ['ASYMMETRIC_SIGN'];
    if (!wanted.includes(purpose))
      // seen: "Operation requested for Key … has incorrect key purpose: ENCRYPT_DECRYPT" (CRYPTO_SCHEME_MISMATCH)
      return apiError(
        400,
        'FAILED_PRECONDITION',
        `Operation requested for Key ${name} has incorrect key purpose: ${purpose}`,
        [
          {
            '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
            violations: [{ type: 'CRYPTO_SCHEME_MISMATCH', subject: name }],
          },
        ],
      );
    return { version, token };
  }

  function getPublicKey(request: EmulatedRequest<Route>): Reply {
    const name = versionName(request.params, request.params.version);
    const format = request.query.get('publicKeyFormat');
    if (format && format !== 'PEM')
      // assumed wording
      return apiError(400, 'INVALID_ARGUMENT', `Public key format ${format} is not supported for this algorithm.`);
    const usable = usableVersion(request, name, 'GetPublicKey', 'cloudkms.cryptoKeyVersions.viewPublicKey');
    if ('status' in usable) return usable;
    const { version } = usable;
    const pem = createPublicKey(version.privateKey!).export({ type: 'spki', format: 'pem' }).toString();
    return {
      status: 200,
      body: {
        pem,
        algorithm: version.algorithm,
        pemCrc32c: String(crc32c(pem)),
        name,
        protectionLevel: version.protectionLevel,
      },
    };
  }

  const SIGN_FIELDS = ['digest', 'digestCrc32c', 'data', 'dataCrc32c'];

  function asymmetricSign(request: EmulatedRequest<Route>): Reply {
    const match = /^([^:]+):asymmetricSign$/.exec(request.params.version);
    if (!match) return NOT_FOUND_PAGE;
    const name = versionName(request.params, match[1]);
    if (request.bodyKind !== 'json' && request.bodyKind !== 'empty')
      // seen: ESF's answer to a body that is not JSON
      return apiError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(body).find((field) => !SIGN_FIELDS.includes(field));
    if (unknown)
      // seen: ESF's wording for a field the request message lacks
      return apiError(
        400,
        'INVALID_ARGUMENT',
        `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`,
        [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [
              { description: `Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.` },
            ],
          },
        ],
      );
    const usable = usableVersion(request, name, 'AsymmetricSign', 'cloudkms.cryptoKeyVersions.useToSign');
    if ('status' in usable) return usable;
    const { version, token } = usable;
    const info = ALGORITHMS[version.algorithm];
    // The wordings of the request checks below are assumed.
    if (!info.digest)
      return apiError(400, 'INVALID_ARGUMENT', `Algorithm ${version.algorithm} requires data, not a digest.`);
    const digestField = (body.digest ?? {}) as Record<string, unknown>;
    const kinds = Object.keys(digestField);
    if (kinds.length !== 1 || kinds[0] !== info.digest)
      return apiError(
        400,
        'INVALID_ARGUMENT',
        `The request digest must be a ${info.digest} digest for algorithm ${version.algorithm}.`,
      );
    const digest = Buffer.from(String(digestField[info.digest]), 'base64');
    const expectedLength = info.digest === 'sha256' ? 32 : 64;
    if (digest.length !== expectedLength)
      return apiError(
        400,
        'INVALID_ARGUMENT',
        `The digest must be ${expectedLength} bytes long for ${version.algorithm}.`,
      );
    const checksum = body.digestCrc32c;
    if (checksum !== undefined && String(checksum) !== String(crc32c(digest)))
      return apiError(
        400,
        'INVALID_ARGUMENT',
        'The checksum in field digest_crc32c did not match the data in field digest.',
      );
    const key = version.privateKey!;
    const signature =
      info.scheme === 'pkcs1'
        ? signPkcs1(key, digest, info.digest)
        : info.scheme === 'pss'
          ? signPss(key, digest)
          : signEcdsa(key, digest);
    signed.push({ name, digest, signature, principal: token.principal });
    return {
      status: 200,
      body: {
        signature: signature.toString('base64'),
        signatureCrc32c: String(crc32c(signature)),
        verifiedDigestCrc32c: checksum !== undefined,
        name,
        protectionLevel: version.protectionLevel,
      },
    };
  }

  const routes: Route[] = [
    { method: 'POST', pattern: '/token', service: 'oauth2', handle: serviceAccountToken },
    { method: 'POST', pattern: '/v1/token', service: 'sts', handle: federatedToken },
    {
      method: 'POST',
      pattern: '/v1/projects/-/serviceAccounts/:account',
      service: 'iamcredentials',
      handle: generateAccessToken,
    },
    { method: 'GET', pattern: '/oidc/token', service: 'oidc', handle: oidcToken },
    { method: 'GET', pattern: `${KMS_VERSION_PATH}/publicKey`, service: 'kms', handle: getPublicKey },
    { method: 'POST', pattern: KMS_VERSION_PATH, service: 'kms', handle: asymmetricSign },
  ];

  /** The route, when the request went to the host that serves it; the KMS and OIDC routes answer on any host. */
  function handle(request: EmulatedRequest<Route>): Reply {
    const route = request.route;
    const expected =
      route && route.service !== 'kms' && route.service !== 'oidc' ? GOOGLE_HOSTS[route.service] : undefined;
    if (!route || (expected && hostName(request.headers.host) !== expected)) return NOT_FOUND_PAGE;
    return route.handle(request);
  }

  const controls = await startHttpEmulator<Route>({
    routes,
    clockOffsetSeconds: options.clockOffsetSeconds,
    latencyMs: options.latencyMs,
    tls: options.tls,
    // The OAuth endpoints take forms, the APIs JSON; each as its Content-Type says.
    bodyFormat: 'json-if-declared',
    contentType: 'application/json; charset=UTF-8',
    headers: () => ({ vary: 'Origin, X-Origin, Referer', 'x-content-type-options': 'nosniff' }),
    handle,
    emulatorError: (cause) =>
      apiError(
        500,
        'INTERNAL',
        `Emulator error: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`,
      ),
  });
  serverNow = controls.serverNow;
  const port = Number(new URL(controls.url).port);

  return {
    ...controls,
    port,
    proxyHosts: () => Object.fromEntries(Object.values(GOOGLE_HOSTS).map((host) => [host, `127.0.0.1:${port}`])),
    oidcTokenUrl: (audience) => `${controls.url}/oidc/token?api-version=2.0&audience=${encodeURIComponent(audience)}`,
    issuedTokens: () => [...issued],
    signatures: () => [...signed],
    expireToken(token) {
      const record = tokens.get(token);
      if (record) record.expiresAt = serverNow();
    },
    mintOidcToken,
  };
}

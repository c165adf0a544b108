/**
 * A local stand-in for HashiCorp Vault's HTTP API, limited to what signing with a transit key takes:
 *
 * - `GET /v1/<mount>/keys/<name>`: the key, its type and the public half of each version (path_keys.go's
 *   formatKeyPolicy: `public_key` PEM for RSA and ECDSA, base64 for ed25519, creation times for symmetric keys).
 * - `POST|PUT /v1/<mount>/sign/<name>[/<hash>]`: `input` (base64), `hash_algorithm` (or the URL's), `key_version`,
 *   `prehashed`, `signature_algorithm` (`pss`, Vault's default for RSA, or `pkcs1v15`), `marshaling_algorithm`;
 *   answers `{"data":{"signature":"vault:v<N>:<base64>","key_version":N}}` (path_sign_verify.go's pathSignWrite).
 *
 * What Vault checks before the backend is checked here in Vault's order: sealed (503), the token (X-Vault-Token or
 * `Authorization: Bearer`), the namespace (X-Vault-Namespace, Vault Enterprise / HCP), the token's policies
 * against the path and the operation's capability (GET read, POST/PUT update), the mount (the router's "no
 * handler for route"), then the transit backend's own checks. Errors use Vault's body `{"errors":[...]}` with the
 * wording of its source (each noted in VAULT_ERRORS).
 *
 * It is a real HTTP server on 127.0.0.1. Keys and tokens are read live from the options object, so a test may
 * rotate a key, trim its versions or change a policy between requests.
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only, local imports with `.ts`.
 */
import {
  constants,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  randomUUID,
  sign,
  type KeyObject,
} from 'node:crypto';
import {
  startHttpEmulator,
  type EmulatedRequest,
  type EmulatorControls,
  type ScriptedFault,
  type ScriptedResponse as Reply,
  type ServerListenOptions,
  type ServerTimingOptions,
} from './http-emulator.ts';

export type { RecordedRequest, ScriptedFault, ScriptedResponse } from './http-emulator.ts';

/** Transit key types (path_keys.go). Only the RSA ones can make RS256 signatures. */
export type VaultKeyType =
  | 'rsa-2048'
  | 'rsa-3072'
  | 'rsa-4096'
  | 'ecdsa-p256'
  | 'ecdsa-p384'
  | 'ecdsa-p521'
  | 'ed25519'
  | 'aes128-gcm96'
  | 'aes256-gcm96'
  | 'chacha20-poly1305'
  | 'hmac';

export interface VaultKeyVersion {
  /** The private half; absent for a version imported as a public key only (transit's BYOK `public_key`). */
  privateKey?: KeyObject;
  /** The public half of an asymmetric key; absent for symmetric and HMAC keys. */
  publicKey?: KeyObject;
  /** When the version was made, as Vault shows creation_time (RFC 3339). */
  creationTime: string;
}

export interface VaultTransitKey {
  name: string;
  type: VaultKeyType;
  /** The transit engine's mount path: 'transit' unless given (e.g. 'team-a/transit'). */
  mount?: string;
  /** The Vault Enterprise namespace the mount lives in; '' or absent: the root namespace. */
  namespace?: string;
  /** Version N is versions[N - 1]; latest_version is versions.length. */
  versions: VaultKeyVersion[];
  /** Signing with a version below it is refused (0: any version). */
  minEncryptionVersion?: number;
  /** Versions below it were trimmed away: neither shown nor usable (0: none trimmed). */
  minAvailableVersion?: number;
}

export type VaultCapability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny';

/**
 * One ACL policy's rules, as HCL's `path "P" { capabilities = [...] }`: P is relative to the token's namespace,
 * may end in `*` (a prefix) and may hold `+` segments (any one segment).
 */
export type VaultPolicy = Record<string, VaultCapability[]>;

export interface VaultToken {
  /** The token as sent, e.g. `hvs.` + 24 characters (makeVaultToken). */
  token: string;
  /** The namespace the token was issued in ('' or absent: root). It is valid only there. */
  namespace?: string;
  /** Its policies, or 'root' for a root token (every path, every capability). */
  policies: VaultPolicy[] | 'root';
}

export interface VaultMount {
  path: string;
  namespace?: string;
}

export interface VaultEmulatorOptions extends ServerTimingOptions, ServerListenOptions {
  keys: VaultTransitKey[];
  tokens: VaultToken[];
  /** Transit mounts besides those the keys live in (a mount with no key yet). */
  mounts?: VaultMount[];
  /** Start sealed: every request gets 503 until unseal(). */
  sealed?: boolean;
  /**
   * A Vault that ignores `signature_algorithm` and signs RSA with PSS whatever is asked (PSS is Vault's
   * default): the signature looks fine and verifies only as PSS.
   */
  ignoresSignatureAlgorithm?: boolean;
  /** A path in front of /v1, as a reverse proxy that serves Vault under e.g. /vault would have it. */
  pathPrefix?: string;
}

/** A signature the emulator made, in order. */
export interface VaultSignature {
  namespace: string;
  mount: string;
  key: string;
  version: number;
  /** What was used: 'pss' or 'pkcs1v15' for RSA, 'ecdsa' or 'ed25519' otherwise. */
  signatureAlgorithm: string;
  hashAlgorithm: string;
  /** The input as decoded from base64, before any hashing. */
  input: Buffer;
}

export interface VaultEmulator extends EmulatorControls {
  /** `http://127.0.0.1:<port>` + pathPrefix: the value for VAULT_ADDR (see ServerListenOptions for https). */
  url: string;
  /**
   * Queues responses for a route such as 'POST /v1/transit/sign/app-key' (':name' matches any one segment;
   * paths are relative to pathPrefix). They are used first-in first-out, before normal handling.
   */
  fail(route: string, ...responses: ScriptedFault[]): void;
  seal(): void;
  unseal(): void;
  signatures(): VaultSignature[];
}

/**
 * Vault's wording. A message that a handler returns as an error response is sent as is; an error returned
 * alone passes the request handler's go-multierror, which words it "1 error occurred:\n\t* ...\n\n"
 * (sdk/logical/response_util.go RespondErrorCommon picks the status: 400 for an error response, 403 for
 * permission denied, 404 for an unsupported path, 500 otherwise).
 */
export const VAULT_ERRORS = {
  /** 403: a policy that does not grant the path's capability, a missing token, a token of another namespace. */
  permissionDenied: '1 error occurred:\n\t* permission denied\n\n',
  /** 403: a token Vault does not know (expired, revoked, mistyped); documented in Vault's tokens page (2024). */
  invalidToken: '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n',
  /** 503 while sealed (consts.ErrSealed). */
  sealed: 'Vault is sealed',
  /** 404 from the router for a path under no mount. */
  noHandler: (path: string) => `no handler for route "${path}". route entry not found.`,
  /** 404 for a path the backend does not serve, 405 for a method it does not serve there. */
  unsupportedPath: '1 error occurred:\n\t* unsupported path\n\n',
  unsupportedOperation: '1 error occurred:\n\t* unsupported operation\n\n',
  /** 400 from pathSignWrite. */
  signingKeyNotFound: 'signing key not found',
  doesNotSupportSigning: (type: string) => `key type ${type} does not support signing`,
  invalidHashAlgorithm: (name: string) => `invalid hash algorithm "${name}"`,
  invalidMarshaling: (name: string) => `invalid marshaling type "${name}"`,
  hashNone: 'hash_algorithm=none requires both prehashed=true and signature_algorithm=pkcs1v15',
  badBase64: (index: number) => `unable to decode input as base64: illegal base64 data at input byte ${index}`,
  /** 400 from the HTTP layer for a body that is not JSON (Go's encoding/json wording). */
  notJson: (first: string) => `failed to parse JSON input: invalid character '${first}' looking for beginning of value`,
  /** 500: keysutil's SignWithOptions user errors, returned without an error response. */
  versionNegative: 'requested version for signing is negative',
  versionTooHigh: 'requested version for signing is higher than the latest key version',
  versionTooLow: 'requested version for signing is less than the minimum encryption key version',
  noPrivatePart: 'requested version for signing does not contain a private part',
  unsupportedRsaAlgorithm: (name: string) => `unsupported rsa signature algorithm ${name}`,
} as const;

/** `1 error occurred:\n\t* <message>\n\n`: an error returned alone, as go-multierror words it. */
export function multierror(message: string): string {
  return `1 error occurred:\n\t* ${message}\n\n`;
}

/** A token shaped like Vault's service tokens: `hvs.` and 24 characters. */
export function makeVaultToken(): string {
  return `hvs.${randomBytes(18).toString('base64url')}`;
}

/** The least privilege for signing with `key` under `mount`: read the key, sign with it. */
export function signingPolicy(key: string, mount = 'transit'): VaultPolicy {
  return { [`${mount}/keys/${key}`]: ['read'], [`${mount}/sign/${key}`]: ['update'] };
}

const RSA_BITS: Partial<Record<VaultKeyType, number>> = { 'rsa-2048': 2048, 'rsa-3072': 3072, 'rsa-4096': 4096 };
const EC_CURVES: Partial<Record<VaultKeyType, string>> = {
  'ecdsa-p256': 'prime256v1',
  'ecdsa-p384': 'secp384r1',
  'ecdsa-p521': 'secp521r1',
};
/** The `name` Vault shows for each version of an ECDSA key: Go's elliptic curve names. */
const EC_NAMES: Partial<Record<VaultKeyType, string>> = {
  'ecdsa-p256': 'P-256',
  'ecdsa-p384': 'P-384',
  'ecdsa-p521': 'P-521',
};

/** A new version of a key of this type: a fresh key pair for the asymmetric types. */
export function makeVaultKeyVersion(type: VaultKeyType, options: { publicOnly?: boolean } = {}): VaultKeyVersion {
  const creationTime = new Date().toISOString();
  let pair: { publicKey: KeyObject; privateKey: KeyObject } | undefined;
  const bits = RSA_BITS[type];
  const curve = EC_CURVES[type];
  if (bits) pair = generateKeyPairSync('rsa', { modulusLength: bits });
  else if (curve) pair = generateKeyPairSync('ec', { namedCurve: curve });
  else if (type === 'ed25519') pair = generateKeyPairSync('ed25519');
  if (!pair) return { creationTime };
  return { publicKey: pair.publicKey, privateKey: options.publicOnly ? undefined : pair.privateKey, creationTime };
}

/** A transit key with `versions` versions (1 unless given), as `vault write transit/keys/NAME type=...` makes. */
export function makeVaultKey(
  name: string,
  type: VaultKeyType,
  options: { versions?: number; mount?: string; namespace?: string; publicOnly?: boolean } = {},
): VaultTransitKey {
  const versions = Array.from({ length: options.versions ?? 1 }, () =>
    makeVaultKeyVersion(type, { publicOnly: options.publicOnly }),
  );
  return { name, type, mount: options.mount, namespace: options.namespace, versions };
}

/** `vault write -f transit/keys/NAME/rotate`: a new latest version. */
export function rotateVaultKey(key: VaultTransitKey): void {
  key.versions.push(makeVaultKeyVersion(key.type));
}

/** A version's private key as PKCS#1 PEM (the latest unless given), for tests that sign the same way locally. */
export function vaultKeyPem(key: VaultTransitKey, version = key.versions.length): string {
  const privateKey = key.versions[version - 1]?.privateKey;
  if (!privateKey) throw new Error(`vaultKeyPem(): ${key.name} has no private key at version ${version}`);
  return privateKey.export({ type: key.type.startsWith('rsa') ? 'pkcs1' : 'pkcs8', format: 'pem' }).toString();
}

// ---------------------------------------------------------------------------------------------------------
// Internals

const SYMMETRIC: VaultKeyType[] = ['aes128-gcm96', 'aes256-gcm96', 'chacha20-poly1305'];

/** What formatKeyPolicy says each type supports (keysutil's KeyType methods). */
function supports(type: VaultKeyType) {
  const rsa = RSA_BITS[type] !== undefined;
  const symmetric = SYMMETRIC.includes(type);
  return {
    supports_encryption: rsa || symmetric,
    supports_decryption: rsa || symmetric,
    supports_signing: rsa || EC_CURVES[type] !== undefined || type === 'ed25519',
    supports_derivation: symmetric || type === 'ed25519',
  };
}

/** keysutil.HashTypeMap, as node:crypto names the hashes ('none': the input is the digest). */
const HASHES: Record<string, string | null> = {
  sha1: 'sha1',
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
  none: null,
};

/** The DER DigestInfo prefix PKCS#1 v1.5 puts before a digest (RFC 8017 §9.2 note 1), for prehashed input. */
const DIGEST_INFO: Record<string, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha224: '302d300d06096086480165030402040500041c',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

const MAX_DEPTH = 16;

/** Vault serves any path under /v1: one catch-all route per depth, the path read back from the segments. */
const ROUTES = ['GET', 'POST', 'PUT', 'DELETE'].flatMap((method) =>
  Array.from({ length: MAX_DEPTH }, (_, depth) => ({
    method,
    pattern: '/' + Array.from({ length: depth + 1 }, (_, i) => `:s${i}`).join('/'),
  })),
);

type Route = (typeof ROUTES)[number];

const trimSlashes = (text: string) => text.replace(/^\/+|\/+$/g, '');

function errors(status: number, ...messages: string[]): Reply {
  return { status, body: { errors: messages } };
}

/** Vault's answer envelope around a backend's data. */
function envelope(data: Record<string, unknown>): Reply {
  return {
    status: 200,
    body: {
      request_id: randomUUID(),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data,
      wrap_info: null,
      warnings: null,
      auth: null,
      mount_type: 'transit',
    },
  };
}

function patternRegex(pattern: string): RegExp {
  const glob = pattern.endsWith('*');
  const body = (glob ? pattern.slice(0, -1) : pattern)
    .split('/')
    .map((segment) => (segment === '+' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}${glob ? '.*' : ''}$`);
}

/**
 * The rule of one policy that governs `path`: an exact path first; among wildcard rules, Vault's documented
 * priority: the later first wildcard wins, then a rule not ending in `*`, then fewer `+`, then the longer.
 */
function governingRule(policy: VaultPolicy, path: string): VaultCapability[] | undefined {
  if (Object.hasOwn(policy, path)) return policy[path];
  const wildcard = (p: string) => {
    const indexes = [p.indexOf('+'), p.endsWith('*') ? p.length - 1 : -1].filter((i) => i >= 0);
    return indexes.length ? Math.min(...indexes) : p.length;
  };
  const matching = Object.keys(policy).filter((pattern) => patternRegex(pattern).test(path));
  matching.sort(
    (a, b) =>
      wildcard(b) - wildcard(a) ||
      Number(a.endsWith('*')) - Number(b.endsWith('*')) ||
      a.split('+').length - b.split('+').length ||
      b.length - a.length,
  );
  return matching.length ? policy[matching[0]] : undefined;
}

function allows(token: VaultToken, path: string, capability: VaultCapability): boolean {
  if (token.policies === 'root') return true;
  const granted = new Set<VaultCapability>();
  for (const policy of token.policies) {
    const rule = governingRule(policy, path);
    if (rule?.includes('deny')) return false;
    for (const capability of rule ?? []) granted.add(capability);
  }
  return granted.has(capability);
}

/** Go's base64.StdEncoding: padded, standard alphabet; the index of the first byte it cannot take. */
function decodeStdBase64(text: string): Buffer | number {
  const bad = text.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const padding = text.indexOf('=');
  if (padding >= 0 && !/^={1,2}$/.test(text.slice(padding))) return padding;
  if (text.length % 4 !== 0) return text.length - (text.length % 4);
  return Buffer.from(text, 'base64');
}

function publicKeyText(type: VaultKeyType, version: VaultKeyVersion): string {
  if (!version.publicKey) return '';
  if (type === 'ed25519') {
    // Vault shows an ed25519 key as the base64 of its 32 raw bytes, not PEM.
    const jwk = version.publicKey.export({ format: 'jwk' });
    return Buffer.from(String(jwk.x), 'base64url').toString('base64');
  }
  return version.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

function keyData(key: VaultTransitKey): Record<string, unknown> {
  const latest = key.versions.length;
  const first = Math.max(key.minAvailableVersion ?? 0, 1);
  const shown = key.versions.map((version, index) => ({ version, number: index + 1 })).filter((v) => v.number >= first);
  const data: Record<string, unknown> = {
    name: key.name,
    type: key.type,
    derived: false,
    deletion_allowed: false,
    min_available_version: key.minAvailableVersion ?? 0,
    min_decryption_version: 1,
    min_encryption_version: key.minEncryptionVersion ?? 0,
    latest_version: latest,
    exportable: false,
    allow_plaintext_backup: false,
    ...supports(key.type),
    auto_rotate_period: 0,
    imported_key: key.versions.some((version) => version.publicKey && !version.privateKey),
  };
  if (SYMMETRIC.includes(key.type))
    data.keys = Object.fromEntries(
      shown.map(({ version, number }) => [String(number), Math.floor(Date.parse(version.creationTime) / 1000)]),
    );
  else if (key.type !== 'hmac')
    data.keys = Object.fromEntries(
      shown.map(({ version, number }) => [
        String(number),
        {
          name: EC_NAMES[key.type] ?? key.type,
          public_key: publicKeyText(key.type, version),
          certificate_chain: '',
          creation_time: version.creationTime,
          hybrid_public_key: '',
        },
      ]),
    );
  return data;
}

export async function startVaultEmulator(options: VaultEmulatorOptions): Promise<VaultEmulator> {
  let sealed = options.sealed ?? false;
  const signatures: VaultSignature[] = [];

  const controls = await startHttpEmulator<Route>({
    routes: ROUTES,
    pathPrefix: options.pathPrefix,
    clockOffsetSeconds: options.clockOffsetSeconds,
    latencyMs: options.latencyMs,
    tls: options.tls,
    urlHost: options.urlHost,
    // Vault reads every body as JSON, whatever its Content-Type.
    bodyFormat: 'json',
    contentType: 'application/json',
    headers: () => ({ 'cache-control': 'no-store' }),
    handle,
    emulatorError: (cause) => errors(500, multierror(`emulator error: ${String(cause)}`)),
  });

  function mountsIn(namespace: string): string[] {
    const paths = [
      ...options.keys.filter((k) => trimSlashes(k.namespace ?? '') === namespace).map((k) => k.mount ?? 'transit'),
      ...(options.mounts ?? []).filter((m) => trimSlashes(m.namespace ?? '') === namespace).map((m) => m.path),
    ];
    return [...new Set(paths.map(trimSlashes))].sort((a, b) => b.length - a.length);
  }

  function findKey(namespace: string, mount: string, name: string): VaultTransitKey | undefined {
    return options.keys.find(
      (k) =>
        trimSlashes(k.namespace ?? '') === namespace && trimSlashes(k.mount ?? 'transit') === mount && k.name === name,
    );
  }

  function handle(request: EmulatedRequest<Route>): Reply {
    const segments = Object.keys(request.params)
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
      .map((name) => request.params[name]);
    if (!request.route || segments[0] !== 'v1' || segments.length < 2) return errors(404);
    if (sealed) return errors(503, VAULT_ERRORS.sealed);
    const path = segments.slice(1).join('/');
    const method = request.route.method;

    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header('authorization') ?? '')?.[1];
    const sent = header('x-vault-token') || bearer;
    if (!sent) return errors(403, VAULT_ERRORS.permissionDenied);
    const token = options.tokens.find((t) => t.token === sent);
    if (!token) return errors(403, VAULT_ERRORS.invalidToken);
    const namespace = trimSlashes(header('x-vault-namespace') ?? '');
    // Judgement: Vault's exact answer for a token used outside its namespace is not documented.
    if (trimSlashes(token.namespace ?? '') !== namespace) return errors(403, VAULT_ERRORS.permissionDenied);
    const capability: VaultCapability = method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : 'update';
    if (!allows(token, path, capability)) return errors(403, VAULT_ERRORS.permissionDenied);

    const mount = mountsIn(namespace).find((m) => path === m || path.startsWith(`${m}/`));
    if (mount === undefined) return errors(404, VAULT_ERRORS.noHandler(path));
    const rest = path === mount ? [] : path.slice(mount.length + 1).split('/');

    if (rest[0] === 'keys' && rest.length === 2) {
      if (method !== 'GET') return errors(405, VAULT_ERRORS.unsupportedOperation);
      const key = findKey(namespace, mount, rest[1]);
      // pathPolicyRead answers nothing for a missing key: the HTTP layer makes that a bare 404.
      return key ? envelope(keyData(key)) : errors(404);
    }
    if (rest[0] === 'sign' && (rest.length === 2 || rest.length === 3)) {
      if (method !== 'POST' && method !== 'PUT') return errors(405, VAULT_ERRORS.unsupportedOperation);
      return signWith(namespace, mount, rest[1], rest[2], request);
    }
    return errors(404, VAULT_ERRORS.unsupportedPath);
  }

  function signWith(
    namespace: string,
    mount: string,
    name: string,
    urlAlgorithm: string | undefined,
    request: EmulatedRequest<Route>,
  ): Reply {
    if (request.bodyKind === 'text' || request.bodyKind === 'form')
      return errors(400, VAULT_ERRORS.notJson(String(request.body).trim()[0] ?? ''));
    const body = (
      request.bodyKind === 'json' && request.body && typeof request.body === 'object' ? request.body : {}
    ) as Record<string, unknown>;
    const text = (field: string) => (typeof body[field] === 'string' ? (body[field] as string) : '');
    const hashName = urlAlgorithm || text('hash_algorithm') || text('algorithm') || 'sha2-256';
    if (!Object.hasOwn(HASHES, hashName)) return errors(400, VAULT_ERRORS.invalidHashAlgorithm(hashName));
    const hash = HASHES[hashName];
    const marshaling = text('marshaling_algorithm') || 'asn1';
    if (marshaling !== 'asn1' && marshaling !== 'jws') return errors(400, VAULT_ERRORS.invalidMarshaling(marshaling));
    const prehashed = body.prehashed === true || body.prehashed === 'true';
    const requested = text('signature_algorithm');

    const key = findKey(namespace, mount, name);
    if (!key) return errors(400, VAULT_ERRORS.signingKeyNotFound);
    if (!supports(key.type).supports_signing) return errors(400, VAULT_ERRORS.doesNotSupportSigning(key.type));
    if (hash === null && (!prehashed || requested !== 'pkcs1v15')) return errors(400, VAULT_ERRORS.hashNone);

    const decoded = decodeStdBase64(text('input'));
    if (typeof decoded === 'number') return errors(400, VAULT_ERRORS.badBase64(decoded));

    const latest = key.versions.length;
    const asked = Number(body.key_version ?? 0);
    const version = asked === 0 ? latest : asked;
    const userError = (message: string) => errors(500, multierror(message));
    if (!Number.isInteger(asked))
      return errors(400, `error converting input ${String(body.key_version)} for field "key_version"`);
    if (asked < 0) return userError(VAULT_ERRORS.versionNegative);
    if (version > latest) return userError(VAULT_ERRORS.versionTooHigh);
    if ((key.minEncryptionVersion ?? 0) > 0 && version < (key.minEncryptionVersion ?? 0))
      return userError(VAULT_ERRORS.versionTooLow);
    const privateKey = key.versions[version - 1].privateKey;
    if (!privateKey) return userError(VAULT_ERRORS.noPrivatePart);

    let signature: Buffer;
    let algorithm: string;
    if (RSA_BITS[key.type]) {
      algorithm = options.ignoresSignatureAlgorithm ? 'pss' : requested || 'pss';
      if (algorithm !== 'pss' && algorithm !== 'pkcs1v15')
        return userError(VAULT_ERRORS.unsupportedRsaAlgorithm(algorithm));
      if (!prehashed) {
        const padding = algorithm === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
        signature = sign(hash, decoded, { key: privateKey, padding, saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN });
      } else if (algorithm === 'pkcs1v15') {
        const prefix = hash === null ? Buffer.alloc(0) : Buffer.from(DIGEST_INFO[hash] ?? '', 'hex');
        signature = privateEncrypt(
          { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
          Buffer.concat([prefix, decoded]),
        );
      } else return userError('emulator: prehashed input with PSS is not emulated');
    } else if (key.type === 'ed25519') {
      algorithm = 'ed25519';
      signature = sign(null, decoded, privateKey);
    } else {
      algorithm = 'ecdsa';
      if (prehashed) return userError('emulator: prehashed input with ECDSA is not emulated');
      signature = sign(hash ?? 'sha256', decoded, {
        key: privateKey,
        dsaEncoding: marshaling === 'jws' ? 'ieee-p1363' : 'der',
      });
    }
    signatures.push({
      namespace,
      mount,
      key: name,
      version,
      signatureAlgorithm: algorithm,
      hashAlgorithm: hashName,
      input: decoded,
    });
    const encoded = marshaling === 'jws' ? signature.toString('base64url') : signature.toString('base64');
    return envelope({ signature: `vault:v${version}:${encoded}`, key_version: version });
  }

  return {
    ...controls,
    seal: () => void (sealed = true),
    unseal: () => void (sealed = false),
    signatures: () => [...signatures],
  };
}

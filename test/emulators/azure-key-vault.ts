/**
 * A local stand-in for Azure Key Vault's key operations and for the Microsoft Entra ID endpoints that Key
 * Vault's clients get their access tokens from: two real HTTPS servers on 127.0.0.1 (Azure's clients refuse
 * anything but https), one for the vault and one for the login host (AZURE_AUTHORITY_HOST).
 *
 * Key Vault (`vaultUrl`), what `@azure/keyvault-keys` calls to sign:
 * - `GET /keys/<name>[/<version>]?api-version=…`: the key bundle, `{key: JWK (public half only), attributes}`.
 * - `POST /keys/<name>/<version>/sign?api-version=…` with `{alg, value: base64url digest}`: `{kid, value}`.
 * Checked in the service's order: a request without `Authorization: Bearer` gets 401 with the challenge
 * (`WWW-Authenticate: Bearer authorization="<login>/<tenant>", resource="https://vault.azure.net"`), which the
 * client answers with a token; the token's signature (Entra ID's key, this emulator's), expiry, audience
 * (https://vault.azure.net) and issuer (the vault's tenant); the api-version; the caller's permission on the
 * key (access policy or RBAC, each with its own 403 wording); then the key itself (unknown, deleted, disabled,
 * outside its nbf/exp window, `key_ops` without the operation, an algorithm the key type cannot do).
 *
 * Entra ID (`authorityHost`), what MSAL calls for the client-credentials grant:
 * - `GET /<tenant>/v2.0/.well-known/openid-configuration` (MSAL reads the token endpoint from it; with instance
 *   discovery off, nothing is asked of login.microsoftonline.com) and `GET /<tenant>/discovery/v2.0/keys`.
 * - `POST /<tenant>/oauth2/v2.0/token`, `grant_type=client_credentials`, `client_id`, `scope=<resource>/.default`
 *   and either `client_secret` (EnvironmentCredential's client secret) or `client_assertion` (workload identity:
 *   a federated token, e.g. GitHub's OIDC token, checked against the app's federated identity credentials:
 *   issuer, subject and audience, its signature by a trusted issuer's key, its time range). The answer is an
 *   RS256 JWT access token for the resource, as Entra ID issues (v1 claims: aud, iss sts.windows.net, appid, oid,
 *   tid). Errors are Entra's `{error, error_description: "AADSTS<code>: …", error_codes, …}`.
 *
 * Wording: bodies copied from responses recorded by the Azure SDK's own tests
 * (Azure/azure-sdk-for-js keyvault-keys recordings: the 401 challenge and its body, KeyNotFound, the key bundle
 * and sign answers) and from Microsoft's pages ("Azure Key Vault REST API Error Codes" for 401/403; the Entra
 * ID error code reference for AADSTS codes; the sign/get REST references for the shapes). Where no recorded
 * wording was found (a disabled or expired key on sign, key_ops, a bad algorithm), the message follows the
 * service's pattern and is marked "approximate" in KEY_VAULT_ERRORS / ENTRA_ERRORS.
 *
 * Applications, keys and permissions are read live from the options object, so a test may disable a key, drop
 * a permission or rotate a secret between requests.
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only, local imports with `.ts`.
 */
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  startHttpEmulator,
  type EmulatedRequest,
  type EmulatorControls,
  type RecordedRequest,
  type ScriptedResponse as Reply,
  type ServerTimingOptions,
} from './http-emulator.ts';
import { parseJsonSegment } from './jwt-parts.ts';

export type { RecordedRequest, ScriptedFault, ScriptedResponse } from './http-emulator.ts';

/** The resource (audience) of Key Vault's access tokens, in every public-cloud vault's challenge. */
export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';
/** Another resource Entra ID issues tokens for here, to make a token Key Vault must refuse. */
export const MANAGEMENT_RESOURCE = 'https://management.azure.com';
/** The audience Entra ID expects in a federated token (workload identity federation's default). */
export const FEDERATED_TOKEN_AUDIENCE = 'api://AzureADTokenExchange';
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** API versions the vault answers; @azure/keyvault-keys 4.10 sends 2025-07-01. */
export const API_VERSIONS = ['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01'];
const LATEST_API_VERSION = '2025-07-01';

export type KeyType = 'RSA' | 'RSA-HSM' | 'EC' | 'EC-HSM' | 'oct-HSM';
/** Key Vault key permissions (access policies) this emulator checks; RBAC maps them to data actions. */
export type KeyPermission = 'get' | 'sign';

/** The RBAC data action for each permission (Azure's built-in role definitions). */
export const DATA_ACTIONS: Record<KeyPermission, string> = {
  get: 'Microsoft.KeyVault/vaults/keys/read',
  sign: 'Microsoft.KeyVault/vaults/keys/sign/action',
};

export interface VaultKeyVersion {
  /** 32 hexadecimal characters, as Key Vault makes them. */
  version: string;
  kty: KeyType;
  /** The private key (RSA, EC) or the AES key (oct-HSM). Only the public half of RSA and EC keys is served. */
  privateKey: KeyObject;
  /** The operations the key permits (`key_ops`). */
  keyOps: string[];
  enabled: boolean;
  /** Seconds since the epoch: not usable before / after. */
  notBefore?: number;
  expires?: number;
  created: number;
}

export interface VaultKey {
  name: string;
  /** Oldest first; the last one is the current version (what a GET without a version answers). */
  versions: VaultKeyVersion[];
  /** Soft-deleted: the vault answers 404 KeyNotFound until it is recovered. */
  deleted?: boolean;
}

/** A federated identity credential of an application: which external tokens it accepts. */
export interface FederatedCredential {
  issuer: string;
  subject: string;
  /** Default [api://AzureADTokenExchange]. */
  audiences?: string[];
}

/** An Entra ID application (its service principal) that may sign in, and what it may do in the vault. */
export interface EntraApplication {
  /** The application (client) ID: AZURE_CLIENT_ID. */
  clientId: string;
  /** The service principal's object ID (the token's oid); default derived from the client ID. */
  objectId?: string;
  /** The tenant it lives in (AZURE_TENANT_ID); default the vault's tenant. */
  tenantId?: string;
  /** Client secrets it accepts (AZURE_CLIENT_SECRET). */
  secrets?: string[];
  /** Secrets that were valid once and are now expired (AADSTS7000222). */
  expiredSecrets?: string[];
  federatedCredentials?: FederatedCredential[];
  /**
   * Key permissions by key name, '*' for every key of the vault: an access policy (vault-wide in Azure; here
   * '*' is the faithful form) or role assignments, depending on the vault's `authorization`.
   */
  keyPermissions?: Record<string, KeyPermission[]>;
}

/** An OIDC issuer Entra ID trusts for federated tokens, e.g. GitHub Actions' token.actions.githubusercontent.com. */
export interface TrustedIssuer {
  issuer: string;
  /** The issuer's signing key, as its JWKS would give it. */
  publicKey: KeyObject;
}

export interface AzureKeyVaultEmulatorOptions extends ServerTimingOptions {
  /** TLS certificate and key for both servers (test/tls.ts's makeTestCertificates). Required: Azure needs https. */
  tls: { key: string; cert: string };
  /** The vault's tenant. Default: a fresh GUID. */
  tenantId?: string;
  /** The vault's name, as Key Vault's messages show it ('app-keys;location=eastus'). Default 'app-keys'. */
  vaultName?: string;
  /** How the vault authorizes data-plane calls: access policies (default) or Azure RBAC. */
  authorization?: 'access-policy' | 'rbac';
  applications: EntraApplication[];
  keys: VaultKey[];
  trustedIssuers?: TrustedIssuer[];
  /** Access token lifetime; default 3599 s (Entra ID's usual answer). */
  tokenLifetimeSeconds?: number;
  /** Host names the URLs report instead of 127.0.0.1 (reached through a proxy mapping them). */
  vaultHost?: string;
  loginHost?: string;
}

/** An access token the login server issued, in order. */
export interface IssuedAccessToken {
  token: string;
  clientId: string;
  objectId: string;
  tenantId: string;
  resource: string;
  /** How the application proved itself. */
  credential: 'client_secret' | 'client_assertion' | 'cli';
  expiresAt: number;
}

/** A signature the vault made, in order. */
export interface VaultSignature {
  keyName: string;
  version: string;
  alg: string;
  /** The digest as sent, base64url. */
  digest: string;
  clientId: string;
}

export interface AzureKeyVaultEmulator {
  /** https://127.0.0.1:<port>: the vault, for azurekms://127.0.0.1:<port>/KEY. */
  vaultUrl: string;
  /** https://127.0.0.1:<port>: the login host, for AZURE_AUTHORITY_HOST. */
  authorityHost: string;
  tenantId: string;
  vault: EmulatorControls;
  login: EmulatorControls;
  /** Every request to either server, in the order received. */
  timeline(): { server: 'vault' | 'login'; request: RecordedRequest }[];
  /** The key identifier (`kid`) of a key version; the current version when none is named. */
  keyId(name: string, version?: string): string;
  issuedTokens(): IssuedAccessToken[];
  /**
   * An access token for an application, as `az account get-access-token` hands out one from a signed-in CLI
   * session: what a test's stand-in CLI prints, or a token to send to the vault by hand.
   */
  issueAccessToken(clientId: string, options?: { resource?: string; lifetimeSeconds?: number }): string;
  signatures(): VaultSignature[];
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Keys and issuers for tests

/** 32 lowercase hex characters, like a Key Vault key version. */
export function newKeyVersion(): string {
  return randomBytes(16).toString('hex');
}

export interface VaultKeySpec {
  kty?: KeyType;
  /** RSA modulus bits; default 2048. */
  size?: 2048 | 3072 | 4096;
  /** EC curve; default P-256. */
  curve?: 'P-256' | 'P-384' | 'P-521';
  /** Import this key (a PEM or KeyObject, e.g. an app's downloaded private key) instead of making one. */
  privateKey?: KeyObject | string;
  keyOps?: string[];
  enabled?: boolean;
  notBefore?: number;
  expires?: number;
}

const NODE_CURVES = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' } as const;

/** The key_ops Key Vault gives a new key of each type when none are asked for. */
function defaultKeyOps(kty: KeyType): string[] {
  if (kty.startsWith('RSA')) return ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'];
  if (kty.startsWith('EC')) return ['sign', 'verify'];
  return ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
}

/** One key version: generated, or imported from `spec.privateKey` (as `az keyvault key import --pem-file`). */
export function makeKeyVersion(spec: VaultKeySpec = {}): VaultKeyVersion {
  const kty = spec.kty ?? 'RSA';
  let privateKey: KeyObject;
  if (spec.privateKey)
    privateKey = typeof spec.privateKey === 'string' ? createPrivateKey(spec.privateKey) : spec.privateKey;
  else if (kty.startsWith('RSA'))
    privateKey = generateKeyPairSync('rsa', { modulusLength: spec.size ?? 2048 }).privateKey;
  else if (kty.startsWith('EC'))
    privateKey = generateKeyPairSync('ec', { namedCurve: NODE_CURVES[spec.curve ?? 'P-256'] }).privateKey;
  else privateKey = createSecretKey(randomBytes(32));
  return {
    version: newKeyVersion(),
    kty,
    privateKey,
    keyOps: spec.keyOps ?? defaultKeyOps(kty),
    enabled: spec.enabled ?? true,
    notBefore: spec.notBefore,
    expires: spec.expires,
    created: Math.floor(Date.now() / 1000),
  };
}

/** A key with one version per spec (oldest first); with no specs, one RSA 2048 version. */
export function makeVaultKey(name: string, ...specs: VaultKeySpec[]): VaultKey {
  return { name, versions: (specs.length ? specs : [{}]).map(makeKeyVersion) };
}

export interface OidcIssuer extends TrustedIssuer {
  privateKey: KeyObject;
  /** A token from this issuer, e.g. GitHub's OIDC token for a workflow run, signed RS256. */
  token(
    claims: { sub: string; aud?: string; lifetimeSeconds?: number; iat?: number } & Record<string, unknown>,
  ): string;
}

/** An OIDC identity provider whose tokens serve as federated credentials (default: GitHub Actions'). */
export function makeOidcIssuer(issuer = 'https://token.actions.githubusercontent.com'): OidcIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  return {
    issuer,
    publicKey,
    privateKey,
    token({ sub, aud = FEDERATED_TOKEN_AUDIENCE, lifetimeSeconds = 300, iat, ...rest }) {
      const issuedAt = iat ?? Math.floor(Date.now() / 1000);
      return signJwt(
        { typ: 'JWT', alg: 'RS256', kid },
        {
          jti: randomUUID(),
          sub,
          aud,
          iss: issuer,
          nbf: issuedAt,
          iat: issuedAt,
          exp: issuedAt + lifetimeSeconds,
          ...rest,
        },
        privateKey,
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Wording

/**
 * Key Vault's error messages. Recorded: UNAUTHORIZED and KEY_NOT_FOUND (azure-sdk-for-js recordings),
 * FORBIDDEN_POLICY and FORBIDDEN_RBAC ("Azure Key Vault REST API Error Codes" and answers users quote),
 * TOKEN_EXPIRED, TOKEN_INVALID, AUDIENCE, ISSUER (the same page's 401 causes, as users quote them).
 * Approximate (the service's pattern, no recording found): the rest.
 */
export const KEY_VAULT_ERRORS = {
  UNAUTHORIZED: 'Request is missing a Bearer or PoP token.',
  TOKEN_INVALID: "[BearerReadAccessTokenFailed] Error validating token: 'S2S12005'.",
  TOKEN_EXPIRED: "[TokenExpired] Error validating token: 'S2S12086'.",
  AUDIENCE: (found: string) => `AKV10022: Invalid audience. Expected ${KEY_VAULT_RESOURCE}, found: ${found}.`,
  ISSUER: (expected: string, found: string) => `AKV10032: Invalid issuer. Expected one of ${expected}, found ${found}.`,
  API_VERSION: (version: string) =>
    `The specified version (${version}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`,
  API_VERSION_MISSING: "The 'api-version' query parameter is missing.",
  FORBIDDEN_POLICY: (caller: string, permission: KeyPermission, vault: string) =>
    `The user, group or application '${caller}' does not have keys ${permission} permission on key vault '${vault};location=eastus'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
  FORBIDDEN_RBAC: (caller: string, permission: KeyPermission, resource: string, vault: string) =>
    'Caller is not authorized to perform action on resource.\r\n' +
    'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n' +
    `Caller: ${caller}\r\nAction: '${DATA_ACTIONS[permission]}'\r\nResource: '${resource}'\r\n` +
    `Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vault};location=eastus\r\n`,
  KEY_NOT_FOUND: (nameOrId: string) =>
    `A key with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  KEY_DISABLED: (operation: string) => `Operation ${operation} is not allowed on a disabled key.`,
  KEY_EXPIRED: (operation: string) => `Operation ${operation} is not allowed on an expired key.`,
  KEY_NOT_YET_VALID: (operation: string) => `Operation ${operation} is not allowed on a key that is not yet valid.`,
  KEY_OPERATION: (operation: string) => `Operation ${operation} is not permitted on this key.`,
  ALGORITHM: (alg: string, kty: string) => `Algorithm '${alg}' is not supported by key type ${kty}.`,
  DIGEST_LENGTH: (alg: string, length: number) => `Invalid digest length ${length} for algorithm ${alg}.`,
  BAD_BODY: (property: string) => `Property '${property}' is required and must be a base64url string.`,
  NOT_FOUND: 'The requested resource was not found.',
} as const;

/**
 * Entra ID's AADSTS errors, from the Entra ID error code reference and the answers users quote; the trace
 * details Entra appends (Trace ID, Correlation ID, Timestamp) are appended the same way.
 */
export const ENTRA_ERRORS = {
  MISSING_PARAMETER: (name: string) => [900144, `The request body must contain the following parameter: '${name}'.`],
  GRANT_TYPE: (grant: string) => [70003, `The app requested an unsupported grant type '${grant}'.`],
  TENANT_NOT_FOUND: (tenant: string) => [
    90002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  ],
  APP_NOT_FOUND: (clientId: string, tenant: string) => [
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  ],
  INVALID_SECRET: (clientId: string) => [
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  ],
  EXPIRED_SECRET: (clientId: string) => [
    7000222,
    `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  ],
  NO_CREDENTIAL: () => [
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  ],
  ASSERTION_MALFORMED: () => [50027, 'JWT token is invalid or malformed.'],
  ASSERTION_SIGNATURE: () => [50013, 'Assertion failed signature validation.'],
  ASSERTION_TIME: (now: string, from: string, to: string) => [
    700024,
    `Client assertion is not within its valid time range. Current time: ${now}, assertion valid from ${from}, expiry time of assertion ${to}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
  ],
  ISSUER_NOT_TRUSTED: (issuer: string) => [
    700211,
    `No matching federated identity record found for presented assertion issuer '${issuer}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
  ],
  NO_FEDERATED_MATCH: (issuer: string, subject: string, audience: string) => [
    70021,
    `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
  ],
  SCOPE_NOT_DEFAULT: (scope: string) => [
    1002012,
    `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  ],
  RESOURCE_NOT_FOUND: (resource: string, tenant: string) => [
    500011,
    `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  ],
} as const satisfies Record<string, (...args: string[]) => readonly [number, string]>;

// ---------------------------------------------------------------------------------------------------------
// Internals

type Route = { method: string; pattern: string };

const VAULT_ROUTES = [
  { method: 'GET', pattern: '/keys/:name' },
  { method: 'GET', pattern: '/keys/:name/:version' },
  { method: 'POST', pattern: '/keys/:name/:version/sign' },
] as const satisfies readonly Route[];

const LOGIN_ROUTES = [
  { method: 'GET', pattern: '/:tenant/v2.0/.well-known/openid-configuration' },
  { method: 'GET', pattern: '/:tenant/discovery/v2.0/keys' },
  { method: 'POST', pattern: '/:tenant/oauth2/v2.0/token' },
] as const satisfies readonly Route[];

function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A JWT's parts when it is one and its RS256 signature verifies with `key`; else the reason. */
function readJwt(
  token: string,
  keyFor: (header: Record<string, unknown>, claims: Record<string, unknown>) => KeyObject | undefined,
): { claims: Record<string, unknown> } | 'malformed' | 'signature' | 'untrusted' {
  const parts = token.split('.');
  const header = parseJsonSegment(parts[0]);
  const claims = parseJsonSegment(parts[1]);
  if (parts.length !== 3 || !header || !claims || header.alg !== 'RS256') return 'malformed';
  const key = keyFor(header, claims);
  if (!key) return 'untrusted';
  const valid = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
  return valid ? { claims } : 'signature';
}

/** Entra's timestamps in its messages: "2025-01-01 12:00:00Z". */
function entraTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** A stable GUID from a name, for object IDs. */
function guidFrom(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The DER prefix of PKCS#1 v1.5's DigestInfo for each hash, so a signature can be made from a digest alone. */
const DIGEST_INFO: Record<string, { prefix: string; length: number }> = {
  RS256: { prefix: '3031300d060960864801650304020105000420', length: 32 },
  RS384: { prefix: '3041300d060960864801650304020205000430', length: 48 },
  RS512: { prefix: '3051300d060960864801650304020305000440', length: 64 },
};
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'RSNULL'];
const EC_ALGORITHMS = ['ES256', 'ES256K', 'ES384', 'ES512'];

function publicJwk(kid: string, version: VaultKeyVersion): Record<string, unknown> {
  const base = { kid, kty: version.kty, key_ops: version.keyOps };
  if (version.kty === 'oct-HSM') return base;
  const jwk = createPublicKey(version.privateKey).export({ format: 'jwk' });
  return version.kty.startsWith('RSA')
    ? { ...base, n: jwk.n, e: jwk.e }
    : { ...base, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

export async function startAzureKeyVaultEmulator(
  options: AzureKeyVaultEmulatorOptions,
): Promise<AzureKeyVaultEmulator> {
  const tenantId = options.tenantId ?? randomUUID();
  const vaultName = options.vaultName ?? 'app-keys';
  const lifetime = () => options.tokenLifetimeSeconds ?? 3599;
  const sts = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stsKid = randomBytes(12).toString('base64url');
  const issued: IssuedAccessToken[] = [];
  const signatures: VaultSignature[] = [];
  const subscription = guidFrom(`subscription:${tenantId}`);
  // The login server's clock (both servers share the offset); set once it runs.
  const clock = { now: () => Math.floor(Date.now() / 1000) };
  const now = () => clock.now();
  const stsIssuer = (tenant: string) => `https://sts.windows.net/${tenant}/`;

  const tenantOf = (app: EntraApplication) => app.tenantId ?? tenantId;
  const objectIdOf = (app: EntraApplication) => app.objectId ?? guidFrom(`sp:${app.clientId}`);
  const knownTenant = (tenant: string) =>
    tenant === tenantId || options.applications.some((app) => tenantOf(app) === tenant);

  function mintToken(
    app: EntraApplication,
    resource: string,
    credential: IssuedAccessToken['credential'],
    seconds = lifetime(),
  ) {
    const issuedAt = now();
    const tenant = tenantOf(app);
    const objectId = objectIdOf(app);
    const claims = {
      aud: resource,
      iss: stsIssuer(tenant),
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + seconds,
      aio: randomBytes(24).toString('base64url'),
      appid: app.clientId,
      appidacr: credential === 'client_secret' ? '1' : '2',
      idp: stsIssuer(tenant),
      idtyp: 'app',
      oid: objectId,
      rh: randomBytes(16).toString('base64url'),
      sub: objectId,
      tid: tenant,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    const token = signJwt({ typ: 'JWT', alg: 'RS256', x5t: stsKid, kid: stsKid }, claims, sts.privateKey);
    issued.push({
      token,
      clientId: app.clientId,
      objectId,
      tenantId: tenant,
      resource,
      credential,
      expiresAt: claims.exp,
    });
    return { token, expiresIn: seconds };
  }

  // --- Entra ID -------------------------------------------------------------------------------------------

  function entraError(status: number, error: string, [code, description]: readonly [number, string]): Reply {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = entraTime(now());
    return {
      status,
      body: {
        error,
        error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `${authorityHost}/error?code=${code}`,
      },
    };
  }

  function openIdConfiguration(tenant: string): Reply {
    if (!knownTenant(tenant)) return entraError(400, 'invalid_tenant', ENTRA_ERRORS.TENANT_NOT_FOUND(tenant));
    const base = `${authorityHost}/${tenant}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid', 'ver', 'oid'],
        tenant_region_scope: 'NA',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
      },
    };
  }

  function signingKeys(): Reply {
    const jwk = sts.publicKey.export({ format: 'jwk' });
    return { status: 200, body: { keys: [{ kty: 'RSA', use: 'sig', kid: stsKid, x5t: stsKid, n: jwk.n, e: jwk.e }] } };
  }

  /** The client's proof: its secret or a federated token; a reply when Entra refuses it. */
  function checkClientCredential(
    app: EntraApplication,
    form: Record<string, string>,
  ): Reply | IssuedAccessToken['credential'] {
    if (form.client_secret !== undefined) {
      if ((app.secrets ?? []).includes(form.client_secret)) return 'client_secret';
      if ((app.expiredSecrets ?? []).includes(form.client_secret))
        return entraError(401, 'invalid_client', ENTRA_ERRORS.EXPIRED_SECRET(app.clientId));
      return entraError(401, 'invalid_client', ENTRA_ERRORS.INVALID_SECRET(app.clientId));
    }
    if (form.client_assertion === undefined) return entraError(401, 'invalid_client', ENTRA_ERRORS.NO_CREDENTIAL());
    if (form.client_assertion_type !== CLIENT_ASSERTION_TYPE)
      return entraError(400, 'invalid_request', ENTRA_ERRORS.MISSING_PARAMETER('client_assertion_type'));
    const read = readJwt(
      form.client_assertion,
      (_header, claims) => options.trustedIssuers?.find((trusted) => trusted.issuer === claims.iss)?.publicKey,
    );
    if (read === 'malformed') return entraError(400, 'invalid_request', ENTRA_ERRORS.ASSERTION_MALFORMED());
    const claims = parseJsonSegment(form.client_assertion.split('.')[1]) ?? {};
    const issuer = String(claims.iss);
    if (read === 'untrusted') return entraError(400, 'invalid_client', ENTRA_ERRORS.ISSUER_NOT_TRUSTED(issuer));
    if (read === 'signature') return entraError(400, 'invalid_client', ENTRA_ERRORS.ASSERTION_SIGNATURE());
    const current = now();
    const [notBefore, expires] = [Number(claims.nbf ?? claims.iat), Number(claims.exp)];
    if (!(current >= notBefore - 300 && current < expires))
      return entraError(
        400,
        'invalid_client',
        ENTRA_ERRORS.ASSERTION_TIME(entraTime(current), entraTime(notBefore), entraTime(expires)),
      );
    const audiences = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
    const match = (app.federatedCredentials ?? []).some(
      (fic) =>
        fic.issuer === issuer &&
        fic.subject === claims.sub &&
        (fic.audiences ?? [FEDERATED_TOKEN_AUDIENCE]).some((aud) => audiences.includes(aud)),
    );
    if (!match)
      return entraError(
        400,
        'invalid_request',
        ENTRA_ERRORS.NO_FEDERATED_MATCH(issuer, String(claims.sub), audiences.join(', ')),
      );
    return 'client_assertion';
  }

  function token(tenant: string, request: EmulatedRequest<Route>): Reply {
    if (request.bodyKind !== 'form')
      return entraError(400, 'invalid_request', ENTRA_ERRORS.MISSING_PARAMETER('grant_type'));
    const form = request.body as Record<string, string>;
    if (!form.grant_type) return entraError(400, 'invalid_request', ENTRA_ERRORS.MISSING_PARAMETER('grant_type'));
    if (form.grant_type !== 'client_credentials')
      return entraError(400, 'unsupported_grant_type', ENTRA_ERRORS.GRANT_TYPE(form.grant_type));
    if (!form.client_id) return entraError(400, 'invalid_request', ENTRA_ERRORS.MISSING_PARAMETER('client_id'));
    if (!form.scope) return entraError(400, 'invalid_request', ENTRA_ERRORS.MISSING_PARAMETER('scope'));
    if (!knownTenant(tenant)) return entraError(400, 'invalid_request', ENTRA_ERRORS.TENANT_NOT_FOUND(tenant));
    const app = options.applications.find((a) => a.clientId === form.client_id && tenantOf(a) === tenant);
    if (!app) return entraError(400, 'unauthorized_client', ENTRA_ERRORS.APP_NOT_FOUND(form.client_id, tenant));
    const credential = checkClientCredential(app, form);
    if (typeof credential !== 'string') return credential;
    // MSAL may add OIDC scopes; the one resource scope must be RESOURCE/.default in this flow.
    const scopes = form.scope.split(/\s+/).filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
    const scope = scopes[0] ?? '';
    if (scopes.length !== 1 || !scope.endsWith('/.default'))
      return entraError(400, 'invalid_scope', ENTRA_ERRORS.SCOPE_NOT_DEFAULT(form.scope));
    const resource = scope.slice(0, -'/.default'.length);
    if (![KEY_VAULT_RESOURCE, MANAGEMENT_RESOURCE].includes(resource))
      return entraError(400, 'invalid_resource', ENTRA_ERRORS.RESOURCE_NOT_FOUND(resource, tenant));
    const minted = mintToken(app, resource, credential);
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: minted.expiresIn,
        ext_expires_in: minted.expiresIn,
        access_token: minted.token,
      },
    };
  }

  // --- Key Vault ------------------------------------------------------------------------------------------

  function vaultError(
    status: number,
    code: string,
    message: string,
    inner?: string,
    headers?: Record<string, string>,
  ): Reply {
    return { status, headers, body: { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } } };
  }

  const challenge = () => ({
    'www-authenticate': `Bearer authorization="${authorityHost}/${tenantId}", resource="${KEY_VAULT_RESOURCE}"`,
  });
  const unauthorized = (message: string) => vaultError(401, 'Unauthorized', message, undefined, challenge());

  /** The caller behind a bearer token, or the 401 Key Vault answers. */
  function authenticate(
    headers: EmulatedRequest<Route>['headers'],
  ): { app: EntraApplication; claims: Record<string, unknown> } | Reply {
    const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
    if (!match) return unauthorized(KEY_VAULT_ERRORS.UNAUTHORIZED);
    const read = readJwt(match[1], (header) => (header.kid === stsKid ? sts.publicKey : undefined));
    if (typeof read === 'string') return unauthorized(KEY_VAULT_ERRORS.TOKEN_INVALID);
    const { claims } = read;
    if (typeof claims.exp !== 'number' || now() >= claims.exp) return unauthorized(KEY_VAULT_ERRORS.TOKEN_EXPIRED);
    if (claims.aud !== KEY_VAULT_RESOURCE && claims.aud !== `${KEY_VAULT_RESOURCE}/`)
      return unauthorized(KEY_VAULT_ERRORS.AUDIENCE(String(claims.aud)));
    if (claims.iss !== stsIssuer(tenantId))
      return unauthorized(KEY_VAULT_ERRORS.ISSUER(stsIssuer(tenantId), String(claims.iss)));
    const app = options.applications.find((a) => a.clientId === claims.appid && tenantOf(a) === tenantId);
    // A token for an application that was deleted since: Key Vault knows no such caller.
    if (!app) return unauthorized(KEY_VAULT_ERRORS.TOKEN_INVALID);
    return { app, claims };
  }

  function authorize(
    app: EntraApplication,
    claims: Record<string, unknown>,
    keyName: string,
    permission: KeyPermission,
  ): Reply | undefined {
    const grants = app.keyPermissions ?? {};
    const allowed = [...(grants['*'] ?? []), ...(grants[keyName] ?? [])].includes(permission);
    if (allowed) return undefined;
    const caller = `appid=${app.clientId};oid=${objectIdOf(app)};iss=${String(claims.iss)}`;
    if (options.authorization === 'rbac') {
      const resource = `/subscriptions/${subscription}/resourcegroups/app-keys-rg/providers/microsoft.keyvault/vaults/${vaultName}/keys/${keyName}`;
      return vaultError(
        403,
        'Forbidden',
        KEY_VAULT_ERRORS.FORBIDDEN_RBAC(caller, permission, resource, vaultName),
        'ForbiddenByRbac',
      );
    }
    return vaultError(
      403,
      'Forbidden',
      KEY_VAULT_ERRORS.FORBIDDEN_POLICY(caller, permission, vaultName),
      'ForbiddenByPolicy',
    );
  }

  function findVersion(name: string, version: string | undefined): { key: VaultKey; version: VaultKeyVersion } | Reply {
    const key = options.keys.find((k) => k.name.toLowerCase() === name.toLowerCase() && !k.deleted);
    const found =
      key && (version ? key.versions.find((v) => v.version === version.toLowerCase()) : key.versions.at(-1));
    if (!key || !found)
      return vaultError(404, 'KeyNotFound', KEY_VAULT_ERRORS.KEY_NOT_FOUND(version ? `${name}/${version}` : name));
    return { key, version: found };
  }

  const kidOf = (key: VaultKey, version: VaultKeyVersion) => `${vaultUrl}/keys/${key.name}/${version.version}`;

  function keyBundle(key: VaultKey, version: VaultKeyVersion): Reply {
    return {
      status: 200,
      body: {
        key: publicJwk(kidOf(key, version), version),
        attributes: {
          enabled: version.enabled,
          ...(version.notBefore !== undefined ? { nbf: version.notBefore } : {}),
          ...(version.expires !== undefined ? { exp: version.expires } : {}),
          created: version.created,
          updated: version.created,
          recoveryLevel: 'Recoverable+Purgeable',
          recoverableDays: 90,
        },
      },
    };
  }

  function signDigest(key: VaultKey, version: VaultKeyVersion, body: unknown, clientId: string): Reply {
    const { alg, value } = (body ?? {}) as { alg?: unknown; value?: unknown };
    if (typeof alg !== 'string' || !alg) return vaultError(400, 'BadParameter', KEY_VAULT_ERRORS.BAD_BODY('alg'));
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value))
      return vaultError(400, 'BadParameter', KEY_VAULT_ERRORS.BAD_BODY('value'));
    if (!version.enabled) return vaultError(403, 'Forbidden', KEY_VAULT_ERRORS.KEY_DISABLED('sign'), 'KeyDisabled');
    const current = now();
    if (version.notBefore !== undefined && current < version.notBefore)
      return vaultError(403, 'Forbidden', KEY_VAULT_ERRORS.KEY_NOT_YET_VALID('sign'), 'KeyNotYetValid');
    if (version.expires !== undefined && current >= version.expires)
      return vaultError(403, 'Forbidden', KEY_VAULT_ERRORS.KEY_EXPIRED('sign'), 'KeyExpired');
    if (!version.keyOps.includes('sign'))
      return vaultError(403, 'Forbidden', KEY_VAULT_ERRORS.KEY_OPERATION('sign'), 'KeyOperationForbidden');
    const family = version.kty.startsWith('RSA') ? RSA_ALGORITHMS : version.kty.startsWith('EC') ? EC_ALGORITHMS : [];
    const info = DIGEST_INFO[alg];
    // PS*, ES* and RSNULL are real Key Vault algorithms that this emulator does not implement.
    if (!family.includes(alg) || !info)
      return vaultError(400, 'BadParameter', KEY_VAULT_ERRORS.ALGORITHM(alg, version.kty));
    const digest = Buffer.from(value, 'base64url');
    if (digest.length !== info.length)
      return vaultError(400, 'BadParameter', KEY_VAULT_ERRORS.DIGEST_LENGTH(alg, digest.length));
    const signature = privateEncrypt(
      { key: version.privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([Buffer.from(info.prefix, 'hex'), digest]),
    );
    signatures.push({ keyName: key.name, version: version.version, alg, digest: value, clientId });
    return { status: 200, body: { kid: kidOf(key, version), value: signature.toString('base64url') } };
  }

  function handleVault(request: EmulatedRequest<(typeof VAULT_ROUTES)[number]>): Reply {
    const caller = authenticate(request.headers);
    if ('status' in caller) return caller;
    const apiVersion = request.query.get('api-version');
    if (!apiVersion) return vaultError(400, 'BadParameter', KEY_VAULT_ERRORS.API_VERSION_MISSING);
    if (!API_VERSIONS.includes(apiVersion))
      return vaultError(400, 'BadParameter', KEY_VAULT_ERRORS.API_VERSION(apiVersion));
    if (!request.route)
      return request.allowedMethods.length
        ? vaultError(405, 'MethodNotAllowed', 'The requested resource does not support this HTTP method.', undefined, {
            allow: request.allowedMethods.join(', '),
          })
        : vaultError(404, 'NotFound', KEY_VAULT_ERRORS.NOT_FOUND);
    const operation: KeyPermission = request.route.pattern.endsWith('/sign') ? 'sign' : 'get';
    const denied = authorize(caller.app, caller.claims, request.params.name, operation);
    if (denied) return denied;
    const found = findVersion(request.params.name, request.params.version);
    if ('status' in found) return found;
    return operation === 'get'
      ? keyBundle(found.key, found.version)
      : signDigest(found.key, found.version, request.body, caller.app.clientId);
  }

  // --- Servers --------------------------------------------------------------------------------------------

  const login = await startHttpEmulator({
    routes: LOGIN_ROUTES,
    bodyFormat: 'form-if-declared',
    contentType: 'application/json; charset=utf-8',
    tls: options.tls,
    urlHost: options.loginHost,
    clockOffsetSeconds: options.clockOffsetSeconds,
    latencyMs: options.latencyMs,
    headers: () => ({
      'cache-control': 'no-store, no-cache',
      pragma: 'no-cache',
      'x-ms-request-id': randomUUID(),
      'x-ms-ests-server': '2.1.19000.5 - EUS ProdSlices',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
    }),
    handle(request) {
      const tenant = request.params.tenant ?? '';
      switch (request.route?.pattern) {
        case '/:tenant/v2.0/.well-known/openid-configuration':
          return openIdConfiguration(tenant);
        case '/:tenant/discovery/v2.0/keys':
          return signingKeys();
        case '/:tenant/oauth2/v2.0/token':
          return token(tenant, request);
        default:
          return request.allowedMethods.length
            ? entraError(405, 'invalid_request', [900561, 'The endpoint only accepts POST requests.'])
            : { status: 404, body: '' };
      }
    },
    emulatorError: (cause) => entraError(500, 'server_error', [90000, `Emulator error: ${String(cause)}`]),
  });
  const authorityHost = login.url;
  clock.now = login.serverNow;

  let vault: EmulatorControls;
  try {
    vault = await startHttpEmulator({
      routes: VAULT_ROUTES,
      bodyFormat: 'json',
      contentType: 'application/json; charset=utf-8',
      tls: options.tls,
      urlHost: options.vaultHost,
      clockOffsetSeconds: options.clockOffsetSeconds,
      latencyMs: options.latencyMs,
      headers: () => ({
        'cache-control': 'no-cache',
        pragma: 'no-cache',
        expires: '-1',
        'x-ms-keyvault-region': 'eastus',
        'x-ms-request-id': randomUUID(),
        'x-ms-keyvault-service-version': '1.9.2795.1',
        'x-ms-keyvault-network-info': 'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;',
        'strict-transport-security': 'max-age=31536000;includeSubDomains',
        'x-content-type-options': 'nosniff',
      }),
      handle: handleVault,
      emulatorError: (cause) => vaultError(500, 'InternalServerError', `Emulator error: ${String(cause)}`),
    });
  } catch (cause) {
    await login.close();
    throw cause;
  }
  const vaultUrl = vault.url;
  // Each server records its own requests; the timeline interleaves them as they arrive.
  const timeline: { server: 'vault' | 'login'; request: RecordedRequest }[] = [];
  for (const [server, controls] of [
    ['login', login],
    ['vault', vault],
  ] as const) {
    const record = controls.requests.push.bind(controls.requests);
    // Not enumerable: the arrays still compare equal to plain arrays in tests.
    Object.defineProperty(controls.requests, 'push', {
      value: (...requests: RecordedRequest[]) => {
        for (const request of requests) timeline.push({ server, request });
        return record(...requests);
      },
    });
  }

  return {
    vaultUrl,
    authorityHost,
    tenantId,
    vault,
    login,
    timeline: () => [...timeline],
    keyId(name, version) {
      const key = options.keys.find((k) => k.name === name);
      const chosen = version ?? key?.versions.at(-1)?.version;
      if (!key || !chosen) throw new Error(`keyId(): no key '${name}'`);
      return `${vaultUrl}/keys/${key.name}/${chosen}`;
    },
    issuedTokens: () => [...issued],
    issueAccessToken(clientId, tokenOptions = {}) {
      const app = options.applications.find((a) => a.clientId === clientId);
      if (!app) throw new Error(`issueAccessToken(): no application '${clientId}'`);
      return mintToken(app, tokenOptions.resource ?? KEY_VAULT_RESOURCE, 'cli', tokenOptions.lifetimeSeconds).token;
    },
    signatures: () => [...signatures],
    async close() {
      await Promise.all([vault.close(), login.close()]);
    },
  };
}

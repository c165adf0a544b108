/**
 * A local stand-in for AWS KMS, limited to what signing with a KMS key needs: Sign and GetPublicKey on keys named
 * by key ID, key ARN, alias name or alias ARN, for one region of one account. It is a real HTTP server on
 * 127.0.0.1 (HTTPS with `tls`) that checks every request's Signature Version 4 the way AWS does (the access key
 * and its secret, the session token of temporary credentials, the credential scope's service and region, the
 * request time within 15 minutes of the server's clock) before a key policy decides whether the caller may use
 * the key, and it answers with KMS's JSON error shape ({"__type", "message"}) and wording.
 *
 * Beside KMS it serves the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI), so a test can
 * have the SDK's default chain fetch temporary credentials instead of finding them in the environment.
 *
 * Where the wording comes from: KMS's key-state and key-usage messages as local-kms (nsmithuk/local-kms, built
 * from real answers) and user reports quote them; AccessDeniedException and UnsupportedOperationException carry
 * `Message` with a capital M, as KMS sends them (local-kms notes it; raw answers in issue reports show it); the
 * authentication errors are the AWS front end's, as the SDKs' issue trackers quote them.
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only, local imports with `.ts`.
 */
import {
  constants,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  randomInt,
  randomUUID,
  sign,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  startHttpEmulator,
  type EmulatedRequest,
  type EmulatorControls,
  type ScriptedResponse as Reply,
  type ServerListenOptions,
  type ServerTimingOptions,
} from './http-emulator.ts';

export type { RecordedRequest, ScriptedFault, ScriptedResponse } from './http-emulator.ts';

export type KmsAction = 'kms:Sign' | 'kms:GetPublicKey';
export type KmsKeySpec =
  | 'RSA_2048'
  | 'RSA_3072'
  | 'RSA_4096'
  | 'ECC_NIST_P256'
  | 'ECC_NIST_P384'
  | 'ECC_NIST_P521'
  | 'ECC_SECG_P256K1'
  | 'SYMMETRIC_DEFAULT'
  | 'HMAC_256';
export type KmsKeyUsage = 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT' | 'GENERATE_VERIFY_MAC';
export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';
export type SigningAlgorithm =
  | 'RSASSA_PSS_SHA_256'
  | 'RSASSA_PSS_SHA_384'
  | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256'
  | 'RSASSA_PKCS1_V1_5_SHA_384'
  | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256'
  | 'ECDSA_SHA_384'
  | 'ECDSA_SHA_512';

export interface EmulatedKmsKey {
  /** A key ID: a UUID, or `mrk-` and 32 hex digits for a multi-Region key. */
  keyId: string;
  keySpec: KmsKeySpec;
  keyUsage: KmsKeyUsage;
  /** Read live: a test may disable a key or schedule its deletion between requests. */
  state: KmsKeyState;
  /** The private half of an asymmetric key; undefined for symmetric and HMAC keys. */
  privateKey: KeyObject | undefined;
  /** Alias names, `alias/NAME`. */
  aliases: string[];
  /**
   * The algorithms the key signs with. AWS offers every RSASSA algorithm for an RSA signing key; a test may narrow
   * the list (a PSS-only key, which AWS itself does not make) to see a client refuse such a key.
   */
  signingAlgorithms: SigningAlgorithm[];
  /** The key policy, simplified: what each principal (an ARN, as EmulatedAwsCredential.principal) may do. */
  allow: Record<string, KmsAction[]>;
}

export interface EmulatedAwsCredential {
  /** `AKIA…` for an IAM user's long-term key, `ASIA…` for temporary credentials (with a session token). */
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** The identity AWS names in its messages, e.g. arn:aws:sts::111122223333:assumed-role/gha-signer/GitHubActions. */
  principal: string;
  /** When the credential stops working, in seconds since the epoch by the server's clock; undefined: never. */
  expiresAt?: number;
}

export interface AwsKmsEmulatorOptions extends ServerTimingOptions, ServerListenOptions {
  keys: EmulatedKmsKey[];
  credentials: EmulatedAwsCredential[];
  /** The region this endpoint serves; default us-east-1. */
  region?: string;
  /** The account the keys belong to; default 111122223333. */
  accountId?: string;
  /** The Authorization value the container credentials endpoint insists on (AWS_CONTAINER_AUTHORIZATION_TOKEN). */
  containerAuthorizationToken?: string;
}

/** One KMS operation as the emulator answered it. */
export interface AnsweredOperation {
  /** The X-Amz-Target operation (Sign, GetPublicKey, ...); undefined when the request named none. */
  operation: string | undefined;
  /** The KeyId as the request gave it. */
  keyId: unknown;
  /** The access key that signed the request; undefined when it was not signed. */
  accessKeyId: string | undefined;
  /** 'ok', or the error's __type (without a namespace). */
  outcome: string;
}

export interface AwsKmsEmulator extends EmulatorControls {
  region: string;
  accountId: string;
  keyArn(key: EmulatedKmsKey): string;
  /** The ARN of an alias, given as `alias/NAME`. */
  aliasArn(alias: string): string;
  /** The AWS_CONTAINER_CREDENTIALS_FULL_URI that makes the SDK fetch this credential. */
  containerCredentialsUri(credential: EmulatedAwsCredential): string;
  /** Every KMS request, in order, with how it was answered (scripted faults are not listed). */
  operations(): AnsweredOperation[];
}

/** How far the request time may be from the server's clock before AWS refuses the signature. */
export const SIGNATURE_TIME_WINDOW_SECONDS = 15 * 60;
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '111122223333';

/** The front end's and KMS's wording (see the file's comment for the sources). */
export const MESSAGES = {
  missingAuthentication: 'Missing Authentication Token',
  unrecognizedClient: 'The security token included in the request is invalid.',
  expiredToken: 'The security token included in the request is expired',
  signatureMismatch:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  hostNotSigned: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
  noDate: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
  wrongService: "Credential should be scoped to correct service: 'kms'. ",
  wrongRegion: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
  signatureExpired: (sent: string, earliest: string, now: string) =>
    `Signature expired: ${sent} is now earlier than ${earliest} (${now} - 15 min.)`,
  signatureNotYetCurrent: (sent: string, latest: string, now: string) =>
    `Signature not yet current: ${sent} is still later than ${latest} (${now} + 15 min.)`,
  notNull: (member: string) =>
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  notInEnum: (value: string, member: string, values: readonly string[]) =>
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
  messageLength:
    "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096 and greater than or equal to 1",
  digestLength: (algorithm: string) => `Digest is invalid length for algorithm ${algorithm}.`,
  invalidArn: (region: string) => `Invalid arn ${region}`,
  invalidKeyId: (keyId: string) => `Invalid keyId ${keyId}`,
  keyNotFound: (arn: string) => `Key '${arn}' does not exist`,
  aliasNotFound: (arn: string) => `Alias ${arn} is not found.`,
  accessDenied: (principal: string, action: string, resource: string) =>
    `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  disabled: (arn: string) => `${arn} is disabled.`,
  pendingDeletion: (arn: string) => `${arn} is pending deletion.`,
  pendingImport: (arn: string) => `${arn} is pending import.`,
  usageNotForSigning: (arn: string, usage: string) => `${arn} key usage is ${usage} which is not valid for signing.`,
  algorithmIncompatible: (algorithm: string, spec: string) =>
    `Algorithm ${algorithm} is incompatible with key spec ${spec}.`,
  noPublicKey: (arn: string) => `${arn} is a symmetric key: it has no public key.`,
} as const;

const ALL_SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
];
const RSA_SIGNING = ALL_SIGNING_ALGORITHMS.filter((a) => a.startsWith('RSASSA_'));
const RSA_ENCRYPTION = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const MESSAGE_TYPES = ['DIGEST', 'RAW'];

interface SpecShape {
  kind: 'rsa' | 'ec' | 'secret';
  usages: KmsKeyUsage[];
  bits?: number;
  curve?: string;
  signing: readonly SigningAlgorithm[];
}

const SPECS: Record<KmsKeySpec, SpecShape> = {
  RSA_2048: { kind: 'rsa', bits: 2048, usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], signing: RSA_SIGNING },
  RSA_3072: { kind: 'rsa', bits: 3072, usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], signing: RSA_SIGNING },
  RSA_4096: { kind: 'rsa', bits: 4096, usages: ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], signing: RSA_SIGNING },
  ECC_NIST_P256: { kind: 'ec', curve: 'P-256', usages: ['SIGN_VERIFY'], signing: ['ECDSA_SHA_256'] },
  ECC_NIST_P384: { kind: 'ec', curve: 'P-384', usages: ['SIGN_VERIFY'], signing: ['ECDSA_SHA_384'] },
  ECC_NIST_P521: { kind: 'ec', curve: 'P-521', usages: ['SIGN_VERIFY'], signing: ['ECDSA_SHA_512'] },
  ECC_SECG_P256K1: { kind: 'ec', curve: 'secp256k1', usages: ['SIGN_VERIFY'], signing: ['ECDSA_SHA_256'] },
  SYMMETRIC_DEFAULT: { kind: 'secret', usages: ['ENCRYPT_DECRYPT'], signing: [] },
  HMAC_256: { kind: 'secret', usages: ['GENERATE_VERIFY_MAC'], signing: [] },
};

const HASHES: Record<string, { name: string; length: number; digestInfo: string }> = {
  SHA_256: { name: 'sha256', length: 32, digestInfo: '3031300d060960864801650304020105000420' },
  SHA_384: { name: 'sha384', length: 48, digestInfo: '3041300d060960864801650304020205000430' },
  SHA_512: { name: 'sha512', length: 64, digestInfo: '3051300d060960864801650304020305000440' },
};

export interface KmsKeyOptions {
  keyId?: string;
  /** Default: SIGN_VERIFY for RSA and ECC keys, ENCRYPT_DECRYPT for SYMMETRIC_DEFAULT, GENERATE_VERIFY_MAC for HMAC. */
  keyUsage?: KmsKeyUsage;
  state?: KmsKeyState;
  /** Imported key material (PEM or a KeyObject), e.g. an app's downloaded private key; made when absent. */
  privateKey?: KeyObject | string;
  aliases?: string[];
  signingAlgorithms?: SigningAlgorithm[];
  allow?: Record<string, KmsAction[]>;
}

/** A KMS key as CreateKey (or ImportKeyMaterial, with `privateKey`) makes it. */
export function makeKmsKey(keySpec: KmsKeySpec, options: KmsKeyOptions = {}): EmulatedKmsKey {
  const shape = SPECS[keySpec];
  const keyUsage = options.keyUsage ?? shape.usages[0];
  if (!shape.usages.includes(keyUsage)) throw new Error(`makeKmsKey(): a ${keySpec} key cannot have usage ${keyUsage}`);
  let privateKey: KeyObject | undefined;
  if (options.privateKey !== undefined)
    privateKey =
      typeof options.privateKey === 'string' ? createPrivateKey(options.privateKey) : (options.privateKey as KeyObject);
  else if (shape.kind === 'rsa') privateKey = generateKeyPairSync('rsa', { modulusLength: shape.bits! }).privateKey;
  else if (shape.kind === 'ec') privateKey = generateKeyPairSync('ec', { namedCurve: shape.curve! }).privateKey;
  if (shape.kind !== 'secret' && privateKey?.asymmetricKeyType !== shape.kind)
    throw new Error(`makeKmsKey(): the key material is not a ${shape.kind} key, as ${keySpec} needs`);
  if (shape.kind === 'rsa' && privateKey?.asymmetricKeyDetails?.modulusLength !== shape.bits)
    throw new Error(`makeKmsKey(): the key material is not ${shape.bits} bits, as ${keySpec} needs`);
  return {
    keyId: options.keyId ?? randomUUID(),
    keySpec,
    keyUsage,
    state: options.state ?? 'Enabled',
    privateKey,
    aliases: options.aliases ?? [],
    signingAlgorithms: options.signingAlgorithms ?? (keyUsage === 'SIGN_VERIFY' ? [...shape.signing] : []),
    allow: options.allow ?? {},
  };
}

const ALPHANUMERIC_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const randomChars = (alphabet: string, length: number) =>
  Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');

/**
 * A credential for a role session (ASIA… with a session token, as aws-actions/configure-aws-credentials exports)
 * or, with `longTerm`, an IAM user's access key (AKIA…, no token).
 */
export function makeAwsCredential(
  options: { name?: string; accountId?: string; longTerm?: boolean; expiresAt?: number } = {},
): EmulatedAwsCredential {
  const account = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const name = options.name ?? 'gha-signer';
  const secretAccessKey = randomBytes(30).toString('base64');
  if (options.longTerm)
    return {
      accessKeyId: 'AKIA' + randomChars(ALPHANUMERIC_UPPER, 16),
      secretAccessKey,
      principal: `arn:aws:iam::${account}:user/${name}`,
      expiresAt: options.expiresAt,
    };
  return {
    accessKeyId: 'ASIA' + randomChars(ALPHANUMERIC_UPPER, 16),
    secretAccessKey,
    sessionToken: 'IQoJb3JpZ2luX2VjE' + randomBytes(180).toString('base64'),
    principal: `arn:aws:sts::${account}:assumed-role/${name}/GitHubActions`,
    expiresAt: options.expiresAt,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Signature Version 4, as the service checks it: an independent implementation, not the SDK's signer.

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

/** RFC 3986 encoding of everything but the unreserved characters, as SigV4 asks. */
function uriEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query]
    .map(([name, value]) => [uriEncode(name), uriEncode(value)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text.trim().replace(/\s+/g, ' ');
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

function parseAuthorization(header: string): ParsedAuthorization | { missing: string[] } | { badCredential: string } {
  const rest = header.replace(/^AWS4-HMAC-SHA256\s+/, '');
  const parts = Object.fromEntries(
    rest
      .split(',')
      .map((part) => part.trim())
      .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]),
  );
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !parts[name]);
  if (!header.startsWith('AWS4-HMAC-SHA256 ') || missing.length) return { missing };
  const scope = String(parts.Credential).split('/');
  if (scope.length !== 5) return { badCredential: String(parts.Credential) };
  const [accessKeyId, date, region, service, terminator] = scope;
  return {
    accessKeyId,
    date,
    region,
    service,
    terminator,
    signedHeaders: String(parts.SignedHeaders).split(';'),
    signature: String(parts.Signature),
  };
}

/** 20240102T030405Z → epoch seconds; NaN when malformed. */
function parseAmzDate(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}

function amzDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** EMSA-PSS (RFC 8017 §9.1.1) with MGF1 and a salt as long as the hash, as KMS signs a digest with RSASSA-PSS. */
function pssEncode(digest: Buffer, hash: string, modulusBits: number): Buffer {
  const hashLength = digest.length;
  const emBits = modulusBits - 1;
  const emLength = Math.ceil(emBits / 8);
  const salt = randomBytes(hashLength);
  const h = createHash(hash)
    .update(Buffer.concat([Buffer.alloc(8), digest, salt]))
    .digest();
  const db = Buffer.concat([Buffer.alloc(emLength - 2 * hashLength - 2), Buffer.from([1]), salt]);
  const mask = Buffer.alloc(db.length);
  for (let counter = 0, offset = 0; offset < mask.length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash)
      .update(Buffer.concat([h, c]))
      .digest();
    offset += block.copy(mask, offset);
  }
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLength - emBits);
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const modulusBytes = Math.ceil(modulusBits / 8);
  return Buffer.concat([Buffer.alloc(modulusBytes - em.length), em]);
}

function signWith(key: KeyObject, algorithm: SigningAlgorithm, message: Buffer, isDigest: boolean): Buffer {
  const hash = HASHES[algorithm.replace(/^.*_(SHA_\d+)$/, '$1')];
  if (algorithm.startsWith('RSASSA_PKCS1_V1_5_')) {
    if (!isDigest) return sign(hash.name, message, key);
    const digestInfo = Buffer.concat([Buffer.from(hash.digestInfo, 'hex'), message]);
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo);
  }
  if (algorithm.startsWith('RSASSA_PSS_')) {
    if (!isDigest)
      return sign(hash.name, message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hash.length });
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, pssEncode(message, hash.name, bits));
  }
  // Node signs ECDSA only over a message it hashes itself.
  if (isDigest) throw new Error('the emulator cannot sign a digest with an ECC key (Node has no raw ECDSA)');
  return sign(hash.name, message, key);
}

// ---------------------------------------------------------------------------------------------------------

interface Route {
  method: string;
  pattern: string;
  kind: 'kms' | 'container-credentials';
}

const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: '/', kind: 'kms' },
  { method: 'GET', pattern: '/v2/credentials/:access_key_id', kind: 'container-credentials' },
];

type Authenticated = { credential: EmulatedAwsCredential } | Reply;

export async function startAwsKmsEmulator(options: AwsKmsEmulatorOptions): Promise<AwsKmsEmulator> {
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const answered: AnsweredOperation[] = [];
  const arnPrefix = `arn:aws:kms:${region}:${accountId}:`;
  const keyArn = (key: EmulatedKmsKey) => `${arnPrefix}key/${key.keyId}`;
  const aliasArn = (alias: string) => `${arnPrefix}${alias}`;

  const controls = await startHttpEmulator({
    routes: ROUTES,
    clockOffsetSeconds: options.clockOffsetSeconds,
    latencyMs: options.latencyMs,
    tls: options.tls,
    urlHost: options.urlHost,
    bodyFormat: 'json',
    contentType: 'application/x-amz-json-1.1',
    headers: () => ({ 'x-amzn-requestid': randomUUID() }),
    handle,
    emulatorError: (cause) =>
      error('KMSInternalException', `Emulator error: ${cause instanceof Error ? cause.stack : String(cause)}`, 500),
  });
  const { serverNow } = controls;

  function error(type: string, message?: string, status = 400, capitalMessage = false): Reply {
    const body: Record<string, string> = { __type: type };
    if (message !== undefined) body[capitalMessage ? 'Message' : 'message'] = message;
    return { status, body };
  }

  /** The front end's errors come from its own namespace. */
  const frontEndError = (type: string, message: string) => error(`com.amazon.coral.service#${type}`, message);

  /**
   * The body as it came. The shared server hands over the parsed JSON; the SDK sends JSON.stringify's compact
   * form, which parsing and stringifying again gives back byte for byte (text that is not JSON is kept as sent).
   */
  function bodyAsSent(request: EmulatedRequest<Route>): string {
    if (request.bodyKind === 'empty') return '';
    if (request.bodyKind === 'text') return String(request.body);
    return JSON.stringify(request.body);
  }

  /** KMS's one path is '/', whose canonical form is itself (other paths match no KMS route). */
  function authenticate(request: EmulatedRequest<Route>): Authenticated {
    const headers = request.headers;
    const authorization = headers.authorization;
    if (authorization === undefined)
      return frontEndError('MissingAuthenticationTokenException', MESSAGES.missingAuthentication);
    const parsed = parseAuthorization(authorization);
    if ('missing' in parsed)
      return frontEndError(
        'IncompleteSignatureException',
        parsed.missing.length
          ? parsed.missing.map((name) => `Authorization header requires '${name}' parameter.`).join(' ')
          : `Unsupported AWS 'algorithm': '${authorization.split(' ')[0]}'`,
      );
    if ('badCredential' in parsed)
      return frontEndError(
        'IncompleteSignatureException',
        `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${parsed.badCredential}'`,
      );
    const sentDate = headerValue(headers, 'x-amz-date');
    if (!sentDate) return frontEndError('IncompleteSignatureException', MESSAGES.noDate);
    if (!parsed.signedHeaders.includes('host'))
      return frontEndError('IncompleteSignatureException', MESSAGES.hostNotSigned);
    const credential = options.credentials.find((c) => c.accessKeyId === parsed.accessKeyId);
    if (!credential) return frontEndError('UnrecognizedClientException', MESSAGES.unrecognizedClient);
    // Temporary credentials need their session token; a long-term key sent with one is refused as well.
    if (headerValue(headers, 'x-amz-security-token') !== (credential.sessionToken ?? ''))
      return frontEndError('UnrecognizedClientException', MESSAGES.unrecognizedClient);
    const now = serverNow();
    if (credential.expiresAt !== undefined && credential.expiresAt <= now)
      return frontEndError('ExpiredTokenException', MESSAGES.expiredToken);
    if (parsed.service !== 'kms' || parsed.terminator !== 'aws4_request')
      return frontEndError('InvalidSignatureException', MESSAGES.wrongService);
    if (parsed.region !== region)
      return frontEndError('InvalidSignatureException', MESSAGES.wrongRegion(parsed.region));
    const sentAt = parseAmzDate(sentDate);
    if (Number.isNaN(sentAt) || parsed.date !== sentDate.slice(0, 8))
      return frontEndError(
        'InvalidSignatureException',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${sentDate.slice(0, 8)}', from '${sentDate}'.`,
      );
    if (sentAt < now - SIGNATURE_TIME_WINDOW_SECONDS)
      return frontEndError(
        'InvalidSignatureException',
        MESSAGES.signatureExpired(sentDate, amzDate(now - SIGNATURE_TIME_WINDOW_SECONDS), amzDate(now)),
      );
    if (sentAt > now + SIGNATURE_TIME_WINDOW_SECONDS)
      return frontEndError(
        'InvalidSignatureException',
        MESSAGES.signatureNotYetCurrent(sentDate, amzDate(now + SIGNATURE_TIME_WINDOW_SECONDS), amzDate(now)),
      );
    const canonicalRequest = [
      request.route?.method,
      '/',
      canonicalQuery(request.query),
      parsed.signedHeaders.map((name) => `${name}:${headerValue(headers, name)}\n`).join(''),
      parsed.signedHeaders.join(';'),
      sha256Hex(bodyAsSent(request)),
    ].join('\n');
    const scope = `${parsed.date}/${parsed.region}/${parsed.service}/${parsed.terminator}`;
    const stringToSign = ['AWS4-HMAC-SHA256', sentDate, scope, sha256Hex(canonicalRequest)].join('\n');
    let signingKey = hmac(`AWS4${credential.secretAccessKey}`, parsed.date);
    for (const part of [parsed.region, parsed.service, parsed.terminator]) signingKey = hmac(signingKey, part);
    const expected = Buffer.from(createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex'));
    const given = Buffer.from(parsed.signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return frontEndError('InvalidSignatureException', MESSAGES.signatureMismatch);
    return { credential };
  }

  /** The key a KeyId names, by key ID, key ARN, alias name or alias ARN; NotFoundException as KMS words it. */
  function findKey(keyId: string): { key: EmulatedKmsKey } | Reply {
    const arn = /^arn:([^:]+):kms:([^:]*):([^:]*):(key|alias)\/(.+)$/.exec(keyId);
    if (keyId.startsWith('arn:')) {
      if (!arn) return error('NotFoundException', MESSAGES.invalidArn(keyId));
      const [, partition, arnRegion, arnAccount, kind, name] = arn;
      if (partition !== 'aws' || arnRegion !== region)
        return error('NotFoundException', MESSAGES.invalidArn(arnRegion));
      const found =
        arnAccount !== accountId
          ? undefined
          : kind === 'alias'
            ? options.keys.find((key) => key.aliases.includes(`alias/${name}`))
            : options.keys.find((key) => key.keyId === name);
      if (found) return { key: found };
      return kind === 'alias'
        ? error('NotFoundException', MESSAGES.aliasNotFound(keyId))
        : error('NotFoundException', MESSAGES.keyNotFound(keyId));
    }
    if (keyId.startsWith('alias/')) {
      const found = options.keys.find((key) => key.aliases.includes(keyId));
      return found ? { key: found } : error('NotFoundException', MESSAGES.aliasNotFound(aliasArn(keyId)));
    }
    if (!/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i.test(keyId))
      return error('NotFoundException', MESSAGES.invalidKeyId(keyId));
    const found = options.keys.find((key) => key.keyId.toLowerCase() === keyId.toLowerCase());
    return found ? { key: found } : error('NotFoundException', MESSAGES.keyNotFound(`${arnPrefix}key/${keyId}`));
  }

  /** The key, if the caller may do `action` with it and its state allows it. */
  function usableKey(
    keyId: unknown,
    action: KmsAction,
    credential: EmulatedAwsCredential,
  ): { key: EmulatedKmsKey } | Reply {
    if (typeof keyId !== 'string' || keyId === '') return error('ValidationException', MESSAGES.notNull('keyId'));
    const found = findKey(keyId);
    if (!('key' in found)) return found;
    const { key } = found;
    const arn = keyArn(key);
    if (!(key.allow[credential.principal] ?? []).includes(action))
      return error('AccessDeniedException', MESSAGES.accessDenied(credential.principal, action, arn), 400, true);
    if (key.state === 'PendingDeletion') return error('KMSInvalidStateException', MESSAGES.pendingDeletion(arn));
    if (key.state === 'PendingImport') return error('KMSInvalidStateException', MESSAGES.pendingImport(arn));
    if (key.state === 'Disabled') return error('DisabledException', MESSAGES.disabled(arn));
    return { key };
  }

  function getPublicKey(body: Record<string, unknown>, credential: EmulatedAwsCredential): Reply {
    const found = usableKey(body.KeyId, 'kms:GetPublicKey', credential);
    if (!('key' in found)) return found;
    const { key } = found;
    if (!key.privateKey) return error('UnsupportedOperationException', MESSAGES.noPublicKey(keyArn(key)), 400, true);
    const der = createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' });
    return {
      status: 200,
      body: {
        KeyId: keyArn(key),
        PublicKey: der.toString('base64'),
        CustomerMasterKeySpec: key.keySpec,
        KeySpec: key.keySpec,
        KeyUsage: key.keyUsage,
        ...(key.keyUsage === 'SIGN_VERIFY' ? { SigningAlgorithms: key.signingAlgorithms } : {}),
        ...(key.keyUsage === 'ENCRYPT_DECRYPT' ? { EncryptionAlgorithms: RSA_ENCRYPTION } : {}),
      },
    };
  }

  function signMessage(body: Record<string, unknown>, credential: EmulatedAwsCredential): Reply {
    const { KeyId, Message, MessageType = 'RAW', SigningAlgorithm } = body;
    if (typeof KeyId !== 'string') return error('ValidationException', MESSAGES.notNull('keyId'));
    if (typeof Message !== 'string') return error('ValidationException', MESSAGES.notNull('message'));
    if (typeof SigningAlgorithm !== 'string') return error('ValidationException', MESSAGES.notNull('signingAlgorithm'));
    if (!ALL_SIGNING_ALGORITHMS.includes(SigningAlgorithm as SigningAlgorithm))
      return error(
        'ValidationException',
        MESSAGES.notInEnum(SigningAlgorithm, 'signingAlgorithm', ALL_SIGNING_ALGORITHMS),
      );
    if (typeof MessageType !== 'string' || !MESSAGE_TYPES.includes(MessageType))
      return error('ValidationException', MESSAGES.notInEnum(String(MessageType), 'messageType', MESSAGE_TYPES));
    const message = Buffer.from(Message, 'base64');
    if (message.length < 1 || message.length > 4096) return error('ValidationException', MESSAGES.messageLength);
    const found = usableKey(KeyId, 'kms:Sign', credential);
    if (!('key' in found)) return found;
    const { key } = found;
    const algorithm = SigningAlgorithm as SigningAlgorithm;
    if (key.keyUsage !== 'SIGN_VERIFY')
      return error('InvalidKeyUsageException', MESSAGES.usageNotForSigning(keyArn(key), key.keyUsage));
    if (!key.signingAlgorithms.includes(algorithm) || !key.privateKey)
      return error('InvalidKeyUsageException', MESSAGES.algorithmIncompatible(algorithm, key.keySpec));
    const hash = HASHES[algorithm.replace(/^.*_(SHA_\d+)$/, '$1')];
    if (MessageType === 'DIGEST' && message.length !== hash.length)
      return error('ValidationException', MESSAGES.digestLength(algorithm));
    const signature = signWith(key.privateKey, algorithm, message, MessageType === 'DIGEST');
    return {
      status: 200,
      body: { KeyId: keyArn(key), Signature: signature.toString('base64'), SigningAlgorithm: algorithm },
    };
  }

  function kms(request: EmulatedRequest<Route>): { reply: Reply; record: AnsweredOperation } {
    const target = headerValue(request.headers, 'x-amz-target');
    const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : undefined;
    const body =
      request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body)
        ? (request.body as Record<string, unknown>)
        : undefined;
    const record: AnsweredOperation = { operation, keyId: body?.KeyId, accessKeyId: undefined, outcome: 'ok' };
    const authenticated = authenticate(request);
    if (!('credential' in authenticated)) return { reply: authenticated, record };
    record.accessKeyId = authenticated.credential.accessKeyId;
    let reply: Reply;
    if (operation !== 'Sign' && operation !== 'GetPublicKey') reply = error('UnknownOperationException');
    else if (!body || !String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1'))
      reply = error('SerializationException', 'Start of structure or map found where not expected.');
    else
      reply =
        operation === 'Sign'
          ? signMessage(body, authenticated.credential)
          : getPublicKey(body, authenticated.credential);
    return { reply, record };
  }

  function containerCredentials(request: EmulatedRequest<Route>): Reply {
    const json = { 'content-type': 'application/json' };
    if (
      options.containerAuthorizationToken !== undefined &&
      request.headers.authorization !== options.containerAuthorizationToken
    )
      return { status: 401, headers: json, body: { Code: 'AccessDenied', Message: 'Unauthorized' } };
    const credential = options.credentials.find((c) => c.accessKeyId === request.params.access_key_id);
    if (!credential?.sessionToken)
      return { status: 404, headers: json, body: { Code: 'NotFound', Message: 'No credentials for this task' } };
    const expiresAt = credential.expiresAt ?? serverNow() + 3600;
    return {
      status: 200,
      headers: json,
      body: {
        AccessKeyId: credential.accessKeyId,
        SecretAccessKey: credential.secretAccessKey,
        Token: credential.sessionToken,
        Expiration: new Date(expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        RoleArn: credential.principal.replace(
          /^arn:aws:sts::(\d+):assumed-role\/([^/]+)\/.*$/,
          'arn:aws:iam::$1:role/$2',
        ),
      },
    };
  }

  function handle(request: EmulatedRequest<Route>): Reply {
    // KMS answers every path and method but POST / as an operation it does not know.
    if (!request.route) return error('UnknownOperationException', undefined, 404);
    if (request.route.kind === 'container-credentials') return containerCredentials(request);
    const { reply, record } = kms(request);
    const type = (reply.body as { __type?: string } | undefined)?.__type;
    record.outcome = type ? type.replace(/^.*#/, '') : 'ok';
    answered.push(record);
    return reply;
  }

  return {
    ...controls,
    region,
    accountId,
    keyArn,
    aliasArn,
    containerCredentialsUri: (credential) => `${controls.url}/v2/credentials/${credential.accessKeyId}`,
    operations: () => answered.map((entry) => ({ ...entry })),
  };
}

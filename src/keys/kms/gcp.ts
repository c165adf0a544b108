// Google Cloud KMS. Credentials are Application Default Credentials from the file google-github-actions/auth
// writes (GOOGLE_APPLICATION_CREDENTIALS: a service account key, or a workload identity federation config), run
// through google-auth-library, which fetches the access token exactly as Google's own clients do. KMS's REST API
// is then called through the same library: GET v1/{name}/publicKey once, POST v1/{name}:asymmetricSign for each
// JWT, every answer checked as the API reference advises (the version's name, the CRC32C checksums) and each
// request retried by the action's policy under the step's deadline.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GoogleAuth, gaxios, type AuthClient } from 'google-auth-library';
import { RequestProblem, HttpError, redact, type Failure } from '../../http/failure.js';
import { DEFAULT_LIMITS } from '../../http/limits.js';
import { describeNetworkError, timeoutFailure } from '../../http/network-errors.js';
import { chooseProxy } from '../../http/proxy.js';
import type { ApiResponse } from '../../http/response.js';
import { formatBytes } from '../../http/retry-policy.js';
import type { Transport } from '../../http/transport.js';
import { hideUserinfo, isLoopbackHost, showUrl } from '../../http/url.js';
import type { KmsDependencies } from './dependencies.js';
import { KmsError, type RemoteKey } from './remote-key.js';
import type { KmsKey } from './uri.js';

type GcpKey = Extract<KmsKey, { scheme: 'gcpkms' }>;

/** Enough for GetPublicKey and AsymmetricSign, nothing else (the Cloud KMS API's narrower scope). */
const KMS_SCOPE = 'https://www.googleapis.com/auth/cloudkms';
const RS256_ALGORITHMS = ['RSA_SIGN_PKCS1_2048_SHA256', 'RSA_SIGN_PKCS1_3072_SHA256', 'RSA_SIGN_PKCS1_4096_SHA256'];
const RS256_NEEDS = `RS256 JWTs need an RSA signing key with algorithm ${RS256_ALGORITHMS.slice(0, 2).join(', ')} or ${RS256_ALGORITHMS[2]}`;
/** The credential types google-auth-library reads from a file, besides the two google-github-actions/auth writes. */
const FILE_TYPES = ['service_account', 'external_account', 'authorized_user', 'impersonated_service_account'];
/** Attempts at an answer whose checksum does not match ("a limited number of retries", as the reference says). */
const INTEGRITY_ATTEMPTS = 3;
const AUTH_ACTION = 'google-github-actions/auth';

interface CredentialsFile {
  path: string;
  json: Record<string, unknown>;
  type: string;
}

// ---------------------------------------------------------------------------------------------------------
// CRC32C (Castagnoli): Cloud KMS's integrity check; not in node:zlib, whose crc32 is the IEEE polynomial.

const CRC32C_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------
// Where the service is and who asks

/** The KMS base URL, with its trailing slash: CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS as gcloud reads it. */
function kmsEndpoint(uri: string, env: KmsDependencies['env'], universe: string): { base: URL; overridden: boolean } {
  const value = env.CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS?.trim();
  if (!value) return { base: new URL(`https://cloudkms.${universe}/`), overridden: false };
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Not quoted: a value that does not parse cannot be shown without what may be a password in it.
  }
  const usable =
    url &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash;
  if (!url || !usable)
    throw new KmsError(
      `${uri}: CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS must be the https URL of the Cloud KMS API, such as https://cloudkms.googleapis.com/ (http only for a loopback address)${url ? `; it is ${hideUserinfo(showUrl(url))}` : ', and it is not a URL'}.`,
    );
  // gcloud appends "v1/…" to the value as written, so a base without its trailing slash is taken as meant.
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return { base: url, overridden: true };
}

function noCredentials(uri: string, detail: string): KmsError {
  return new KmsError(
    `${uri}: no Google Cloud credentials: ${detail}. Run ${AUTH_ACTION} before this step (with workload_identity_provider, or credentials_json for a service account key): it writes the credentials file and sets GOOGLE_APPLICATION_CREDENTIALS to it.`,
  );
}

function notCredentials(uri: string, path: string, detail: string): KmsError {
  return new KmsError(
    `${uri}: ${path} (GOOGLE_APPLICATION_CREDENTIALS) is not a Google credentials file: ${detail}. Use the file ${AUTH_ACTION} writes, or a service account key (JSON) downloaded from the Cloud console.`,
  );
}

async function readCredentials(uri: string, env: KmsDependencies['env']): Promise<CredentialsFile> {
  const value = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (!value) throw noCredentials(uri, 'GOOGLE_APPLICATION_CREDENTIALS is not set');
  const path = resolve(value);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw noCredentials(
      uri,
      `GOOGLE_APPLICATION_CREDENTIALS is ${path}, which cannot be read (${typeof code === 'string' ? code : 'unreadable'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw notCredentials(uri, path, 'it is not JSON');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw notCredentials(uri, path, 'it is not a JSON object');
  const record = json as Record<string, unknown>;
  const type = typeof record.type === 'string' ? record.type : '';
  if (!FILE_TYPES.includes(type))
    throw notCredentials(
      uri,
      path,
      type
        ? `its type is ${JSON.stringify(type.slice(0, 40))}, not service_account or external_account`
        : 'it has no type',
    );
  if (type === 'service_account') {
    if (typeof record.client_email !== 'string' || typeof record.private_key !== 'string')
      throw notCredentials(uri, path, 'a service_account file needs client_email and private_key');
    // The library would only say "DECODER routines::unsupported" when it signs.
    try {
      createPrivateKey(record.private_key);
    } catch {
      throw notCredentials(uri, path, 'its private_key is not a PEM private key');
    }
  }
  return { path, json: record, type };
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Every secret the file holds, in each form a log could show it (a PEM line by line, and JSON-escaped). */
async function fileSecrets(file: CredentialsFile): Promise<string[]> {
  const { json } = file;
  const secrets: string[] = [];
  for (const field of ['private_key', 'client_secret', 'refresh_token']) {
    const value = json[field];
    if (typeof value !== 'string') continue;
    secrets.push(value, JSON.stringify(value).slice(1, -1), ...value.split(/\r?\n/));
  }
  const source = asRecord(json.credential_source);
  for (const header of Object.values(asRecord(source.headers)))
    if (typeof header === 'string') secrets.push(header, ...header.split(/\s+/));
  // A subject token kept in a file: read here only to be masked; the library reads it again for itself.
  if (typeof source.file === 'string')
    secrets.push(
      await readFile(source.file, 'utf8').then(
        (text) => text.trim(),
        () => '',
      ),
    );
  // A PEM is masked line by line (a log shows it so), and as the one JSON line the file holds; its BEGIN and END
  // lines are no secret, and masking them would blot out every PEM label in the log.
  return secrets
    .map((s) => s.trim())
    .filter((s) => s.length >= 8 && !s.includes('\n') && !/^-----(BEGIN|END) [A-Z ]+-----$/.test(s));
}

/** The workload identity pool of a federated identity that signs as itself (no service account). */
function federatedPool(file: CredentialsFile): string | undefined {
  if (file.type !== 'external_account' || file.json.service_account_impersonation_url) return undefined;
  return /^\/\/iam\.googleapis\.com\/(.+)\/providers\/[^/]+$/.exec(String(file.json.audience ?? ''))?.[1];
}

/** Who signs, for messages: the service account when there is one, else the federated identity. */
function identityOf(file: CredentialsFile): string {
  const { json } = file;
  if (typeof json.client_email === 'string') return `the service account ${json.client_email}`;
  const impersonated = /serviceAccounts\/([^/:]+):generateAccessToken/.exec(
    String(json.service_account_impersonation_url ?? ''),
  );
  if (impersonated) return `the service account ${impersonated[1]} (through workload identity federation)`;
  if (file.type === 'external_account')
    return `the workload identity of this workflow (${String(json.audience ?? 'no audience').replace(/^\/\/iam\.googleapis\.com\//, '')})`;
  if (file.type === 'authorized_user') return 'the Google user of the credentials file';
  return 'the identity of the credentials file';
}

// ---------------------------------------------------------------------------------------------------------
// The library's HTTP: every token it receives or sends is masked before the request that uses it

const TOKEN_FIELDS = ['access_token', 'id_token', 'refresh_token', 'accessToken'];
const FORM_SECRETS = ['assertion', 'subject_token', 'client_secret', 'refresh_token'];

function maskingTransporter(
  file: CredentialsFile,
  transport: Transport,
  mask: (secret: string) => void,
): gaxios.Gaxios {
  const source = asRecord(file.json.credential_source);
  const format = asRecord(source.format);
  const subjectField =
    typeof format.subject_token_field_name === 'string' ? format.subject_token_field_name : undefined;
  const subjectUrl = subjectTokenUrl(file);
  const transporter = new gaxios.Gaxios({
    timeout: DEFAULT_LIMITS.requestTimeoutMs,
    signal: transport.deadline.signal,
    // The toolkit's rule, which the action's other requests follow: loopback is never proxied.
    noProxy: [/^https?:\/\/(localhost|127\.[\d.]+|\[::1\])(:\d+)?\//i],
  });
  transporter.interceptors.request.add({
    resolved: async (config) => {
      if (config.data instanceof URLSearchParams)
        for (const field of FORM_SECRETS) {
          const value = config.data.get(field);
          if (value) mask(value);
        }
      return config;
    },
  });
  transporter.interceptors.response.add({
    resolved: async (response) => {
      const data: unknown = response.data;
      if (typeof data === 'string' && subjectUrl && String(response.config.url) === subjectUrl.href) mask(data.trim());
      const record = asRecord(data);
      for (const field of [...TOKEN_FIELDS, ...(subjectField ? [subjectField] : [])])
        if (typeof record[field] === 'string') mask(record[field]);
      return response;
    },
  });
  return transporter;
}

/** Where the library fetches the subject token (the runner's ID-token service), when the file says. */
function subjectTokenUrl(file: CredentialsFile): URL | undefined {
  const url = asRecord(file.json.credential_source).url;
  try {
    return typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    return undefined;
  }
}

interface GaxiosLike {
  message?: unknown;
  code?: unknown;
  config?: { url?: unknown };
  response?: { status?: number; data?: unknown };
}

function networkFailure(error: unknown, target: URL, transport: Transport): Failure {
  const e = error as GaxiosLike & { type?: unknown; cause?: { type?: unknown } };
  let proxy;
  try {
    proxy = chooseProxy(target);
  } catch {
    proxy = undefined;
  }
  if (transport.deadline.signal.aborted)
    return { code: 'DEADLINE', reason: `${transport.deadline.describe()} passed`, retryable: false };
  if (e.code === 'TimeoutError') return timeoutFailure(DEFAULT_LIMITS.requestTimeoutMs, proxy);
  if (e.type === 'max-size' || e.cause?.type === 'max-size')
    return {
      code: 'TOO_LARGE',
      reason: `the answer is larger than ${formatBytes(DEFAULT_LIMITS.maxBodyBytes)}`,
      retryable: false,
    };
  return describeNetworkError(error, target, proxy);
}

/** One line of a server's or library's text for a message: no secrets, no line breaks, not too long. */
function quote(text: unknown, secrets: readonly string[]): string {
  const line = redact(String(text ?? ''), secrets)
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

// ---------------------------------------------------------------------------------------------------------
// Token failures: which step of the flow refused, in the words of the fix

function tokenFailure(
  uri: string,
  file: CredentialsFile,
  error: unknown,
  transport: Transport,
  secrets: string[],
): KmsError {
  const e = error as GaxiosLike;
  const url =
    typeof e.config?.url === 'string' || e.config?.url instanceof URL ? new URL(String(e.config.url)) : undefined;
  const identity = identityOf(file);
  if (url && !e.response) {
    const failure = networkFailure(error, url, transport);
    return new KmsError(
      `${uri}: could not reach ${url.host} for a Google access token: ${quote(failure.reason, secrets)}.${failure.hint ? ` ${failure.hint}` : ''}`,
    );
  }
  const data = asRecord(e.response?.data);
  const status = e.response?.status;
  const audience = String(file.json.audience ?? '').replace(/^\/\/iam\.googleapis\.com\//, '');
  if (url && typeof data.error === 'string') {
    const said = `${quote(data.error, secrets)}: ${quote(data.error_description, secrets)}`;
    if (url.hostname.startsWith('sts.')) {
      const fix =
        data.error === 'unauthorized_client'
          ? "Change the provider's attribute condition to admit this repository (and its branch or workflow), or run from one it admits."
          : data.error === 'invalid_target'
            ? `The pool or provider does not exist or is disabled: check ${AUTH_ACTION}'s workload_identity_provider (projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER, with the project number).`
            : /audience/i.test(String(data.error_description))
              ? `The OIDC token's audience is not one the provider accepts: leave ${AUTH_ACTION}'s audience input at its default, or add it to the provider's allowed audiences.`
              : "Check the workload identity provider's issuer, allowed audiences and attribute condition.";
      return new KmsError(
        `${uri}: Google's Security Token Service refused this workflow's GitHub OIDC token for ${audience} (${said}). ${fix}`,
      );
    }
    const description = String(data.error_description ?? '');
    const fix = /short-lived|iat and exp/i.test(description)
      ? "This runner's clock is off: Google takes the service account's signed request only within minutes of its own time. Sync the clock (NTP) and run the job again."
      : /signature/i.test(description)
        ? `The key in the file was deleted or disabled, or the file was altered: create a new key for the account and store it in the secret ${AUTH_ACTION}'s credentials_json reads (or switch to workload identity federation).`
        : /account not found/i.test(description)
          ? 'The account was deleted or disabled, or the file names another one: use a key of an existing account.'
          : `Check the credentials file ${AUTH_ACTION} was given.`;
    return new KmsError(`${uri}: Google refused ${identity} an access token (${said}). ${fix}`);
  }
  const apiStatus = asRecord(data.error);
  if (url?.hostname.startsWith('iamcredentials.')) {
    const account = /serviceAccounts\/([^/:]+):/.exec(url.pathname)?.[1] ?? 'the service account';
    const said = `${quote(apiStatus.status ?? `HTTP ${status}`, secrets)}: ${quote(apiStatus.message, secrets)}`;
    return new KmsError(
      status === 403
        ? `${uri}: Google refused to let this workflow's workload identity act as ${account} (${said}). Grant the pool's principal set (for one repository: principalSet://iam.googleapis.com/${audience.replace(/\/providers\/[^/]+$/, '')}/attribute.repository/OWNER/REPO) roles/iam.workloadIdentityUser on ${account}.`
        : `${uri}: Google's IAM Credentials API did not issue a token for ${account} (${said}).`,
    );
  }
  const subjectUrl = subjectTokenUrl(file);
  if (url && status !== undefined && subjectUrl && url.origin === subjectUrl.origin)
    return new KmsError(
      `${uri}: the GitHub OIDC token for workload identity federation could not be fetched (HTTP ${status} from ${url.host}). The credentials file's request token works only in the job that ran ${AUTH_ACTION}: run it in this job, with permissions: id-token: write.`,
    );
  // Google's own words when the answer has them (the library's message then reads "[object Object]: undefined").
  const message = (
    typeof apiStatus.message === 'string'
      ? `${quote(apiStatus.status ?? `HTTP ${status}`, secrets)}: ${quote(apiStatus.message, secrets)}`
      : quote(e.message ?? error, secrets)
  ).replace(/\.$/, '');
  return new KmsError(
    `${uri}: could not get a Google access token for ${identity} with ${file.path}${status ? ` (HTTP ${status} from ${url?.host})` : ''}: ${message}.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// KMS answers

interface GoogleStatus {
  code?: number;
  status?: string;
  message?: string;
  details?: { reason?: string; metadata?: Record<string, string> }[];
}

function googleStatus(body: unknown): GoogleStatus | undefined {
  const error = asRecord(asRecord(body).error);
  return typeof error.message === 'string' || typeof error.status === 'string' ? (error as GoogleStatus) : undefined;
}

/** projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V as gcloud's flags. */
function gcloudFlags(versionName: string): string {
  const [, project, , location, , ring, , key, , version] = versionName.split('/');
  return `${version} --key ${key} --keyring ${ring} --location ${location} --project ${project}`;
}

function stateFailure(uri: string, versionName: string, state: string): KmsError {
  switch (state) {
    case 'DISABLED':
      return new KmsError(
        `${uri}: this key version is DISABLED, and Cloud KMS signs only with an ENABLED one. Enable it (gcloud kms keys versions enable ${gcloudFlags(versionName)}), or name an enabled version in kms-key.`,
      );
    case 'DESTROYED':
      return new KmsError(
        `${uri}: this key version is DESTROYED: its key material is gone for good. Import the app's private key into a new version of the key and name that version in kms-key.`,
      );
    case 'DESTROY_SCHEDULED':
      return new KmsError(
        `${uri}: this key version is scheduled for destruction (DESTROY_SCHEDULED). Restore it (gcloud kms keys versions restore ${gcloudFlags(versionName)}), then enable it.`,
      );
    case 'PENDING_GENERATION':
    case 'PENDING_IMPORT':
      return new KmsError(
        `${uri}: this key version is not ready yet (${state}). Wait until it is ENABLED, then run the job again.`,
      );
    default:
      return new KmsError(
        `${uri}: this key version is ${state}, and Cloud KMS signs only with an ENABLED one. Name an enabled version in kms-key.`,
      );
  }
}

function purposeFailure(uri: string, purpose: string): KmsError {
  const what =
    purpose === 'ENCRYPT_DECRYPT'
      ? 'a symmetric encryption key'
      : purpose === 'ASYMMETRIC_DECRYPT'
        ? 'a decryption key'
        : purpose === 'MAC'
          ? 'a MAC key'
          : 'not a signing key';
  return new KmsError(`${uri} is ${what} (purpose ${purpose}); ${RS256_NEEDS} (purpose ASYMMETRIC_SIGN).`);
}

/** Why an algorithm that Cloud KMS offers cannot make RS256 signatures, or undefined when it can. */
function algorithmProblem(uri: string, algorithm: string): string | undefined {
  if (RS256_ALGORITHMS.includes(algorithm)) return undefined;
  const fix = `${RS256_NEEDS}. Create a key version with one of those (a GitHub App's downloaded key imports as RSA_SIGN_PKCS1_2048_SHA256).`;
  if (algorithm.startsWith('EC_SIGN_')) return `${uri} is an EC signing key (${algorithm}); ${fix}`;
  if (algorithm.startsWith('RSA_SIGN_PSS_'))
    return `${uri} is an RSA-PSS key (${algorithm}), and RS256 is RSASSA-PKCS1-v1_5; ${fix}`;
  if (algorithm.startsWith('RSA_SIGN_RAW_PKCS1_'))
    return `${uri} signs raw data without a digest (${algorithm}), and RS256 signs a SHA-256 digest; ${fix}`;
  if (/^RSA_SIGN_PKCS1_\d+_SHA(384|512)$/.test(algorithm))
    return `${uri} signs ${algorithm.replace(/^.*_SHA/, 'SHA-')} digests (${algorithm}), and RS256 signs SHA-256 ones; ${fix}`;
  if (algorithm.startsWith('RSA_DECRYPT_'))
    return `${uri} is an RSA decryption key (${algorithm}), not a signing key; ${fix}`;
  return `${uri} has the algorithm ${algorithm}, which cannot make RS256 signatures; ${fix}`;
}

// ---------------------------------------------------------------------------------------------------------

export async function gcpKey(key: GcpKey, deps: KmsDependencies): Promise<RemoteKey> {
  const { uri, versionName } = key;
  const file = await readCredentials(uri, deps.env);
  // Every secret masked once, and kept out of every message.
  const secrets: string[] = [];
  const mask = (secret: string) => {
    const value = secret.trim();
    if (!value || secrets.includes(value)) return;
    secrets.push(value);
    deps.mask(value);
  };
  for (const secret of await fileSecrets(file)) mask(secret);

  const transport = await deps.transport();
  // ADC with the file's content, as google-auth-library reads GOOGLE_APPLICATION_CREDENTIALS itself; read here
  // because the environment is the one given (process.env in the action), and so its secrets are masked first.
  const auth = new GoogleAuth({
    credentials: file.json,
    scopes: [KMS_SCOPE],
    clientOptions: { transporter: maskingTransporter(file, transport, mask) },
  });
  let client: AuthClient;
  try {
    client = await auth.getClient();
  } catch (error) {
    throw notCredentials(uri, file.path, quote((error as Error).message, secrets).replace(/\.$/, ''));
  }
  const endpoint = kmsEndpoint(uri, deps.env, client.universeDomain);
  const identity = identityOf(file);
  deps.log.debug(`Cloud KMS at ${endpoint.base.origin}, as ${identity}, with credentials from ${file.path}.`);

  let token: Promise<void> | undefined;
  const fetchToken = async () => {
    let value: string | null | undefined;
    try {
      value = (await client.getAccessToken()).token;
    } catch (error) {
      throw tokenFailure(uri, file, error, transport, secrets);
    }
    if (!value) throw new KmsError(`${uri}: Google issued ${identity} no access token; run the job again.`);
    mask(value);
  };

  const where = endpoint.overridden ? ` (the endpoint from CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS)` : '';

  /** One request, retried by the action's policy; the answer whatever its status. */
  async function call(method: 'GET' | 'POST', path: string, data?: Record<string, unknown>): Promise<ApiResponse> {
    token ??= fetchToken();
    await token;
    const url = new URL(path, endpoint.base);
    const label = { service: 'Cloud KMS', method, url: showUrl(url), secrets };
    try {
      const sent = await transport.retrying(label, async () => {
        let answer;
        try {
          answer = await client.request<unknown>({
            url: url.href,
            method,
            data,
            retry: false,
            validateStatus: () => true,
            maxContentLength: DEFAULT_LIMITS.maxBodyBytes,
          });
        } catch (error) {
          if ((error as GaxiosLike).response) throw error;
          throw new RequestProblem(networkFailure(error, url, transport));
        }
        const date = answer.headers.get('date');
        const response: ApiResponse = {
          status: answer.status,
          headers: { get: (name) => answer.headers.get(name) },
          body: answer.data,
          ...(date ? { date: new Date(date) } : {}),
        };
        return { response, value: response };
      });
      return sent.value;
    } catch (error) {
      if (error instanceof HttpError) {
        const what = ['DEADLINE', 'TIMEOUT'].includes(error.code)
          ? 'did not answer in time'
          : error.code === 'TOO_LARGE'
            ? 'gave no usable answer'
            : 'could not be reached';
        throw new KmsError(`${uri}: Cloud KMS${where} ${what}: ${error.message}`);
      }
      if (error instanceof KmsError) throw error;
      throw new KmsError(
        `${uri}: the request to Cloud KMS${where} failed: ${quote((error as Error).message, secrets)}.`,
      );
    }
  }

  /** Every answer that is not a success, as the fix for it. */
  function failure(response: ApiResponse, doing: string): KmsError {
    const status = googleStatus(response.body);
    const said = status
      ? `${status.status ?? `HTTP ${response.status}`}: ${quote(status.message, secrets)}`
      : undefined;
    const message = status?.message ?? '';
    const permission =
      status?.details?.find((d) => d.reason === 'IAM_PERMISSION_DENIED')?.metadata?.permission ??
      /Permission '([^']+)' denied/.exec(message)?.[1];
    if (response.status === 403 && permission) {
      const role =
        permission === 'cloudkms.cryptoKeyVersions.useToSign'
          ? 'roles/cloudkms.signerVerifier on the key (or roles/cloudkms.signer, for signing alone)'
          : 'roles/cloudkms.signerVerifier on the key (or roles/cloudkms.publicKeyViewer, for the public key alone)';
      // A federated identity is granted roles as a principal set of its pool, not by the provider's name.
      const grantee = federatedPool(file)
        ? `the pool's principal set (for one repository: principalSet://iam.googleapis.com/${federatedPool(file)}/attribute.repository/OWNER/REPO)`
        : 'it';
      return new KmsError(
        `${uri}: ${identity} lacks the permission ${permission} on this key, or the key does not exist (Google answers both alike). Grant ${grantee} ${role}, and check the project, location, key ring and key in kms-key.`,
      );
    }
    const state = /current state is: ([A-Z_]+)/.exec(message)?.[1];
    if (status?.status === 'FAILED_PRECONDITION' && state) return stateFailure(uri, versionName, state);
    const purpose = /incorrect key purpose: ([A-Z_]+)/.exec(message)?.[1];
    if (status?.status === 'FAILED_PRECONDITION' && purpose) return purposeFailure(uri, purpose);
    if (response.status === 404 && status)
      return new KmsError(
        `${uri}: this key version does not exist (${said}). Check the project, location, key ring, key and version number in kms-key (gcloud kms keys versions list --key KEY --keyring RING --location LOCATION --project PROJECT).`,
      );
    if (response.status === 401)
      return new KmsError(
        `${uri}: Cloud KMS did not accept the access token Google issued to ${identity} (${said ?? `HTTP 401`}). Run the job again; if it fails again, run ${AUTH_ACTION} again in this job.`,
      );
    if (!status)
      return new KmsError(
        `${uri}: Cloud KMS${where} answered HTTP ${response.status} to ${doing}, in no form the Cloud KMS API answers with. Check the endpoint${endpoint.overridden ? '' : ' and any proxy between'}.`,
      );
    if (response.status === 429 || response.status >= 500)
      return new KmsError(
        `${uri}: Cloud KMS kept failing to ${doing} (${said}), also after retries. Run the job again later.`,
      );
    return new KmsError(`${uri}: Cloud KMS refused to ${doing} (${said}).`);
  }

  /** The answer's own checks; a mismatch means the bytes were damaged on the way, so it is asked again. */
  async function checked<T>(
    doing: string,
    ask: () => Promise<ApiResponse>,
    read: (body: Record<string, unknown>) => T | string,
  ): Promise<T> {
    let problem = '';
    for (let attempt = 1; attempt <= INTEGRITY_ATTEMPTS; attempt++) {
      const response = await ask();
      if (response.status !== 200) throw failure(response, doing);
      const body = asRecord(response.body);
      if (body.name !== versionName)
        throw new KmsError(
          `${uri}: Cloud KMS${where} answered for another key version (${quote(body.name ?? 'no name', secrets)}) when asked to ${doing}. Check the endpoint.`,
        );
      const value = read(body);
      if (typeof value !== 'string') return value;
      problem = value;
      deps.log.info(`Cloud KMS's answer to ${doing} failed its integrity check (${problem}); asking again.`);
    }
    throw new KmsError(
      `${uri}: Cloud KMS's answer to ${doing} failed its integrity check ${INTEGRITY_ATTEMPTS} times (${problem}): the answers are damaged on the way. Run the job again.`,
    );
  }

  const keyPath = `v1/${versionName.split('/').map(encodeURIComponent).join('/')}`;

  return {
    uri,

    async publicKey(): Promise<KeyObject> {
      const { pem, algorithm } = await checked(
        'read the public key',
        () => call('GET', `${keyPath}/publicKey`),
        (body) => {
          if (typeof body.pem !== 'string' || typeof body.algorithm !== 'string') return 'no pem or algorithm';
          if (String(body.pemCrc32c) !== String(crc32c(Buffer.from(body.pem, 'utf8'))))
            return 'pemCrc32c does not match the PEM';
          return { pem: body.pem, algorithm: body.algorithm };
        },
      );
      const problem = algorithmProblem(uri, algorithm);
      if (problem) throw new KmsError(problem);
      try {
        return createPublicKey(pem);
      } catch {
        throw new KmsError(`${uri}: Cloud KMS${where} answered with a public key that does not parse as PEM.`);
      }
    },

    async signDigest(digest: Buffer): Promise<Buffer> {
      const data = { digest: { sha256: digest.toString('base64') }, digestCrc32c: String(crc32c(digest)) };
      return checked(
        'sign',
        () => call('POST', `${keyPath}:asymmetricSign`, data),
        (body) => {
          if (body.verifiedDigestCrc32c !== true)
            return 'verifiedDigestCrc32c is not true: the digest may have been damaged';
          if (typeof body.signature !== 'string') return 'no signature';
          const signature = Buffer.from(body.signature, 'base64');
          if (String(body.signatureCrc32c) !== String(crc32c(signature)))
            return 'signatureCrc32c does not match the signature';
          return signature;
        },
      );
    },
  };
}

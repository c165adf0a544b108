// Google Cloud KMS, signed in to as gcp-credentials.ts does. KMS's REST API is called through google-auth-library:
// GET v1/{name}/publicKey once, POST v1/{name}:asymmetricSign for each JWT, every answer checked as the API reference
// advises (the version's name, the CRC32C checksums), each request retried by the action's policy under the deadline.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { RequestProblem, HttpError } from '../../http/failure.js';
import { DEFAULT_LIMITS } from '../../http/limits.js';
import type { ApiResponse } from '../../http/response.js';
import { hideUserinfo, isLoopbackHost, showUrl } from '../../http/url.js';
import type { KmsDependencies } from './dependencies.js';
import {
  AUTH_ACTION,
  asRecord,
  federatedPool,
  googleCredentials,
  networkFailure,
  quote,
  type GaxiosLike,
} from './gcp-credentials.js';
import { KmsError, type RemoteKey } from './remote-key.js';
import type { KmsKey } from './uri.js';

type GcpKey = Extract<KmsKey, { scheme: 'gcpkms' }>;

/** Enough for GetPublicKey and AsymmetricSign, nothing else (the Cloud KMS API's narrower scope). */
const KMS_SCOPE = 'https://www.googleapis.com/auth/cloudkms';
const RS256_ALGORITHMS = ['RSA_SIGN_PKCS1_2048_SHA256', 'RSA_SIGN_PKCS1_3072_SHA256', 'RSA_SIGN_PKCS1_4096_SHA256'];
const RS256_NEEDS = `RS256 JWTs need an RSA signing key with algorithm ${RS256_ALGORITHMS.slice(0, 2).join(', ')} or ${RS256_ALGORITHMS[2]}`;
/** Attempts at an answer whose checksum does not match ("a limited number of retries", as the reference says). */
const INTEGRITY_ATTEMPTS = 3;

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
// Where the service is

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
  const { file, client, transport, identity, secrets, fetchToken } = await googleCredentials(uri, deps, KMS_SCOPE);
  const endpoint = kmsEndpoint(uri, deps.env, client.universeDomain);
  deps.log.debug(`Cloud KMS at ${endpoint.base.origin}, as ${identity}, with credentials from ${file.path}.`);

  let token: Promise<void> | undefined;

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

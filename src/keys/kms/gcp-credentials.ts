// Google credentials for Cloud KMS: the ADC file google-github-actions/auth writes (GOOGLE_APPLICATION_CREDENTIALS: a
// service account key or a workload identity federation config), its secrets masked before any request, the token
// fetched by google-auth-library as Google's own clients do, and each failure of that flow as the fix for it.
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GoogleAuth, gaxios, type AuthClient } from 'google-auth-library';
import { redact, type Failure } from '../../http/failure.js';
import { DEFAULT_LIMITS } from '../../http/limits.js';
import { describeNetworkError, timeoutFailure } from '../../http/network-errors.js';
import { chooseProxy } from '../../http/proxy.js';
import { serverText } from '../../http/response.js';
import { formatBytes } from '../../http/retry-policy.js';
import type { Transport } from '../../http/transport.js';
import type { KmsDependencies } from './dependencies.js';
import { KmsError } from './remote-key.js';

/** The credential types google-auth-library reads from a file, besides the two google-github-actions/auth writes. */
const FILE_TYPES = ['service_account', 'external_account', 'authorized_user', 'impersonated_service_account'];
export const AUTH_ACTION = 'google-github-actions/auth';

export interface CredentialsFile {
  path: string;
  json: Record<string, unknown>;
  type: string;
}

/** The signed-in client, with what the KMS calls need of the credentials behind it. */
export interface GoogleCredentials {
  file: CredentialsFile;
  client: AuthClient;
  transport: Transport;
  /** Who signs, for messages. */
  identity: string;
  /** Every secret masked so far, to be kept out of every message. */
  secrets: string[];
  /** Gets an access token from the client, masked before it is used. */
  fetchToken(): Promise<void>;
}

/** The credentials file read and its secrets masked, then the library's client for it, with the given scope. */
export async function googleCredentials(uri: string, deps: KmsDependencies, scope: string): Promise<GoogleCredentials> {
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
    scopes: [scope],
    clientOptions: { transporter: maskingTransporter(file, transport, mask) },
  });
  let client: AuthClient;
  try {
    client = await auth.getClient();
  } catch (error) {
    throw notCredentials(uri, file.path, quote((error as Error).message, secrets).replace(/\.$/, ''));
  }
  const identity = identityOf(file);

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

  return { file, client, transport, identity, secrets, fetchToken };
}

// ---------------------------------------------------------------------------------------------------------
// The credentials file

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

export const asRecord = (value: unknown): Record<string, unknown> =>
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
export function federatedPool(file: CredentialsFile): string | undefined {
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

// ---------------------------------------------------------------------------------------------------------
// The library's failures and texts, for messages: of the token flow here and of the KMS calls in gcp.ts

export interface GaxiosLike {
  message?: unknown;
  code?: unknown;
  config?: { url?: unknown };
  response?: { status?: number; data?: unknown };
}

export function networkFailure(error: unknown, target: URL, transport: Transport): Failure {
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
export function quote(text: unknown, secrets: readonly string[]): string {
  return serverText(redact(String(text ?? ''), secrets));
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

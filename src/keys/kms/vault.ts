// hashivault://KEY: a key of Vault's transit secrets engine. Vault has no official Node client, so this speaks
// its HTTP API through the action's own transport (limits, deadline, retries, proxies): GET <mount>/keys/KEY for
// the key's type and public key, POST <mount>/sign/KEY for each signature. The settings are the ones Vault's own
// clients (and cosign) read: VAULT_ADDR, VAULT_TOKEN (hashicorp/vault-action exports it with exportToken: true),
// VAULT_NAMESPACE, and TRANSIT_SECRET_ENGINE_PATH for the mount.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { InputError } from '../../errors.js';
import { HttpError, redact } from '../../http/failure.js';
import type { ApiResponse } from '../../http/response.js';
import { joinUrl } from '../../http/url.js';
import { parseApiBase } from '../../settings/api-url.js';
import type { KmsDependencies } from './dependencies.js';
import { KmsError, type RemoteKey } from './remote-key.js';
import type { KmsKey } from './uri.js';

type VaultKmsKey = Extract<KmsKey, { scheme: 'hashivault' }>;

interface VaultSettings {
  /** VAULT_ADDR as checked: https (http for loopback only), no trailing slash. */
  base: string;
  token: string;
  namespace: string | undefined;
  /** The transit engine's mount path, without slashes at either end. */
  mount: string;
}

const RSA_TYPES = ['rsa-2048', 'rsa-3072', 'rsa-4096'];
const SYMMETRIC_TYPES = /^(aes\d+-gcm96|chacha20-poly1305|hmac|aes\d+-cmac)$/;
const MOUNT_SEGMENT = /^[A-Za-z0-9_.-]+$/;

const trimSlashes = (text: string) => text.replace(/^\/+|\/+$/g, '');

/** The settings from the environment; the token is masked the moment it is read, before anything can fail. */
function readSettings(key: VaultKmsKey, deps: KmsDependencies): VaultSettings {
  const { uri } = key;
  const token = deps.env.VAULT_TOKEN?.trim() ?? '';
  if (token) deps.mask(token);
  const address = deps.env.VAULT_ADDR?.trim() ?? '';
  const login =
    'log in to Vault in an earlier step of this job with hashicorp/vault-action and exportToken: true (it exports VAULT_TOKEN), or set VAULT_TOKEN from a secret';
  if (!address && !token)
    throw new KmsError(
      `${uri}: VAULT_ADDR and VAULT_TOKEN are not set. Set VAULT_ADDR to the Vault server's address in the job's env (for example VAULT_ADDR: https://vault.example.com:8200; hashicorp/vault-action does not export it), and ${login}.`,
    );
  if (!address)
    throw new KmsError(
      `${uri}: VAULT_ADDR is not set. Set it to the Vault server's address in the job's or step's env, for example VAULT_ADDR: https://vault.example.com:8200 (hashicorp/vault-action takes the address as its url input but does not export it).`,
    );
  let base: string;
  try {
    base = parseApiBase(address, 'VAULT_ADDR');
  } catch (error) {
    if (error instanceof InputError) throw new KmsError(`${uri}: VAULT_ADDR ${error.detail}`);
    throw error;
  }
  if (/\/v1$/.test(new URL(base).pathname))
    throw new KmsError(
      `${uri}: VAULT_ADDR '${base}' ends in /v1, which the action adds itself. Give the server's address: ${base.replace(/\/v1$/, '')}`,
    );
  if (!token) throw new KmsError(`${uri}: VAULT_TOKEN is not set: ${login}.`);
  if (/[\s\p{Cc}]/u.test(token))
    throw new KmsError(
      `${uri}: VAULT_TOKEN holds spaces or control characters, so it is not a Vault token. Store the token without them, or ${login}.`,
    );

  const mountText = deps.env.TRANSIT_SECRET_ENGINE_PATH?.trim() || 'transit';
  const mount = trimSlashes(mountText);
  const segments = mount.split('/');
  if (!segments.every((segment) => MOUNT_SEGMENT.test(segment) && segment !== '.' && segment !== '..'))
    throw new KmsError(
      `${uri}: TRANSIT_SECRET_ENGINE_PATH '${mountText}' is not a mount path. Give the transit engine's path as 'vault secrets list' shows it, without /v1/ (for example transit or team-a/transit), or leave it unset for transit.`,
    );

  const namespaceText = deps.env.VAULT_NAMESPACE?.trim() ?? '';
  const namespace = trimSlashes(namespaceText);
  if (/[\s\p{Cc}]/u.test(namespace))
    throw new KmsError(
      `${uri}: VAULT_NAMESPACE '${namespaceText}' holds spaces or control characters. Give the namespace path, for example admin or admin/team-a.`,
    );
  return { base, token, namespace: namespace || undefined, mount };
}

/** Vault's `errors`, with go-multierror's "1 error occurred:\n\t* ...\n\n" wrapping taken off. */
function vaultErrors(body: unknown): string[] {
  const list = body && typeof body === 'object' && 'errors' in body && Array.isArray(body.errors) ? body.errors : [];
  return list
    .filter((item): item is string => typeof item === 'string')
    .flatMap((item) => {
      const lines = item.trim().split('\n');
      if (!/^\d+ errors? occurred:$/.test(lines[0].trim())) return [item.trim()];
      return lines
        .slice(1)
        .map((line) => line.trim().replace(/^\*\s*/, ''))
        .filter(Boolean);
    });
}

export async function vaultKey(key: VaultKmsKey, deps: KmsDependencies): Promise<RemoteKey> {
  const { uri, keyName } = key;
  const settings = readSettings(key, deps);
  const { base, token, namespace, mount } = settings;
  const keyPath = `${mount}/keys/${keyName}`;
  const signPath = `${mount}/sign/${keyName}`;
  const policy = `path "${keyPath}" { capabilities = ["read"] } and path "${signPath}" { capabilities = ["update"] }`;
  const inNamespace = namespace ? ` in namespace '${namespace}'` : '';
  const namespaceHint = namespace
    ? ''
    : ' On Vault Enterprise or HCP Vault, also set VAULT_NAMESPACE to the namespace the key is in (HCP Vault: admin).';
  const headers: Record<string, string> = { 'X-Vault-Token': token };
  if (namespace) headers['X-Vault-Namespace'] = namespace;
  /** The version whose public key was checked: every signature is asked of it, even after a rotation. */
  let version: number | undefined;

  async function send(method: string, path: string, json?: unknown): Promise<{ response: ApiResponse; url: string }> {
    const url = joinUrl(base, `/v1/${path}`);
    try {
      const transport = await deps.transport();
      return { response: await transport.request({ service: 'Vault', method, url, headers, json }), url };
    } catch (error) {
      if (error instanceof HttpError) throw new KmsError(`${uri}: Vault (VAULT_ADDR) did not answer. ${error.message}`);
      throw error;
    }
  }

  /** One message for a refusal: what Vault said, and what to change. */
  function refusal(method: string, url: string, response: ApiResponse): KmsError {
    const said = vaultErrors(response.body).map((text) => redact(text, [token]));
    const quoted = said.length ? `: ${said.join('; ')}` : '';
    const answered = `${method} ${url} answered ${response.status}${quoted}`;
    const has = (pattern: RegExp) => said.some((text) => pattern.test(text));
    if (response.status === 403 && has(/^invalid token$/))
      return new KmsError(
        `${uri}: Vault does not accept VAULT_TOKEN (${answered}): it has expired or been revoked, or it belongs to another Vault${namespace ? ' or namespace' : ''}. Log in again in this job right before this step (hashicorp/vault-action with exportToken: true), with a token TTL that covers the job.${namespaceHint}`,
      );
    if (response.status === 403)
      return new KmsError(
        `${uri}: Vault denied ${method === 'GET' ? 'reading the key' : 'signing with the key'} (${answered}). Grant the token's policy${inNamespace}: ${policy}.${namespaceHint}`,
      );
    if (response.status === 404 && has(/^no handler for route/))
      return new KmsError(
        `${uri}: no secrets engine is mounted at ${mount}/${inNamespace} (${answered}). Set TRANSIT_SECRET_ENGINE_PATH to the transit engine's mount path ('vault secrets list' shows it).${namespaceHint}`,
      );
    if ((response.status === 404 && method === 'GET') || (response.status === 400 && has(/^signing key not found$/)))
      return new KmsError(
        `${uri}: Vault has no transit key '${keyName}' at ${keyPath}${inNamespace} (${answered}). Check the key name in kms-key${mount === 'transit' ? ', and TRANSIT_SECRET_ENGINE_PATH if the transit engine is mounted elsewhere' : ' and TRANSIT_SECRET_ENGINE_PATH'}.${namespaceHint}`,
      );
    if (response.status === 503 && has(/^Vault is sealed$/))
      return new KmsError(
        `${uri}: Vault is sealed (${answered}). It cannot sign until an operator unseals it; run the job again then.`,
      );
    if (has(/does not contain a private part/))
      return new KmsError(
        `${uri}: version ${version ?? 'latest'} of the transit key holds only a public key, so Vault cannot sign with it (${answered}). Import the app's private key into this key (vault transit import, see the README), or use another key.`,
      );
    if (has(/less than the minimum encryption key version/))
      return new KmsError(
        `${uri}: version ${version ?? 'latest'} of the transit key is below its min_encryption_version, so Vault refuses to sign with it (${answered}). The key was rotated during this step: run the job again, and register the new version's public key with the app.`,
      );
    return new KmsError(
      `${uri}: Vault refused (${answered}).${response.status >= 500 ? ' Run the job again later; if it keeps failing, check the Vault server.' : ''}`,
    );
  }

  function malformed(method: string, url: string, what: string): KmsError {
    return new KmsError(
      `${uri}: Vault's answer to ${method} ${url} ${what}. Is VAULT_ADDR (${base}) a Vault server, and ${mount}/ its transit engine?`,
    );
  }

  return {
    uri,

    async publicKey(): Promise<KeyObject> {
      const { response, url } = await send('GET', keyPath);
      if (response.status !== 200) throw refusal('GET', url, response);
      const data = (response.body as { data?: Record<string, unknown> } | undefined)?.data;
      const type = data?.type;
      if (typeof type !== 'string') throw malformed('GET', url, 'names no key type');
      if (!RSA_TYPES.includes(type)) {
        const kind = SYMMETRIC_TYPES.test(type)
          ? 'a symmetric key, which cannot sign'
          : /^(ecdsa-|ed25519)/.test(type)
            ? 'an elliptic-curve key: Vault signs with it, but not RS256'
            : 'not an RSA key';
        throw new KmsError(
          `${uri} is a transit key of type ${type} (${kind}). RS256 JWTs need a key of type rsa-2048, rsa-3072 or rsa-4096: import the app's private key into Vault (see the README), or create one with 'vault write ${mount}/keys/NAME type=rsa-2048' and register its public key with the app, and name that key in kms-key.`,
        );
      }
      const latest = data?.latest_version;
      const entry = (data?.keys as Record<string, { public_key?: unknown } | undefined> | undefined)?.[String(latest)];
      if (
        typeof latest !== 'number' ||
        !Number.isInteger(latest) ||
        latest < 1 ||
        typeof entry?.public_key !== 'string'
      )
        throw malformed('GET', url, 'has no public key for the latest version');
      let publicKey: KeyObject;
      try {
        publicKey = createPublicKey(entry.public_key);
      } catch {
        throw malformed('GET', url, `has a public key for version ${latest} that is not a PEM public key`);
      }
      version = latest;
      deps.log.debug(`Vault transit key ${keyPath}${inNamespace}: ${type}, signing with version ${latest}.`);
      return publicKey;
    },

    async signDigest(_digest: Buffer, signingInput: Buffer): Promise<Buffer> {
      // The whole signing input, hashed by Vault with SHA-256, and PKCS#1 v1.5: Vault's default is PSS.
      const { response, url } = await send('POST', signPath, {
        input: signingInput.toString('base64'),
        hash_algorithm: 'sha2-256',
        signature_algorithm: 'pkcs1v15',
        ...(version === undefined ? {} : { key_version: version }),
      });
      if (response.status !== 200) throw refusal('POST', url, response);
      const signature = (response.body as { data?: { signature?: unknown } } | undefined)?.data?.signature;
      const match = typeof signature === 'string' ? /^vault:v\d+:([A-Za-z0-9+/]+={0,2})$/.exec(signature) : null;
      if (!match) throw malformed('POST', url, 'holds no signature of the form vault:v<N>:<base64>');
      return Buffer.from(match[1], 'base64');
    },
  };
}

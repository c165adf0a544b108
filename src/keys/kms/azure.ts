// Azure Key Vault keys (azurekms://VAULT.vault.azure.net/KEY[/VERSION]) through Azure's own clients, with the
// credential of azure-credentials.ts. @azure/keyvault-keys answers Key Vault's 401 challenge with the token, reads
// the key (its JWK: the public key, the key type, key_ops, enabled, nbf/exp) once, and signs each digest with RS256.
//
// Azure's clients refuse a host that is not Microsoft's unless instance discovery (MSAL asking
// login.microsoftonline.com about the authority) and the challenge's resource check are turned off. They are
// turned off only for a vault outside the Key Vault domains (an emulator, a test double): never for a real vault.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { CryptographyClient, KeyClient, type KeyVaultKey } from '@azure/keyvault-keys';
import { DEFAULT_LIMITS } from '../../http/limits.js';
import { describeNetworkError } from '../../http/network-errors.js';
import {
  DEFAULT_AUTHORITY_HOST,
  RETRY_OPTIONS,
  azureCredential,
  credentialChainFailure,
  credentialFailure,
  firstLine,
  maskEnvironmentSecrets,
  readAuthorityHost,
  type AzureKmsKey,
  type CredentialContext,
} from './azure-credentials.js';
import { KmsError, type RemoteKey } from './remote-key.js';
import type { KmsDependencies } from './dependencies.js';

/** The hosts of Key Vault and Managed HSM in Azure's clouds (public, China, US Government, Germany). */
export const KEY_VAULT_DOMAINS = [
  'vault.azure.net',
  'vault.azure.cn',
  'vault.usgovcloudapi.net',
  'vault.microsoftazure.de',
  'managedhsm.azure.net',
  'managedhsm.azure.cn',
  'managedhsm.usgovcloudapi.net',
  'managedhsm.microsoftazure.de',
];

export function isKeyVaultHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return KEY_VAULT_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

const DATA_ACTIONS = { get: 'Microsoft.KeyVault/vaults/keys/read', sign: 'Microsoft.KeyVault/vaults/keys/sign/action' };

type Step = 'get' | 'sign';

interface Context extends CredentialContext {
  host: string;
  /** The vault's name for az commands, when the host is a Key Vault host. */
  vaultName: string | undefined;
  deadline: { describe(): string };
}

export async function azureKey(key: AzureKmsKey, deps: KmsDependencies): Promise<RemoteKey> {
  const env = deps.env;
  const host = new URL(key.vaultUrl).hostname;
  const microsoftVault = isKeyVaultHost(host);
  maskEnvironmentSecrets(key, env, deps.mask);
  const authorityHost = readAuthorityHost(key, env);
  if (!microsoftVault)
    deps.log.info(
      `${host} is not a Key Vault host (${KEY_VAULT_DOMAINS.join(', ')}): Entra ID instance discovery and the check of Key Vault's challenge resource are off for it, as for an emulator.`,
    );
  const { deadline } = await deps.transport();
  const context: Context = {
    key,
    env,
    host,
    authorityHost: authorityHost ?? DEFAULT_AUTHORITY_HOST,
    vaultName: microsoftVault ? host.split('.')[0] : undefined,
    deadline,
  };

  const credential = azureCredential(key, authorityHost, microsoftVault, deps.mask);
  const clientOptions = { disableChallengeResourceVerification: !microsoftVault, retryOptions: RETRY_OPTIONS };
  const requestOptions = () => ({
    abortSignal: deadline.signal,
    requestOptions: { timeout: DEFAULT_LIMITS.requestTimeoutMs },
  });
  const keys = new KeyClient(key.vaultUrl, credential, clientOptions);

  let fetched: Promise<{ publicKey: KeyObject; signer: CryptographyClient }> | undefined;
  const fetchKey = () =>
    (fetched ??= (async () => {
      let vaultKey: KeyVaultKey;
      try {
        vaultKey = await keys.getKey(key.keyName, { version: key.version, ...requestOptions() });
      } catch (error) {
        throw explain(error, context, 'get');
      }
      const publicKey = checkedPublicKey(vaultKey, context);
      deps.log.debug(`${key.uri}: Key Vault key ${vaultKey.id ?? key.keyName} (${vaultKey.keyType}).`);
      return { publicKey, signer: new CryptographyClient(vaultKey, credential, clientOptions) };
    })());

  return {
    uri: key.uri,
    async publicKey() {
      return (await fetchKey()).publicKey;
    },
    async signDigest(digest) {
      const { signer } = await fetchKey();
      try {
        return Buffer.from((await signer.sign('RS256', digest, requestOptions())).result);
      } catch (error) {
        throw explain(error, context, 'sign');
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The key: what can make RS256 signatures

const bytesToBase64url = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('base64url') : '');

function keySetAttributes(context: Context, version: string | undefined, change: string): string {
  const vault = context.vaultName ?? 'VAULT';
  return `az keyvault key set-attributes --vault-name ${vault} --name ${context.key.keyName}${version ? ` --version ${version}` : ''} ${change}`;
}

function checkedPublicKey(vaultKey: KeyVaultKey, context: Context): KeyObject {
  const { uri } = context.key;
  const jwk = vaultKey.key;
  const keyType = String(vaultKey.keyType ?? jwk?.kty ?? 'unknown');
  const version = vaultKey.properties.version;
  const vault = context.vaultName ?? 'VAULT';
  if (!keyType.startsWith('RSA')) {
    const kind = keyType.startsWith('EC')
      ? `an EC key (${keyType}, curve ${jwk?.crv ?? 'unknown'})`
      : keyType.startsWith('oct')
        ? `a symmetric key (${keyType})`
        : `a ${keyType} key`;
    throw new KmsError(
      `${uri} is ${kind}; RS256 JWTs need an RSA key (RSA or RSA-HSM, 2048 bits or more). Import the app's private key as a new key (az keyvault key import --vault-name ${vault} --name NEW_NAME --pem-file app.pem --ops sign verify) and name that in kms-key.`,
    );
  }
  if (vaultKey.properties.enabled === false)
    throw new KmsError(
      `${uri}: key version ${version} is disabled, so Key Vault will not sign with it. Enable it (${keySetAttributes(context, version, '--enabled true')}) or name an enabled version.`,
    );
  const now = Date.now();
  const { notBefore, expiresOn } = vaultKey.properties;
  if (expiresOn && now >= expiresOn.getTime())
    throw new KmsError(
      `${uri}: key version ${version} expired at ${expiresOn.toISOString()} (its expiration date), so Key Vault will not sign with it. Name a current version, or move the date (${keySetAttributes(context, version, '--expires YYYY-MM-DDTHH:MM:SSZ')}).`,
    );
  if (notBefore && now < notBefore.getTime())
    throw new KmsError(
      `${uri}: key version ${version} is not valid before ${notBefore.toISOString()} (its activation date), so Key Vault will not sign with it yet. Name a current version, or move the date (${keySetAttributes(context, version, '--not-before YYYY-MM-DDTHH:MM:SSZ')}).`,
    );
  const operations = vaultKey.keyOperations ?? jwk?.keyOps ?? [];
  if (!operations.includes('sign'))
    throw new KmsError(
      `${uri}: the key's permitted operations (key_ops: ${operations.join(', ') || 'none'}) do not include sign. Allow it (${keySetAttributes(context, undefined, '--ops sign verify')}).`,
    );
  if (!jwk?.n || !jwk.e)
    throw new KmsError(
      `${uri}: Key Vault answered without the key's public modulus and exponent; the key cannot be checked.`,
    );
  return createPublicKey({
    key: { kty: 'RSA', n: bytesToBase64url(jwk.n), e: bytesToBase64url(jwk.e) },
    format: 'jwk',
  });
}

// ---------------------------------------------------------------------------------------------------------
// Errors: one message per cause, naming the key and the fix

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  errors?: ErrorLike[];
  request?: { url?: string };
  details?: { error?: { code?: string; message?: string; innerError?: { code?: string } } };
}

function explain(error: unknown, context: Context, step: Step): KmsError {
  if (error instanceof KmsError) return error;
  const e = (error ?? {}) as ErrorLike;
  if (e.name === 'AbortError' || e.name === 'DeadlineReached')
    return new KmsError(
      `${context.key.uri}: ${context.deadline.describe()} passed while waiting for Key Vault or Entra ID.`,
    );
  if (e.name === 'AggregateAuthenticationError') return credentialChainFailure(e.errors ?? [], context);
  if (
    e.name === 'AuthenticationError' ||
    e.name === 'AuthenticationRequiredError' ||
    e.name === 'CredentialUnavailableError'
  )
    return credentialFailure(e.message ?? '', context) ?? unexpected(e, context, step);
  if (e.name === 'RestError') return e.statusCode ? keyVaultRefusal(e, context, step) : networkFailure(e, context);
  return unexpected(e, context, step);
}

function unexpected(e: ErrorLike, context: Context, step: Step): KmsError {
  const doing = step === 'get' ? 'reading the key from Key Vault' : 'signing with Key Vault';
  return new KmsError(`${context.key.uri}: ${doing} failed: ${firstLine(e.message ?? String(e))}`);
}

function networkFailure(e: ErrorLike, context: Context): KmsError {
  const target = new URL(e.request?.url ?? context.key.vaultUrl);
  const failure = describeNetworkError(e, target, undefined);
  return new KmsError(
    `${context.key.uri}: could not reach Key Vault at ${target.host}: ${failure.reason}.${failure.hint ? ` ${failure.hint}` : ''}`,
  );
}

function keyVaultRefusal(e: ErrorLike, context: Context, step: Step): KmsError {
  const { uri, keyName, version } = context.key;
  const body = e.details?.error;
  const code = body?.code ?? e.code ?? '';
  const inner = body?.innerError?.code ?? '';
  const message = body?.message ?? e.message ?? '';
  const status = e.statusCode ?? 0;
  const principal = /appid=([^;]+)/.exec(message)?.[1];
  const objectId = /oid=([^;]+)/.exec(message)?.[1];
  const who = principal ? `application ${principal}` : 'the signed-in identity';
  const permission = step === 'get' ? 'get' : 'sign';
  if (status === 401)
    return new KmsError(
      `${uri}: Key Vault refused the access token from Entra ID (${firstLine(message).replace(/\.$/, '')}). ${/AKV10032/.test(message) ? 'The token is from another tenant than the vault: sign in to the tenant of the vault.' : 'Sign in again (azure/login), or check the AZURE_* variables.'}`,
    );
  if (status === 403) {
    if (inner === 'ForbiddenByRbac') {
      const resource = /Resource: '([^']+)'/.exec(message)?.[1];
      return new KmsError(
        `${uri}: Key Vault (Azure RBAC) denied ${who} the data action ${DATA_ACTIONS[permission]} on key ${keyName}. Assign it a role with ${DATA_ACTIONS.get} and ${DATA_ACTIONS.sign} on the key or the vault (the built-in Key Vault Crypto User has both): az role assignment create --role "Key Vault Crypto User" --assignee-object-id ${objectId ?? 'OBJECT_ID'} --scope ${resource ?? 'KEY_OR_VAULT_RESOURCE_ID'}`,
      );
    }
    if (inner === 'ForbiddenByPolicy' || /does not have keys \w+ permission/.test(message))
      return new KmsError(
        `${uri}: Key Vault (access policy) denied ${who} the key permission '${permission}'. Grant it the key permissions get and sign: az keyvault set-policy --name ${context.vaultName ?? 'VAULT'} --object-id ${objectId ?? 'OBJECT_ID'} --key-permissions get sign`,
      );
    if (inner === 'KeyDisabled' || /disabled key/.test(message))
      return new KmsError(
        `${uri}: the key${version ? ` version ${version}` : ''} is disabled, so Key Vault will not sign with it. Enable it (${keySetAttributes(context, version, '--enabled true')}) or name an enabled version.`,
      );
    if (inner === 'ForbiddenByFirewall' || /Client address is not authorized/.test(message))
      return new KmsError(
        `${uri}: the vault's firewall does not let this runner in (${firstLine(message).replace(/\.$/, '')}). Allow the runner's address in the vault's networking settings, or run the job where the vault is reachable.`,
      );
    return new KmsError(
      `${uri}: Key Vault refused to ${step === 'get' ? 'read' : 'sign with'} the key (HTTP 403 ${code}${inner ? `/${inner}` : ''}): ${firstLine(message)}`,
    );
  }
  if (status === 404 && code === 'KeyNotFound')
    return new KmsError(
      version
        ? `${uri}: Key Vault has no version ${version} of key ${keyName} (KeyNotFound). Check the version in kms-key, or leave it out to sign with the key's current version.`
        : `${uri}: the vault ${context.host} has no key named ${keyName} (KeyNotFound). Check the name in kms-key; a key deleted recently can be recovered: az keyvault key recover --vault-name ${context.vaultName ?? 'VAULT'} --name ${keyName}`,
    );
  const passing = status === 429 || status >= 500 ? ' This may pass: run the job again.' : '';
  return new KmsError(
    `${uri}: Key Vault answered HTTP ${status}${code ? ` ${code}` : ''} to the ${step === 'get' ? 'key read' : 'sign request'}: ${firstLine(message).replace(/\.$/, '')}.${passing}`,
  );
}

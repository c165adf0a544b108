// Azure credentials for Key Vault: @azure/identity's DefaultAzureCredential, which finds them as cosign does (a client
// secret or a workload-identity federated token file in the environment, or the Azure CLI session azure/login leaves),
// the environment's secrets masked before any request, and each refusal by Entra ID or missing credential as its fix.
import { readFileSync } from 'node:fs';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { KmsError } from './remote-key.js';
import type { KmsKey } from './uri.js';

// @azure/identity reads process.env itself; deps.env is where this file reads the same variables (in the action
// they are one object): to mask the secrets before any request, and to name what is missing in messages.

export type AzureKmsKey = Extract<KmsKey, { scheme: 'azurekms' }>;

/** Variables whose values are secrets, whichever credential reads them. */
const SECRET_VARIABLES = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', 'AZURE_PASSWORD'];
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
/** As many tries as the action's own retry policy: three retries, from 1 s, doubling. */
export const RETRY_OPTIONS = { maxRetries: 3, retryDelayInMs: 1000, maxRetryDelayInMs: 8000 };

/** What the messages about credentials name: the key, the variables, the Entra ID login host. */
export interface CredentialContext {
  key: AzureKmsKey;
  env: Record<string, string | undefined>;
  authorityHost: string;
}

export const firstLine = (text: string) => text.split(/\r?\n/)[0].trim();
const isSet = (value: string | undefined) => value !== undefined && value.trim() !== '';

/** The secrets of the environment, masked before any request: AZURE_CLIENT_SECRET and the like, the federated token. */
export function maskEnvironmentSecrets(
  key: AzureKmsKey,
  env: CredentialContext['env'],
  mask: (secret: string) => void,
): void {
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    mask(value);
    if (value.trim() !== value) mask(value.trim());
  }
  const file = env.AZURE_FEDERATED_TOKEN_FILE;
  if (!isSet(file)) return;
  let token: string;
  try {
    token = readFileSync(file as string, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new KmsError(
      `${key.uri}: AZURE_FEDERATED_TOKEN_FILE names ${file}, which cannot be read (${code}). Write the federated token (for GitHub, the job's OIDC token for the audience api://AzureADTokenExchange) to that file before this step, or unset the variable.`,
    );
  }
  if (token.trim()) {
    mask(token);
    if (token.trim() !== token) mask(token.trim());
  }
}

export function readAuthorityHost(key: AzureKmsKey, env: CredentialContext['env']): string | undefined {
  const text = env.AZURE_AUTHORITY_HOST?.trim();
  if (!text) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.username || url.password)
    throw new KmsError(
      `${key.uri}: AZURE_AUTHORITY_HOST must be the https URL of your cloud's Entra ID login host, such as https://login.microsoftonline.us; leave it unset for Azure's public cloud.`,
    );
  return text;
}

/** Every access token the credential hands out is masked before the client sends it. */
function maskingCredential(inner: TokenCredential, mask: (secret: string) => void): TokenCredential {
  return {
    async getToken(scopes, options) {
      const token = await inner.getToken(scopes, options);
      if (token?.token) mask(token.token);
      return token;
    },
  };
}

/** DefaultAzureCredential's chain, with instance discovery off for a vault outside the Key Vault domains. */
export function azureCredential(
  key: AzureKmsKey,
  authorityHost: string | undefined,
  microsoftVault: boolean,
  mask: (secret: string) => void,
): TokenCredential {
  let credential: TokenCredential;
  try {
    credential = new DefaultAzureCredential({
      authorityHost,
      disableInstanceDiscovery: !microsoftVault,
      retryOptions: RETRY_OPTIONS,
    });
  } catch (error) {
    // An AZURE_TOKEN_CREDENTIALS value the chain does not know: its message names the valid ones.
    throw new KmsError(`${key.uri}: ${firstLine(error instanceof Error ? error.message : String(error))}`);
  }
  return maskingCredential(credential, mask);
}

// ---------------------------------------------------------------------------------------------------------
// Entra ID's refusals, and no credentials at all

/** The server's AADSTS sentence, without the trace details Entra appends. */
function aadstsOf(message: string): { code: number; text: string } | undefined {
  const match = /AADSTS(\d+):\s*([\s\S]*?)(?:\s+Trace ID:|\s+-\s+Correlation ID:|,\s*$|$)/.exec(message);
  return match ? { code: Number(match[1]), text: `AADSTS${match[1]}: ${match[2].trim()}` } : undefined;
}

const FEDERATED_CODES = [70021, 700211, 700212, 700213, 700024, 50013, 50027];

/** Entra ID's refusal, or another failure of a credential that was configured; undefined when not recognized. */
export function credentialFailure(message: string, context: CredentialContext): KmsError | undefined {
  const { uri } = context.key;
  const env = context.env;
  const tenant = /not configured to acquire tokens for tenant (\S+?)\.?(?:\s|$)/.exec(message)?.[1];
  if (tenant)
    return new KmsError(
      `${uri}: the vault belongs to tenant ${tenant} (Key Vault's challenge names it), but the credentials are for ${isSet(env.AZURE_TENANT_ID) ? `tenant ${env.AZURE_TENANT_ID?.trim()} (AZURE_TENANT_ID)` : 'another tenant'}. Sign in to tenant ${tenant}: set AZURE_TENANT_ID (or azure/login's tenant-id) to it.`,
    );
  const aadsts = aadstsOf(message);
  const clientId = env.AZURE_CLIENT_ID?.trim() || 'the application';
  if (aadsts) {
    switch (aadsts.code) {
      case 7000215:
        return new KmsError(
          `${uri}: Entra ID refused the client secret of application ${clientId} (AADSTS7000215: invalid client secret). Put the secret's Value, not its Secret ID, in AZURE_CLIENT_SECRET, or create a new client secret.`,
        );
      case 7000222:
        return new KmsError(
          `${uri}: the client secret in AZURE_CLIENT_SECRET has expired (AADSTS7000222). Create a new client secret for application ${clientId} and update AZURE_CLIENT_SECRET.`,
        );
      case 700016:
        return new KmsError(
          `${uri}: Entra ID knows no application ${clientId} in tenant ${env.AZURE_TENANT_ID?.trim() || 'of the vault'} (AADSTS700016). Check AZURE_CLIENT_ID (the application's client ID) and AZURE_TENANT_ID.`,
        );
      case 90002:
        return new KmsError(
          `${uri}: Entra ID has no tenant ${env.AZURE_TENANT_ID?.trim() || 'of that ID'} (AADSTS90002). Check AZURE_TENANT_ID, and AZURE_AUTHORITY_HOST for a national cloud.`,
        );
      case 700024:
        return new KmsError(
          `${uri}: the federated token in AZURE_FEDERATED_TOKEN_FILE is expired or not yet valid (AADSTS700024). Write a fresh token to the file right before this step.`,
        );
    }
    if (FEDERATED_CODES.includes(aadsts.code))
      return new KmsError(
        `${uri}: Entra ID refused the federated token in AZURE_FEDERATED_TOKEN_FILE for application ${clientId}: ${aadsts.text} Add a federated credential with the token's issuer, subject and audience to the application (for GitHub: subject repo:OWNER/REPO:…, audience api://AzureADTokenExchange).`,
      );
    return new KmsError(`${uri}: Entra ID refused to issue a token for Key Vault: ${aadsts.text}`);
  }
  if (/endpoints_resolution_error|network_error/.test(message))
    return new KmsError(
      `${uri}: could not reach Entra ID at ${context.authorityHost} to get a token for Key Vault (${/endpoints_resolution_error/.test(message) ? 'its endpoints could not be read' : 'network error'}). Check that the runner can reach it${isSet(env.AZURE_AUTHORITY_HOST) ? ', and AZURE_AUTHORITY_HOST' : ' (HTTPS_PROXY, firewall)'}.`,
    );
  return undefined;
}

/** Every credential of DefaultAzureCredential's chain passed: a refusal among them, or no credentials at all. */
export function credentialChainFailure(errors: { message?: string }[], context: CredentialContext): KmsError {
  const messages = errors.map((error) => error.message ?? '');
  const prefer = [
    messages.find((m) => /not configured to acquire tokens for tenant/.test(m)),
    messages.find((m) => /AADSTS\d+/.test(m)),
  ];
  for (const message of prefer) {
    const failure = message && credentialFailure(message, context);
    if (failure) return failure;
  }
  const env = context.env;
  const cli = messages.some((m) => /Azure CLI could not be found/.test(m))
    ? ' (the Azure CLI, az, is not installed on this runner)'
    : messages.some((m) => /az login/.test(m))
      ? ' (the Azure CLI has no signed-in session)'
      : '';
  const names = ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_FEDERATED_TOKEN_FILE'];
  const present = names.filter((name) => isSet(env[name]));
  const partial = present.length
    ? ` Of these, only ${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} set.`
    : '';
  return new KmsError(
    `${context.key.uri}: no Azure credentials were found to sign with Key Vault. Sign in before this step with azure/login, which leaves an Azure CLI session${cli}; or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a service principal's client secret); or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_FEDERATED_TOKEN_FILE (workload identity federation).${partial}`,
  );
}

import { InputError } from './errors.js';
import { FALSE, type Env, type GetInput } from './input-readers.js';
import { readGitHubSettings, type GitHubSettings } from './inputs-github.js';
import { readRingCentralSettings, type RingCentralSettings } from './inputs-ringcentral.js';
import { readVonageSettings, type VonageSettings } from './inputs-vonage.js';

export type { GitHubExchange, GitHubSettings } from './inputs-github.js';
export type { RingCentralSettings } from './inputs-ringcentral.js';
export type { VonageSettings } from './inputs-vonage.js';

export type Settings = GitHubSettings | VonageSettings | RingCentralSettings;
export type Provider = Settings['provider'];

/** Which inputs each provider reads; any other input given is an error, not silently ignored. */
export const PROVIDER_INPUTS: Record<Provider, readonly string[]> = {
  github: [
    'app-id',
    'client-id',
    'private-key',
    'jwt',
    'jwt-expires-in',
    'exchange',
    'installation-id',
    'owner',
    'repositories',
    'permissions',
    'github-api-url',
    'skip-token-revoke',
  ],
  vonage: ['app-id', 'private-key', 'jwt-expires-in', 'acl', 'subject'],
  ringcentral: ['jwt', 'client-id', 'client-secret', 'server-url', 'skip-token-revoke'],
};

function readProvider(getInput: GetInput): Provider {
  const value = getInput('provider') || 'github';
  if (value === 'github' || value === 'vonage' || value === 'ringcentral') return value;
  const lower = value.toLowerCase();
  const hint = Object.keys(PROVIDER_INPUTS).find((p) => lower.includes(p));
  throw new InputError(
    'provider',
    `'${value}' is not a provider this action serves: write github, vonage or ringcentral${hint ? ` (${hint}?)` : ''}.`,
  );
}

/** An input that belongs to another provider than the one chosen. */
function checkForeignInputs(getInput: GetInput, provider: Provider): void {
  const mine = new Set(PROVIDER_INPUTS[provider]);
  for (const [owner, names] of Object.entries(PROVIDER_INPUTS)) {
    for (const name of names) {
      if (mine.has(name)) continue;
      const value = getInput(name);
      // github-api-url always carries its default (${{ github.api_url }}); false is the default of the switches.
      if (!value || name === 'github-api-url' || FALSE.includes(value)) continue;
      const owners = Object.keys(PROVIDER_INPUTS).filter((p) => PROVIDER_INPUTS[p as Provider].includes(name));
      throw new InputError(
        name,
        `is for provider: ${owners.join(' or ')}, and this step has provider: ${provider}. Remove it${owners.length === 1 ? `, or set provider: ${owner}` : ''}.`,
      );
    }
  }
}

/** Every input the action reads, validated, in one typed value. */
export async function readSettings(getInput: GetInput, env: Env = {}): Promise<Settings> {
  const provider = readProvider(getInput);
  checkForeignInputs(getInput, provider);
  switch (provider) {
    case 'github':
      return readGitHubSettings(getInput, env);
    case 'vonage':
      return readVonageSettings(getInput);
    case 'ringcentral':
      return readRingCentralSettings(getInput);
  }
}

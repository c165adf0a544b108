// The registry: one record per provider, chosen once from the provider input. Nothing else switches on a name.
import { InputError } from '../errors.js';
import { isSet, type InputReader } from '../settings/inputs.js';
import { showValue } from '../settings/value-shape.js';
import { github } from './github/index.js';
import type { Provider } from './provider.js';
import { ringcentral } from './ringcentral/index.js';
import { vonage } from './vonage/index.js';

export const PROVIDERS: readonly Provider[] = [github, vonage, ringcentral] as Provider[];

export function providerNamed(name: string): Provider | undefined {
  return PROVIDERS.find((provider) => provider.name === name);
}

/** The provider the `provider` input names (github when empty). */
export function chooseProvider(read: InputReader): Provider {
  const value = read.text('provider') || 'github';
  const chosen = providerNamed(value);
  if (chosen) return chosen;
  const names = PROVIDERS.map((p) => p.name);
  const lower = value.toLowerCase();
  const shown = showValue(value);
  // A hint only for a value shown as it is: one that looks like a secret gets none drawn from its text.
  const hint = shown.startsWith("'") ? names.find((name) => lower.includes(name)) : undefined;
  throw new InputError(
    'provider',
    `${shown} is not a provider this action serves: write ${names.slice(0, -1).join(', ')} or ${names.at(-1)}${hint ? ` (${hint}?)` : ''}.`,
  );
}

/** An input that belongs to another provider than the one chosen is an error, not silently ignored. */
export function checkForeignInputs(read: InputReader, chosen: Provider): void {
  const mine = new Set(chosen.inputs);
  for (const other of PROVIDERS) {
    for (const name of other.inputs) {
      // github-api-url always carries its default (${{ github.api_url }}).
      if (mine.has(name) || name === 'github-api-url' || !isSet(read.text(name))) continue;
      const owners = PROVIDERS.filter((p) => p.inputs.includes(name)).map((p) => p.name);
      throw new InputError(
        name,
        `is for provider: ${owners.join(' or ')}, and this step has provider: ${chosen.name}. Remove it${owners.length === 1 ? `, or set provider: ${other.name}` : ''}.`,
      );
    }
  }
}

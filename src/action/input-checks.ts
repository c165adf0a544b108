// What the main step checks of its inputs before it reads any of them: every value shaped like a key or a token
// is masked (an input can hold the wrong value: a PEM in app-id, a token in installation-id), and the
// permission-<name> inputs of actions/create-github-app-token are refused with the line to write instead.
import * as core from '@actions/core';
import { PROVIDERS } from '../providers/index.js';
import { secretPieces, showValue } from '../settings/value-shape.js';
import type { Mask } from './mask.js';

/** Every input the action reads, from the provider registry's lists. */
export function knownInputs(): string[] {
  return [...new Set(['provider', ...PROVIDERS.flatMap((provider) => provider.inputs)])];
}

/** The peer's permission inputs in the environment, as the runner names them: INPUT_PERMISSION-<NAME>. */
function peerPermissionVariables(env: Record<string, string | undefined>): [string, string][] {
  return Object.entries(env)
    .filter(([name]) => /^INPUT_PERMISSION-/i.test(name))
    .map(([name, value]) => [name, value ?? ''] as [string, string])
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Masks every value of a known input (or a peer's permission input) that is shaped like a key or a token. */
export function maskSecretShapedInputs(mask: Mask, env: Record<string, string | undefined> = process.env): void {
  const values = [
    ...knownInputs().map((name) => core.getInput(name)),
    ...peerPermissionVariables(env).map(([, value]) => value),
  ];
  for (const value of values) for (const piece of secretPieces(value)) mask(piece);
}

/**
 * The error for the permission-<name> inputs of actions/create-github-app-token, or undefined when there are
 * none: a step that only swapped `uses:` would otherwise get a token with all of the installation's
 * permissions (or a JWT where it expected a token), silently. One message names every such input and gives
 * the one `permissions:` line that asks for the same.
 */
export function peerPermissionError(env: Record<string, string | undefined> = process.env): string | undefined {
  const variables = peerPermissionVariables(env);
  if (!variables.length) return undefined;
  const inputs = variables.map(([name]) => name.slice('INPUT_'.length).toLowerCase());
  const entries = variables
    .map(([name, value]) => {
      const permission = name.slice('INPUT_PERMISSION-'.length).toLowerCase();
      const level = value.trim();
      if (!level) return '';
      const shown = showValue(level);
      return `${permission}: ${shown === `'${level}'` && /^[\w-]+$/.test(level) ? level : 'LEVEL'}`;
    })
    .filter(Boolean);
  const named =
    inputs.length === 1
      ? `Input '${inputs[0]}' is an input of actions/create-github-app-token, which this action does not read`
      : `Inputs ${inputs
          .map((name) => `'${name}'`)
          .join(', ')
          .replace(
            /, ([^,]*)$/,
            ' and $1',
          )} are inputs of actions/create-github-app-token, which this action does not read`;
  const fix = entries.length
    ? `Replace ${inputs.length === 1 ? 'it' : 'them'} with this one line: permissions: '{${entries.join(', ')}}'`
    : `Remove ${inputs.length === 1 ? 'it' : 'them'} (empty), and list the token's permissions in one input, e.g. permissions: '{contents: read}'`;
  return `${named}: the token's permissions come from one input, permissions, as a YAML or JSON mapping. ${fix}.`;
}

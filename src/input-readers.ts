import { InputError } from './errors.js';
import { normalizePrivateKey, PrivateKeyError, type PrivateKey } from './private-key.js';

export type GetInput = (name: string) => string;
export type Env = Record<string, string | undefined>;

const TRUE = ['true', 'True', 'TRUE'];
export const FALSE = ['false', 'False', 'FALSE'];

export function readBoolean(getInput: GetInput, name: string): boolean {
  const value = getInput(name);
  if (!value || FALSE.includes(value)) return false;
  if (TRUE.includes(value)) return true;
  throw new InputError(name, `'${value}' is not a boolean: write true or false.`);
}

export function readSeconds(
  getInput: GetInput,
  name: string,
  range: { min: number; max: number; fallback: number },
  why: string,
): number {
  const value = getInput(name);
  if (!value) return range.fallback;
  const seconds = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= range.min && seconds <= range.max))
    throw new InputError(name, `'${value}' is not a whole number of seconds from ${range.min} to ${range.max}. ${why}`);
  return seconds;
}

export function readPrivateKey(getInput: GetInput): PrivateKey {
  try {
    return normalizePrivateKey(getInput('private-key'));
  } catch (error) {
    if (error instanceof PrivateKeyError) throw new InputError('private-key', error.message);
    throw error;
  }
}

/** YAML or JSON text, parsed; the YAML parser is loaded only when such an input is given. */
export async function readYamlOrJson(getInput: GetInput, name: string): Promise<unknown> {
  const text = getInput(name);
  if (!text) return undefined;
  const { parse } = await import('yaml');
  try {
    return parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputError(name, `is not valid YAML or JSON (${reason}).`);
  }
}

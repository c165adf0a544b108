// Reading inputs: one reader over a getInput function, so the action (core.getInput), the CLI (its flags) and
// tests (a record) are read the same way. Every problem is an InputError naming the input.
import { InputError } from '../errors.js';
import { normalizePrivateKey, type PrivateKey } from '../keys/private-key.js';
import { showValue } from './value-shape.js';

export type GetInput = (name: string) => string;
export type Env = Record<string, string | undefined>;

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** Whether an input holds something other than its default (empty, or false for a switch). */
export function isSet(value: string): boolean {
  return value !== '' && !FALSE.includes(value);
}

export interface InputReader {
  text(name: string): string;
  boolean(name: string): boolean;
  seconds(name: string, range: { min: number; max: number; fallback: number }, why: string): number;
  privateKey(): PrivateKey;
  /** YAML or JSON, parsed; the YAML parser is loaded only when such an input is given. */
  yamlOrJson(name: string): Promise<unknown>;
}

export function createInputReader(getInput: GetInput): InputReader {
  const text = (name: string) => getInput(name).trim();
  return {
    text,
    boolean(name) {
      const value = text(name);
      if (!value || FALSE.includes(value)) return false;
      if (TRUE.includes(value)) return true;
      throw new InputError(name, `${showValue(value)} is not a boolean: write true or false.`);
    },
    seconds(name, range, why) {
      const value = text(name);
      if (!value) return range.fallback;
      const seconds = /^\d+$/.test(value) ? Number(value) : NaN;
      if (!(seconds >= range.min && seconds <= range.max))
        throw new InputError(
          name,
          `${showValue(value)} is not a whole number of seconds from ${range.min} to ${range.max}. ${why}`,
        );
      return seconds;
    },
    privateKey: () => normalizePrivateKey(getInput('private-key')),
    async yamlOrJson(name) {
      const value = text(name);
      if (!value) return undefined;
      const { parse } = await import('yaml');
      try {
        return parse(value);
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new InputError(name, `is not valid YAML or JSON (${reason}).`);
      }
    },
  };
}

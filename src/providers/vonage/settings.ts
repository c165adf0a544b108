import { InputError } from '../../errors.js';
import type { InputReader } from '../../settings/inputs.js';
import { readSigningKey, type SigningKey } from '../../settings/signing-key.js';
import { showValue } from '../../settings/value-shape.js';

export const VONAGE_INPUTS = ['app-id', 'private-key', 'kms-key', 'jwt-expires-in', 'acl', 'subject'] as const;
export const VONAGE_JWT_SECONDS = { min: 30, max: 86_400, fallback: 900 };

export interface VonageSettings {
  provider: 'vonage';
  applicationId: string;
  key: SigningKey;
  jwtExpiresIn: number;
  subject?: string;
  acl?: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Vonage application ID is a UUID. */
export function checkVonageApplicationId(value: string): string {
  if (!value)
    throw new InputError(
      'app-id',
      "is required: set it to the Vonage application's ID (a UUID, from the Vonage API Dashboard > Applications).",
    );
  if (!UUID.test(value))
    throw new InputError(
      'app-id',
      `${showValue(value)} is not a Vonage application ID, which is a UUID such as aaaaaaaa-bbbb-cccc-dddd-0123456789ab (Dashboard > Applications). An API key (8 hex digits) is not the application ID.`,
    );
  return value;
}

/**
 * The `acl` claim from YAML or JSON: an object with a `paths` mapping of path patterns to (usually empty)
 * rules, e.g. {"paths": {"/*\/users/**": {}}}. A path written as a bare YAML key (`/*\/users/**:`) means {}.
 */
export function checkVonageAcl(parsed: unknown): Record<string, unknown> {
  const problem = (detail: string) => new InputError('acl', detail);
  const example = 'e.g. {"paths": {"/*/users/**": {}, "/*/conversations/**": {}}}';
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw problem(`must be a mapping with a 'paths' key, ${example}.`);
  const acl = parsed as Record<string, unknown>;
  const paths = acl.paths;
  if (paths === undefined)
    throw problem(`has no 'paths' key; Vonage reads the paths a JWT may use from it, ${example}.`);
  if (!paths || typeof paths !== 'object' || Array.isArray(paths))
    throw problem(`'paths' must map each path pattern to its rules (usually {}), ${example}; a list is not accepted.`);
  const rules: Record<string, unknown> = {};
  for (const [path, rule] of Object.entries(paths)) {
    if (!path.startsWith('/'))
      throw problem(`path ${showValue(path)} does not start with '/'; write it like /*/users/**.`);
    if (rule !== null && (typeof rule !== 'object' || Array.isArray(rule)))
      throw problem(
        `the rules for ${showValue(path)} must be a mapping (usually {}), not ${typeof rule === 'string' ? showValue(rule) : Array.isArray(rule) ? 'a list' : String(rule)}.`,
      );
    rules[path] = rule ?? {};
  }
  return { ...acl, paths: rules };
}

export async function readVonageSettings(read: InputReader): Promise<VonageSettings> {
  const applicationId = checkVonageApplicationId(read.text('app-id'));
  const jwtExpiresIn = read.seconds(
    'jwt-expires-in',
    VONAGE_JWT_SECONDS,
    'Vonage accepts JWTs that live at most 24 hours.',
  );
  const parsedAcl = await read.yamlOrJson('acl');
  const acl = parsedAcl === undefined || parsedAcl === null ? undefined : checkVonageAcl(parsedAcl);
  const subject = read.text('subject') || undefined;
  const key = readSigningKey(read);
  return {
    provider: 'vonage',
    applicationId,
    key,
    jwtExpiresIn,
    subject,
    acl,
  };
}

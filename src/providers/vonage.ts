import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Credentials } from '../credentials.js';
import type { VonageSettings } from '../inputs.js';
import { signJwt } from '../jwt.js';
import { maskJwt } from '../outputs.js';
import type { Runner } from '../runner.js';

export const VONAGE_JWT_SECONDS = { min: 30, max: 86_400, fallback: 900 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Vonage application ID is a UUID; returns a message instead of throwing, so the caller names the input. */
export function checkVonageApplicationId(value: string): string | undefined {
  if (!value)
    return "is required: set it to the Vonage application's ID (a UUID, from the Vonage API Dashboard > Applications).";
  if (!UUID.test(value))
    return `'${value}' is not a Vonage application ID, which is a UUID such as aaaaaaaa-bbbb-cccc-dddd-0123456789ab (Dashboard > Applications). An API key (8 hex digits) is not the application ID.`;
  return undefined;
}

/**
 * The `acl` claim from YAML or JSON: an object with a `paths` mapping of path patterns to (usually empty)
 * rules, e.g. {"paths": {"/*\/users/**": {}}}. A path written as a bare YAML key (`/*\/users/**:`) means {}.
 * Returns the claim, or a message saying what is wrong.
 */
export function checkVonageAcl(parsed: unknown): { acl: Record<string, unknown> } | { problem: string } {
  const example = 'e.g. {"paths": {"/*/users/**": {}, "/*/conversations/**": {}}}';
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return { problem: `must be a mapping with a 'paths' key, ${example}.` };
  const acl = parsed as Record<string, unknown>;
  const paths = acl.paths;
  if (paths === undefined)
    return { problem: `has no 'paths' key; Vonage reads the paths a JWT may use from it, ${example}.` };
  if (!paths || typeof paths !== 'object' || Array.isArray(paths))
    return {
      problem: `'paths' must map each path pattern to its rules (usually {}), ${example}; a list is not accepted.`,
    };
  const rules: Record<string, unknown> = {};
  for (const [path, rule] of Object.entries(paths)) {
    if (!path.startsWith('/')) return { problem: `path '${path}' does not start with '/'; write it like /*/users/**.` };
    if (rule !== null && (typeof rule !== 'object' || Array.isArray(rule)))
      return { problem: `the rules for '${path}' must be a mapping (usually {}), not ${JSON.stringify(rule)}.` };
    rules[path] = rule ?? {};
  }
  return { acl: { ...acl, paths: rules } };
}

export interface VonageClaimsOptions {
  applicationId: string;
  jwtExpiresIn: number;
  subject?: string;
  acl?: Record<string, unknown>;
}

/** Vonage's claims: application_id, iat (now), a fresh jti, exp; sub and acl only when given. */
export function vonageClaims(options: VonageClaimsOptions, clock: Clock, jti: () => string = randomUUID) {
  const now = clock.now();
  return {
    application_id: options.applicationId,
    iat: now,
    jti: jti(),
    exp: now + options.jwtExpiresIn,
    ...(options.subject ? { sub: options.subject } : {}),
    ...(options.acl ? { acl: options.acl } : {}),
  };
}

/** The Vonage JWT: sent as `Authorization: Bearer` as is, so it is the token; nothing to revoke. */
export function issueVonageJwt(settings: VonageSettings, deps: { runner: Runner; clock: Clock }): Credentials {
  const jwt = signJwt(vonageClaims(settings, deps.clock), settings.privateKey.key);
  maskJwt(deps.runner, jwt);
  deps.runner.info(
    `Signed a JWT for Vonage application ${settings.applicationId}; it expires at ${jwt.expiresAt.toISOString()}.`,
  );
  const claims = [
    settings.subject ? `sub: ${settings.subject}` : '',
    settings.acl ? `acl paths: ${Object.keys(settings.acl.paths as object).join(', ')}` : '',
  ];
  return {
    token: jwt.token,
    tokenType: 'jwt',
    expiresAt: jwt.expiresAt,
    jwt,
    secrets: [],
    outputs: {},
    summary: [
      ['Provider', 'Vonage'],
      ['Application', settings.applicationId],
      ['Claims', ['application_id, iat, jti, exp', ...claims.filter(Boolean)].join('; ')],
      ['JWT expires', jwt.expiresAt.toISOString()],
    ],
  };
}

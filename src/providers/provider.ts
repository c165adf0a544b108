// The shape every provider folder exports, and what it is given. Providers never import the edges: they get a
// log, a mask, the clock and the HTTP layer, and return credentials plus what the post step needs.
import type { Clock } from '../clock.js';
import type { SignedJwt } from '../keys/jwt/sign.js';
import type { Transport } from '../http/transport.js';
import type { Env, InputReader } from '../settings/inputs.js';

export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

export interface ProviderContext {
  log: Log;
  /** Masks a secret the moment it exists, before anything could print it. */
  mask(secret: string): void;
  clock: Clock;
  env: Env;
  /** The HTTP layer, loaded on first use: a JWT-only run never loads network code. */
  transport(): Promise<Transport>;
}

/** What the post step needs to revoke one token: which provider, where, and when it expires anyway. */
export interface RevokeRecord {
  provider: string;
  token: string;
  apiUrl: string;
  /** ISO 8601. */
  expiresAt: string;
  /** What else the provider's revoke needs (a client ID and secret); masked by the provider that reads it. */
  extra?: Record<string, string>;
}

/** What a run hands to later steps. */
export interface Credentials {
  token: string;
  tokenType: 'jwt' | 'installation' | 'access';
  expiresAt: Date;
  jwt?: SignedJwt;
  /** Every secret among them (the token, a refresh token): the edge masks them before any output. */
  secrets: string[];
  /** Further step outputs, by name (installation-id, app-slug, permissions). */
  outputs: Record<string, string>;
  /** Rows of the job summary, label and value; never a secret. */
  summary: [string, string][];
  /** What the post step revokes; absent when there is nothing to revoke, or skip-token-revoke is set. */
  revoke?: RevokeRecord[];
}

export interface SettingsContext {
  env: Env;
  clock: Clock;
}

export interface Provider<S = unknown> {
  name: string;
  /** The inputs it reads; an input of another provider is an error, not silently ignored. */
  inputs: readonly string[];
  readSettings(read: InputReader, context: SettingsContext): Promise<S>;
  /** The secrets among the settings, in every form they could take in a log: masked before anything else. */
  secrets(settings: S): string[];
  issue(settings: S, context: ProviderContext): Promise<Credentials>;
  /** The post step: revokes one token; returns what to log, throws what to warn about. */
  revoke?(record: RevokeRecord, context: ProviderContext): Promise<string>;
}

/** The credentials with what the post step needs, unless skip-token-revoke; the summary says which. */
export function revokedAfterJob(credentials: Credentials, record: RevokeRecord, skip: boolean): Credentials {
  return {
    ...credentials,
    summary: [...credentials.summary, ['Revoked after the job', skip ? 'no (skip-token-revoke)' : 'yes']],
    revoke: skip ? undefined : [record],
  };
}

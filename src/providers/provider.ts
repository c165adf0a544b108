// The shape every provider folder exports, and what it is given. Providers never import the edges: they get a
// log, a mask, the clock and the HTTP layer, and return credentials plus what the post step needs.
import type { Clock } from '../clock.js';
import type { SignedJwt } from '../keys/jwt/sign.js';
import type { Transport } from '../http/transport.js';
import type { Env, InputReader } from '../settings/inputs.js';

export interface Log {
  info(message: string): void;
  /** A notice annotation: something the reader should know that is not a problem. */
  notice(message: string): void;
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

/** The app's bot user, as commits and git need it. */
export interface BotIdentity {
  /** `<slug>[bot]` */
  name: string;
  userId: number;
  /** `<id>+<slug>[bot]@users.noreply.<host>` */
  email: string;
}

/** What configure-git sets up in the runner's global git config, and the post step undoes. */
export interface GitSetup {
  /** The origin git may send the tokens to: that of GITHUB_SERVER_URL (https, or http on loopback). */
  serverUrl: string;
  user: BotIdentity;
  /** One token per account, the first the default for repositories of any other account. */
  tokens: { account: string; token: string }[];
}

/** What a run hands to later steps. */
export interface Credentials {
  token: string;
  tokenType: 'jwt' | 'installation' | 'access' | 'fallback';
  /** Unknown for a fallback token. */
  expiresAt?: Date;
  jwt?: SignedJwt;
  /** Every secret among them (the token, a refresh token): the edge masks them before any output. */
  secrets: string[];
  /** Further step outputs, by name (installation-id, app-slug, permissions). */
  outputs: Record<string, string>;
  /** Rows of the job summary, label and value; never a secret. */
  summary: [string, string][];
  /** What the post step revokes; absent when there is nothing to revoke, or skip-token-revoke is set. */
  revoke?: RevokeRecord[];
  /**
   * Every token issued, skip-token-revoke or not: what the main step revokes when it fails after issuing
   * (nothing reached a later step). Absent: the edge uses `revoke`.
   */
  issued?: RevokeRecord[];
  /** Several accounts: each account's login (as GitHub spells it) to its token; set whenever tokens are made. */
  tokens?: Record<string, string>;
  /** With bot-identity or configure-git. */
  bot?: BotIdentity;
  /** With configure-git. */
  git?: GitSetup;
}

export interface SettingsContext {
  env: Env;
  clock: Clock;
  /** A warning about the inputs that does not stop the step (client-id and app-id both set, and different). */
  warn?(message: string): void;
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
    issued: [record],
  };
}

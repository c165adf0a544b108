// What the GitHub provider's tests share: the real transport without its waits, an app JWT source signing with
// a key by a runner clock stopped at a whole second (so offsets learnt from a Date header are exact), the
// GitHub API client over them, and ways to read what the emulator received.
import { createPrivateKey } from 'node:crypto';
import { createClock, type Clock } from '../../../src/clock.js';
import { createTransport, type Transport } from '../../../src/http/transport.js';
import { privateKeySigner } from '../../../src/keys/jwt/sign.js';
import { createGitHubApi, type GitHubApi } from '../../../src/providers/github/api.js';
import { appJwtSource, githubAppClaims, type AppJwtSource } from '../../../src/providers/github/app-jwt.js';
import { createInstallationToken, type IssuedToken } from '../../../src/providers/github/installation.js';
import { revokeInstallationToken } from '../../../src/providers/github/revoke.js';
import type { InstallationTarget } from '../../../src/providers/github/targets.js';
import type { Log, ProviderContext } from '../../../src/providers/provider.js';
import type { RecordedRequest, ScriptedResponse } from '../../../test/emulators/github.ts';

/** The runner's clock for these tests: now, to the whole second, and stopped there. */
export const LOCAL_MS = Math.floor(Date.now() / 1000) * 1000;
export const LOCAL_S = LOCAL_MS / 1000;

export function stoppedClock(): Clock {
  return createClock(() => LOCAL_MS);
}

/** GitHub's Date header when its clock is `seconds` ahead of the runner's (behind when negative). */
export function serverDate(seconds: number): string {
  return new Date(LOCAL_MS + seconds * 1000).toUTCString();
}

/** The real transport, with its backoff waits skipped. */
export function noWaitTransport(): Transport {
  return createTransport({ retry: { sleep: async () => {}, random: () => 0 } });
}

export interface RecordedLog extends Log {
  lines: string[];
}

/** A log that keeps every line, prefixed with its level when it is not info. */
export function recordingLog(): RecordedLog {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(message),
    notice: (message) => lines.push(`notice: ${message}`),
    warning: (message) => lines.push(`warning: ${message}`),
    debug: (message) => lines.push(`debug: ${message}`),
  };
}

/** Info lines only: octokit's own debug lines are not what these tests are about. */
export function infoLines(log: RecordedLog): string[] {
  return log.lines.filter((line) => !/^(debug|notice|warning): /.test(line));
}

/** Every line but the debug ones, levels shown: what the step's log shows unless debugging is on. */
export function visibleLines(log: RecordedLog): string[] {
  return log.lines.filter((line) => !line.startsWith('debug: '));
}

/** Signs a fresh JWT for `issuer` with `privateKeyPem` on every request, by `clock`; masks what it signs. */
export function signingSource(
  privateKeyPem: string,
  issuer: number | string,
  clock: Clock,
): AppJwtSource & { masked: string[] } {
  const masked: string[] = [];
  const signer = privateKeySigner(createPrivateKey(privateKeyPem));
  const source = appJwtSource(
    { kind: 'signer', signer, secrets: [] },
    () => githubAppClaims(issuer, 540, clock),
    (secret) => masked.push(secret),
  );
  return Object.assign(source, { masked });
}

export interface AppApi {
  api: GitHubApi;
  clock: Clock;
  log: RecordedLog;
}

/** The GitHub API as the app, at `apiUrl`, over the real transport; `clock` is the one `jwt` signs by. */
export function appApi(apiUrl: string, jwt: AppJwtSource, clock: Clock): AppApi {
  const log = recordingLog();
  const api = createGitHubApi({ transport: noWaitTransport(), apiUrl, clock, log, auth: { app: jwt } });
  return { api, clock, log };
}

/** The GitHub API as the app, signing with `privateKeyPem` for `issuer` by a stopped clock of its own. */
export function signingApi(
  apiUrl: string,
  privateKeyPem: string,
  issuer: number | string,
): AppApi & { jwt: ReturnType<typeof signingSource> } {
  const clock = stoppedClock();
  const jwt = signingSource(privateKeyPem, issuer, clock);
  return { ...appApi(apiUrl, jwt, clock), jwt };
}

export interface TokenRun extends AppApi {
  /** What createInstallationToken masked: the tokens GitHub sent. */
  masked: string[];
  /** The tokens it revoked (over DELETE /installation/token, as the provider does). */
  revoked: string[];
  run(): Promise<IssuedToken>;
}

/**
 * createInstallationToken for `target` at `apiUrl`, as app `issuer` signing with `privateKeyPem`, with the
 * provider's real revoke (the token's own DELETE /installation/token) and a mask that records.
 */
export function tokenRun(
  apiUrl: string,
  privateKeyPem: string,
  issuer: number | string,
  target: InstallationTarget,
): TokenRun {
  const client = signingApi(apiUrl, privateKeyPem, issuer);
  const masked: string[] = [];
  const revoked: string[] = [];
  const asToken = (token: string) =>
    createGitHubApi({ transport: noWaitTransport(), apiUrl, clock: client.clock, log: client.log, auth: { token } });
  const options = {
    issuer: String(issuer),
    apiUrl,
    mask: (secret: string) => masked.push(secret),
    revoke: (token: string) => {
      revoked.push(token);
      return revokeInstallationToken(asToken(token));
    },
  };
  return { ...client, masked, revoked, run: () => createInstallationToken(client.api, options, target) };
}

/** A provider's context from real parts: the stopped clock, the no-wait transport, a recording log and mask. */
export function providerContext(): ProviderContext & { log: RecordedLog; masked: string[] } {
  const masked: string[] = [];
  return {
    log: recordingLog(),
    mask: (secret) => masked.push(secret),
    clock: stoppedClock(),
    env: {},
    transport: async () => noWaitTransport(),
    masked,
  };
}

/** GitHub's error answer: its JSON shape, and a Date header when given. */
export function githubError(status: number, message: string, date?: string): ScriptedResponse {
  return {
    status,
    body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
    ...(date === undefined ? {} : { headers: { date } }),
  };
}

/** "METHOD path" of each request the emulator received. */
export function sent(requests: RecordedRequest[]): string[] {
  return requests.map((request) => `${request.method} ${request.path}`);
}

/** The claims of the JWT a request carried as `authorization: Bearer`. */
export function bearerClaims(request: RecordedRequest): { iat: number; exp: number; iss: number | string } {
  const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** What a promise rejected with; fails the test when it resolves or rejects with something else. */
export async function rejectionOf<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E) {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a ${type.name}, but it resolved`);
  if (!(outcome.error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(outcome.error)}`);
  return outcome.error;
}

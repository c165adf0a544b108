import type { Clock } from '../clock.js';
import { ActionError } from '../errors.js';
import type { HttpClient, HttpResponse } from '../http.js';
import { joinUrl } from '../api-url.js';
import type { SignedJwt } from '../jwt.js';

/** A failure of the GitHub API, told as cause and fix; never holds a token or a JWT. */
export class GitHubApiError extends ActionError {
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** Gives the app JWT for each request: freshly signed with the clock's offset, or one signed elsewhere. */
export interface AppJwtSource {
  readonly presigned: boolean;
  next(): SignedJwt;
}

export interface GitHubApiDependencies {
  http: HttpClient;
  clock: Clock;
  apiUrl: string;
  jwt: AppJwtSource;
  /** Local wall-clock milliseconds, to compare with the server's Date header. */
  localMillis?: () => number;
  log: (message: string) => void;
}

const USER_AGENT = 'app-jwt-action';
const SKEW_MESSAGE = /'Issued at' claim \('iat'\)|'Expiration time' claim \('exp'\)/;

export function apiMessage(response: HttpResponse): string {
  const body = response.body as { message?: unknown } | string | undefined;
  if (body && typeof body === 'object' && typeof body.message === 'string') return body.message;
  return typeof body === 'string' && body.trim() ? body.trim().slice(0, 200) : `HTTP ${response.status}`;
}

export function isClockSkewRejection(response: HttpResponse): boolean {
  return response.status === 401 && SKEW_MESSAGE.test(apiMessage(response));
}

export function headers(authorization: string): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': USER_AGENT,
    authorization,
  };
}

/**
 * Requests authenticated as the app. When GitHub rejects the JWT's times, the offset between our clock and the
 * Date header of its answer is kept in the clock, so this request (retried once, re-signed) and every later
 * JWT of the run are right by the server's clock.
 */
export function createAppApi(deps: GitHubApiDependencies) {
  const localMillis = deps.localMillis ?? Date.now;
  async function send(method: string, path: string, json?: unknown): Promise<HttpResponse> {
    const url = joinUrl(deps.apiUrl, path);
    return deps.http.request({ method, url, headers: headers(`Bearer ${deps.jwt.next().token}`), json });
  }
  return async function appRequest(method: string, path: string, json?: unknown): Promise<HttpResponse> {
    const response = await send(method, path, json);
    if (!isClockSkewRejection(response)) return response;
    const serverMillis = response.date?.getTime();
    const offset = serverMillis === undefined ? undefined : Math.round((serverMillis - localMillis()) / 1000);
    if (offset === undefined)
      throw new GitHubApiError(
        `GitHub rejected the JWT's times (${apiMessage(response)}) and sent no Date header to correct the clock by. Check the runner's clock.`,
        response.status,
      );
    if (deps.jwt.presigned)
      throw new GitHubApiError(
        `GitHub rejected the JWT from the 'jwt' input: ${apiMessage(response)}. GitHub's clock is ${describeOffset(offset)} the runner's, ` +
          "and a JWT signed elsewhere cannot be signed again here. Sign it with iat 60 s before GitHub's time and exp at most 10 minutes after it, and pass it to this step at once.",
        response.status,
      );
    deps.clock.setOffsetSeconds(offset);
    deps.log(
      `GitHub's clock is ${describeOffset(offset)} the runner's: signing again by GitHub's time, for this and every later request.`,
    );
    return send(method, path, json);
  };
}

export function describeOffset(offset: number): string {
  if (offset === 0) return 'within a second of';
  return `${Math.abs(offset)} s ${offset > 0 ? 'ahead of' : 'behind'}`;
}

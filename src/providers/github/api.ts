// GitHub's REST API through the octokit of @actions/github, with our policies as its request hook: every request
// carries the app JWT (or a token), goes through the transport's retry loop, and a JWT that GitHub rejects for
// its times is signed again by GitHub's clock, once, with the offset kept for every later JWT of the run.
import { GitHub } from '@actions/github/lib/utils';
import { RequestError } from '@octokit/request-error';
import type { Clock } from '../../clock.js';
import { ActionError } from '../../errors.js';
import { RequestProblem } from '../../http/failure.js';
import { headerLookup, parseDate, serverText, type ApiResponse } from '../../http/response.js';
import type { Sent } from '../../http/retry.js';
import type { Transport } from '../../http/transport.js';
import { showUrl } from '../../http/url.js';
import type { Log } from '../provider.js';
import type { AppJwtSource } from './app-jwt.js';

/** A failure of the GitHub API, told as cause and fix; never holds a token or a JWT. */
export class GitHubApiError extends ActionError {
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export interface GitHubApi {
  /** An octokit route ('GET /users/{username}/installation') and its parameters; the answer, whatever its status. */
  request(route: string, params?: Record<string, unknown>): Promise<ApiResponse>;
}

export interface GitHubApiOptions {
  transport: Transport;
  apiUrl: string;
  clock: Clock;
  log: Log;
  /** As the app (a JWT per request), or with a token. */
  auth: { app: AppJwtSource } | { token: string };
}

const SKEW_MESSAGE = /'Issued at' claim \('iat'\)|'Expiration time' claim \('exp'\)/;

/** GitHub's error message, with a 422's errors[] detail (field and code, or their message). */
export function apiMessage(response: ApiResponse): string {
  const body = response.body as { message?: unknown; errors?: unknown } | string | undefined;
  if (body && typeof body === 'object' && typeof body.message === 'string') {
    const details = Array.isArray(body.errors)
      ? body.errors
          .map((e: { message?: unknown; field?: unknown; code?: unknown; resource?: unknown } | unknown) => {
            if (typeof e === 'string') return e;
            const entry = (e ?? {}) as Record<string, unknown>;
            if (typeof entry.message === 'string') return entry.message;
            return [entry.resource, entry.field, entry.code].filter((part) => typeof part === 'string').join(' ');
          })
          .filter(Boolean)
      : [];
    return serverText(details.length ? `${body.message} (${details.join('; ')})` : body.message);
  }
  return typeof body === 'string' && body.trim() ? serverText(body, 200) : `HTTP ${response.status}`;
}

export function isClockSkewRejection(response: ApiResponse): boolean {
  return response.status === 401 && SKEW_MESSAGE.test(apiMessage(response));
}

export function describeOffset(offset: number): string {
  if (offset === 0) return 'within a second of';
  return `${Math.abs(offset)} s ${offset > 0 ? 'ahead of' : 'behind'}`;
}

function toApiResponse(answer: { status: number; headers: Record<string, unknown>; data?: unknown }): ApiResponse {
  const headers = headerLookup(answer.headers as Record<string, string>);
  return { status: answer.status, headers, body: answer.data ?? '', date: parseDate(headers.get('date')) };
}

/** The offset GitHub's Date header gives; throws when it cannot be used to sign again. */
function skewOffset(response: ApiResponse, clock: Clock, jwt: AppJwtSource): number {
  const serverMillis = response.date?.getTime();
  if (serverMillis === undefined)
    throw new GitHubApiError(
      `GitHub rejected the JWT's times (${apiMessage(response)}) and sent no Date header to correct the clock by. Check the runner's clock.`,
      response.status,
    );
  const offset = Math.round((serverMillis - clock.localMillis()) / 1000);
  if (jwt.presigned)
    throw new GitHubApiError(
      `GitHub rejected the JWT from the 'jwt' input: ${apiMessage(response)}. GitHub's clock is ${describeOffset(offset)} the runner's, ` +
        "and a JWT signed elsewhere cannot be signed again here. Sign it with iat 60 s before GitHub's time and exp at most 10 minutes after it, and pass it to this step at once.",
      response.status,
    );
  return offset;
}

export function createGitHubApi({ transport, apiUrl, clock, log, auth }: GitHubApiOptions): GitHubApi {
  const octokit = new GitHub({
    baseUrl: apiUrl,
    userAgent: 'app-jwt-action',
    request: { fetch: transport.fetch },
    log: { debug: log.debug, info: log.debug, warn: log.debug, error: log.debug },
  });
  octokit.hook.wrap('request', async (request, options) => {
    const headers = options.headers as Record<string, string>;
    headers.accept = 'application/vnd.github+json';
    headers['x-github-api-version'] = '2022-11-28';
    const authorize = async () => {
      headers.authorization = `Bearer ${'app' in auth ? (await auth.app.next()).token : auth.token}`;
    };
    const { method, url } = octokit.request.endpoint.parse(options);
    const label = () => ({ service: 'GitHub', method, url: showUrl(new URL(url)), secrets: [headers.authorization] });
    const attempt = async (): Promise<Sent<unknown>> => {
      try {
        const answer = await request(options);
        return { response: toApiResponse(answer), value: answer };
      } catch (error) {
        if (error instanceof RequestError && error.response)
          return { response: toApiResponse(error.response), value: error };
        // octokit keeps what the transport threw as the cause of its own error.
        if (error instanceof RequestError && error.cause instanceof RequestProblem) throw error.cause;
        throw error;
      }
    };
    await authorize();
    let sent = await transport.retrying(label(), attempt);
    if ('app' in auth && isClockSkewRejection(sent.response)) {
      const offset = skewOffset(sent.response, clock, auth.app);
      clock.setOffsetSeconds(offset);
      log.info(
        `GitHub's clock is ${describeOffset(offset)} the runner's: signing again by GitHub's time, for this and every later request.`,
      );
      await authorize();
      sent = await transport.retrying(label(), attempt);
    }
    if (sent.value instanceof Error) throw sent.value;
    return sent.value as Awaited<ReturnType<typeof request>>;
  });
  return {
    async request(route, params = {}) {
      try {
        return toApiResponse(await octokit.request(route, params));
      } catch (error) {
        if (error instanceof RequestError && error.response) return toApiResponse(error.response);
        throw error;
      }
    },
  };
}

// The one HTTP client every API call uses: node:http and node:https, behind the runner's proxy settings, with
// bounded retries for transient faults. It never throws for an HTTP status (the caller knows what a 404 means
// for it); it throws HttpError when the network fails for good, when a request cannot be sent at all, or when
// the server asks for a longer wait than the action is willing to sit through. Built-in modules only: a run
// does not pay for loading an HTTP library.
import { hideUserinfo, showUrl } from './api-url.js';
import { ActionError } from './errors.js';
import { sendOnce } from './http-attempt.js';
import { RequestProblem, type Failure } from './http-failure.js';
import { encodeRequest, type HttpRequest, type WireRequest } from './http-request.js';
import type { HttpResponse } from './http-response.js';
import { chooseProxy, createAgentPool, type ProxyChoice } from './proxy.js';
import { backoffDelay, retryVerdict, waitTooLong } from './retry-policy.js';

export type { HttpRequest } from './http-request.js';
export type { HttpHeaders, HttpResponse } from './http-response.js';

export interface RetryInfo {
  method: string;
  /** The URL without any user name or password. */
  url: string;
  /** The attempt that just failed, from 1. */
  attempt: number;
  maxRetries: number;
  delayMs: number;
  /** Why, for the log: "HTTP 503 Service Unavailable", "connection refused (ECONNREFUSED)", ... */
  reason: string;
}

export interface HttpClientOptions {
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are read; default process.env. */
  env?: Record<string, string | undefined>;
  /** Per attempt, the response body included; default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 3. */
  maxRetries?: number;
  /** The first backoff's ceiling; it doubles each retry; default 1 s. */
  baseDelayMs?: number;
  /** The longest wait the client accepts from Retry-After or x-ratelimit-reset; default 60 s. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  userAgent?: string;
  onRetry?: (info: RetryInfo) => void;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Closes pooled connections; optional, since idle connections do not keep Node alive. */
  close(): Promise<void>;
}

/** A request that could not get a usable answer. The message never holds headers or bodies. */
export class HttpError extends ActionError {
  readonly method: string;
  readonly url: string;
  readonly attempts: number;
  /** ECONNREFUSED, ENOTFOUND, TIMEOUT, RETRY_AFTER_TOO_LONG, INVALID_REQUEST, PROXY, TLS, ... */
  readonly code: string;
  /** The last response, when the client gave up on one (RETRY_AFTER_TOO_LONG). */
  readonly response?: HttpResponse;
  constructor(init: {
    method: string;
    url: string;
    attempts: number;
    code: string;
    reason: string;
    hint?: string;
    response?: HttpResponse;
  }) {
    const outcome =
      init.attempts === 0
        ? 'was not sent'
        : `failed after ${init.attempts === 1 ? '1 attempt' : `${init.attempts} attempts`}`;
    super(`${init.method} ${init.url} ${outcome}: ${init.reason}.${init.hint ? ` ${init.hint}` : ''}`);
    this.method = init.method;
    this.url = init.url;
    this.attempts = init.attempts;
    this.code = init.code;
    this.response = init.response;
  }
}

// Node's messages can quote what was sent: every header and form value (the secrets a request carries) is
// taken out of them, whole and word by word ("Bearer <token>"); short words would blot out ordinary text.
function redact(text: string, request: HttpRequest): string {
  const values = [...Object.values(request.headers ?? {}), ...Object.values(request.form ?? {})]
    .flatMap((v) => [v, ...v.split(/\s+/)])
    .filter((v) => v.length >= 6)
    .sort((a, b) => b.length - a.length);
  return values.reduce((out, value) => out.split(value).join('***'), text);
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetries = options.maxRetries ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const userAgent = options.userAgent ?? 'app-jwt-action';
  const agents = createAgentPool();

  async function request(request: HttpRequest): Promise<HttpResponse> {
    const method = request.method.toUpperCase();
    let target: URL;
    try {
      target = new URL(request.url);
    } catch {
      throw new HttpError({
        method,
        url: hideUserinfo(String(request.url)),
        attempts: 0,
        code: 'INVALID_REQUEST',
        reason: 'not a valid URL',
      });
    }
    const url = showUrl(target);
    const fail = (attempts: number, failure: Omit<Failure, 'retryable'>, response?: HttpResponse): HttpError =>
      new HttpError({
        method,
        url,
        attempts,
        code: failure.code,
        reason: redact(failure.reason, request),
        hint: failure.hint ? redact(failure.hint, request) : undefined,
        response,
      });

    let wire: WireRequest;
    let proxy: ProxyChoice | undefined;
    try {
      wire = encodeRequest(request, target, userAgent);
      proxy = chooseProxy(target, env);
    } catch (error) {
      if (error instanceof RequestProblem) throw fail(0, error.failure);
      throw error;
    }

    for (let attempt = 1; ; attempt++) {
      const outcome = await sendOnce(wire, { agents, proxy, timeoutMs }).then(
        (response) => ({ response: { ...response, attempts: attempt } }),
        (problem: RequestProblem) => ({ failure: problem.failure }),
      );
      const retriesLeft = attempt <= maxRetries;
      let delayMs: number;
      let reason: string;
      if ('response' in outcome) {
        const { response } = outcome;
        const verdict = retryVerdict(response, now(), maxRetryAfterMs);
        if (!verdict || !retriesLeft) return response;
        const tooLong = waitTooLong(verdict, maxRetryAfterMs);
        if (tooLong) throw fail(attempt, tooLong, response);
        reason = verdict.reason;
        delayMs = verdict.waitMs ?? backoffDelay(attempt, baseDelayMs, maxRetryAfterMs, random);
      } else {
        const { failure } = outcome;
        if (!failure.retryable || !retriesLeft) throw fail(attempt, failure);
        reason = redact(failure.reason, request);
        delayMs = backoffDelay(attempt, baseDelayMs, maxRetryAfterMs, random);
      }
      options.onRetry?.({ method, url, attempt, maxRetries, delayMs, reason });
      await sleep(delayMs);
    }
  }

  return { request, close: async () => agents.destroy() };
}

// The retry loop every request goes through, whichever client sends it: the policy (retry-policy.ts) says
// whether an answer is worth another attempt; this counts attempts, waits, logs, and keeps every wait inside
// the step's deadline.
import { HttpError, RequestProblem, redact, type Failure } from './failure.js';
import type { Deadline } from './limits.js';
import type { ApiResponse } from './response.js';
import { backoffDelay, formatDuration, retryVerdict, waitTooLong } from './retry-policy.js';

export interface RetryInfo {
  /** Who was asked: "GitHub", "RingCentral". */
  service: string;
  method: string;
  /** The URL as it may be shown. */
  url: string;
  /** The attempt that just failed, from 1. */
  attempt: number;
  maxRetries: number;
  delayMs: number;
  /** Why, for the log: "HTTP 503", "connection refused (ECONNREFUSED) by …", ... */
  reason: string;
}

export interface RetryOptions {
  /** Retries after the first attempt; default 3. */
  maxRetries: number;
  /** The first backoff's ceiling; it doubles each retry; default 1 s. */
  baseDelayMs: number;
  /** The longest wait accepted from Retry-After or x-ratelimit-reset; default 60 s. */
  maxRetryAfterMs: number;
  random: () => number;
  now: () => number;
  /** Waits `ms`, or rejects when `signal` aborts first. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  onRetry?: (info: RetryInfo) => void;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
  now: Date.now,
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    }),
};

/** What one attempt got: the answer to judge, and what the caller wants back for it. */
export interface Sent<T> {
  response: ApiResponse;
  value: T;
}

export interface RequestLabel {
  service: string;
  method: string;
  /** Shown in messages: no user name, password or query. */
  url: string;
  /** Values the request carries that must never reach a message (tokens, form values). */
  secrets: readonly string[];
}

/**
 * Sends until an answer that is not worth retrying, and returns it whatever its status. Throws HttpError when
 * the network fails for good, when the server asks for a longer wait than the action sits through, or when the
 * next wait would pass the step's deadline. `send` rejects with a RequestProblem for a transport failure.
 */
export async function sendWithRetries<T>(
  label: RequestLabel,
  send: () => Promise<Sent<T>>,
  options: RetryOptions,
  deadline: Deadline,
): Promise<Sent<T>> {
  const fail = (attempts: number, failure: Omit<Failure, 'retryable'>) =>
    new HttpError({
      method: label.method,
      url: label.url,
      attempts,
      failure: {
        code: failure.code,
        reason: redact(failure.reason, label.secrets),
        hint: failure.hint && redact(failure.hint, label.secrets),
      },
    });
  for (let attempt = 1; ; attempt++) {
    let outcome: Sent<T> | Failure;
    try {
      outcome = await send();
    } catch (error) {
      if (!(error instanceof RequestProblem)) throw error;
      outcome = error.failure;
    }
    const retriesLeft = attempt <= options.maxRetries;
    let delayMs: number;
    let reason: string;
    if ('response' in outcome) {
      const verdict = retryVerdict(outcome.response, options.now(), options.maxRetryAfterMs);
      if (!verdict || !retriesLeft) return outcome;
      const tooLong = waitTooLong(verdict, options.maxRetryAfterMs);
      if (tooLong) throw fail(attempt, tooLong);
      reason = verdict.reason;
      delayMs = verdict.waitMs ?? backoffDelay(attempt, options.baseDelayMs, options.maxRetryAfterMs, options.random);
    } else {
      if (!outcome.retryable || !retriesLeft) throw fail(outcome.notSent ? attempt - 1 : attempt, outcome);
      reason = outcome.reason;
      delayMs = backoffDelay(attempt, options.baseDelayMs, options.maxRetryAfterMs, options.random);
    }
    if (delayMs >= deadline.remainingMs())
      throw fail(attempt, {
        code: 'DEADLINE',
        reason: `${reason}; waiting ${formatDuration(delayMs)} to try again would pass ${deadline.describe()}`,
        hint: 'Run the job again later.',
      });
    options.onRetry?.({
      service: label.service,
      method: label.method,
      url: label.url,
      attempt,
      maxRetries: options.maxRetries,
      delayMs,
      reason: redact(reason, label.secrets),
    });
    try {
      await options.sleep(delayMs, deadline.signal);
    } catch {
      throw fail(attempt, { code: 'DEADLINE', reason: `${reason}; ${deadline.describe()} passed during the wait` });
    }
  }
}

// The words the HTTP layer uses to say why a request got no usable answer. A part that finds a Failure throws
// it as a RequestProblem; the retry loop, which knows the attempts made, turns the last one into an HttpError.
import { ActionError } from '../errors.js';

export interface Failure {
  /** ECONNREFUSED, TIMEOUT, DEADLINE, PROXY, TLS, TOO_LARGE, INVALID_REQUEST, RETRY_AFTER_TOO_LONG, ... */
  code: string;
  /** For the log, without secrets: what happened. */
  reason: string;
  /** For the log: what to do about it. */
  hint?: string;
  /** Whether another attempt could get a different outcome. */
  retryable: boolean;
  /** The request was refused before it was sent (a setting or a header no attempt can fix). */
  notSent?: boolean;
}

/** A Failure thrown, so that it can leave a callback, a Promise or a library on its way to the retry loop. */
export class RequestProblem extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.reason);
    this.failure = failure;
  }
}

/** A request that could not get a usable answer. The message never holds headers or bodies. */
export class HttpError extends ActionError {
  readonly method: string;
  readonly url: string;
  readonly attempts: number;
  readonly code: string;
  constructor(init: { method: string; url: string; attempts: number; failure: Omit<Failure, 'retryable'> }) {
    const { method, url, attempts, failure } = init;
    const outcome =
      attempts === 0 ? 'was not sent' : `failed after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`}`;
    super(`${method} ${url} ${outcome}: ${failure.reason}.${failure.hint ? ` ${failure.hint}` : ''}`);
    this.method = method;
    this.url = url;
    this.attempts = attempts;
    this.code = failure.code;
  }
}

/**
 * Library messages can quote what was sent: every secret a request carries is taken out of them, whole and word
 * by word ("Bearer <token>"); short words would blot out ordinary text.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const values = secrets
    .flatMap((v) => [v, ...v.split(/\s+/)])
    .filter((v) => v.length >= 6)
    .sort((a, b) => b.length - a.length);
  return values.reduce((out, value) => out.split(value).join('***'), text);
}

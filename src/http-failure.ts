// The words the HTTP client's parts use to say why a request got no usable answer. The client turns a Failure
// into an HttpError once it knows the attempts made; the parts that find one do not know the count.

export interface Failure {
  /** HttpError's code: ECONNREFUSED, TIMEOUT, PROXY, TLS, INVALID_REQUEST, ... */
  code: string;
  /** For the log, without secrets: what happened. */
  reason: string;
  /** For the log: what to do about it. */
  hint?: string;
  /** Whether another attempt could get a different outcome. */
  retryable: boolean;
}

/** A Failure thrown, so that it can leave a callback or a Promise on its way to the retry loop. */
export class RequestProblem extends Error {
  readonly failure: Failure;
  constructor(failure: Failure) {
    super(failure.reason);
    this.failure = failure;
  }
}

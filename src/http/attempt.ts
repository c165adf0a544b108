// What one attempt shares across both clients: the signal that ends it (its own timeout or the step's
// deadline), the headers it refuses to send, and how its failure reads.
import { RequestProblem, type Failure } from './failure.js';
import type { Deadline, Limits } from './limits.js';
import { describeNetworkError, timeoutFailure } from './network-errors.js';
import type { ProxyChoice } from './proxy.js';

/** Aborts when the attempt's timeout or the step's deadline passes, whichever comes first. */
export function attemptSignal(limits: Limits, deadline: Deadline): AbortSignal {
  return AbortSignal.any([deadline.signal, AbortSignal.timeout(limits.requestTimeoutMs)]);
}

/**
 * Refuses a header value that Node would refuse (or worse, quote in its error): line breaks, control
 * characters, surrounding whitespace. Such a value usually comes from a secret stored with a trailing newline.
 */
export function checkHeaders(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers))
    if (/[\r\n\0]/.test(value) || value !== value.trim())
      throw new RequestProblem({
        code: 'INVALID_REQUEST',
        reason: `the value of header '${name}' has a line break, a control character or surrounding whitespace`,
        hint: 'If it comes from a secret, store the secret without a trailing newline or spaces.',
        retryable: false,
        notSent: true,
      });
}

/** Why the attempt failed, in the words of network-errors.ts; a passed deadline is never retried. */
export function attemptFailure(
  error: unknown,
  signal: AbortSignal,
  context: { target: URL; proxy: ProxyChoice | undefined; limits: Limits; deadline: Deadline },
): Failure {
  if (error instanceof RequestProblem) return error.failure;
  if (context.deadline.signal.aborted)
    return {
      code: 'DEADLINE',
      reason: `no complete answer came before ${context.deadline.describe()} passed`,
      hint: 'The server or the network is too slow; run the job again later.',
      retryable: false,
    };
  if (signal.aborted) return timeoutFailure(context.limits.requestTimeoutMs, context.proxy);
  return describeNetworkError(error, context.target, context.proxy);
}

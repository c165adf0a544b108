// The bounds every request of a step lives under: a cap on each response body, a timeout per attempt, and one
// deadline for the whole step that every request, retry and wait shares.
import { formatDuration } from './retry-policy.js';

export interface Limits {
  /** The most bytes of a response body kept, counted after decompression too; default 1 MiB. */
  maxBodyBytes: number;
  /** One attempt, from connecting to the last byte of the body; default 10 s. */
  requestTimeoutMs: number;
  /** The whole step: every request, retry and wait; default 120 s. */
  deadlineMs: number;
}

export const DEFAULT_LIMITS: Limits = { maxBodyBytes: 1024 * 1024, requestTimeoutMs: 10_000, deadlineMs: 120_000 };

/** The limits, with the step deadline from APP_JWT_DEADLINE_SECONDS when set (for slow networks and tests). */
export function limitsFromEnv(env: Record<string, string | undefined>): Limits {
  const seconds = Number(env.APP_JWT_DEADLINE_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? { ...DEFAULT_LIMITS, deadlineMs: seconds * 1000 } : DEFAULT_LIMITS;
}

export interface Deadline {
  /** Aborts when the deadline passes. */
  readonly signal: AbortSignal;
  readonly totalMs: number;
  remainingMs(): number;
  /** "the step's deadline (120 s)", for messages. */
  describe(): string;
}

export function createDeadline(totalMs: number, now: () => number = Date.now): Deadline {
  const end = now() + totalMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineReached()), totalMs);
  // The deadline never keeps the process alive by itself.
  timer.unref();
  return {
    signal: controller.signal,
    totalMs,
    remainingMs: () => Math.max(0, end - now()),
    describe: () => `the step's deadline (${formatDuration(totalMs)} for all requests, retries and waits)`,
  };
}

/** The abort reason of a passed deadline, told apart from an attempt's own timeout. */
export class DeadlineReached extends Error {
  constructor() {
    super('deadline reached');
    this.name = 'DeadlineReached';
  }
}

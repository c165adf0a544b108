// Which answers are worth another attempt, and how long to wait first. A wait the server asks for (Retry-After,
// an exhausted rate limit) is honoured exactly, or not at all when it is longer than the action will sit
// through; anything else backs off with jitter, so parallel jobs that failed together do not retry together.
import type { Failure } from './failure.js';
import type { ApiResponse } from './response.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How a wait or a timeout reads in the log: "300 ms", "7 s", "50 min", "30 h", "12 days". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 2 * HOUR) return `${Math.ceil(ms / 60_000)} min`;
  if (ms < 2 * DAY) return `${Math.ceil(ms / HOUR)} h`;
  // A hostile Retry-After can ask for anything, up to Infinity: it still reads as words.
  if (ms < 1000 * DAY) return `${Math.ceil(ms / DAY)} days`;
  return 'more than 1000 days';
}

/** "512 KiB", "1 MiB": a size for messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

/** A wait's end for messages; a wait too long for a Date (a hostile header) is told as such. */
function isoOrFar(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? 'a time too far ahead to show' : date.toISOString();
}

/** Retry-After as a wait in ms: delta-seconds or an HTTP date (against the server's clock when known). */
export function parseRetryAfter(value: string | null, serverNow: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP date form starts with the day's name; Date.parse alone would take "-5" or "1.5" for dates in 2001.
  if (!/^[a-z]{3,9},? /i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - serverNow);
}

/** GitHub waits a secondary rate limit without Retry-After out for "at least one minute". */
export const SECONDARY_RATE_LIMIT_WAIT_MS = 60_000;

export interface RetryVerdict {
  /** For the log: what happened, and any wait the server asked for. */
  reason: string;
  /** What happened, without the wait. */
  summary: string;
  /** What the server asked for; undefined means exponential backoff. */
  waitMs?: number;
  /** For messages: when the wait ends, when a rate limit resets (epoch ms). */
  until?: number;
}

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return '';
}

/**
 * Whether a response is worth another attempt (undefined: it is the answer), and how long the server wants
 * us to wait first. `maxWaitMs` caps only a wait of our own choosing: one the server asks for is the server's.
 */
export function retryVerdict(response: ApiResponse, now: number, maxWaitMs: number): RetryVerdict | undefined {
  const { status, headers } = response;
  const serverNow = response.date?.getTime() ?? now;
  const retryAfter = parseRetryAfter(headers.get('retry-after'), serverNow);
  const label = `HTTP ${status}`;
  const remaining = headers.get('x-ratelimit-remaining');
  const reset = Number(headers.get('x-ratelimit-reset') ?? NaN);
  if ((status === 403 || status === 429) && remaining?.trim() === '0' && Number.isFinite(reset) && reset > 0) {
    const until = reset * 1000;
    const summary = `${label}, rate limit used up until ${isoOrFar(until)} (x-ratelimit-remaining: 0)`;
    return { reason: summary, summary, waitMs: Math.max(retryAfter ?? 0, until - serverNow, 0), until };
  }
  const verdict = (summary: string, waitMs: number | undefined, asked = retryAfter !== undefined): RetryVerdict => ({
    reason: asked && waitMs !== undefined ? `${summary}, Retry-After ${formatDuration(waitMs)}` : summary,
    summary,
    ...(waitMs === undefined ? {} : { waitMs, until: now + waitMs }),
  });
  if (status === 429) return verdict(`${label} Too Many Requests`, retryAfter);
  if (status === 403 && retryAfter !== undefined) return verdict(`${label}, secondary rate limit`, retryAfter);
  if (status === 403 && /secondary rate limit|abuse detection/i.test(bodyMessage(response.body)))
    return verdict(
      `${label}, secondary rate limit (no Retry-After)`,
      Math.min(SECONDARY_RATE_LIMIT_WAIT_MS, maxWaitMs),
      false,
    );
  if (status >= 500 && status <= 599) return verdict(label, retryAfter);
  return undefined;
}

/** The failure to report when the server asks for a wait longer than `maxWaitMs`; undefined when it does not. */
export function waitTooLong(verdict: RetryVerdict, maxWaitMs: number): Omit<Failure, 'retryable'> | undefined {
  if (verdict.waitMs === undefined || verdict.waitMs <= maxWaitMs) return undefined;
  return {
    code: 'RETRY_AFTER_TOO_LONG',
    reason: `${verdict.summary}; the server asks to wait ${formatDuration(verdict.waitMs)}, longer than the ${formatDuration(maxWaitMs)} this action waits`,
    hint: verdict.until !== undefined ? `Run the job again after ${isoOrFar(verdict.until)}.` : undefined,
  };
}

/** Full jitter: a random wait between 0 and base·2^(retry−1), capped. `retry` counts from 1. */
export function backoffDelay(retry: number, baseDelayMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(Math.min(Math.max(random(), 0), 1) * ceiling);
}

// The HTTP layer as the providers get it: the bounded fetch for octokit, requests through the toolkit's client,
// and the retry loop, all under one set of limits and one deadline for the step.
import { createBoundedFetch } from './fetch.js';
import { sendThroughToolkit, type HttpRequest } from './client.js';
import { createDeadline, limitsFromEnv, type Deadline, type Limits } from './limits.js';
import type { ApiResponse } from './response.js';
import { DEFAULT_RETRY, sendWithRetries, type RequestLabel, type RetryOptions, type Sent } from './retry.js';
import { showUrl } from './url.js';

export type { HttpRequest } from './client.js';

export interface Transport {
  /** One attempt per call, for octokit's `request.fetch`; the retry hook wraps it. */
  readonly fetch: typeof fetch;
  /** A request through @actions/http-client, retried by the policy; the answer whatever its status. */
  request(request: HttpRequest): Promise<ApiResponse>;
  /** The retry loop, for a client that sends by itself (octokit's hook). */
  retrying<T>(label: RequestLabel, send: () => Promise<Sent<T>>): Promise<Sent<T>>;
  readonly deadline: Deadline;
}

export interface TransportOptions {
  /** Where APP_JWT_DEADLINE_SECONDS is read. */
  env?: Record<string, string | undefined>;
  limits?: Partial<Limits>;
  retry?: Partial<RetryOptions>;
}

export function createTransport(options: TransportOptions = {}): Transport {
  const limits = { ...limitsFromEnv(options.env ?? {}), ...options.limits };
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const deadline = createDeadline(limits.deadlineMs, retry.now);
  const retrying = <T>(label: RequestLabel, send: () => Promise<Sent<T>>) =>
    sendWithRetries(label, send, retry, deadline);
  return {
    deadline,
    fetch: createBoundedFetch(limits, deadline),
    retrying,
    async request(request) {
      const label = {
        service: request.service,
        method: request.method,
        url: showUrl(new URL(request.url)),
        secrets: [...Object.values(request.headers ?? {}), ...Object.values(request.form ?? {})],
      };
      const sent = await retrying(label, async () => {
        const response = await sendThroughToolkit(request, limits, deadline);
        return { response, value: response };
      });
      return sent.value;
    },
  };
}

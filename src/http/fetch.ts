// The fetch octokit sends GitHub requests with: each call is one attempt through the toolkit's client
// (@actions/http-client and its proxy agents), under the attempt's timeout and the step's
// deadline, with the body read under the cap. Every failure leaves as a RequestProblem, which octokit keeps as
// its RequestError's cause for the retry hook.
//
// The answer is a small object with the parts of a fetch Response that octokit reads (status, url, headers,
// text, json, arrayBuffer): building a real Response would load Node's own fetch implementation, which costs a
// token run more start-up time than all of octokit.
import { sendOnce, type WireResponse } from './client.js';
import { RequestProblem } from './failure.js';
import type { Deadline, Limits } from './limits.js';

/** Response headers as fetch's Headers shows them: lower-case names, repeated values joined with ', '. */
class AnswerHeaders {
  readonly #values: Map<string, string>;
  constructor(headers: WireResponse['headers']) {
    this.#values = new Map();
    for (const [name, value] of Object.entries(headers)) {
      // The body is already decoded: its coding and length no longer describe it.
      if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
      this.#values.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
    }
  }
  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#values.entries();
  }
}

function answer(url: URL, status: number, headers: WireResponse['headers'], body: Buffer) {
  const text = async () => body.toString('utf8');
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    url: url.href,
    headers: new AnswerHeaders(headers),
    body: null,
    text,
    json: async () => JSON.parse(await text()) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength),
  };
}

export function createBoundedFetch(limits: Limits, deadline: Deadline): typeof fetch {
  const bounded = async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(
      Object.entries((init.headers ?? {}) as Record<string, string>).map(([name, value]) => [
        name.toLowerCase(),
        String(value),
      ]),
    );
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string')
      throw new TypeError('the GitHub client sent a body that is not text');
    const sent = await sendOnce(
      { method: init.method ?? 'GET', url, headers, body: init.body ?? undefined },
      limits,
      deadline,
    );
    // A status no HTTP API answers with (a hostile or broken server) is not passed on as an answer.
    if (sent.status < 200 || sent.status > 599)
      throw new RequestProblem({
        code: 'BAD_STATUS',
        reason: `the server answered with status ${sent.status}, which no HTTP API answers with`,
        hint: 'Check the URL: is it the GitHub REST API?',
        retryable: false,
      });
    return answer(url, sent.status, sent.headers, sent.body);
  };
  return bounded as unknown as typeof fetch;
}

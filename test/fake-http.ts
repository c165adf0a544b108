// A scripted HttpClient for the logic behind API calls: it records every request exactly as the code built it
// and answers with the next reply of the script, so a test sees method, URL, headers and body without a server.
import type { HttpClient, HttpHeaders, HttpRequest, HttpResponse } from '../src/http.js';

export interface Reply {
  status: number;
  /** Parsed JSON (an object) or text, as HttpResponse.body holds it. */
  body?: unknown;
  /** The Date header, as servers send it: an HTTP date. */
  date?: string;
  headers?: Record<string, string>;
}

function headersOf(values: Record<string, string>): HttpHeaders {
  const lower = new Map(Object.entries(values).map(([name, value]) => [name.toLowerCase(), value]));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

/** The HttpResponse the real client would give for `reply`. */
export function response({ status, body = '', date, headers = {} }: Reply): HttpResponse {
  return {
    status,
    headers: headersOf({ ...headers, ...(date === undefined ? {} : { date }) }),
    body,
    date: date === undefined ? undefined : new Date(date),
    attempts: 1,
  };
}

/**
 * Answers the n-th request with the n-th entry of `script`; an Error entry is thrown, as the client throws
 * HttpError. A request beyond the script is answered with an error too, and shows up in `requests`.
 */
export function fakeHttp(...script: (Reply | Error)[]) {
  const requests: HttpRequest[] = [];
  const http: HttpClient = {
    async request(request) {
      requests.push(request);
      const next = script[requests.length - 1];
      if (next === undefined) throw new Error(`unscripted request: ${request.method} ${String(request.url)}`);
      if (next instanceof Error) throw next;
      return response(next);
    },
    async close() {},
  };
  /** "METHOD URL" of each request, in order. */
  const sent = () => requests.map((r) => `${r.method} ${String(r.url)}`);
  return { http, requests, sent };
}

// An answer as the callers see it: the status, headers to look up, and the body already decoded and, when the
// server says it is JSON, parsed. Callers switch on the status and read fields; none of them handles bytes.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** Response headers; `get` is case-insensitive. */
export interface HttpHeaders {
  get(name: string): string | null;
}

export interface HttpResponse {
  status: number;
  headers: HttpHeaders;
  /** Parsed JSON when the response says it is JSON (and parses), else the text ('' when empty). */
  body: unknown;
  /** The server's Date header, for clock-skew corrections. */
  date?: Date;
  /** How many attempts the client made to get this response. */
  attempts?: number;
}

/** The response's headers; repeated ones are joined with ', ', as fetch's Headers does. */
class ResponseHeaders implements HttpHeaders {
  readonly #headers: IncomingHttpHeaders;
  constructor(headers: IncomingHttpHeaders) {
    this.#headers = headers;
  }
  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

// application/json, and the +json types such as GitHub's application/vnd.github+json.
function isJsonType(contentType: string | null): boolean {
  return /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType?.trim() ?? '');
}

// A body that says it is JSON but does not parse (cut short, or an error page with the wrong type) stays text:
// the caller explains the status, and a parse error would hide it.
function parseBody(text: string, contentType: string | null): unknown {
  if (!text || !isJsonType(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseDate(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The body as sent: undone content codings (none are asked for, but a server or proxy may use them anyway). */
async function decodeBody(body: Buffer, contentEncoding: string | null): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding && coding !== 'identity');
  if (!codings.length || !body.length) return body;
  // Loaded only for the rare compressed answer, so a run does not pay for it.
  const zlib = await import('node:zlib');
  let out = body;
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') out = zlib.gunzipSync(out);
    else if (coding === 'deflate') out = out[0] === 0x78 ? zlib.inflateSync(out) : zlib.inflateRawSync(out);
    else if (coding === 'br') out = zlib.brotliDecompressSync(out);
    else break; // An unknown coding: leave the bytes as they are.
  }
  return out;
}

/** The response built from a complete message and its body's bytes; rejects when the body cannot be decoded. */
export async function toHttpResponse(message: IncomingMessage, bytes: Buffer): Promise<HttpResponse> {
  const headers = new ResponseHeaders(message.headers);
  const body = await decodeBody(bytes, headers.get('content-encoding'));
  return {
    status: message.statusCode ?? 0,
    headers,
    body: parseBody(body.toString('utf8'), headers.get('content-type')),
    date: parseDate(headers.get('date')),
  };
}

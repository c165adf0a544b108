// An answer as the providers see it, whichever client fetched it: the status, headers to look up, and the body
// decoded and, when the server says it is JSON, parsed. Providers switch on the status and read fields.

/** Response headers; `get` is case-insensitive. */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface ApiResponse {
  status: number;
  headers: HeaderLookup;
  /** Parsed JSON when the response says it is JSON (and parses), else the text ('' when empty). */
  body: unknown;
  /** The server's Date header, for clock-skew corrections. */
  date?: Date;
}

type HeaderValue = string | number | string[] | undefined;

/** Headers from a record of the shapes Node and octokit use; repeated ones joined with ', ', as fetch does. */
export function headerLookup(headers: Record<string, HeaderValue>): HeaderLookup {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) lower.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value));
  return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

/**
 * Text from a server (or a library quoting one) as a message may show it: one line, no control characters,
 * whitespace runs as one space, at most `max` characters with '…' at the cut. Not a string: ''.
 */
export function serverText(value: unknown, max = 300): string {
  if (typeof value !== 'string') return '';
  // \p{Cc}: U+0000-U+001F and U+007F-U+009F, CR, LF and NEL among them.
  const line = value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

// application/json, and the +json types such as GitHub's application/vnd.github+json.
function isJsonType(contentType: string | null): boolean {
  return /^application\/([a-z0-9.+-]*\+)?json\b/i.test(contentType?.trim() ?? '');
}

/**
 * A body that says it is JSON but does not parse (cut short, or an error page with the wrong type) stays text:
 * the caller explains the status, and a parse error would hide it.
 */
export function parseBody(text: string, contentType: string | null): unknown {
  if (!text || !isJsonType(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function parseDate(value: string | null): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The answer from its status, headers and body text. */
export function apiResponse(status: number, headers: HeaderLookup, text: string): ApiResponse {
  return {
    status,
    headers,
    body: parseBody(text, headers.get('content-type')),
    date: parseDate(headers.get('date')),
  };
}

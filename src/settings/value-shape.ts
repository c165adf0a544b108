// What a message may show of a value: a short, one-line, harmless value is quoted; a key, a token, a JWT, a
// long or multi-line text is described instead (what it looks like, how long it is), never quoted. The edges
// also mask every value shaped like a secret before they write anything, and take such text out of any
// message they write, whoever built it.
import { hideUserinfo, showUrlText } from '../http/url.js';
import { pemPieces } from '../keys/private-key.js';

/** Longer values are described, not quoted: a message quotes what the user can recognise at a glance. */
const QUOTE_LIMIT = 80;

/** Runs of text shaped like a secret, wherever they are in a text; `kind` is what a message calls them. */
const SECRET_RUNS: { kind: string; pattern: RegExp }[] = [
  // A PEM block, armor oddities included (lowercase, four dashes), with a body (after any `Name: value`
  // headers, base64), up to its END line or the end of the text. An armor line alone (a message saying what one
  // should read) holds nothing secret.
  {
    kind: 'a PEM block',
    pattern:
      /-{2,}[ \t]*begin\b[^\n]*?-{2,}(?:\s*[\w-]+:[^\n]*)*\s*[A-Za-z0-9+/=]{16,}[\s\S]*?(?:-{2,}[ \t]*end\b[^\n]*?-{2,}|$)/gi,
  },
  // "-----BEGIN" base64-encoded: the whole PEM file pasted as base64.
  { kind: 'a base64-encoded PEM', pattern: /LS0tLS1CRUdJT[A-Za-z0-9+/=\s]*/g },
  // GitHub's tokens: a prefix, then no fixed length or alphabet (installation tokens grew longer in 2026).
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]|github_pat)_[^\s'"`<>()[\]{},;:@]{8,}/g },
  // A JWT: its header is base64url JSON, which always starts with eyJ ('{"').
  { kind: 'a JWT', pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g },
  { kind: 'an Authorization header value', pattern: /\b(?:Bearer|Basic)[ \t]+[A-Za-z0-9._~+/=-]{8,}/gi },
  // Other services' well-known token prefixes: npm, GitLab, Slack, AWS access keys.
  { kind: 'a token', pattern: /\b(?:npm_[A-Za-z0-9]{20,}|glpat-[A-Za-z0-9_-]{16,}|xox[abprs]-[A-Za-z0-9-]{10,})/g },
  { kind: 'an AWS access key ID', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
];

/**
 * What a whole value looks like when it looks like a secret: the words a message uses, or undefined. `loose`
 * (the default) counts a long mixed-case string of letters and digits too, as API secrets are; leave it out where
 * an ordinary value can have that shape (a file path, a repository name) and a mistake would cost (a mask).
 */
export function secretKind(value: string, loose = true): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  if (/-{2,}[ \t]*begin\b[^\n]*private[ _]key/i.test(text)) return 'a PEM private key';
  if (/^PuTTY-User-Key-File/.test(text)) return 'a PuTTY private key';
  for (const { kind, pattern } of SECRET_RUNS) {
    pattern.lastIndex = 0;
    if (pattern.test(text)) return kind === 'a PEM block' ? 'a PEM block (a key or certificate)' : kind;
  }
  // A GitHub App's client secret, a classic OAuth token: 40 hexadecimal digits.
  if (/^[0-9a-f]{40}$/i.test(text)) return 'something shaped like a client secret';
  if (!loose) return undefined;
  // A long random string: letters of both cases and digits, no spaces, as API secrets are.
  if (/^[A-Za-z0-9+/=_.~-]{32,}$/.test(text) && /[a-z]/.test(text) && /[A-Z]/.test(text) && /\d/.test(text))
    return 'something shaped like a secret';
  return undefined;
}

function size(value: string): string {
  const lines = value.trim().split(/\r\n|\r|\n/).length;
  const characters = `${value.trim().length} character${value.trim().length === 1 ? '' : 's'}`;
  return lines > 1 ? `${lines} lines, ${characters}` : characters;
}

/**
 * The value as a message may show it: `'value'` when it is short, on one line and nothing like a secret; else
 * what it is, e.g. "a PEM private key (28 lines, 1675 characters)", "a GitHub token (40 characters)",
 * "a value of 3 lines (52 characters)", "a URL with a query string ('https://example.com/x')".
 */
export function showValue(value: string): string {
  const kind = secretKind(value);
  if (kind) return `${kind} (${size(value)})`;
  const text = value.trim();
  if (/[\r\n\u2028\u2029\u0085]/.test(text)) return `a value of ${size(text)}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && /[@?#]/.test(text)) {
    const parts = [
      hideUserinfo(text) !== text ? 'a user name or password' : '',
      /\?/.test(hideUserinfo(text)) ? 'a query string' : '',
      /#/.test(hideUserinfo(text)) ? 'a fragment' : '',
    ].filter(Boolean);
    const shown = showUrlText(text);
    return `a URL with ${parts.join(' and ')} ('${shown.length > QUOTE_LIMIT ? `${shown.slice(0, QUOTE_LIMIT)}…` : shown}')`;
  }
  // Control characters and invisible direction marks would make the quote lie about what the value holds.
  if (/[\p{Cc}\u200B-\u200F\u202A-\u202E\u2066-\u2069]/u.test(text))
    return `a value of ${size(text)} with control or invisible characters`;
  if (text.length > QUOTE_LIMIT) return `a value of ${size(text)}`;
  return `'${text}'`;
}

/** Every form of a secret-shaped value a log could show, for the runner to mask: the whole, its lines, its tokens. */
export function secretPieces(value: string): string[] {
  const text = value.trim();
  // Only shapes with a marker: a mask on an ordinary value (a long repository name) would blot it out of every line.
  const kind = secretKind(text, false);
  if (!kind) return [];
  // A key, line by line, as the private-key input's own masks are (the runner masks one line per mask).
  if (/PEM|PuTTY/.test(kind)) return pemPieces(value);
  const pieces = [text];
  for (const { pattern } of SECRET_RUNS.slice(2))
    for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags))) pieces.push(match[0].trim());
  for (const token of pieces.filter((p) => /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(p)))
    pieces.push(token.slice(token.lastIndexOf('.') + 1));
  return [...new Set(pieces)].filter((piece) => piece.length >= 8 && !/[\r\n]/.test(piece));
}

/** The text with every secret-shaped run in it replaced by what it is, e.g. "[a GitHub token, not shown]". */
export function redactSecretShapes(text: string): string {
  let out = text;
  for (const { kind, pattern } of SECRET_RUNS) out = out.replace(pattern, `[${kind}, not shown]`);
  // A URL in a message never shows a user name, password, query string or fragment.
  return out.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => {
    const trailing = /[.,;:)\]]+$/.exec(url)?.[0] ?? '';
    const bare = url.slice(0, url.length - trailing.length);
    return `${showUrlText(bare)}${trailing}`;
  });
}

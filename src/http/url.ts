// URLs as messages may show them, and as requests are built from an API base.
import { isIP } from 'node:net';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && host === '::1';
}

/** The URL as it may be shown: without user name, password, query or fragment, which can hold secrets. */
export function showUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * A URL-ish text with any 'user:password@' part replaced by '***@', for messages about text that may not parse.
 * In a URL that parses, the user info ends at the last '@' before the path; in one that does not (a password
 * holding '/', '#' or '?'), everything up to the last '@' is hidden: a message may show too little, never a
 * password.
 */
export function hideUserinfo(text: string): string {
  const prefix = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.exec(text)?.[0] ?? '';
  let parses = false;
  try {
    parses = !!prefix && !!new URL(text).host;
  } catch {
    parses = false;
  }
  const rest = text.slice(prefix.length);
  const authority = parses ? rest.split(/[/?#\\]/)[0] : rest;
  const at = authority.lastIndexOf('@');
  return at < 0 ? text : `${prefix}***@${rest.slice(at + 1)}`;
}

/** A URL-ish text as a message may show it, parsed or not: no user name or password, no query, no fragment. */
export function showUrlText(text: string): string {
  return hideUserinfo(text.trim()).replace(/[?#][\s\S]*$/, '');
}

/** `base` + `path`, keeping the base's path prefix: joinUrl('https://ghe/api/v3', '/app') → https://ghe/api/v3/app */
export function joinUrl(base: URL | string, path: string): string {
  const url = typeof base === 'string' ? new URL(base) : base;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

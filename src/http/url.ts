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

/** A URL-ish text with any 'user:password@' part replaced, for messages about text that did not parse. */
export function hideUserinfo(text: string): string {
  return text.replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/@\s]*@/i, '$1***@');
}

/** `base` + `path`, keeping the base's path prefix: joinUrl('https://ghe/api/v3', '/app') → https://ghe/api/v3/app */
export function joinUrl(base: URL | string, path: string): string {
  const url = typeof base === 'string' ? new URL(base) : base;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

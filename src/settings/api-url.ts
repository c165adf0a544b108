import { InputError } from '../errors.js';
import { hideUserinfo, isLoopbackHost, showUrl, showUrlText } from '../http/url.js';
import { secretKind, showValue } from './value-shape.js';

function withoutTrailingSlash(url: URL): string {
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Parses an API base URL input: https, or http for loopback only (local emulators); a path such as /api/v3
 * is kept and a trailing slash dropped.
 */
export function parseApiUrl(value: string, inputName: string): URL {
  const text = value.trim();
  if (!text) throw new InputError(inputName, 'is empty. Set it to the API base URL, starting with https://.');
  // A value that is no URL at all (a token, a key, several lines) is described, never quoted.
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  // (A user:token@host text, or one with a token in its query, goes on: the message shows it without them.)
  if ((!hasScheme && secretKind(showUrlText(text))) || /\s/.test(text))
    throw new InputError(
      inputName,
      `holds ${showValue(text)}, not a URL. Set it to the API base URL, starting with https://.`,
    );
  // Shown parsed or not: without user name, password, query or fragment.
  const shownText = showUrlText(text);
  if (!hasScheme)
    throw new InputError(
      inputName,
      `'${shownText}' has no scheme. Write the URL in full: https://${shownText.replace(/^\/+/, '')}`,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(
      inputName,
      `'${shownText}' is not a valid URL${shownText.length < hideUserinfo(text).length ? ' (its query string or fragment not shown)' : ''}. Write it like https://ghe.example.com/api/v3.`,
    );
  }
  const shown = showUrl(url).replace(/\/$/, '');
  if (url.username || url.password)
    throw new InputError(
      inputName,
      `'${shown.replace('//', '//***@')}' holds a user name or password. Credentials in a URL end up in logs; remove the 'user:password@' part (the action sends its own Authorization header).`,
    );
  if (url.search || url.hash)
    throw new InputError(
      inputName,
      `'${shown}' has a query string or fragment. Give only the base URL: ${withoutTrailingSlash(url)}`,
    );
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    throw new InputError(
      inputName,
      `'${shown}' is not https: the action sends credentials to this URL, so it must be https (plain http is accepted only for loopback addresses such as localhost, 127.0.0.1 and [::1], for local test servers). Use ${withoutTrailingSlash(url).replace(/^http:/, 'https:')}`,
    );
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(inputName, `'${shown}' uses ${url.protocol.slice(0, -1)}; only https:// URLs are supported.`);
  url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  return url;
}

/** The API base from an input, as parseApiUrl checks it, without a trailing slash: ready for joinUrl. */
export function parseApiBase(value: string, inputName: string): string {
  return withoutTrailingSlash(parseApiUrl(value, inputName));
}

// Which proxy a request goes through is the toolkit's decision (@actions/http-client: https_proxy/HTTPS_PROXY for
// https URLs, http_proxy/HTTP_PROXY for http ones, no_proxy/NO_PROXY, loopback always direct), so a workflow
// that works for other actions works here too. What is added here: a proxy setting the toolkit cannot use
// (SOCKS, not a URL) fails the request before it is sent, in words that never quote the value. Going direct
// instead could leak the request past a proxy the workflow's author relies on.
import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';
import { RequestProblem } from './failure.js';

export interface ProxyChoice {
  /** The environment variable the proxy came from, for messages. */
  variable: string;
  url: URL;
}

/** The proxy as it may be shown: scheme, host and port, never the credentials. */
export function describeProxy(proxy: ProxyChoice): string {
  return `${proxy.url.protocol}//${proxy.url.host}`;
}

function settingProblem(reason: string, hint: string): RequestProblem {
  return new RequestProblem({ code: 'PROXY', reason, hint, retryable: false, notSent: true });
}

/**
 * The proxy the toolkit will use for `target`, or undefined to connect directly; throws for an unusable one. The
 * toolkit reads process.env (and so does this): there is no other environment to hand it.
 */
export function chooseProxy(target: URL): ProxyChoice | undefined {
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = names.find((name) => process.env[name]);
  if (!variable || checkBypass(target)) return undefined;
  const unusable = settingProblem(
    `${variable} is set but is not a proxy URL this action can use`,
    'Set it like http://proxy.example.com:3128 (or http://user:password@proxy.example.com:3128), or unset it.',
  );
  let url: URL | undefined;
  try {
    url = getProxyUrl(target);
  } catch {
    throw unusable;
  }
  // The toolkit reads a value that starts with http:// but does not parse as no proxy at all, and goes direct.
  if (!url) throw unusable;
  if (/^socks[a-z0-9]*:$/.test(url.protocol))
    throw settingProblem(
      `${variable} is a SOCKS proxy (${url.protocol}//${url.host}), and SOCKS proxies are not supported`,
      `Use an HTTP(S) proxy URL (e.g. http://proxy:3128), or add ${target.hostname} to NO_PROXY.`,
    );
  if (!['http:', 'https:'].includes(url.protocol) || !url.hostname) throw unusable;
  return { variable, url };
}

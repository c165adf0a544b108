// Which proxy a request goes through, by the conventions of the runner and @actions/http-client: https URLs use
// https_proxy/HTTPS_PROXY, http URLs http_proxy/HTTP_PROXY (no fallback from one to the other, as curl and
// git); no_proxy/NO_PROXY lists hosts (with their subdomains), host:port, .suffix, *.suffix, IPv4 CIDR ranges,
// or * for all. Only HTTP(S) proxies: that is all the runner and its toolkit speak, so a workflow that works
// for other steps works here too.
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { RequestProblem } from './http-failure.js';

type Env = Record<string, string | undefined>;

export interface ProxyChoice {
  /** The environment variable the proxy came from, for messages. */
  variable: string;
  url: URL;
}

function firstSet(env: Env, names: string[]): string | undefined {
  return names.find((name) => env[name]?.trim());
}

function splitHostPort(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : undefined };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort) return { host: withPort[1], port: Number(withPort[2]) };
  return { host: entry };
}

/** Whether NO_PROXY (the value given) sends requests to `target` directly. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(entry);
    if (cidr) {
      if (isIP(host) !== 4 || isIP(cidr[1]) !== 4 || Number(cidr[2]) > 32) continue;
      const range = new BlockList();
      range.addSubnet(cidr[1], Number(cidr[2]), 'ipv4');
      if (range.check(host, 'ipv4')) return true;
      continue;
    }
    const parsed = splitHostPort(entry);
    if (parsed.port !== undefined && parsed.port !== port) continue;
    const name = parsed.host.replace(/^\*?\./, '').replace(/\.$/, '');
    if (name && (host === name || host.endsWith(`.${name}`))) return true;
  }
  return false;
}

/** The proxy as it may be shown: scheme, host and port, never the credentials. */
export function describeProxy(proxy: ProxyChoice): string {
  return `${proxy.url.protocol}//${proxy.url.host}`;
}

function settingProblem(reason: string, hint: string): RequestProblem {
  return new RequestProblem({ code: 'PROXY', reason, hint, retryable: false });
}

// A value that cannot be used fails the request before it is sent: going direct instead could leak the request
// past a proxy the workflow's author relies on, or hang where only the proxy gets through.
function parseProxyUrl(value: string, variable: string, target: URL): URL {
  const text = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  if (url?.hostname && /^socks[a-z0-9]*:$/.test(url.protocol))
    throw settingProblem(
      `${variable} is a SOCKS proxy (${url.protocol}//${url.host}), and SOCKS proxies are not supported`,
      `Use an HTTP(S) proxy URL (e.g. http://proxy:3128), or add ${target.hostname} to NO_PROXY.`,
    );
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname)
    throw settingProblem(
      `${variable} is set but is not a proxy URL this action can use`,
      'Set it like http://proxy.example.com:3128 (or http://user:password@proxy.example.com:3128), or unset it.',
    );
  return url;
}

/**
 * The proxy a request to `target` goes through under `env`, or undefined to connect directly. Throws a
 * RequestProblem (code PROXY) for a proxy variable this client cannot use; the message never quotes its value.
 */
export function chooseProxy(target: URL, env: Env): ProxyChoice | undefined {
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = firstSet(env, names);
  if (!variable) return undefined;
  const noProxyName = firstSet(env, ['no_proxy', 'NO_PROXY']);
  if (noProxyName && bypassesProxy(target, env[noProxyName] ?? '')) return undefined;
  return { variable, url: parseProxyUrl(env[variable] ?? '', variable, target) };
}

// Keep-alive, so the requests of a run share connections. Idle sockets are unref'd by Node, so they never keep
// the process alive, and are closed after 4 s, before servers tend to drop them.
const AGENT_OPTIONS: AgentOptions = { keepAlive: true, timeout: 4000 };

export interface AgentPool {
  /** The agent for requests to `target` through `proxy`; throws a RequestProblem when Node refuses the proxy. */
  agentFor(target: URL, proxy: ProxyChoice | undefined): HttpAgent;
  /** Closes every pooled connection. */
  destroy(): void;
}

/**
 * One agent per scheme and proxy, made on first use and reused, so connections are kept alive. The proxying
 * itself is Node's (the agent option proxyEnv), given just the chosen proxy: chooseProxy has applied NO_PROXY.
 */
export function createAgentPool(): AgentPool {
  const agents = new Map<string, HttpAgent>();
  return {
    agentFor(target, proxy) {
      const key = `${target.protocol} ${proxy ? proxy.url.href : 'direct'}`;
      let agent = agents.get(key);
      if (agent) return agent;
      try {
        agent =
          target.protocol === 'https:'
            ? new HttpsAgent({ ...AGENT_OPTIONS, proxyEnv: proxy ? { HTTPS_PROXY: proxy.url.href } : {} })
            : new HttpAgent({ ...AGENT_OPTIONS, proxyEnv: proxy ? { HTTP_PROXY: proxy.url.href } : {} });
      } catch {
        // Node's message would quote the proxy URL, password included.
        throw new RequestProblem({
          code: 'PROXY',
          reason: `${proxy?.variable} holds a proxy URL Node cannot use`,
          retryable: false,
        });
      }
      agents.set(key, agent);
      return agent;
    },
    destroy() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}

// A small real forward proxy for the tests: absolute-URI HTTP requests are forwarded, CONNECT requests get a
// TCP tunnel, and every request is recorded before it is forwarded. `hosts` maps host names to the address to
// really connect to, so a client can be sent to https://api.github.test:PORT (a name that proxy-aware clients
// do not bypass the way they bypass loopback hosts) and still reach an emulator on 127.0.0.1:PORT. The record
// keeps the name the client asked for.
//
//   node test/proxy.ts [port]   first stdout line: {"port":…,"url":"http://127.0.0.1:…"}; then one JSON line
//                               per forwarded request ({"method":"GET","url":"http://…"} or CONNECT host:port).
//                               PROXY_HOSTS='{"api.github.test":"127.0.0.1"}' sets `hosts`.
//   startProxy()                the same in-process: { url, port, seen, close }
import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  /** The absolute URI, or host:port for CONNECT. */
  url: string;
  /** The Proxy-Authorization header, when the client sent one. */
  proxyAuthorization?: string;
}

export interface RunningProxy {
  url: string;
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'upgrade'];

function forwardedHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.includes(name)) out[name] = value;
  return out;
}

function splitHostPort(authority: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
  return match ? { host: match[1], port: Number(match[2]) } : { host: authority, port: 443 };
}

export interface ProxyOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Called for each request as it is recorded. */
  onRequest?: (seen: SeenRequest) => void;
  /**
   * Host name (case-insensitive) to the address really connected to, e.g. { 'api.github.test': '127.0.0.1' },
   * for CONNECT tunnels and absolute-URI forwards alike. Other hosts are connected to as named. An address with
   * a port ('127.0.0.1:8443', '[::1]:8443') replaces the port asked for too: for clients that always go to a
   * fixed host on 443 (Google's token endpoint), reaching an emulator on a free port.
   */
  hosts?: Record<string, string>;
}

/** PROXY_HOSTS as the CLI reads it: a JSON object of host name to address; undefined when unset or empty. */
export function parseProxyHosts(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const parsed: unknown = JSON.parse(text);
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((value) => typeof value === 'string');
  if (!valid) throw new Error(`PROXY_HOSTS must be a JSON object of host name to address, not ${text}`);
  return parsed as Record<string, string>;
}

export async function startProxy(options: ProxyOptions = {}): Promise<RunningProxy> {
  const seen: SeenRequest[] = [];
  const hosts = new Map(Object.entries(options.hosts ?? {}).map(([name, address]) => [name.toLowerCase(), address]));
  const resolve = (host: string, port: number): { host: string; port: number } => {
    const mapped = hosts.get(host.toLowerCase());
    if (mapped === undefined) return { host, port };
    const withPort = /^\[?([^\]]+?)\]?:(\d+)$/.exec(mapped);
    return withPort && (mapped.startsWith('[') || !withPort[1].includes(':'))
      ? { host: withPort[1], port: Number(withPort[2]) }
      : { host: mapped, port };
  };
  const tunnels = new Set<Socket>();
  const record = (method: string, url: string, headers: IncomingHttpHeaders): void => {
    const entry: SeenRequest = { method, url };
    if (headers['proxy-authorization']) entry.proxyAuthorization = headers['proxy-authorization'];
    seen.push(entry);
    options.onRequest?.(entry);
  };

  const server = createServer((req, res) => {
    const url = req.url ?? '';
    if (!/^http:\/\//i.test(url)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This proxy takes absolute-URI requests only.\n');
      return;
    }
    record(req.method ?? 'GET', url, req.headers);
    const target = new URL(url);
    // The Host header the client sent goes on unchanged: only the connection goes elsewhere.
    const to = resolve(target.hostname.replace(/^\[|\]$/g, ''), Number(target.port || 80));
    const request = { method: req.method, hostname: to.host, port: to.port, headers: forwardedHeaders(req.headers) };
    const upstream = forward(url, request, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`Proxy could not reach ${url}: ${error.message}\n`);
    });
    req.pipe(upstream);
  });

  server.on('connect', (req, client: Socket, head: Buffer) => {
    const authority = req.url ?? '';
    record('CONNECT', authority, req.headers);
    const asked = splitHostPort(authority);
    const { host, port } = resolve(asked.host, asked.port);
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(client).add(upstream);
    const forget = () => {
      tunnels.delete(client);
      tunnels.delete(upstream);
    };
    upstream.on('error', () => {
      if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    client.on('error', () => upstream.destroy());
    client.on('close', () => {
      upstream.destroy();
      forget();
    });
    upstream.on('close', () => {
      client.destroy();
      forget();
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (import.meta.main) {
  const port = process.argv[2] ? Number(process.argv[2]) : 0;
  const proxy = await startProxy({
    port,
    hosts: parseProxyHosts(process.env.PROXY_HOSTS),
    onRequest: (seen) => process.stdout.write(`${JSON.stringify(seen)}\n`),
  });
  process.stdout.write(`${JSON.stringify({ port: proxy.port, url: proxy.url })}\n`);
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

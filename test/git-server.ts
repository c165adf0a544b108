/**
 * A local smart-HTTP git server, as GitHub serves repositories over https: node:http on 127.0.0.1 in front of
 * the real `git http-backend` (CGI) over bare repositories it creates (`owner/name.git`, one commit on main).
 * Every request needs `Authorization: Basic` with a token as password (any user name, as GitHub takes
 * `x-access-token`), which a callback checks (the tests ask the GitHub emulator whether the token is live and
 * reaches that repository); otherwise 401 with `WWW-Authenticate: Basic realm="GitHub"`, so git asks its
 * credential helper.
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only, local imports with `.ts`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatedInstallation, GitHubEmulator } from './emulators/github.ts';

export interface GitRequest {
  method: string;
  /** Path and query, as git asked. */
  path: string;
  status: number;
  /** The password git sent, if any. */
  token?: string;
}

export interface GitServer {
  /** `http://127.0.0.1:<port>`: what GITHUB_SERVER_URL is set to. */
  url: string;
  /** The folder holding `<owner>/<name>.git`. */
  root: string;
  requests: GitRequest[];
  /** The repository's commits on a branch, newest first: `<author name> <<email>>|<subject>`. */
  log(repository: string, branch?: string): string[];
  close(): Promise<void>;
}

export interface GitServerOptions {
  /** `owner/name`, e.g. `org-a/api`: each is made a bare repository with one commit on main. */
  repositories: string[];
  /** Whether this token may reach this repository (names as the request spells them, `.git` dropped). */
  authorize(token: string, owner: string, repo: string): boolean;
}

/** git with a clean config: nothing of the test's HOME or the system's config applies. */
function gitEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Seed',
    GIT_AUTHOR_EMAIL: 'seed@example.com',
    GIT_COMMITTER_NAME: 'Seed',
    GIT_COMMITTER_EMAIL: 'seed@example.com',
  };
}

function runGit(args: string[], env: NodeJS.ProcessEnv, input?: string): string {
  const result = spawnSync('git', args, { env, input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr || result.error}`);
  return result.stdout.trim();
}

/** A bare repository with one commit on main (a README), made with plumbing: no work tree needed. */
function makeRepository(path: string, env: NodeJS.ProcessEnv, name: string): void {
  runGit(['init', '--quiet', '--bare', '--initial-branch=main', path], env);
  const dir = ['--git-dir', path];
  const blob = runGit([...dir, 'hash-object', '-w', '--stdin'], env, `# ${name}\n`);
  const tree = runGit([...dir, 'mktree'], env, `100644 blob ${blob}\tREADME.md\n`);
  const commit = runGit([...dir, 'commit-tree', tree, '-m', 'Initial commit'], env);
  runGit([...dir, 'update-ref', 'refs/heads/main', commit], env);
}

/** The password of `Authorization: Basic`, or undefined. */
function basicPassword(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1) || undefined;
}

/**
 * Splits a CGI answer into its headers and the rest. git http-backend ends headers with \r\n\r\n; a bare
 * \n\n is taken too, as CGI allows.
 */
function splitCgiHead(buffer: Buffer): { head: string; rest: Buffer } | undefined {
  for (const separator of ['\r\n\r\n', '\n\n']) {
    const at = buffer.indexOf(separator);
    if (at >= 0)
      return { head: buffer.subarray(0, at).toString('latin1'), rest: buffer.subarray(at + separator.length) };
  }
  return undefined;
}

export async function startGitServer(options: GitServerOptions): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), 'app-jwt-git-server-'));
  const home = join(root, '.home');
  mkdirSync(home);
  const env = gitEnv(home);
  for (const repository of options.repositories) {
    const [owner, name] = repository.split('/');
    mkdirSync(join(root, owner), { recursive: true });
    makeRepository(join(root, owner, `${name}.git`), env, repository);
  }
  const requests: GitRequest[] = [];

  function answer(
    request: IncomingMessage,
    response: ServerResponse,
    record: GitRequest,
    status: number,
    text: string,
  ) {
    record.status = status;
    response.writeHead(status, {
      'content-type': 'text/plain',
      ...(status === 401 && { 'www-authenticate': 'Basic realm="GitHub"' }),
    });
    response.end(text);
    request.resume();
  }

  function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const token = basicPassword(request.headers.authorization);
    const record: GitRequest = { method: request.method ?? 'GET', path: url.pathname + url.search, status: 0, token };
    requests.push(record);
    const match = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(url.pathname);
    if (!match) return answer(request, response, record, 404, 'Not Found\n');
    const [, owner, repo] = match;
    if (!token || !options.authorize(token, owner, repo))
      return answer(request, response, record, 401, 'Invalid username or token.\n');

    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname.replace(/^(\/[^/]+\/[^/]+?)(?:\.git)?\//, '$1.git/'),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: request.method ?? 'GET',
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-length'] && { CONTENT_LENGTH: request.headers['content-length'] }),
        ...(request.headers['content-encoding'] && { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] }),
        ...(request.headers['git-protocol'] && { GIT_PROTOCOL: String(request.headers['git-protocol']) }),
        // Authenticated: http-backend then allows receive-pack (pushes).
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    request.pipe(cgi.stdin);
    cgi.stdin.on('error', () => {});
    let stderr = '';
    cgi.stderr.on('data', (chunk) => (stderr += chunk));
    let pending: Buffer = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      const split = splitCgiHead(pending);
      if (!split) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of split.head.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
        else headers[name] = value;
      }
      record.status = status;
      response.writeHead(status, headers);
      headersSent = true;
      if (split.rest.length) response.write(split.rest);
    });
    cgi.on('error', (error) => {
      if (!headersSent) answer(request, response, record, 500, `git http-backend: ${error.message}\n`);
      else response.destroy(error);
    });
    cgi.on('close', (code) => {
      if (headersSent) response.end();
      else answer(request, response, record, 500, `git http-backend exited with ${code}: ${stderr}\n`);
    });
  }

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    root,
    requests,
    log: (repository, branch = 'main') =>
      runGit(['--git-dir', join(root, `${repository}.git`), 'log', '--format=%an <%ae>|%s', branch], env).split('\n'),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The check GitHub makes, asked of the emulator: the token is one it issued, not revoked or expired, for an
 * installation on the repository's account, and reaches that repository (all of the account's, or those listed).
 */
export function emulatorTokenCheck(
  github: GitHubEmulator,
  installations: readonly EmulatedInstallation[],
): GitServerOptions['authorize'] {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return (token, owner, repo) => {
    const issued = github.issuedTokens().find((t) => t.token === token);
    if (!issued || issued.revoked || Date.parse(issued.expiresAt) <= Date.now()) return false;
    const installation = installations.find((i) => i.id === issued.installationId);
    if (!installation || installation.suspended || !same(installation.account.login, owner)) return false;
    if (issued.repositories) return issued.repositories.some((name) => same(name, repo));
    return installation.repositorySelection === 'all' || installation.repositories.some((name) => same(name, repo));
  };
}

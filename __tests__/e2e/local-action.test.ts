// GitHub's own debugger, @github/local-action, runs the action from src/ (main, then post with the state main
// saved) against the GitHub API emulator: the entries export run(), and every runner interaction goes through
// @actions/core, which local-action replaces with its own.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT } from '../../test/action-process.ts';
import { makeTestApp, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';

const { app, privateKeyPem } = makeTestApp({ id: 5151, slug: 'local-bot' });
let github: GitHubEmulator;
const dir = mkdtempSync(join(tmpdir(), 'app-jwt-local-action-'));

beforeAll(async () => {
  github = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 61,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'selected',
        repositories: ['octo-repo'],
        permissions: { contents: 'read', metadata: 'read' },
      },
    ],
  });
});
afterAll(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

async function localAction(env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const file = join(dir, '.env');
  writeFileSync(
    file,
    Object.entries(env)
      .map(([name, value]) => `${name}="${value}"\n`)
      .join(''),
  );
  const bin = join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');
  const child = spawn(NODE24, [bin, 'run', ROOT, 'src/main.ts', file, '--post', 'src/post.ts'], {
    cwd: ROOT,
    env: { PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`, HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout };
}

test('local-action runs main and post from src/: a token is made, its outputs shown, then revoked', async () => {
  const run = await localAction({
    'INPUT_APP-ID': String(app.id),
    'INPUT_PRIVATE-KEY': privateKeyPem.trim(),
    'INPUT_GITHUB-API-URL': github.url,
    INPUT_EXCHANGE: 'true',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
  });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Created an installation token \(installation 61\) for octo-org\/octo-repo/);
  // local-action keeps secrets out of its outputs table; the others are shown.
  expect(run.stdout).toMatch(/'token-type'\s*│\s*'installation'/);
  expect(run.stdout).toMatch(/'installation-id'\s*│\s*'61'/);
  expect(run.stdout).toMatch(/Revoked the installation token/);
  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /repos/octo-org/octo-repo/installation',
    'POST /app/installations/61/access_tokens',
    'DELETE /installation/token',
  ]);
  for (const token of github.issuedTokens()) expect(run.stdout).not.toContain(token.token);
});

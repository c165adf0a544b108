// Times the committed dist/ as the runner starts it, interleaved with `node -e 0` on the same Node 24 binary,
// and reports medians, their ratio, peak memory and bundle sizes. Absolute times on shared machines are
// noise; the ratio to a baseline measured in the same run is the figure to quote.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT } from '../test/action-process.ts';
import { makeTestApp, startGitHubEmulator } from '../test/emulators/github.ts';

const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 15));
const dir = mkdtempSync(join(tmpdir(), 'app-jwt-bench-'));

interface Case {
  name: string;
  args: string[];
  env: Record<string, string>;
}

/** Wall time of one run. Asynchronous, so the in-process emulator keeps answering while the child runs. */
async function timeOnce(c: Case): Promise<number> {
  const start = process.hrtime.bigint();
  const child = spawn(NODE24, c.args, { env: c.env, stdio: ['ignore', 'ignore', 'inherit'] });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (status !== 0) throw new Error(`${c.name} exited with ${status}`);
  return elapsed;
}

/** Peak resident memory of one run, read inside the child at exit (a separate, untimed run). */
async function peakMemoryMiB(c: Case): Promise<number> {
  const hook = `data:text/javascript,process.on('exit',()=>process.getBuiltinModule('fs').writeSync(3,String(process.resourceUsage().maxRSS)))`;
  const child = spawn(NODE24, [`--import=${hook}`, ...c.args], {
    env: c.env,
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  let kib = '';
  child.stdio[3]!.on('data', (chunk) => (kib += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  return Number(kib) / 1024;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function runnerEnv(inputs: Record<string, string>): Record<string, string> {
  const output = join(dir, 'output');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: output,
    GITHUB_STATE: join(dir, 'state'),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/** The floor named in the issue: a bundle that does nothing but import @actions/core. */
function buildCoreFloor(): string {
  const entry = join(ROOT, '.tmp', 'bench-core-floor.js');
  writeFileSync(entry, "import * as core from '@actions/core';\ncore.setSecret('');\n");
  execFileSync(join(ROOT, 'node_modules', '.bin', 'ncc'), [
    'build',
    entry,
    '-o',
    join(dir, 'floor'),
    '--minify',
    '--quiet',
  ]);
  return join(dir, 'floor', 'index.js');
}

const { app, privateKeyPem: privateKey } = makeTestApp({ id: 123456 });
const LATENCY_MS = 50;
const github = await startGitHubEmulator({
  apps: [app],
  latencyMs: LATENCY_MS,
  installations: [
    {
      id: 9001,
      appId: app.id,
      account: { login: 'octo-org', type: 'Organization' },
      repositorySelection: 'all',
      repositories: ['octo-repo'],
      permissions: { contents: 'read', metadata: 'read' },
    },
  ],
});
const exchangeInputs = { 'app-id': '123456', 'private-key': privateKey, 'github-api-url': github.url };
const cases: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'], env: { PATH: process.env.PATH ?? '' } },
  {
    name: 'main, JWT only',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ 'app-id': '123456', 'private-key': privateKey }),
  },
  { name: 'import @actions/core only', args: [buildCoreFloor()], env: { PATH: process.env.PATH ?? '' } },
  {
    name: 'main, token via lookup',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: { ...runnerEnv({ ...exchangeInputs, exchange: 'true' }), GITHUB_REPOSITORY: 'octo-org/octo-repo' },
  },
  {
    name: 'main, installation-id',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: { ...runnerEnv({ ...exchangeInputs, 'installation-id': '9001' }), GITHUB_REPOSITORY: 'octo-org/octo-repo' },
  },
];

for (const c of cases) await timeOnce(c); // warm the file cache
const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
const requests = new Map(cases.map((c) => [c.name, [] as number[]]));
for (let i = 0; i < RUNS; i++)
  for (const c of cases) {
    const before = github.requests.length;
    samples.get(c.name)!.push(await timeOnce(c));
    requests.get(c.name)!.push(github.requests.length - before);
  }

const baseline = median(samples.get('node -e 0')!);
console.log(
  `Node ${execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim()}, ${RUNS} interleaved runs each\n`,
);
console.log(`Exchange cases: the GitHub API emulator adds ${LATENCY_MS} ms to every response.\n`);
console.log('case                        median ms   ratio   peak MiB   requests');
for (const c of cases) {
  const m = median(samples.get(c.name)!);
  const counts = [...new Set(requests.get(c.name))].join('/');
  console.log(
    `${c.name.padEnd(27)} ${m.toFixed(1).padStart(9)} ${(m / baseline).toFixed(2).padStart(7)} ${(await peakMemoryMiB(c)).toFixed(1).padStart(10)} ${counts.padStart(10)}`,
  );
}
console.log('\nbundle                      bytes');
for (const entry of readdirSync(join(ROOT, 'dist'))) {
  for (const file of readdirSync(join(ROOT, 'dist', entry)).filter((f) => f.endsWith('.js'))) {
    console.log(`${join('dist', entry, file).padEnd(27)} ${statSync(join(ROOT, 'dist', entry, file)).size}`);
  }
}
await github.close();

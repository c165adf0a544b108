// Times the committed dist/ as the runner starts it, interleaved with `node -e 0` on the same Node 24 binary,
// and reports medians, their ratio, peak memory and bundle sizes. Absolute times on shared machines are
// noise; the ratio to a baseline measured in the same run is the figure to quote.
import { execFileSync, execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  // The runner creates these files before a step starts; @actions/core refuses to write to missing ones.
  writeFileSync(join(dir, 'state'), '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: output,
    GITHUB_STATE: join(dir, 'state'),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/** The toolkit's floor: a bundle that imports @actions/core and signs a JWT with jsonwebtoken, nothing else. */
function buildCoreFloor(): string {
  const entry = join(ROOT, '.tmp', 'bench-core-floor.js');
  writeFileSync(
    entry,
    [
      "import * as core from '@actions/core';",
      "import jwt from 'jsonwebtoken';",
      'const now = Math.floor(Date.now() / 1000);',
      "const token = jwt.sign({ iat: now - 60, exp: now + 540, iss: 123456 }, core.getInput('private-key'), { algorithm: 'RS256' });",
      'core.setSecret(token);',
      "core.setOutput('token', token);",
      '',
    ].join('\n'),
  );
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

/** The dist of the baseline commit (the last build on the hand-made runner and HTTP client), as committed there. */
const BASELINE = process.env.BENCH_BASELINE ?? 'f65adbf';
function extractBaseline(): string | undefined {
  const out = join(dir, 'baseline');
  try {
    execSync(`git -C ${ROOT} archive ${BASELINE} dist | tar -x -C ${dir} && mv ${join(dir, 'dist')} ${out}`);
    return existsSync(join(out, 'main', 'index.js')) ? out : undefined;
  } catch {
    console.log(`(no baseline: commit ${BASELINE} is not in this clone)`);
    return undefined;
  }
}
const baselineDist = extractBaseline();

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
    {
      id: 9002,
      appId: app.id,
      account: { login: 'other-org', type: 'Organization' },
      repositorySelection: 'all',
      repositories: ['web'],
      permissions: { contents: 'read', metadata: 'read' },
    },
  ],
});
const exchangeInputs = { 'app-id': '123456', 'private-key': privateKey, 'github-api-url': github.url };
const tokenCases = (label: string, distDir: string): Case[] => [
  {
    name: `${label}token via lookup`,
    args: [join(distDir, 'main', 'index.js')],
    env: { ...runnerEnv({ ...exchangeInputs, exchange: 'true' }), GITHUB_REPOSITORY: 'octo-org/octo-repo' },
  },
  {
    name: `${label}installation-id`,
    args: [join(distDir, 'main', 'index.js')],
    env: { ...runnerEnv({ ...exchangeInputs, 'installation-id': '9001' }), GITHUB_REPOSITORY: 'octo-org/octo-repo' },
  },
];
const cases: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'], env: { PATH: process.env.PATH ?? '' } },
  {
    name: 'core + sign (floor)',
    args: [buildCoreFloor()],
    env: runnerEnv({ 'private-key': privateKey }),
  },
  {
    name: 'main, JWT only',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ 'app-id': '123456', 'private-key': privateKey }),
  },
  ...tokenCases('main, ', join(ROOT, 'dist')),
  {
    name: 'main, one account',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ ...exchangeInputs, owner: 'octo-org' }),
  },
  {
    name: 'main, two accounts',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ ...exchangeInputs, owner: 'octo-org, other-org' }),
  },
  {
    name: 'main, one account + bot',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ ...exchangeInputs, owner: 'octo-org', 'bot-identity': 'true' }),
  },
  ...(baselineDist
    ? [
        {
          name: `${BASELINE}, JWT only`,
          args: [join(baselineDist, 'main', 'index.js')],
          env: runnerEnv({ 'app-id': '123456', 'private-key': privateKey }),
        },
        ...tokenCases(`${BASELINE}, `, baselineDist),
      ]
    : []),
];
/** Each case's ratio is to the case named here, measured in the same run. */
const RATIO_TO: Record<string, string> = {
  'main, JWT only': 'core + sign (floor)',
  'main, token via lookup': `${BASELINE}, token via lookup`,
  'main, installation-id': `${BASELINE}, installation-id`,
  'main, two accounts': 'main, one account',
  'main, one account + bot': 'main, one account',
};

for (const c of cases) await timeOnce(c); // warm the file cache
const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
const requests = new Map(cases.map((c) => [c.name, [] as number[]]));
for (let i = 0; i < RUNS; i++)
  for (const c of cases) {
    const before = github.requests.length;
    samples.get(c.name)!.push(await timeOnce(c));
    requests.get(c.name)!.push(github.requests.length - before);
  }

const medianOf = (name: string) => median(samples.get(name)!);
const baseline = medianOf('node -e 0');
console.log(
  `Node ${execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim()}, ${RUNS} interleaved runs each\n`,
);
console.log(`Exchange cases: the GitHub API emulator adds ${LATENCY_MS} ms to every response.\n`);
console.log(
  'case                          median ms  × node -e 0   ratio (to)                      over JWT-only  peak MiB  requests',
);
/** What the token adds to a run of the same dist that only signs: requests, network code, octokit. */
const jwtOnlyOf = (name: string) => (name.startsWith('main, ') ? 'main, JWT only' : `${BASELINE}, JWT only`);
for (const c of cases) {
  const m = medianOf(c.name);
  const counts = [...new Set(requests.get(c.name))].join('/');
  const to = RATIO_TO[c.name];
  const ratio = to && samples.has(to) ? `${(m / medianOf(to)).toFixed(2)} (${to})` : '';
  const jwtOnly = jwtOnlyOf(c.name);
  const over =
    /token|installation-id/.test(c.name) && samples.has(jwtOnly) ? `+${(m - medianOf(jwtOnly)).toFixed(1)} ms` : '';
  console.log(
    `${c.name.padEnd(29)} ${m.toFixed(1).padStart(9)} ${(m / baseline).toFixed(2).padStart(12)}   ${ratio.padEnd(31)} ${over.padStart(13)} ${(await peakMemoryMiB(c)).toFixed(1).padStart(9)} ${counts.padStart(9)}`,
  );
}

function bundleSizes(distDir: string): Map<string, number[]> {
  const sizes = new Map<string, number[]>();
  for (const entry of readdirSync(distDir)) {
    const files = readdirSync(join(distDir, entry)).filter((f) => f.endsWith('.js'));
    const main = statSync(join(distDir, entry, 'index.js')).size;
    const chunks = files.filter((f) => f !== 'index.js').map((f) => statSync(join(distDir, entry, f)).size);
    sizes.set(entry, [main, ...chunks]);
  }
  return sizes;
}
const now = bundleSizes(join(ROOT, 'dist'));
const before = baselineDist ? bundleSizes(baselineDist) : new Map<string, number[]>();
const total = (sizes: number[] = []) => sizes.reduce((a, b) => a + b, 0);
console.log(`\nbundle       index.js (now / ${BASELINE})     with its chunks (now / ${BASELINE})   chunks`);
for (const [entry, sizes] of now) {
  const old = before.get(entry);
  console.log(
    `dist/${entry.padEnd(7)} ${String(sizes[0]).padStart(9)} / ${String(old?.[0] ?? '-').padStart(9)}    ${String(total(sizes)).padStart(11)} / ${String(old ? total(old) : '-').padStart(9)}   ${sizes.length - 1}`,
  );
}
await github.close();
rmSync(dir, { recursive: true, force: true });

// Times the committed dist/ as the runner starts it, interleaved with `node -e 0` on the same Node 24 binary,
// and reports medians, their ratio, peak memory and bundle sizes. Absolute times on shared machines are
// noise; the ratio to a baseline measured in the same run is the figure to quote.
import { execFileSync, execSync, spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT } from '../test/action-process.ts';
import { makeAwsCredential, makeKmsKey, startAwsKmsEmulator } from '../test/emulators/aws-kms.ts';
import {
  makeVaultKey as makeAzureKey,
  startAzureKeyVaultEmulator,
  type EntraApplication,
} from '../test/emulators/azure-key-vault.ts';
import { GOOGLE_HOSTS, makeKeyVersion, makeServiceAccount, startGcpKmsEmulator } from '../test/emulators/gcp-kms.ts';
import { makeTestApp, startGitHubEmulator } from '../test/emulators/github.ts';
import { makeVaultToken, signingPolicy, startVaultEmulator, type VaultTransitKey } from '../test/emulators/vault.ts';
import { startProxy } from '../test/proxy.ts';
import { makeTestCertificates } from '../test/tls.ts';

const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 15));
const dir = mkdtempSync(join(tmpdir(), 'app-jwt-bench-'));

interface Case {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** How many requests the emulators this case talks to have received so far. */
  requests: () => number;
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
const githubRequests = () => github.requests.length;
const none = () => 0;

/** A signing service's emulator holding the app's key, and what a job signed in to it has in its environment. */
interface SigningService {
  kmsKey: string;
  env: Record<string, string>;
  requests: () => number;
  close: () => Promise<void>;
}

// One throwaway CA for all four services (its leaf names Google's hosts and 127.0.0.1): each is served over https,
// as the real service is, and the child trusts the CA through NODE_EXTRA_CA_CERTS.
const certificates = makeTestCertificates(Object.values(GOOGLE_HOSTS));

/** AWS KMS: the variables aws-actions/configure-aws-credentials exports, KMS at AWS_ENDPOINT_URL_KMS. */
async function startAwsKms(): Promise<SigningService> {
  const signer = makeAwsCredential({ name: 'gha-signer' });
  const key = makeKmsKey('RSA_2048', {
    privateKey,
    aliases: ['alias/github-app'],
    allow: { [signer.principal]: ['kms:Sign', 'kms:GetPublicKey'] },
  });
  const kms = await startAwsKmsEmulator({ keys: [key], credentials: [signer], tls: certificates });
  return {
    kmsKey: 'awskms:///alias/github-app',
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: signer.accessKeyId,
      AWS_SECRET_ACCESS_KEY: signer.secretAccessKey,
      AWS_SESSION_TOKEN: signer.sessionToken!,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_KMS: kms.url,
    },
    requests: () => kms.requests.length,
    close: () => kms.close(),
  };
}

/**
 * Cloud KMS: the service account key file google-github-actions/auth writes; google-auth-library goes to Google's
 * own hosts, so the run goes through a proxy that maps them to the emulator.
 */
async function startGcpKms(): Promise<SigningService> {
  const ring = 'projects/octo-kms/locations/global/keyRings/github';
  const version = `${ring}/cryptoKeys/app/cryptoKeyVersions/1`;
  const signer = makeServiceAccount('kms-signer@octo-kms.iam.gserviceaccount.com');
  const gcp = await startGcpKmsEmulator({
    tls: certificates,
    keyVersions: [makeKeyVersion(version, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey })],
    serviceAccounts: [signer.account],
    bindings: [
      { resource: ring, role: 'roles/cloudkms.signerVerifier', members: [`serviceAccount:${signer.account.email}`] },
    ],
  });
  const proxy = await startProxy({ hosts: gcp.proxyHosts() });
  const credentials = join(dir, 'gha-creds-kms-signer.json');
  writeFileSync(credentials, JSON.stringify(signer.keyFile));
  return {
    kmsKey: `gcpkms://${version}`,
    env: { GOOGLE_APPLICATION_CREDENTIALS: credentials, HTTPS_PROXY: proxy.url },
    requests: () => gcp.requests.length,
    close: async () => {
      await proxy.close();
      await gcp.close();
    },
  };
}

/** Azure Key Vault: a client-secret login's variables, Entra ID at AZURE_AUTHORITY_HOST, no Azure CLI on PATH. */
async function startAzureKeyVault(): Promise<SigningService> {
  const tenantId = '7f3c2a10-5b4d-4e6f-8a9b-0c1d2e3f4a5b';
  const signer: EntraApplication = {
    clientId: '3d2c1b0a-9f8e-4d7c-b6a5-948372615041',
    secrets: ['Kv8Q~signer.client-secret-value_0123456789'],
    keyPermissions: { '*': ['get', 'sign'] },
  };
  const azure = await startAzureKeyVaultEmulator({
    tls: certificates,
    tenantId,
    applications: [signer],
    keys: [makeAzureKey('github-app', { privateKey })],
  });
  const emptyPath = join(dir, 'bin-empty');
  mkdirSync(emptyPath);
  return {
    kmsKey: `azurekms://${new URL(azure.vaultUrl).host}/github-app`,
    env: {
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: signer.clientId,
      AZURE_CLIENT_SECRET: signer.secrets![0],
      AZURE_AUTHORITY_HOST: azure.authorityHost,
      PATH: emptyPath,
    },
    // The vault and the login host.
    requests: () => azure.timeline().length,
    close: () => azure.close(),
  };
}

/** HashiCorp Vault's transit engine: VAULT_ADDR and a token that may read the key and sign with it. */
async function startVault(): Promise<SigningService> {
  const token = makeVaultToken();
  const key: VaultTransitKey = {
    name: 'github-app',
    type: 'rsa-2048',
    versions: [
      {
        privateKey: createPrivateKey(privateKey),
        publicKey: createPublicKey(privateKey),
        creationTime: new Date().toISOString(),
      },
    ],
  };
  const vault = await startVaultEmulator({
    keys: [key],
    tokens: [{ token, policies: [signingPolicy('github-app')] }],
    tls: certificates,
  });
  return {
    kmsKey: 'hashivault://github-app',
    env: { VAULT_ADDR: vault.url, VAULT_TOKEN: token },
    requests: () => vault.requests.length,
    close: () => vault.close(),
  };
}

const signingServices: Record<string, SigningService> = {
  awskms: await startAwsKms(),
  gcpkms: await startGcpKms(),
  azurekms: await startAzureKeyVault(),
  hashivault: await startVault(),
};
/** A JWT-only GitHub run that signs with the app's key in a service instead of the PEM. */
const kmsCases: Case[] = Object.entries(signingServices).map(([scheme, service]) => ({
  name: `main, JWT via ${scheme}`,
  args: [join(ROOT, 'dist', 'main', 'index.js')],
  env: {
    ...runnerEnv({ 'app-id': '123456', 'kms-key': service.kmsKey }),
    // The run's own HOME, as on a runner: no profile or credentials file of this machine takes part.
    HOME: dir,
    NODE_EXTRA_CA_CERTS: certificates.caFile,
    ...service.env,
  },
  requests: service.requests,
}));

const exchangeInputs = { 'app-id': '123456', 'private-key': privateKey, 'github-api-url': github.url };
const tokenCases = (label: string, distDir: string): Case[] => [
  {
    name: `${label}token via lookup`,
    args: [join(distDir, 'main', 'index.js')],
    env: { ...runnerEnv({ ...exchangeInputs, exchange: 'true' }), GITHUB_REPOSITORY: 'octo-org/octo-repo' },
    requests: githubRequests,
  },
  {
    name: `${label}installation-id`,
    args: [join(distDir, 'main', 'index.js')],
    env: { ...runnerEnv({ ...exchangeInputs, 'installation-id': '9001' }), GITHUB_REPOSITORY: 'octo-org/octo-repo' },
    requests: githubRequests,
  },
];
const cases: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'], env: { PATH: process.env.PATH ?? '' }, requests: none },
  {
    name: 'core + sign (floor)',
    args: [buildCoreFloor()],
    env: runnerEnv({ 'private-key': privateKey }),
    requests: none,
  },
  {
    name: 'main, JWT only',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ 'app-id': '123456', 'private-key': privateKey }),
    requests: githubRequests,
  },
  ...kmsCases,
  ...tokenCases('main, ', join(ROOT, 'dist')),
  {
    name: 'main, one account',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ ...exchangeInputs, owner: 'octo-org' }),
    requests: githubRequests,
  },
  {
    name: 'main, two accounts',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ ...exchangeInputs, owner: 'octo-org, other-org' }),
    requests: githubRequests,
  },
  {
    name: 'main, one account + bot',
    args: [join(ROOT, 'dist', 'main', 'index.js')],
    env: runnerEnv({ ...exchangeInputs, owner: 'octo-org', 'bot-identity': 'true' }),
    requests: githubRequests,
  },
  ...(baselineDist
    ? [
        {
          name: `${BASELINE}, JWT only`,
          args: [join(baselineDist, 'main', 'index.js')],
          env: runnerEnv({ 'app-id': '123456', 'private-key': privateKey }),
          requests: githubRequests,
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
  ...Object.fromEntries(kmsCases.map((c) => [c.name, 'main, JWT only'])),
};

for (const c of cases) await timeOnce(c); // warm the file cache
const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
const requests = new Map(cases.map((c) => [c.name, [] as number[]]));
for (let i = 0; i < RUNS; i++)
  for (const c of cases) {
    const before = c.requests();
    samples.get(c.name)!.push(await timeOnce(c));
    requests.get(c.name)!.push(c.requests() - before);
  }

const medianOf = (name: string) => median(samples.get(name)!);
const baseline = medianOf('node -e 0');
console.log(
  `Node ${execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim()}, ${RUNS} interleaved runs each\n`,
);
console.log(`Exchange cases: the GitHub API emulator adds ${LATENCY_MS} ms to every response.`);
console.log('kms-key cases: each signing service emulator answers over https with no added latency.\n');
console.log(
  'case                          median ms  × node -e 0   ratio (to)                      over JWT-only  peak MiB  requests',
);
/**
 * What the token adds to a run of the same dist that only signs with the PEM (requests, network code, octokit),
 * or what signing through a service adds (its client, its login and signing requests).
 */
const jwtOnlyOf = (name: string) => (name.startsWith('main, ') ? 'main, JWT only' : `${BASELINE}, JWT only`);
for (const c of cases) {
  const m = medianOf(c.name);
  const counts = [...new Set(requests.get(c.name))].join('/');
  const to = RATIO_TO[c.name];
  const ratio = to && samples.has(to) ? `${(m / medianOf(to)).toFixed(2)} (${to})` : '';
  const jwtOnly = jwtOnlyOf(c.name);
  const over =
    /token|installation-id| via /.test(c.name) && samples.has(jwtOnly)
      ? `+${(m - medianOf(jwtOnly)).toFixed(1)} ms`
      : '';
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
for (const service of Object.values(signingServices)) await service.close();
rmSync(dir, { recursive: true, force: true });

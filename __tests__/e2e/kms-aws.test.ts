// kms-key: awskms://, from the committed dist/ under Node 24, against the AWS KMS emulator and the GitHub and
// Vonage emulators. The key never reaches the runner: the apps are registered with the KMS key's public key.
// The credentials come as aws-actions/configure-aws-credentials exports them; instance metadata is turned off, so
// no test reaches beyond this machine.
import { createPublicKey } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { leaksOf, runAction, transcript, type ActionRun } from '../../test/action-process.ts';
import {
  makeAwsCredential,
  makeKmsKey,
  startAwsKmsEmulator,
  type AwsKmsEmulator,
  type EmulatedAwsCredential,
} from '../../test/emulators/aws-kms.ts';
import { makeTestApp, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';
import { makeVonageApp, startVonageEmulator, type VonageEmulator } from '../../test/emulators/vonage.ts';
import { makeTestCertificates } from '../../test/tls.ts';

const signer = makeAwsCredential({ name: 'gha-signer' });
const both = ['kms:Sign', 'kms:GetPublicKey'] as const;
const appKey = makeKmsKey('RSA_2048', {
  keyId: '6f1c1b0e-4d5a-4e2b-9c3d-1a2b3c4d5e6f',
  aliases: ['alias/github-app'],
  allow: { [signer.principal]: [...both] },
});
const vonageKey = makeKmsKey('RSA_3072', {
  keyId: '0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a',
  aliases: ['alias/vonage-app'],
  allow: { [signer.principal]: [...both] },
});
const ecKey = makeKmsKey('ECC_NIST_P256', {
  keyId: 'e0e0e0e0-1111-4222-8333-444455556666',
  aliases: ['alias/ec'],
  allow: { [signer.principal]: [...both] },
});
const disabledKey = makeKmsKey('RSA_2048', {
  keyId: 'd1d1d1d1-2222-4333-8444-555566667777',
  aliases: ['alias/disabled'],
  state: 'Disabled',
  allow: { [signer.principal]: [...both] },
});
const readOnlyKey = makeKmsKey('RSA_2048', {
  keyId: 'a0a0a0a0-3333-4444-8555-666677778888',
  aliases: ['alias/read-only'],
  allow: { [signer.principal]: ['kms:GetPublicKey'] },
});

const { app } = makeTestApp({
  id: 31337,
  slug: 'octo-kms',
  publicKey: createPublicKey(appKey.privateKey!),
  permissions: { contents: 'read', metadata: 'read' },
});
const vonageApp = makeVonageApp();
const certificates = makeTestCertificates([]);

let kms: AwsKmsEmulator;
let tlsKms: AwsKmsEmulator;
let github: GitHubEmulator;
let vonage: VonageEmulator;

beforeAll(async () => {
  vonage = await startVonageEmulator({
    applications: [{ id: vonageApp.applicationId, publicKey: createPublicKey(vonageKey.privateKey!) }],
  });
});
afterAll(() => vonage.close());

beforeEach(async () => {
  const options = { keys: [appKey, vonageKey, ecKey, disabledKey, readOnlyKey], credentials: [signer] };
  kms = await startAwsKmsEmulator(options);
  tlsKms = await startAwsKmsEmulator({ ...options, tls: certificates });
  github = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 1001,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'selected',
        repositories: ['octo-repo'],
        permissions: { contents: 'read', metadata: 'read' },
      },
    ],
  });
});
afterEach(async () => {
  await Promise.all([kms.close(), tlsKms.close(), github.close()]);
});

/** What aws-actions/configure-aws-credentials leaves in the job's environment, and KMS's address. */
function awsEnv(credential: EmulatedAwsCredential | null = signer, endpoint = kms.url): Record<string, string> {
  return {
    // Nothing but the variables given: no instance metadata probe, no profile files (HOME is the run's own).
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(credential && {
      AWS_ACCESS_KEY_ID: credential.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
      AWS_SESSION_TOKEN: credential.sessionToken!,
    }),
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_KMS: endpoint,
  };
}

const githubInputs = (kmsKey = 'awskms:///alias/github-app', extra: Record<string, string> = {}) => ({
  'app-id': String(app.id),
  'kms-key': kmsKey,
  'github-api-url': github.url,
  ...extra,
});
const secrets = [signer.secretAccessKey, signer.sessionToken!];
const operations = (emulator = kms) => emulator.operations().map((op) => `${op.operation} ${op.outcome}`);
const githubRequests = () => github.requests.map((r) => `${r.method} ${r.path}`);

/** Runs the action and records what a user sees of it as this scenario's snapshot. */
async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(
    transcript(run, {
      names: { token: run.outputs?.token, jwt: run.outputs?.jwt, 'application-id': vonageApp.applicationId },
      urls: { github: github.url, kms: kms.url, 'kms-tls': tlsKms.url },
      requests: [...githubRequests(), ...operations(), ...operations(tlsKms).map((op) => `tls ${op}`)],
    }),
  ).toMatchSnapshot();
  return run;
}

function expectSecretsMasked(run: ActionRun, extra: string[] = []) {
  for (const secret of secrets) expect(run.masks).toContain(secret);
  expect(leaksOf(run, [...secrets, ...extra])).toEqual([]);
}

async function getApp(jwt: string) {
  const response = await fetch(`${github.url}/app`, { headers: { authorization: `Bearer ${jwt}` } });
  return response.status;
}

describe('GitHub Apps', () => {
  test('JWT mode: one GetPublicKey and one Sign, a JWT GitHub accepts', async () => {
    const run = await runScenario('main', { inputs: githubInputs(), env: awsEnv() });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    // Nothing from the SDK on stderr (no warning, no stack).
    expect(run.stderr).toBe('');
    const { token, jwt } = run.outputs;
    expect(run.outputs['token-type']).toBe('jwt');
    expect(jwt).toBe(token);
    expect(github.requests).toEqual([]);
    expect(await getApp(jwt)).toBe(200);
    expect(operations()).toEqual(['GetPublicKey ok', 'Sign ok']);
    expect(run.stdout).toContain(`Signing with AWS KMS key ${kms.keyArn(appKey)} (RSA_2048, us-east-1).`);
    expect(run.masks).toEqual(expect.arrayContaining([jwt, jwt.split('.')[2]]));
    expectSecretsMasked(run, [jwt]);
  });

  test('exchange, with the endpoint in the URI (awskms://HOST:PORT/KEY, https): an installation token', async () => {
    const port = new URL(tlsKms.url).port;
    const run = await runScenario('main', {
      inputs: githubInputs(`awskms://127.0.0.1:${port}/${appKey.keyId}`, { 'installation-id': '1001' }),
      // The URI's endpoint wins over the variable, which points at the plain-HTTP emulator.
      env: { ...awsEnv(), NODE_EXTRA_CA_CERTS: certificates.caFile },
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['token-type']).toBe('installation');
    expect(githubRequests()).toEqual(['POST /app/installations/1001/access_tokens']);
    expect(operations(tlsKms)).toEqual(['GetPublicKey ok', 'Sign ok']);
    expect(operations()).toEqual([]);
    expect(run.masks).toContain(run.outputs.token);
    expectSecretsMasked(run, [run.outputs.token, run.outputs.jwt]);
  });

  test("GitHub's clock an hour ahead: the JWT is signed again by KMS, with GitHub's time", async () => {
    github.setClockOffset(3600);
    const run = await runScenario('main', { inputs: githubInputs(undefined, { exchange: 'true' }), env: awsEnv() });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/GitHub's clock is \d+ s ahead of the runner's/);
    expect(githubRequests()).toEqual([
      'GET /repos/octo-org/octo-repo/installation',
      'GET /repos/octo-org/octo-repo/installation',
      'POST /app/installations/1001/access_tokens',
    ]);
    expect(operations()).toEqual(['GetPublicKey ok', 'Sign ok', 'Sign ok']);
    const claims = JSON.parse(Buffer.from(run.outputs.jwt.split('.')[1], 'base64url').toString());
    expect(Math.abs(claims.iat + 60 - github.serverNow())).toBeLessThanOrEqual(2);
    expectSecretsMasked(run, [run.outputs.token, run.outputs.jwt]);
  });
});

test('Vonage: a JWT signed by KMS (RSA 3072) that Vonage accepts', async () => {
  const run = await runScenario('main', {
    inputs: { provider: 'vonage', 'app-id': vonageApp.applicationId, 'kms-key': 'awskms:///alias/vonage-app' },
    env: awsEnv(),
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const response = await fetch(`${vonage.url}/v1/calls`, { headers: { authorization: `Bearer ${run.outputs.jwt}` } });
  expect(response.status).toBe(200);
  expect(operations()).toEqual(['GetPublicKey ok', 'Sign ok']);
  expectSecretsMasked(run, [run.outputs.jwt]);
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('errors: one ::error:: naming the key and the fix, no credential shown', () => {
  const LOGIN =
    'Sign in with aws-actions/configure-aws-credentials in this job before this step (it exports AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION), or set those variables yourself';

  function expectOneError(run: ActionRun, message: string | RegExp) {
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([message instanceof RegExp ? expect.stringMatching(message) : message]);
    expect(run.outputs).toEqual({});
    expect(leaksOf(run, secrets)).toEqual([]);
    expect(github.requests).toEqual([]);
  }

  test('no AWS credentials in the environment', async () => {
    const run = await runScenario('main', { inputs: githubInputs(), env: awsEnv(null) });
    expectOneError(
      run,
      `awskms:///alias/github-app: no AWS credentials were found. ${LOGIN}; the role needs kms:Sign and kms:GetPublicKey on the key.`,
    );
    expect(kms.requests).toEqual([]);
  });

  test('a role that may read the key but not sign with it', async () => {
    const run = await runScenario('main', { inputs: githubInputs('awskms:///alias/read-only'), env: awsEnv() });
    expectOneError(
      run,
      `awskms:///alias/read-only: AWS KMS refused kms:Sign (AccessDeniedException: User: ${signer.principal} is not authorized to perform: kms:Sign on resource: ${kms.keyArn(readOnlyKey)} because no identity-based policy allows the kms:Sign action). Allow kms:Sign on the key to the role this job signs in with, in the role's IAM policy or in the key policy; signing needs kms:Sign and kms:GetPublicKey.`,
    );
    expect(run.masks).toEqual(expect.arrayContaining(secrets));
  });

  test('a disabled key', async () => {
    const run = await runScenario('main', { inputs: githubInputs('awskms:///alias/disabled'), env: awsEnv() });
    expectOneError(
      run,
      `awskms:///alias/disabled: the key is disabled (DisabledException: ${kms.keyArn(disabledKey)} is disabled.). Enable it (aws kms enable-key --key-id KEY) or name another key.`,
    );
  });

  test('an EC key: refused before any signature', async () => {
    const run = await runScenario('main', { inputs: githubInputs('awskms:///alias/ec'), env: awsEnv() });
    expectOneError(
      run,
      'awskms:///alias/ec has key spec ECC_NIST_P256; RS256 needs an asymmetric RSA key with key usage SIGN_VERIFY (key spec RSA_2048, RSA_3072 or RSA_4096).',
    );
    expect(operations()).toEqual(['GetPublicKey ok']);
  });

  test('an alias that does not exist', async () => {
    const run = await runScenario('main', { inputs: githubInputs('awskms:///alias/nope'), env: awsEnv() });
    expectOneError(
      run,
      `awskms:///alias/nope: AWS KMS in us-east-1 has no such key (NotFoundException: Alias ${kms.aliasArn('alias/nope')} is not found.). Check the key ID, ARN or alias and the region: a key lives in one region and account, so set AWS_REGION to the key's region or write the key as its ARN.`,
    );
  });

  test('nothing listening at AWS_ENDPOINT_URL_KMS', async () => {
    const port = await closedPort();
    const run = await runScenario('main', { inputs: githubInputs(), env: awsEnv(signer, `http://127.0.0.1:${port}`) });
    expectOneError(
      run,
      `awskms:///alias/github-app: AWS KMS at http://127.0.0.1:${port} could not be reached (3 attempts): connection refused (ECONNREFUSED) by 127.0.0.1:${port}. Check the URL and that the server is up and reachable from the runner.`,
    );
  });

  test('a malformed URI fails before any credential is read', async () => {
    const run = await runScenario('main', { inputs: githubInputs('awskms://'), env: awsEnv() });
    expectOneError(run, /^Input 'kms-key': /);
    expect(kms.requests).toEqual([]);
  });
});

// kms-key gcpkms://…: the committed dist/ under Node 24, signing through the Cloud KMS emulator with the
// credentials file google-github-actions/auth writes, against the GitHub and Vonage emulators. google-auth-library
// goes to Google's own host names, so the action is run as a runner behind a proxy would run it: HTTPS_PROXY to
// test/proxy.ts (mapping the Google hosts to the emulator) and NODE_EXTRA_CA_CERTS for the emulator's CA. Each
// test checks the outputs, the requests each service saw, the masks and that no credential leaked.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leaksOf, runAction, transcript, type ActionRun } from '../../test/action-process.ts';
import {
  makeTestApp,
  startGitHubEmulator,
  type EmulatedInstallation,
  type GitHubEmulator,
} from '../../test/emulators/github.ts';
import { makeVonageApp, startVonageEmulator, type VonageEmulator } from '../../test/emulators/vonage.ts';
import {
  GOOGLE_HOSTS,
  makeKeyVersion,
  makeServiceAccount,
  startGcpKmsEmulator,
  workloadIdentityCredentials,
  type GcpKmsEmulator,
} from '../../test/emulators/gcp-kms.ts';
import { APP_KEY_PEM } from '../../test/key-forms.ts';
import { startProxy, type RunningProxy } from '../../test/proxy.ts';
import { makeTestCertificates } from '../../test/tls.ts';
import { signJwt } from '../../src/keys/jwt/sign.js';

const RING = 'projects/octo-kms/locations/global/keyRings/github';
const version = (key: string, v = '1') => `${RING}/cryptoKeys/${key}/cryptoKeyVersions/${v}`;
const uri = (key: string, v = '1') => `gcpkms://${version(key, v)}`;

// The GitHub App's downloaded PEM, imported into Cloud KMS; the app knows only its public half.
const { app } = makeTestApp({ id: 31337, slug: 'kms-bot', permissions: { contents: 'read', metadata: 'read' } });
app.publicKey = createPublicKey(APP_KEY_PEM);
const installations: EmulatedInstallation[] = [
  {
    id: 1001,
    appId: app.id,
    account: { login: 'octo-org', type: 'Organization' },
    repositorySelection: 'selected',
    repositories: ['octo-repo'],
    permissions: { contents: 'read', metadata: 'read' },
  },
];
const vonageApp = makeVonageApp();

const signer = makeServiceAccount('kms-signer@octo-kms.iam.gserviceaccount.com');
const outsider = makeServiceAccount('outsider@octo-kms.iam.gserviceaccount.com');
const POOL = 'projects/123456789/locations/global/workloadIdentityPools/github';
const PROVIDER = `${POOL}/providers/actions`;
const REQUEST_TOKEN = 'actions-id-token-request-token-0123456789abcdef';

const keyVersions = [
  makeKeyVersion(version('app'), 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: APP_KEY_PEM }),
  makeKeyVersion(version('app', '2'), 'RSA_SIGN_PKCS1_2048_SHA256', { state: 'DISABLED' }),
  makeKeyVersion(version('vonage'), 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: vonageApp.privateKeyPem }),
  makeKeyVersion(version('ec'), 'EC_SIGN_P256_SHA256'),
];

const certificates = makeTestCertificates(Object.values(GOOGLE_HOSTS));
const folder = mkdtempSync(join(tmpdir(), 'app-jwt-gcp-e2e-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let gcp: GcpKmsEmulator;
let github: GitHubEmulator;
let vonage: VonageEmulator;
let proxy: RunningProxy;

beforeAll(async () => {
  gcp = await startGcpKmsEmulator({
    tls: certificates,
    keyVersions,
    serviceAccounts: [signer.account, outsider.account],
    bindings: [
      {
        resource: RING,
        role: 'roles/cloudkms.signerVerifier',
        members: [
          `serviceAccount:${signer.account.email}`,
          `principalSet://iam.googleapis.com/${POOL}/attribute.repository/octo-org/octo-repo`,
        ],
      },
    ],
    providers: [{ name: PROVIDER, condition: (claims) => claims.repository === 'octo-org/octo-repo' }],
    oidc: {
      requestToken: REQUEST_TOKEN,
      claims: {
        sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
        repository: 'octo-org/octo-repo',
        repository_owner: 'octo-org',
      },
    },
  });
  proxy = await startProxy({ hosts: gcp.proxyHosts() });
  vonage = await startVonageEmulator({
    applications: [{ id: vonageApp.applicationId, publicKey: vonageApp.publicKey }],
  });
});
afterAll(async () => {
  await proxy.close();
  await gcp.close();
  await vonage.close();
});
beforeEach(async () => {
  github = await startGitHubEmulator({ apps: [app], installations });
  gcp.requests.length = 0;
});
afterEach(() => github.close());

function file(name: string, json: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
}
const serviceAccountFile = (keyFile = signer.keyFile) =>
  file(`gha-creds-${keyFile.client_email.split('@')[0]}.json`, keyFile);
const wifFile = () =>
  file(
    'gha-creds-wif.json',
    workloadIdentityCredentials({
      provider: PROVIDER,
      oidcTokenUrl: gcp.oidcTokenUrl(`https://iam.googleapis.com/${PROVIDER}`),
      requestToken: REQUEST_TOKEN,
    }),
  );

/** What google-github-actions/auth leaves, plus the proxy and CA a runner behind a proxy has. */
const environment = (credentials: string | undefined = serviceAccountFile()) => ({
  ...(credentials ? { GOOGLE_APPLICATION_CREDENTIALS: credentials } : {}),
  HTTPS_PROXY: proxy.url,
  NODE_EXTRA_CA_CERTS: certificates.caFile,
});

const kmsRequests = () =>
  gcp.requests.map(
    (r) =>
      `${r.method} ${(r.headers.host ?? '').replace(/^127\.0\.0\.1:\d+$/, 'runner-oidc')} ${r.path.replace(/\?.*$/, '')}`,
  );
const githubRequests = () => github.requests.map((r) => `${r.method} ${r.path}`);

async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(
    transcript(run, {
      names: {
        token: run.outputs?.token,
        jwt: run.outputs?.jwt,
        credentials: folder,
        'application-id': vonageApp.applicationId,
      },
      urls: { github: github.url },
      requests: [...kmsRequests(), ...githubRequests()],
    }),
  ).toMatchSnapshot();
  return run;
}

/** Every credential of the run: the key file's private key, every token Google issued, the request token. */
const credentials = () => [
  signer.privateKeyPem,
  outsider.privateKeyPem,
  REQUEST_TOKEN,
  ...gcp.issuedTokens().map((t) => t.token),
];
const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown> & { exp: number };

async function getApp(jwt: string) {
  const response = await fetch(`${github.url}/app`, { headers: { authorization: `Bearer ${jwt}` } });
  return response.status;
}

function expectOneError(run: ActionRun, message: string) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([message]);
  expect(run.outputs).toEqual({});
  expect(leaksOf(run, credentials())).toEqual([]);
}

describe('provider github', () => {
  test('JWT mode: the JWT Cloud KMS signs is the one the PEM would make, and GitHub takes it', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'kms-key': uri('app') },
      env: environment(),
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    const { jwt, token } = run.outputs;
    expect(run.outputs['token-type']).toBe('jwt');
    expect(token).toBe(jwt);
    expect(jwt).toBe(signJwt(claimsOf(jwt), createPrivateKey(APP_KEY_PEM)).token);
    expect(await getApp(jwt)).toBe(200);
    expect(kmsRequests()).toEqual([
      'POST oauth2.googleapis.com /token',
      `GET cloudkms.googleapis.com /v1/${version('app')}/publicKey`,
      `POST cloudkms.googleapis.com /v1/${version('app')}:asymmetricSign`,
    ]);
    const accessToken = gcp.issuedTokens().at(-1)!;
    const keyLines = signer.privateKeyPem.trim().split('\n').slice(1, -1);
    expect(run.masks).toEqual(expect.arrayContaining([...keyLines, accessToken.token, jwt, jwt.split('.')[2]]));
    expect(leaksOf(run, [...credentials(), jwt])).toEqual([]);
  });

  test('exchange: the KMS-signed JWT buys an installation token', async () => {
    const run = await runScenario('main', {
      inputs: {
        'app-id': String(app.id),
        'kms-key': uri('app'),
        'installation-id': '1001',
        'github-api-url': github.url,
      },
      env: environment(),
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs['token-type']).toBe('installation');
    expect(githubRequests()).toEqual(['POST /app/installations/1001/access_tokens']);
    expect(kmsRequests().filter((r) => r.endsWith(':asymmetricSign'))).toHaveLength(1);
    expect(run.masks).toContain(run.outputs.token);
    expect(leaksOf(run, [...credentials(), run.outputs.token, run.outputs.jwt])).toEqual([]);
  });

  test("a GitHub clock behind the runner's: the JWT is signed again by Cloud KMS, with the offset", async () => {
    await github.close();
    github = await startGitHubEmulator({ apps: [app], installations, clockOffsetSeconds: -300 });
    const before = gcp.signatures().length;
    const run = await runScenario('main', {
      inputs: {
        'app-id': String(app.id),
        'kms-key': uri('app'),
        'installation-id': '1001',
        'github-api-url': github.url,
      },
      env: environment(),
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(githubRequests()).toEqual([
      'POST /app/installations/1001/access_tokens',
      'POST /app/installations/1001/access_tokens',
    ]);
    expect(gcp.signatures().length - before).toBe(2);
    // One token and one public key for the run, one signature per JWT.
    expect(kmsRequests().filter((r) => r.includes('/token'))).toHaveLength(1);
    expect(kmsRequests().filter((r) => r.endsWith('/publicKey'))).toHaveLength(1);
    expect(leaksOf(run, [...credentials(), run.outputs.token])).toEqual([]);
  });

  test('workload identity federation: the runner OIDC token, STS, then Cloud KMS', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'kms-key': uri('app') },
      env: environment(wifFile()),
    });
    expect(run.errors).toEqual([]);
    expect(await getApp(run.outputs.jwt)).toBe(200);
    expect(kmsRequests()).toEqual([
      'GET runner-oidc /oidc/token',
      'POST sts.googleapis.com /v1/token',
      `GET cloudkms.googleapis.com /v1/${version('app')}/publicKey`,
      `POST cloudkms.googleapis.com /v1/${version('app')}:asymmetricSign`,
    ]);
    const subjectToken = (gcp.requests[1].body as Record<string, string>).subject_token;
    expect(run.masks).toEqual(expect.arrayContaining([REQUEST_TOKEN, subjectToken, gcp.issuedTokens().at(-1)!.token]));
    expect(leaksOf(run, [...credentials(), subjectToken, run.outputs.jwt])).toEqual([]);
  });
});

test('provider vonage: the KMS-signed JWT is one Vonage accepts', async () => {
  const run = await runScenario('main', {
    inputs: { provider: 'vonage', 'app-id': vonageApp.applicationId, 'kms-key': uri('vonage') },
    env: environment(),
  });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const response = await fetch(`${vonage.url}/v1/calls`, { headers: { authorization: `Bearer ${run.outputs.jwt}` } });
  expect(response.status).toBe(200);
  expect(claimsOf(run.outputs.jwt).application_id).toBe(vonageApp.applicationId);
  expect(leaksOf(run, [...credentials(), run.outputs.jwt])).toEqual([]);
});

describe('each failure is one error naming the key and the fix', () => {
  test('no credentials in the environment: the login action is named, and nothing is sent', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'kms-key': uri('app') },
      env: environment(''),
    });
    expectOneError(
      run,
      `${uri('app')}: no Google Cloud credentials: GOOGLE_APPLICATION_CREDENTIALS is not set. Run google-github-actions/auth before this step (with workload_identity_provider, or credentials_json for a service account key): it writes the credentials file and sets GOOGLE_APPLICATION_CREDENTIALS to it.`,
    );
    expect(gcp.requests).toEqual([]);
  });

  test('access denied names cloudkms.cryptoKeyVersions.viewPublicKey and the role', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'kms-key': uri('app') },
      env: environment(serviceAccountFile(outsider.keyFile)),
    });
    expectOneError(
      run,
      `${uri('app')}: the service account ${outsider.account.email} lacks the permission cloudkms.cryptoKeyVersions.viewPublicKey on this key, or the key does not exist (Google answers both alike). Grant it roles/cloudkms.signerVerifier on the key (or roles/cloudkms.publicKeyViewer, for the public key alone), and check the project, location, key ring and key in kms-key.`,
    );
    expect(githubRequests()).toEqual([]);
  });

  test('an EC key is refused before anything is signed', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'kms-key': uri('ec'), exchange: 'true', 'github-api-url': github.url },
      env: environment(),
    });
    expectOneError(
      run,
      `${uri('ec')} is an EC signing key (EC_SIGN_P256_SHA256); RS256 JWTs need an RSA signing key with algorithm RSA_SIGN_PKCS1_2048_SHA256, RSA_SIGN_PKCS1_3072_SHA256 or RSA_SIGN_PKCS1_4096_SHA256. Create a key version with one of those (a GitHub App's downloaded key imports as RSA_SIGN_PKCS1_2048_SHA256).`,
    );
    expect(gcp.signatures().filter((s) => s.name === version('ec'))).toEqual([]);
    expect(githubRequests()).toEqual([]);
  });

  test('a disabled version names the command that enables it', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'kms-key': uri('app', '2') },
      env: environment(),
    });
    expectOneError(
      run,
      `${uri('app', '2')}: this key version is DISABLED, and Cloud KMS signs only with an ENABLED one. Enable it (gcloud kms keys versions enable 2 --key app --keyring github --location global --project octo-kms), or name an enabled version in kms-key.`,
    );
  });

  test('a key URI without its version fails as an input, before any request', async () => {
    const run = await runScenario('main', {
      inputs: { 'app-id': String(app.id), 'kms-key': `gcpkms://${RING}/cryptoKeys/app` },
      env: environment(),
    });
    expectOneError(
      run,
      "Input 'kms-key': must name one key version: gcpkms://projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V (a key without its version cannot sign).",
    );
    expect(gcp.requests).toEqual([]);
  });
});

// The JWT-only mode, run from the committed dist/ under Node 24 as the runner runs it.
import { createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { leaksOf, NODE24, runAction, transcript, type ActionRun } from '../../test/action-process.ts';
import { makeTestApp, startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github.ts';
import { acceptedKeyForms, APP_KEY_PEM, rejectedKeyForms } from '../../test/key-forms.ts';

/** Runs the action and records what a user sees of it as this scenario's snapshot. */
async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(transcript(run, { names: { token: run.outputs?.token }, urls: { github: github.url } })).toMatchSnapshot();
  return run;
}

const { app } = makeTestApp({ id: 424242, clientId: 'Iv23liAbCdEfGhIjKlMn', slug: 'octo-jwt' });
app.publicKey = createPublicKey(APP_KEY_PEM);
const keyLines = APP_KEY_PEM.trim().split('\n');
let github: GitHubEmulator;

beforeAll(async () => {
  github = await startGitHubEmulator({ apps: [app] });
});
afterAll(() => github.close());

async function getApp(jwt: string) {
  const response = await fetch(`${github.url}/app`, { headers: { authorization: `Bearer ${jwt}` } });
  return { status: response.status, body: (await response.json()) as { slug?: string; message?: string } };
}

function expectOneError(run: ActionRun, input: string, pattern: RegExp) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toMatch(new RegExp(`^Input '${input}': `));
  expect(run.errors[0]).toMatch(pattern);
  expect(run.outputs).toEqual({});
  expect(leaksOf(run, [APP_KEY_PEM])).toEqual([]);
}

test('the tests run the action on Node 24, the runtime action.yml names', () => {
  expect(execFileSync(NODE24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
});

test('app-id and private-key give a masked JWT that GitHub accepts on GET /app', async () => {
  const run = await runScenario('main', { inputs: { 'app-id': '424242', 'private-key': APP_KEY_PEM } });
  expect(run.exitCode).toBe(0);
  expect(run.errors).toEqual([]);
  const { token, jwt } = run.outputs;
  expect(run.outputs['token-type']).toBe('jwt');
  expect(jwt).toBe(token);
  expect(run.outputs['jwt-expires-at']).toBe(run.outputs['expires-at']);
  const expiresIn = (Date.parse(run.outputs['jwt-expires-at']) - Date.now()) / 1000;
  expect(expiresIn).toBeGreaterThan(530);
  expect(expiresIn).toBeLessThanOrEqual(540);
  expect(await getApp(token)).toEqual({ status: 200, body: expect.objectContaining({ slug: 'octo-jwt' }) });
  expect(run.masks).toEqual(expect.arrayContaining([token, token.split('.')[2], ...keyLines.slice(1, -1)]));
  expect(leaksOf(run, [token, APP_KEY_PEM])).toEqual([]);
  expect(run.state).toEqual({});
  expect(run.summary).toContain('| App | 424242 |');
  expect(run.summary).toContain(`| JWT expires | ${run.outputs['jwt-expires-at']} |`);
});

test('every mask is sent before any other line of output', async () => {
  const run = await runScenario('main', { inputs: { 'app-id': '424242', 'private-key': APP_KEY_PEM } });
  const lines = run.stdout.trim().split('\n');
  const lastMask = lines.findLastIndex((line) => line.startsWith('::add-mask::'));
  // Masks were sent, and something else was written after them: otherwise the order proves nothing.
  expect(lastMask).toBeGreaterThan(0);
  expect(lines.length).toBeGreaterThan(lastMask + 1);
  expect(lines.slice(0, lastMask + 1).every((line) => line.startsWith('::add-mask::'))).toBe(true);
});

test('a Client ID works as app-id and as client-id', async () => {
  for (const name of ['app-id', 'client-id']) {
    const run = await runScenario('main', { inputs: { [name]: 'Iv23liAbCdEfGhIjKlMn', 'private-key': APP_KEY_PEM } });
    expect(run.exitCode).toBe(0);
    expect((await getApp(run.outputs.token)).status).toBe(200);
  }
});

test('jwt-expires-in sets the lifetime', async () => {
  const run = await runScenario('main', {
    inputs: { 'app-id': '424242', 'private-key': APP_KEY_PEM, 'jwt-expires-in': '600' },
  });
  const payload = JSON.parse(Buffer.from(run.outputs.jwt.split('.')[1], 'base64url').toString());
  expect(payload.exp - payload.iat).toBe(660);
  expect((await getApp(run.outputs.jwt)).status).toBe(200);
});

describe('every accepted key form signs a JWT GitHub accepts', () => {
  test.each(acceptedKeyForms().map((f) => [f.name, f.text]))('%s', async (_name, text) => {
    const run = await runScenario('main', { inputs: { 'app-id': '424242', 'private-key': text } });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect((await getApp(run.outputs.token)).status).toBe(200);
    expect(leaksOf(run, [run.outputs.token, APP_KEY_PEM])).toEqual([]);
  });
});

describe('every rejected key form fails with one error naming private-key', () => {
  test.each(rejectedKeyForms().map((f) => [f.name, f.text, f.error!]))('%s', async (_name, text, error) => {
    const run = await runScenario('main', { inputs: { 'app-id': '424242', 'private-key': text } });
    expectOneError(run, 'private-key', error);
    expect(leaksOf(run, [text])).toEqual([]);
  });
});

describe('bad app-id, client-id and jwt-expires-in fail with one clear error', () => {
  test.each([
    ['app-id', { 'app-id': '' }, /is required/],
    ['app-id', { 'app-id': 'my-app' }, /neither an App ID .* nor a Client ID/],
    ['app-id', { 'app-id': '0' }, /not a valid App ID/],
    ['app-id', { 'app-id': 'Iv1.12ab' }, /not complete/],
    ['app-id', { 'app-id': 'Ov23liAbCdEfGhIjKlMn' }, /OAuth App's client ID/],
    ['jwt-expires-in', { 'app-id': '424242', 'jwt-expires-in': '601' }, /from 1 to 600/],
    ['jwt-expires-in', { 'app-id': '424242', 'jwt-expires-in': '10m' }, /not a whole number of seconds/],
    ['jwt-expires-in', { 'app-id': '424242', 'jwt-expires-in': '0' }, /from 1 to 600/],
  ])('%s %j', async (input, inputs, error) => {
    const run = await runScenario('main', { inputs: { 'private-key': APP_KEY_PEM, ...inputs } });
    expectOneError(run, input, error);
  });
});

test('client-id and app-id both set and different: client-id wins, with a warning naming both', async () => {
  const run = await runScenario('main', {
    inputs: { 'private-key': APP_KEY_PEM, 'app-id': '1', 'client-id': 'Iv23liAbCdEfGhIjKlMn' },
  });
  expect(run.exitCode).toBe(0);
  expect(run.warnings).toEqual([
    expect.stringMatching(/^client-id \('Iv23liAbCdEfGhIjKlMn'\) and app-id \('1'\) are both set/),
  ]);
  const claims = JSON.parse(Buffer.from(run.outputs.jwt.split('.')[1], 'base64url').toString());
  expect(claims.iss).toBe('Iv23liAbCdEfGhIjKlMn');
});

test('the post step after a JWT-only run does nothing and says so in one debug line', async () => {
  const run = await runScenario('post');
  expect(run.exitCode).toBe(0);
  expect(run.debug).toEqual([expect.stringMatching(/Nothing to revoke/)]);
  expect(run.stdout.trim().split('\n')).toHaveLength(1);
});

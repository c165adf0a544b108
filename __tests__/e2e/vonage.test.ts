// provider: vonage, from the committed dist/ under Node 24, against the Vonage API emulator.
import { leaksOf, runAction, transcript, type ActionRun } from '../../test/action-process.ts';
import { makeVonageApp, startVonageEmulator, type VonageEmulator } from '../../test/emulators/vonage.ts';

/** Runs the action and records what a user sees of it as this scenario's snapshot. */
async function runScenario(...args: Parameters<typeof runAction>): Promise<ActionRun> {
  const run = await runAction(...args);
  expect(
    transcript(run, { names: { token: run.outputs?.token, 'application-id': application.applicationId } }),
  ).toMatchSnapshot();
  return run;
}

const application = makeVonageApp();
let vonage: VonageEmulator;

beforeAll(async () => {
  vonage = await startVonageEmulator({
    applications: [{ id: application.applicationId, publicKey: application.publicKey }],
  });
});
afterAll(() => vonage.close());

const inputs = (extra: Record<string, string> = {}) => ({
  provider: 'vonage',
  'app-id': application.applicationId,
  'private-key': application.privateKeyPem,
  ...extra,
});
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

async function callVonage(jwt: string) {
  const response = await fetch(`${vonage.url}/v1/calls`, { headers: { authorization: `Bearer ${jwt}` } });
  return response.status;
}

function expectOneError(run: ActionRun, input: string, pattern: RegExp) {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toEqual([expect.stringMatching(new RegExp(`^Input '${input}': `))]);
  expect(run.errors[0]).toMatch(pattern);
  expect(run.outputs).toEqual({});
  expect(leaksOf(run, [application.privateKeyPem])).toEqual([]);
}

test('signs a masked JWT that Vonage accepts as Authorization: Bearer', async () => {
  const run = await runScenario('main', { inputs: inputs() });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  const { token, jwt } = run.outputs;
  expect(run.outputs['token-type']).toBe('jwt');
  expect(jwt).toBe(token);
  expect(await callVonage(token)).toBe(200);
  expect(vonage.acceptedJwts().at(-1)?.applicationId).toBe(application.applicationId);
  expect(run.masks).toEqual(expect.arrayContaining([token, token.split('.')[2]]));
  expect(leaksOf(run, [token, application.privateKeyPem])).toEqual([]);
  expect(run.state).toEqual({});
  expect(run.summary).toContain(`| Application | ${application.applicationId} |`);
});

test('the JWT has exactly application_id, iat, jti and exp, with a 15-minute default lifetime', async () => {
  const run = await runScenario('main', { inputs: inputs() });
  const claims = claimsOf(run.outputs.jwt);
  expect(Object.keys(claims)).toEqual(['application_id', 'iat', 'jti', 'exp']);
  expect(claims.exp - claims.iat).toBe(900);
  expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);
  expect(JSON.parse(Buffer.from(run.outputs.jwt.split('.')[0], 'base64url').toString())).toEqual({
    alg: 'RS256',
    typ: 'JWT',
  });
});

test('each run gets a fresh jti', async () => {
  const [a, b] = await Promise.all([runAction('main', { inputs: inputs() }), runAction('main', { inputs: inputs() })]);
  expect(claimsOf(a.outputs.jwt).jti).not.toBe(claimsOf(b.outputs.jwt).jti);
});

test('acl, subject and a 24-hour lifetime go into the claims and Vonage accepts them', async () => {
  const run = await runScenario('main', {
    inputs: inputs({
      acl: 'paths:\n  /*/users/**: {}\n  /*/conversations/**:\n',
      subject: 'alice',
      'jwt-expires-in': '86400',
    }),
  });
  const claims = claimsOf(run.outputs.jwt);
  expect(claims).toMatchObject({ sub: 'alice', acl: { paths: { '/*/users/**': {}, '/*/conversations/**': {} } } });
  expect(claims.exp - claims.iat).toBe(86400);
  expect(await callVonage(run.outputs.jwt)).toBe(200);
});

test('the post step has nothing to do', async () => {
  const run = await runScenario('post', { inputs: inputs() });
  expect(run.exitCode).toBe(0);
  expect(run.debug).toEqual([expect.stringMatching(/Nothing to revoke/)]);
});

describe('bad inputs fail with one error naming the input', () => {
  test.each([
    [{ 'app-id': 'abc123' }, 'app-id', /is not a Vonage application ID/],
    [{ 'jwt-expires-in': '90000' }, 'jwt-expires-in', /from 30 to 86400/],
    [{ acl: '{"paths": ["/*/users/**"]}' }, 'acl', /a list is not accepted/],
    [{ acl: 'users: all' }, 'acl', /has no 'paths' key/],
    [{ 'private-key': 'a3f1c9e2b7d4f6a8c0e1b2d3f4a5c6e7f8091a2b' }, 'private-key', /client secret/],
    [{ owner: 'octo-org' }, 'owner', /is for provider: github.*set provider: github/],
    [{ 'client-secret': 'x' }, 'client-secret', /is for provider: ringcentral/],
    [{ provider: 'nexmo' }, 'provider', /is not a provider this action serves/],
  ])('%j', async (extra, input, pattern) => {
    expectOneError(await runScenario('main', { inputs: inputs(extra) }), input, pattern);
  });
});

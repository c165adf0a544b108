import { runPost } from '../../src/post-step.js';
import { revokeState } from '../../src/state.js';
import { recordingRunner } from '../../test/fake-runner.ts';
import { closeAll, startServer, startUntrustedTlsServer } from './http-test-servers.js';

afterEach(closeAll);

const NOW = Date.parse('2030-01-01T00:00:00Z');
const now = () => NOW;
const EXPIRES = new Date('2030-01-01T01:00:00Z');
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const RC_TOKEN = 'U0pDMTFQMDFQQVMwMXxBQUFfdG9rZW4';
const RC_INPUTS = { provider: 'ringcentral', 'client-id': 'rc-client-id', 'client-secret': 'rc-client-secret-value' };

/** Runs the post step with what the main step saved; never throws, or the test fails. */
async function post(state: Record<string, string>, inputs: Record<string, string> = {}) {
  const recorded = recordingRunner(inputs, state);
  await runPost({ runner: recorded.runner, env: {}, now });
  return recorded;
}

test('no token in state (a JWT-only run, or skip-token-revoke): one debug line and no request', async () => {
  const server = await startServer({ status: 204 });
  const { calls } = await post({ 'api-url': server.url });
  expect(calls).toEqual([['debug', expect.stringMatching(/^Nothing to revoke: this run issued no token/)]]);
  expect(server.received).toEqual([]);
});

test('an expired token is not sent anywhere: one line says when it expired', async () => {
  const server = await startServer({ status: 204 });
  const { calls } = await post(revokeState('github', TOKEN, server.url, new Date(NOW - 1000)));
  expect(calls).toEqual([
    ['setSecret', TOKEN],
    ['info', 'The token expired at 2029-12-31T23:59:59.000Z; nothing to revoke.'],
  ]);
  expect(server.received).toEqual([]);
});

test('GitHub: the token is masked, then revoked with DELETE /installation/token under the API URL', async () => {
  const server = await startServer({ status: 204 });
  const { calls } = await post(revokeState('github', TOKEN, `${server.url}/api/v3`, EXPIRES));
  expect(server.received).toEqual([
    expect.objectContaining({
      method: 'DELETE',
      url: '/api/v3/installation/token',
      headers: expect.objectContaining({ authorization: `Bearer ${TOKEN}` }),
    }),
  ]);
  expect(calls).toEqual([
    ['setSecret', TOKEN],
    ['info', 'Revoked the installation token.'],
  ]);
});

test('GitHub: a token already revoked (401) is noted, not warned about', async () => {
  const server = await startServer({ status: 401, body: { message: 'Bad credentials' } });
  const { of } = await post(revokeState('github', TOKEN, server.url, EXPIRES));
  expect(of('warning')).toEqual([]);
  expect(of('info')).toEqual([
    [
      'The installation token was already revoked or expired (GitHub answered 401 "Bad credentials"); nothing to revoke.',
    ],
  ]);
});

test('a refused revoke is a warning with the reason and the expiry; the step does not fail', async () => {
  const server = await startServer({ status: 403, body: { message: 'Resource not accessible by integration' } });
  const { of } = await post(revokeState('github', TOKEN, server.url, EXPIRES));
  expect(of('warning')).toEqual([
    [
      'Could not revoke the token: GitHub answered 403 "Resource not accessible by integration" to DELETE /installation/token. It expires by itself at 2030-01-01T01:00:00.000Z.',
    ],
  ]);
  expect(of('setFailed')).toEqual([]);
  expect(of('error')).toEqual([]);
});

test('a network failure is a warning too, and never quotes the token', async () => {
  const port = await startUntrustedTlsServer();
  const { of } = await post(revokeState('github', TOKEN, `https://127.0.0.1:${port}`, EXPIRES));
  const [[warning]] = of('warning');
  expect(warning).toMatch(
    /^Could not revoke the token: DELETE https:\/\/127\.0\.0\.1:\d+\/installation\/token failed after 1 attempt: the TLS certificate/,
  );
  expect(warning).toMatch(/It expires by itself at 2030-01-01T01:00:00\.000Z\.$/);
  expect(warning).not.toContain(TOKEN);
  expect(of('setFailed')).toEqual([]);
});

test('RingCentral: revoked at the server the main step used, with client-id and client-secret from the inputs', async () => {
  const server = await startServer({ status: 200, body: '' });
  // server-url is read from state: the main step saved the server it logged in to.
  const inputs = { ...RC_INPUTS, 'server-url': 'https://platform.devtest.ringcentral.com' };
  const { calls } = await post(revokeState('ringcentral', RC_TOKEN, server.url, EXPIRES), inputs);
  expect(server.received).toEqual([
    expect.objectContaining({
      method: 'POST',
      url: '/restapi/oauth/revoke',
      headers: expect.objectContaining({
        authorization: `Basic ${Buffer.from('rc-client-id:rc-client-secret-value').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      }),
      body: `token=${RC_TOKEN}`,
    }),
  ]);
  expect(calls).toEqual([
    ['setSecret', RC_TOKEN],
    ['setSecret', 'rc-client-secret-value'],
    ['info', 'Revoked the RingCentral access token; its session has ended.'],
  ]);
});

test("RingCentral without client-secret in the post step's inputs: a warning naming the input, no request", async () => {
  const server = await startServer({ status: 200 });
  const { of } = await post(revokeState('ringcentral', RC_TOKEN, server.url, EXPIRES), {
    provider: 'ringcentral',
    'client-id': 'rc-client-id',
  });
  expect(of('warning')).toEqual([
    [
      expect.stringMatching(
        /^Could not revoke the token: Input 'client-secret': is required with provider: ringcentral/,
      ),
    ],
  ]);
  expect(server.received).toEqual([]);
});

test('RingCentral refusing the revoke is a warning with its error code', async () => {
  const server = await startServer({
    status: 401,
    body: {
      errorCode: 'OAU-123',
      message: 'Invalid client',
      errors: [{ errorCode: 'OAU-123', message: 'Invalid client' }],
    },
  });
  const { of } = await post(revokeState('ringcentral', RC_TOKEN, server.url, EXPIRES), RC_INPUTS);
  expect(of('warning')).toEqual([
    [
      'Could not revoke the token: RingCentral answered 401 OAU-123 (Invalid client) to the revoke request. It expires by itself at 2030-01-01T01:00:00.000Z.',
    ],
  ]);
});

// BUG (src/post-step.ts): when the saved expiry cannot be read (state holding a token but no expires-at), a failed
// revoke builds its warning with new Date(NaN).toISOString(), which throws RangeError out of runPost, so the post
// step fails the job instead of warning. The main step always saves expires-at with the token, so this needs
// inconsistent state to happen; the warning should still not depend on it.
test('a failed revoke with no readable expiry in state is still only a warning', async () => {
  const server = await startServer({ status: 403, body: { message: 'Resource not accessible by integration' } });
  const { of } = await post({ provider: 'github', token: TOKEN, 'api-url': server.url });
  expect(of('warning')).toEqual([[expect.stringMatching(/^Could not revoke the token: GitHub answered 403/)]]);
});

import { ActionError } from '../../../src/errors.js';
import { createGitHubApi } from '../../../src/providers/github/api.js';
import { revokeInstallationToken } from '../../../src/providers/github/revoke.js';
import { makeTestApp, MESSAGES, startGitHubEmulator, type GitHubEmulator } from '../../../test/emulators/github.ts';
import { noWaitTransport, recordingLog, rejectionOf, sent, signingApi, stoppedClock } from './harness.ts';

const { app, privateKeyPem } = makeTestApp();
let emulator: GitHubEmulator;

beforeEach(async () => {
  emulator = await startGitHubEmulator({
    apps: [app],
    installations: [
      {
        id: 42,
        appId: app.id,
        account: { login: 'octo-org', type: 'Organization' },
        repositorySelection: 'all',
        repositories: [],
        permissions: { contents: 'read', metadata: 'read' },
      },
    ],
    latencyMs: 0,
  });
});

afterEach(async () => {
  await emulator.close();
});

/** A token the emulator issued, and the API as that token. */
async function withToken() {
  const { api: asApp } = signingApi(emulator.url, privateKeyPem, app.id);
  const issued = await asApp.request('POST /app/installations/{installation_id}/access_tokens', {
    installation_id: 42,
  });
  const token = (issued.body as { token: string }).token;
  const api = createGitHubApi({
    transport: noWaitTransport(),
    apiUrl: emulator.url,
    clock: stoppedClock(),
    log: recordingLog(),
    auth: { token },
  });
  emulator.requests.length = 0;
  return { api, token };
}

test('the token is revoked with DELETE /installation/token, sent with the token itself', async () => {
  const { api, token } = await withToken();
  expect(await revokeInstallationToken(api)).toBe('Revoked the installation token.');
  expect(sent(emulator.requests)).toEqual(['DELETE /installation/token']);
  expect(emulator.requests[0].headers.authorization).toBe(`Bearer ${token}`);
  expect(emulator.issuedTokens().map((t) => t.revoked)).toEqual([true]);
});

test('a token already revoked (401) is noted as nothing to revoke, not thrown', async () => {
  const { api } = await withToken();
  await revokeInstallationToken(api);
  expect(await revokeInstallationToken(api)).toBe(
    `The installation token was already revoked or expired (GitHub answered 401 "${MESSAGES.badCredentials}"); nothing to revoke.`,
  );
});

test('an expired token (401) is noted the same way', async () => {
  const { api, token } = await withToken();
  emulator.expireToken(token);
  expect(await revokeInstallationToken(api)).toMatch(/^The installation token was already revoked or expired/);
});

test('any other answer is thrown with its status and words, for the post step to warn about', async () => {
  const { api: asApp } = signingApi(emulator.url, privateKeyPem, app.id);
  const error = await rejectionOf(revokeInstallationToken(asApp), ActionError);
  expect(error.message).toBe(
    `GitHub answered 403 "${MESSAGES.revokeNeedsInstallationToken}" to DELETE /installation/token`,
  );
});

test('a 5xx is retried, and the last answer thrown', async () => {
  const { api } = await withToken();
  const down = { status: 503, body: { message: 'Service Unavailable' } };
  emulator.fail('DELETE /installation/token', down, down, down, down);
  const error = await rejectionOf(revokeInstallationToken(api), ActionError);
  expect(error.message).toBe('GitHub answered 503 "Service Unavailable" to DELETE /installation/token');
  expect(emulator.requests).toHaveLength(4);
  expect(emulator.issuedTokens().map((t) => t.revoked)).toEqual([false]);
});

import type { Credentials } from '../../src/credentials.js';
import { publishCredentials, summaryMarkdown } from '../../src/outputs.js';
import { recordingRunner } from '../../test/fake-runner.ts';

const credentials: Credentials = {
  token: 'ghs_token',
  tokenType: 'installation',
  expiresAt: new Date('2030-01-01T01:00:00Z'),
  jwt: { token: 'a.b.sig', signature: 'sig', expiresAt: new Date('2030-01-01T00:10:00Z') },
  secrets: ['ghs_token', 'a.b.sig', 'sig'],
  outputs: { 'installation-id': '42' },
  revoke: { token: 'ghs_token' },
  summary: [
    ['Provider', 'GitHub App'],
    ['Repositories', 'octo-org/a|b'],
  ],
};

test('every secret is masked before any output or state is written', () => {
  const { runner, calls } = recordingRunner();
  publishCredentials(runner, credentials);
  const firstWrite = calls.findIndex((c) => c[0] !== 'setSecret');
  expect(calls.slice(0, firstWrite).map((c) => c[1])).toEqual(credentials.secrets);
  expect(calls.slice(firstWrite).some((c) => c[0] === 'setSecret')).toBe(false);
});

test('the token, its type, expiry, the JWT and the extra outputs are set', () => {
  const { runner, of } = recordingRunner();
  publishCredentials(runner, credentials);
  expect(Object.fromEntries(of('setOutput'))).toEqual({
    token: 'ghs_token',
    'token-type': 'installation',
    'expires-at': '2030-01-01T01:00:00.000Z',
    jwt: 'a.b.sig',
    'jwt-expires-at': '2030-01-01T00:10:00.000Z',
    'installation-id': '42',
  });
});

test('state for the post step is saved only when there is something to revoke', () => {
  const withRevoke = recordingRunner();
  publishCredentials(withRevoke.runner, credentials);
  expect(withRevoke.of('saveState')).toEqual([['token', 'ghs_token']]);
  const without = recordingRunner();
  publishCredentials(without.runner, { ...credentials, revoke: undefined });
  expect(without.of('saveState')).toEqual([]);
});

test('the job summary is a table of the rows, written last, with pipes escaped', () => {
  const { runner, calls } = recordingRunner();
  publishCredentials(runner, credentials);
  expect(calls.at(-1)).toEqual(['appendSummary', summaryMarkdown(credentials)]);
  expect(summaryMarkdown(credentials)).toBe(
    '### app-jwt-action issued an installation token\n\n| | |\n|---|---|\n| Provider | GitHub App |\n| Repositories | octo-org/a\\|b |\n',
  );
});

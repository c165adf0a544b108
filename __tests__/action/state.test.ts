import { loadRevokeRecords, saveRevokeRecords, State } from '../../src/action/state.js';
import type { RevokeRecord } from '../../src/providers/provider.js';
import { fakeRunner } from '../../test/fake-runner.ts';

const runner = fakeRunner();
afterAll(() => runner.remove());

const RECORD: RevokeRecord = {
  provider: 'ringcentral',
  token: 'access-token',
  apiUrl: 'https://platform.ringcentral.com',
  expiresAt: '2030-01-01T01:00:00.000Z',
  extra: { clientId: 'id', clientSecret: 'secret' },
};
const NOT_OURS = { records: [], problem: 'the saved state is not what this action saves' };

/** loadRevokeRecords as the post step calls it, with STATE_revoke set as the runner sets it. */
async function load(text: string | undefined) {
  let loaded: ReturnType<typeof loadRevokeRecords> | undefined;
  await runner.run(
    async () => {
      loaded = loadRevokeRecords();
    },
    { state: text === undefined ? {} : { [State.revoke]: text } },
  );
  return loaded!;
}

test('the state is two keys: revoke, and git for configure-git', () => {
  expect(State).toEqual({ revoke: 'revoke', git: 'git' });
});

test('records saved by the main step load back in the post step, extra included', async () => {
  const second: RevokeRecord = {
    provider: 'github',
    token: 'ghs_x',
    apiUrl: 'https://api.github.com',
    expiresAt: 'soon',
  };
  const saved = await runner.run(async () => saveRevokeRecords([RECORD, second]));
  // The runner turns the state file into STATE_<name> variables for the post step.
  expect(await load(saved.state.revoke)).toEqual({ records: [RECORD, second] });
});

test('no state, or an empty one: nothing to revoke, and no problem', async () => {
  expect(await load(undefined)).toEqual({ records: [] });
  expect(await load('')).toEqual({ records: [] });
  expect(await load('[]')).toEqual({ records: [] });
});

test.each([
  ['text that is not JSON', 'ghs_token'],
  ['cut-short JSON', '[{"provider":"github"'],
  ['JSON null', 'null'],
  ['an object, not a list', JSON.stringify(RECORD)],
  ['a list holding null', '[null]'],
  ['a list holding a string', '["access-token"]'],
  ['a record without provider', JSON.stringify([{ ...RECORD, provider: undefined }])],
  ['a record with an empty token', JSON.stringify([{ ...RECORD, token: '' }])],
  ['a record whose token is a number', JSON.stringify([{ ...RECORD, token: 42 }])],
  ['a record without apiUrl', JSON.stringify([{ ...RECORD, apiUrl: undefined }])],
  ['a record whose expiry is a number', JSON.stringify([{ ...RECORD, expiresAt: 1_900_000_000 }])],
  ['one good record and one bad', JSON.stringify([RECORD, { token: 'x' }])],
])('%s is not what this action saves: no record is used', async (_what, text) => {
  expect(await load(text)).toEqual(NOT_OURS);
});

describe('a record is used only as the main step would have saved it', () => {
  test.each([
    [
      'an http API base to another host',
      { apiUrl: 'http://api.example.com' },
      /^the saved API base fails the check the main step makes of its URL inputs: 'http:\/\/api\.example\.com' is not https/,
    ],
    ['an empty API base', { apiUrl: ' ' }, /^the saved state names no API base to revoke the token at$/],
    [
      'an API base with user info',
      { apiUrl: 'https://user:pw@api.example.com' },
      /'https:\/\/\*\*\*@api\.example\.com' holds a user name or password/,
    ],
    [
      'a token with a line break',
      { token: 'at\n::stop-commands::x' },
      /^the saved token is not one line of printable characters/,
    ],
    [
      'a token with a control character',
      { token: 'at\u001b[2K' },
      /^the saved token is not one line of printable characters/,
    ],
  ])('%s: no record, and the problem said', async (_what, overrides, problem) => {
    const loaded = await load(JSON.stringify([{ ...RECORD, ...overrides }]));
    expect(loaded.records).toEqual([]);
    expect(loaded.problem).toMatch(problem);
    expect(loaded.problem).not.toContain('pw@');
  });

  test('the API base comes back as the main step writes it: no trailing slash, loopback http allowed', async () => {
    const loaded = await load(JSON.stringify([{ ...RECORD, apiUrl: 'http://127.0.0.1:8080/api/v3/' }]));
    expect(loaded).toEqual({ records: [{ ...RECORD, apiUrl: 'http://127.0.0.1:8080/api/v3' }] });
  });
});

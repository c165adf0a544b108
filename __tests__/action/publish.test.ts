import { createMask } from '../../src/action/mask.js';
import { publishCredentials, summaryCell, summaryMarkdown } from '../../src/action/publish.js';
import type { Credentials } from '../../src/providers/provider.js';
import { fakeRunner } from '../../test/fake-runner.ts';

const runner = fakeRunner();
afterAll(() => runner.remove());

const credentials: Credentials = {
  token: 'ghs_token_value',
  tokenType: 'installation',
  expiresAt: new Date('2030-01-01T01:00:00Z'),
  jwt: { token: 'a.b.signature', signature: 'signature', expiresAt: new Date('2030-01-01T00:10:00Z') },
  secrets: ['ghs_token_value', 'refresh_value'],
  outputs: { 'installation-id': '42', permissions: '{"contents":"read"}' },
  revoke: [
    {
      provider: 'github',
      token: 'ghs_token_value',
      apiUrl: 'https://api.github.com',
      expiresAt: '2030-01-01T01:00:00.000Z',
    },
  ],
  summary: [
    ['Provider', 'GitHub App'],
    ['Repositories', 'octo-org/a|b'],
  ],
};

const publish = (c: Credentials) => runner.run(() => publishCredentials(c, createMask()));

describe('summary cells', () => {
  test.each([
    ['a pipe, which would end the cell', 'octo-org/a|b', 'octo-org/a\\|b'],
    ['HTML, which would render', '<img src=x onerror="alert(1)">', '&#60;img src=x onerror=&#34;alert(1)&#34;&#62;'],
    ['an ampersand, so an entity shows as written', 'a &amp; b', 'a &#38;amp; b'],
    ['Markdown emphasis and code', '**bold** `code`', '\\*\\*bold\\*\\* \\`code\\`'],
    ['a Markdown link', '[click](https://evil.example)', '\\[click\\](https://evil.example)'],
    ['a backslash, so it cannot undo an escape', 'a\\|b', 'a\\\\\\|b'],
    ['new lines and tabs, which would end the row', 'line 1\nline 2\r\n\tline 3', 'line 1 line 2 line 3'],
    ['space around the text', '  padded  ', 'padded'],
    ['plain text, left alone', 'octo-org/api, octo-org/web', 'octo-org/api, octo-org/web'],
  ])('%s', (_what, text, cell) => {
    expect(summaryCell(text)).toBe(cell);
  });
});

test('the summary is a table of the rows under a heading for the kind of token', () => {
  expect(summaryMarkdown(credentials)).toBe(
    '### app-jwt-action issued an installation token\n\n| | |\n|---|---|\n| Provider | GitHub App |\n| Repositories | octo-org/a\\|b |\n',
  );
  expect(summaryMarkdown({ ...credentials, tokenType: 'jwt' })).toMatch(/^### app-jwt-action issued a JWT\n/);
  expect(summaryMarkdown({ ...credentials, tokenType: 'access' })).toMatch(
    /^### app-jwt-action issued an access token\n/,
  );
});

test('a label is escaped like a value', () => {
  expect(summaryMarkdown({ ...credentials, summary: [['a|b', 'c']] })).toContain('| a\\|b | c |');
});

test('every secret is masked before any output or state is written', async () => {
  const record = await publish(credentials);
  const masks = record.writes.filter((w) => w.text.startsWith('::add-mask::'));
  expect(record.masks).toEqual(credentials.secrets);
  expect(masks.every((w) => w.outputBytes === 0 && w.stateBytes === 0)).toBe(true);
  expect(record.writes.filter((w) => !w.text.startsWith('::add-mask::'))).toEqual([]);
});

test('the token, its type, expiry, the JWT and the extra outputs are set', async () => {
  expect((await publish(credentials)).outputs).toEqual({
    token: 'ghs_token_value',
    'token-type': 'installation',
    'expires-at': '2030-01-01T01:00:00.000Z',
    jwt: 'a.b.signature',
    'jwt-expires-at': '2030-01-01T00:10:00.000Z',
    'installation-id': '42',
    permissions: '{"contents":"read"}',
  });
});

test('without a JWT, no jwt outputs', async () => {
  const { outputs } = await publish({ ...credentials, jwt: undefined });
  expect(Object.keys(outputs)).toEqual(['token', 'token-type', 'expires-at', 'installation-id', 'permissions']);
});

test('state for the post step is saved only when there is something to revoke', async () => {
  expect((await publish(credentials)).state).toEqual({ revoke: JSON.stringify(credentials.revoke) });
  expect((await publish({ ...credentials, revoke: undefined })).stateFile).toBe('');
  expect((await publish({ ...credentials, revoke: [] })).stateFile).toBe('');
});

test('the job summary is appended to the runner’s summary file', async () => {
  expect((await publish(credentials)).summary).toBe(`${summaryMarkdown(credentials)}\n`);
});

test('without a summary file (a local run), the rest is published and nothing fails', async () => {
  const record = await runner.run(async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    await publishCredentials(credentials, createMask());
  });
  expect(record.outputs.token).toBe('ghs_token_value');
  expect(record.summary).toBe('');
});

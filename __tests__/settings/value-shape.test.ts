// What a message may show of a value, what the edges mask, and what they take out of any message they write.
import { redactSecretShapes, secretKind, secretPieces, showValue } from '../../src/settings/value-shape.js';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const KEY_LINES = APP_KEY_PEM.trim().split('\n').slice(1, -1);
const GHS = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJlLWJ5dGVz';

describe('secretKind: what a value looks like when it looks like a secret', () => {
  test.each([
    ['a PEM private key', APP_KEY_PEM],
    ['a PEM private key', APP_KEY_PEM.toLowerCase()],
    ['a PEM private key', APP_KEY_PEM.replace(/-----/g, '----')],
    [
      'a PEM block (a key or certificate)',
      '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----',
    ],
    ['a base64-encoded PEM', Buffer.from(APP_KEY_PEM).toString('base64')],
    ['a PuTTY private key', 'PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none'],
    ['a GitHub token', GHS],
    ['a GitHub token', `ghs_${'a'.repeat(300)}`],
    ['a GitHub token', `github_pat_${'A1'.repeat(40)}`],
    ['a GitHub token', 'ghp_abcdefghij'],
    ['a GitHub token', `token ${GHS}`],
    ['a JWT', JWT],
    ['an Authorization header value', 'Bearer abcdefgh12345678'],
    ['a token', `npm_${'a1B2'.repeat(9)}`],
    ['an AWS access key ID', 'AKIAIOSFODNN7EXAMPLE'],
    ['something shaped like a client secret', 'a3f1c9e2b7d4f6a8c0e1b2d3f4a5c6e7f8091a2b'],
    ['something shaped like a secret', 'Xk9fP2mQ7rT4vW8yB3nC6hJ1kL5sD0gZ'],
  ])('%s: %j', (kind, value) => {
    expect(secretKind(value)).toBe(kind);
  });

  test.each([
    '',
    '123456',
    'Iv23liAbCdEfGhIjKlMn',
    'octo-org',
    'https://api.github.com',
    'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
    'AAAAAAAA-BBBB-CCCC-DDDD-0123456789AB',
    'contents: write',
    'ghs_short',
    'Xk9fP2mQ7rT4vW8yB3nC6hJ1kL5sD0', // 30 characters
    'a-long-lowercase-name-with-no-digits-at-all',
  ])('not a secret: %j', (value) => {
    expect(secretKind(value)).toBeUndefined();
  });
});

describe('showValue: quoted when harmless, else described', () => {
  test.each([
    ['123456', "'123456'"],
    ['  octo-org  ', "'octo-org'"],
    [GHS, 'a GitHub token (40 characters)'],
    [
      APP_KEY_PEM,
      `a PEM private key (${APP_KEY_PEM.trim().split('\n').length} lines, ${APP_KEY_PEM.trim().length} characters)`,
    ],
    ['first\nsecond\nthird', 'a value of 3 lines, 18 characters'],
    ['x'.repeat(81), 'a value of 81 characters'],
    ['x'.repeat(80), `'${'x'.repeat(80)}'`],
    ['https://ghe.example.com/api?token=abc', "a URL with a query string ('https://ghe.example.com/api')"],
    ['https://ghe.example.com/api#frag', "a URL with a fragment ('https://ghe.example.com/api')"],
    [
      'https://me:pw@ghe.example.com/api?x',
      "a URL with a user name or password and a query string ('https://***@ghe.example.com/api')",
    ],
    ['https://me:p/w#x@ghe.example.com', "a URL with a user name or password ('https://***@ghe.example.com')"],
    ['ok\u001b[2Kfake', 'a value of 10 characters with control or invisible characters'],
    ['evil\u202etxt.exe', 'a value of 12 characters with control or invisible characters'],
  ])('%j → %s', (value, shown) => {
    expect(showValue(value)).toBe(shown);
  });
});

describe('secretPieces: what the edges mask', () => {
  test('a PEM: its lines, as the private-key input masks them', () => {
    expect(secretPieces(APP_KEY_PEM)).toEqual(KEY_LINES);
  });

  test('a JWT: the whole and its signature', () => {
    expect(secretPieces(JWT)).toEqual([JWT, 'c2lnbmF0dXJlLWJ5dGVz']);
  });

  test('a token inside other text: the whole value and the token', () => {
    expect(secretPieces(`https://x-access-token:${GHS}@github.com/o/r`)).toEqual([
      `https://x-access-token:${GHS}@github.com/o/r`,
      GHS,
    ]);
  });

  test('a token on a line of its own: the token, not the lines', () => {
    expect(secretPieces(`note\n${GHS}`)).toEqual([GHS]);
  });

  test('a long mixed-case name is not masked: only shapes with a marker are', () => {
    expect(secretPieces('octo-org/WebApplicationFrontend2024')).toEqual([]);
    expect(secretPieces('Xk9fP2mQ7rT4vW8yB3nC6hJ1kL5sD0gZ')).toEqual([]);
  });

  test('nothing secret-shaped: nothing to mask', () => {
    expect(secretPieces('123456')).toEqual([]);
    expect(secretPieces('https://api.github.com')).toEqual([]);
  });
});

describe('redactSecretShapes: what no message the edges write can show', () => {
  test.each([
    [`'${GHS}' is not an installation ID`, "'[a GitHub token, not shown]' is not an installation ID"],
    [`got ${JWT} back`, 'got [a JWT, not shown] back'],
    [`key: ${APP_KEY_PEM.trim()} end`, 'key: [a PEM block, not shown] end'],
    [`key: ${APP_KEY_PEM.trim().split('\n').slice(0, 5).join('\n')}`, 'key: [a PEM block, not shown]'],
    [
      'header Authorization: Bearer abcdefgh12345678 sent',
      'header Authorization: [an Authorization header value, not shown] sent',
    ],
    ['see https://me:pw@ghe.example.com/x?token=abc.', 'see https://***@ghe.example.com/x.'],
    ['see https://ghe.example.com/x#frag, then', 'see https://ghe.example.com/x, then'],
    ['see https://github.com/apps/x/installations/new.', 'see https://github.com/apps/x/installations/new.'],
    // An armor line alone, as a message says what one should read, holds nothing secret.
    [
      'It should read exactly -----BEGIN RSA PRIVATE KEY-----: five dashes',
      'It should read exactly -----BEGIN RSA PRIVATE KEY-----: five dashes',
    ],
    [
      'begins with "-----BEGIN RSA PRIVATE KEY-----" but ends with "-----END PRIVATE KEY-----"',
      'begins with "-----BEGIN RSA PRIVATE KEY-----" but ends with "-----END PRIVATE KEY-----"',
    ],
  ])('%j', (text, redacted) => {
    expect(redactSecretShapes(text)).toBe(redacted);
  });
});

test('secretKind without the loose shapes: a long path is not a secret, a token still is', () => {
  expect(secretKind('/tmp/app-jwt-cli-test-HZ5vDa/app.pem')).toBe('something shaped like a secret');
  expect(secretKind('/tmp/app-jwt-cli-test-HZ5vDa/app.pem', false)).toBeUndefined();
  expect(secretKind('a3f1c9e2b7d4f6a8c0e1b2d3f4a5c6e7f8091a2b', false)).toBe('something shaped like a client secret');
  expect(secretKind(GHS, false)).toBe('a GitHub token');
});

// URLs as messages show them (never a user name, password, query or fragment), which hosts are loopback, and
// request URLs built on an API base with a path prefix.
import { hideUserinfo, isLoopbackHost, joinUrl, showUrl, showUrlText } from '../../src/http/url.js';

test('a URL is shown without user name, password, query or fragment', () => {
  expect(showUrl(new URL('https://x-access-token:ghs_abcdef@ghe.example.com:8443/api/v3/app?token=t#f'))).toBe(
    'https://ghe.example.com:8443/api/v3/app',
  );
  expect(showUrl(new URL('http://127.0.0.1:8080'))).toBe('http://127.0.0.1:8080/');
});

test('a user:password@ part of a text that is not a URL is hidden, with or without a scheme', () => {
  expect(hideUserinfo('https://x-access-token:ghs_abcdef@ghe.example.com/api/v3')).toBe(
    'https://***@ghe.example.com/api/v3',
  );
  expect(hideUserinfo('user:ghs_abcdef@ghe.example.com')).toBe('***@ghe.example.com');
  expect(hideUserinfo('//me@host/x')).toBe('//***@host/x');
  expect(hideUserinfo('https://ghe.example.com/a@b')).toBe('https://ghe.example.com/a@b');
  expect(hideUserinfo('ghe.example.com/api/v3')).toBe('ghe.example.com/api/v3');
});

test.each([
  ['localhost', true],
  ['LOCALHOST', true],
  ['127.0.0.1', true],
  ['127.8.9.10', true],
  ['[::1]', true],
  ['::1', true],
  ['0.0.0.0', false],
  ['10.0.0.5', false],
  ['[::2]', false],
  ['localhost.example.com', false],
  ['127.0.0.1.nip.io', false],
  ['api.github.com', false],
])('isLoopbackHost(%j) is %s', (host, expected) => {
  expect(isLoopbackHost(host)).toBe(expected);
});

test("joinUrl keeps the base's path prefix, and the path's query", () => {
  expect(joinUrl(new URL('https://ghe.example.com/api/v3/'), '/app/installations')).toBe(
    'https://ghe.example.com/api/v3/app/installations',
  );
  expect(joinUrl('https://ghe.example.com/api/v3', 'app')).toBe('https://ghe.example.com/api/v3/app');
  expect(joinUrl('https://api.github.com/', 'app')).toBe('https://api.github.com/app');
  expect(joinUrl(new URL('https://api.github.com'), '/installation/token')).toBe(
    'https://api.github.com/installation/token',
  );
  expect(joinUrl('http://127.0.0.1:8080/api', '/repos/o/r/installation?x=1')).toBe(
    'http://127.0.0.1:8080/api/repos/o/r/installation?x=1',
  );
});

describe('user info is hidden in text that does not parse as a URL too', () => {
  test.each([
    ['a password with a /', 'https://user:pa/ss@ghe.example.com/api/v3', 'https://***@ghe.example.com/api/v3'],
    ['a password with a #', 'https://user:pa#ss@ghe.example.com', 'https://***@ghe.example.com'],
    ['a password with a ?', 'https://user:pa?ss@ghe.example.com/x', 'https://***@ghe.example.com/x'],
    ['a password with an @ (the last @ ends it)', 'https://user:p@ss@ghe.example.com', 'https://***@ghe.example.com'],
    ['no scheme and a / in the password', 'user:pa/ss@ghe.example.com', '***@ghe.example.com'],
  ])('%s', (_what, text, shown) => {
    expect(hideUserinfo(text)).toBe(shown);
  });

  test('a URL that parses keeps an @ in its path', () => {
    expect(hideUserinfo('https://me:pw@ghe.example.com/users/@me')).toBe('https://***@ghe.example.com/users/@me');
  });
});

test.each([
  ['https://ghe.example.com/api?token=ghs_x', 'https://ghe.example.com/api'],
  ['https://ghe.example.com/api#ghs_x', 'https://ghe.example.com/api'],
  ['https://user:pa/ss@ghe.example.com/api?x#y', 'https://***@ghe.example.com/api'],
  ['  ghe.example.com/api?x  ', 'ghe.example.com/api'],
  ['https://[::1:8080/?t=1', 'https://[::1:8080/'],
])('showUrlText(%j) is %j, parsed or not', (text, shown) => {
  expect(showUrlText(text)).toBe(shown);
});

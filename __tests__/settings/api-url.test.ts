import { InputError } from '../../src/errors.js';
import { parseApiBase, parseApiUrl } from '../../src/settings/api-url.js';

const ACCEPTED: [string, string, string][] = [
  // value, parseApiUrl(value).href, parseApiBase(value)
  ['https://api.github.com', 'https://api.github.com/', 'https://api.github.com'],
  ['https://api.github.com/', 'https://api.github.com/', 'https://api.github.com'],
  ['  https://ghe.example.com/api/v3/  ', 'https://ghe.example.com/api/v3', 'https://ghe.example.com/api/v3'],
  ['https://ghe.example.com/api/v3//', 'https://ghe.example.com/api/v3', 'https://ghe.example.com/api/v3'],
  ['https://ghe.example.com:8443/api/v3', 'https://ghe.example.com:8443/api/v3', 'https://ghe.example.com:8443/api/v3'],
  ['https://api.octo.ghe.com', 'https://api.octo.ghe.com/', 'https://api.octo.ghe.com'],
  ['HTTPS://API.GITHUB.COM', 'https://api.github.com/', 'https://api.github.com'],
  ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
  ['http://127.8.9.10/api/v3/', 'http://127.8.9.10/api/v3', 'http://127.8.9.10/api/v3'],
  ['http://localhost:3000/api', 'http://localhost:3000/api', 'http://localhost:3000/api'],
  ['http://[::1]:9000/', 'http://[::1]:9000/', 'http://[::1]:9000'],
];

test.each(ACCEPTED)('parseApiUrl accepts %j', (value, href) => {
  expect(parseApiUrl(value, 'github-api-url').href).toBe(href);
});

test.each(ACCEPTED)('parseApiBase gives %j without a trailing slash', (value, _href, base) => {
  expect(parseApiBase(value, 'github-api-url')).toBe(base);
});

function urlError(
  value: string,
  input = 'github-api-url',
  parse: (value: string, input: string) => unknown = parseApiUrl,
): InputError {
  try {
    parse(value, input);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`accepted ${value}`);
}

test('plain http to another host is refused with the https URL to use', () => {
  const error = urlError('http://ghe.example.com/api/v3/');
  expect(error.input).toBe('github-api-url');
  expect(error.message).toMatch(
    /^Input 'github-api-url': 'http:\/\/ghe\.example\.com\/api\/v3' is not https: the action sends credentials to this URL/,
  );
  expect(error.message).toMatch(/Use https:\/\/ghe\.example\.com\/api\/v3$/);
});

test.each([
  ['http://127.0.0.1.nip.io/api', /is not https/],
  ['http://localhost.example.com', /is not https/],
  ['http://0.0.0.0:8080', /is not https/],
  ['http://10.0.0.5', /is not https/],
  [
    'ghe.example.com/api/v3',
    /'ghe\.example\.com\/api\/v3' has no scheme\. Write the URL in full: https:\/\/ghe\.example\.com\/api\/v3$/,
  ],
  ['localhost:8080', /has no scheme/],
  ['', /^Input 'server-url': is empty/],
  ['   ', /^Input 'server-url': is empty/],
  ['https://', /is not a valid URL/],
  ['ftp://files.example.com', /uses ftp; only https:\/\/ URLs are supported/],
  [
    'https://api.github.com/?per_page=100',
    /has a query string or fragment\. Give only the base URL: https:\/\/api\.github\.com$/,
  ],
  ['https://ghe.example.com/api/v3#x', /has a query string or fragment/],
])('parseApiUrl refuses %j', (value, message) => {
  const input = value.trim() ? 'github-api-url' : 'server-url';
  const error = urlError(value, input);
  expect(error.input).toBe(input);
  expect(error.message).toMatch(message);
});

test('parseApiBase refuses what parseApiUrl refuses, with the same message', () => {
  for (const value of ['http://ghe.example.com', 'ghe.example.com', '', 'https://api.github.com/?x=1'])
    expect(urlError(value, 'server-url', parseApiBase).message).toBe(urlError(value, 'server-url').message);
});

test('a URL with credentials is refused without quoting them', () => {
  for (const value of [
    'https://x-access-token:ghs_abcdef@ghe.example.com/api/v3',
    'user:ghs_abcdef@ghe.example.com',
    'https://ghs_abcdef@ghe.example.com',
  ]) {
    const error = urlError(value);
    expect(error.message).not.toContain('ghs_abcdef');
    expect(error.message).toContain('***@');
  }
});

describe('a value that is no URL, or one that does not parse, is never shown whole', () => {
  const GHS = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
  test.each([
    [
      'a token',
      GHS,
      "Input 'server-url': holds a GitHub token (40 characters), not a URL. Set it to the API base URL, starting with https://.",
    ],
    [
      'several lines',
      'https://api.github.com\nhttps://other',
      "Input 'server-url': holds a value of 2 lines, 36 characters, not a URL. Set it to the API base URL, starting with https://.",
    ],
    [
      'a token and a URL, with a space',
      `https://api.github.com ${GHS}`,
      "Input 'server-url': holds a GitHub token (63 characters), not a URL. Set it to the API base URL, starting with https://.",
    ],
    [
      'a password with a / (does not parse)',
      'https://x-access-token:pa/ss@ghe.example.com/api/v3',
      "Input 'server-url': 'https://***@ghe.example.com/api/v3' is not a valid URL. Write it like https://ghe.example.com/api/v3.",
    ],
    [
      'a query on a URL that does not parse',
      `https://[::1/api?token=${GHS}`,
      "Input 'server-url': 'https://[::1/api' is not a valid URL (its query string or fragment not shown). Write it like https://ghe.example.com/api/v3.",
    ],
    [
      'no scheme, and a query',
      `ghe.example.com/api?token=${GHS}`,
      "Input 'server-url': 'ghe.example.com/api' has no scheme. Write the URL in full: https://ghe.example.com/api",
    ],
  ])('%s', (_what, value, message) => {
    const error = urlError(value, 'server-url');
    expect(error.message).toBe(message);
    expect(error.message).not.toContain(GHS);
    expect(error.message).not.toContain('pa/ss');
  });
});

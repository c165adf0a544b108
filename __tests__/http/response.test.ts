// An answer as the providers see it, whichever client fetched it: headers looked up in any case, the body
// parsed when it says it is JSON, and the server's Date.
import { apiResponse, headerLookup, parseBody, parseDate, serverText } from '../../src/http/response.js';
import { HTTP_DATE } from './servers.js';

test('headers are looked up in any case; repeated ones are joined as fetch joins them', () => {
  const headers = headerLookup({ 'X-GitHub-Request-Id': 'ABC', 'set-cookie': ['a=1', 'b=2'], age: 5, gone: undefined });
  expect(headers.get('x-github-request-id')).toBe('ABC');
  expect(headers.get('X-GITHUB-REQUEST-ID')).toBe('ABC');
  expect(headers.get('set-cookie')).toBe('a=1, b=2');
  expect(headers.get('age')).toBe('5');
  expect(headers.get('gone')).toBeNull();
  expect(headers.get('missing')).toBeNull();
});

test.each([
  ['application/json', '{"a":1}', { a: 1 }],
  ['application/json; charset=utf-8', '[1,2]', [1, 2]],
  ['application/vnd.github+json', '{"a":1}', { a: 1 }],
  ['APPLICATION/JSON', '{"a":1}', { a: 1 }],
  ['application/problem+json', '{"title":"x"}', { title: 'x' }],
  ['text/html', '<h1>Bad gateway</h1>', '<h1>Bad gateway</h1>'],
  ['text/plain', '{"a":1}', '{"a":1}'],
  [null, '{"a":1}', '{"a":1}'],
  ['application/jsonp', '{"a":1}', '{"a":1}'],
  ['application/json', '{"truncated', '{"truncated'],
  ['application/json', '', ''],
])('a %s body %j reads as %j', (type, text, body) => {
  expect(parseBody(text, type)).toEqual(body);
});

test('the Date header is parsed; one that is not a date, or none, gives no date', () => {
  expect(parseDate(HTTP_DATE)?.toISOString()).toBe('2026-11-25T12:00:00.000Z');
  expect(parseDate('not a date')).toBeUndefined();
  expect(parseDate(null)).toBeUndefined();
});

test('an answer holds its status, headers, parsed body and date', () => {
  const headers = headerLookup({ 'content-type': 'application/json', date: HTTP_DATE });
  const response = apiResponse(201, headers, '{"token":"t"}');
  expect(response).toEqual({ status: 201, headers, body: { token: 't' }, date: new Date(HTTP_DATE) });
});

describe('serverText: server text as a message may show it', () => {
  test('line breaks, control characters and runs of whitespace become one space', () => {
    expect(serverText('Denied\r\n::stop-commands::x\u2028\u0007 end  ')).toBe('Denied ::stop-commands::x end');
  });
  test('longer text is cut at the limit, the cut marked', () => {
    expect(serverText('y'.repeat(50), 10)).toBe(`${'y'.repeat(9)}…`);
    expect(serverText('y'.repeat(10), 10)).toBe('y'.repeat(10));
  });
  test('what is not a string is nothing', () => {
    expect(serverText({ message: 'x' })).toBe('');
  });
});

// Every line the action and the CLI write passes through oneLine: text from a server or an input can never
// start a workflow command, split into lines of its own, hide itself with control characters, or show a secret.
import { oneLine } from '../../src/action/one-line.js';

describe('line breaks of every kind are neutralised', () => {
  test.each([
    ['LF', 'a\nb'],
    ['CRLF', 'a\r\nb'],
    ['CR', 'a\rb'],
    ['NEL', 'a\u0085b'],
    ['the Unicode line separator', 'a\u2028b'],
    ['the Unicode paragraph separator', 'a\u2029b'],
    ['a vertical tab', 'a\vb'],
    ['a form feed', 'a\fb'],
    ['spaces around a break', 'a  \n  b'],
  ])('%s', (_what, text) => {
    expect(oneLine(text)).toBe('a ⏎ b');
  });
});

describe('no line can start a workflow command', () => {
  test.each([
    ['::stop-commands::token', ': :stop-commands::token'],
    ['   ::add-mask::x', '   : :add-mask::x'],
    ['\t::warning::fake', '\t: :warning::fake'],
    ['x\n::stop-commands::y', 'x ⏎ ::stop-commands::y'],
    ['::', ': :'],
  ])('%j → %j', (text, line) => {
    expect(oneLine(text)).toBe(line);
    // The runner trims the line's start, then obeys it when it starts with '::'.
    expect(oneLine(text).trimStart().startsWith('::')).toBe(false);
  });

  test("the runner's older ##[command] form is broken up wherever it is", () => {
    expect(oneLine('id ##[add-mask]x and ##[set-output name=a]b')).toBe(
      'id ## [add-mask]x and ## [set-output name=a]b',
    );
  });

  test('a single leading colon is left as it is', () => {
    expect(oneLine(':ok')).toBe(':ok');
  });
});

test('control characters and invisible direction marks are shown escaped, a tab is kept', () => {
  expect(oneLine('a\u001b[8mhidden\u0000\u007f\u202eevil\u2066\u200b\ufeff\tb')).toBe(
    'a\\u001B[8mhidden\\u0000\\u007F\\u202Eevil\\u2066\\u200B\\uFEFF\tb',
  );
});

test('secret-shaped text is replaced by what it is, whoever built the message', () => {
  expect(oneLine("'ghs_16C7e42F292c6912E7710c838347Ae178B4a' is not an installation ID")).toBe(
    "'[a GitHub token, not shown]' is not an installation ID",
  );
});

test('ordinary text is left as it is', () => {
  const text =
    'Created an installation token (installation 77) for octo-org/octo-repo; it expires at 2030-01-01T00:00:00.000Z.';
  expect(oneLine(text)).toBe(text);
});

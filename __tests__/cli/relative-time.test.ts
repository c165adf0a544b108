import { describeTime, formatDuration } from '../../src/cli/relative-time.js';

test.each([
  [0, '0s'],
  [0.4, '0s'],
  [59, '59s'],
  [60, '1m'],
  [61, '1m 1s'],
  [492, '8m 12s'],
  [3600, '1h'],
  [3661, '1h 1m'],
  [11_100, '3h 5m'],
  [86_400, '1d'],
  [187_200, '2d 4h'],
  [-180, '3m'],
])('formatDuration(%d) is %j: the two largest units', (seconds, text) => {
  expect(formatDuration(seconds)).toBe(text);
});

const NOW = 1_700_000_000;

test('an expiry ahead, and one past', () => {
  expect(describeTime(NOW + 492, NOW, 'expiry')).toBe('2023-11-14T22:21:32.000Z (expires in 8m 12s)');
  expect(describeTime(NOW - 180, NOW, 'expiry')).toBe('2023-11-14T22:10:20.000Z (expired 3m ago)');
  expect(describeTime(NOW, NOW, 'expiry')).toBe('2023-11-14T22:13:20.000Z (expired 0s ago)');
});

test('other times: in, ago, or now', () => {
  expect(describeTime(NOW + 5, NOW)).toBe('2023-11-14T22:13:25.000Z (in 5s)');
  expect(describeTime(NOW - 60, NOW, 'time')).toBe('2023-11-14T22:12:20.000Z (1m ago)');
  expect(describeTime(NOW, NOW)).toBe('2023-11-14T22:13:20.000Z (now)');
});

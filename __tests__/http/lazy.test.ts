// The transport as the edges hand it out: made on first use, once per step, every retry told to the log.
import { lazyTransport } from '../../src/http/lazy.js';
import { closeAll, startServer } from './servers.js';

afterEach(closeAll);

test('one transport per step, made on first use with the deadline from the env', async () => {
  const transport = lazyTransport({ APP_JWT_DEADLINE_SECONDS: '7' }, () => undefined);
  const first = await transport();
  expect(first.deadline.totalMs).toBe(7000);
  expect(await transport()).toBe(first);
});

test('every retry is told to the log: who, why, which retry and how long the wait', async () => {
  const server = await startServer({ status: 503, headers: { 'retry-after': '0' } }, { status: 200 });
  const lines: string[] = [];
  const transport = await lazyTransport({}, (line) => lines.push(line))();
  expect((await transport.request({ service: 'RingCentral', method: 'GET', url: server.url })).status).toBe(200);
  expect(lines).toEqual(['RingCentral request failed (HTTP 503, Retry-After 0 ms); retry 1 in 0.0 s.']);
});

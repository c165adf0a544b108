// The transport as the providers get it: one set of limits and one deadline, from the env and the options.
import { closeAll, closedPort, errorOf, harness } from './servers.js';
import { createTransport } from '../../src/http/transport.js';

afterEach(closeAll);

test('the step deadline comes from APP_JWT_DEADLINE_SECONDS, or the options, or the default', () => {
  expect(createTransport().deadline.totalMs).toBe(120_000);
  expect(createTransport({ env: { APP_JWT_DEADLINE_SECONDS: '30' } }).deadline.totalMs).toBe(30_000);
  expect(createTransport({ env: { APP_JWT_DEADLINE_SECONDS: '30' }, limits: { deadlineMs: 5 } }).deadline.totalMs).toBe(
    5,
  );
});

test('a failed request is named by its URL as it may be shown: no user name, password or query', async () => {
  const port = await closedPort();
  const { transport, retries } = harness({ retry: { maxRetries: 1 } });
  const error = await errorOf(
    transport.request({
      service: 'Vonage',
      method: 'GET',
      url: `http://me:pw@127.0.0.1:${port}/v1/x?api_secret=s3cr3t#f`,
    }),
  );
  expect(error.url).toBe(`http://127.0.0.1:${port}/v1/x`);
  expect(error.message).toMatch(new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/v1/x failed after 2 attempts: `));
  expect(retries.map((r) => [r.service, r.url])).toEqual([['Vonage', `http://127.0.0.1:${port}/v1/x`]]);
});

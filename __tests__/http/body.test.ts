// Reading a body under the cap, on its own: what the clients build on (client.test.ts and fetch.test.ts read
// real bodies through it).
import { checkDeclaredLength, readCapped } from '../../src/http/body.js';
import { RequestProblem } from '../../src/http/failure.js';

function problemOf(run: () => unknown): RequestProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestProblem) return error;
    throw error;
  }
  throw new Error('no error');
}

test('the chunks of a body under the cap are joined', async () => {
  async function* body() {
    yield Buffer.from('{"to');
    yield new TextEncoder().encode('ken":1}');
  }
  expect((await readCapped(body(), 11)).toString()).toBe('{"token":1}');
});

test('no body reads as empty', async () => {
  expect(await readCapped(null, 10)).toEqual(Buffer.alloc(0));
  expect(await readCapped(undefined, 10)).toEqual(Buffer.alloc(0));
});

test('a body past the cap fails with TOO_LARGE as soon as it passes, and the rest is never pulled', async () => {
  let pulled = 0;
  let ended = false;
  async function* endless() {
    try {
      for (;;) {
        pulled++;
        yield Buffer.alloc(400 * 1024);
      }
    } finally {
      ended = true;
    }
  }
  const error = await readCapped(endless(), 1024 * 1024, 'once decompressed').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RequestProblem);
  expect((error as RequestProblem).failure).toEqual({
    code: 'TOO_LARGE',
    reason: 'the response body once decompressed is larger than the 1 MiB this action reads',
    hint: 'The server is not answering like the API it should be: check the URL.',
    retryable: false,
  });
  expect(pulled).toBe(3);
  expect(ended).toBe(true);
});

test('a declared length over the cap fails at once; one at the cap, none, or nonsense passes', () => {
  expect(problemOf(() => checkDeclaredLength('2048', 1024)).failure).toMatchObject({
    code: 'TOO_LARGE',
    reason: 'the response body (Content-Length 2048) is larger than the 1 KiB this action reads',
  });
  for (const length of ['1024', '0', null, undefined, 'lots'])
    expect(() => checkDeclaredLength(length, 1024)).not.toThrow();
});

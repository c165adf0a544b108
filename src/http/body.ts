// Reading a response body under a cap, so that no answer can take more than a few MB of memory, however big it
// says it is, or becomes once decompressed.
import { RequestProblem } from './failure.js';
import { formatBytes } from './retry-policy.js';

/** The failure of a body over the cap; `what` says which count passed it ("once decompressed"). */
export function tooLarge(maxBytes: number, what = ''): RequestProblem {
  return new RequestProblem({
    code: 'TOO_LARGE',
    reason: `the response body${what ? ` ${what}` : ''} is larger than the ${formatBytes(maxBytes)} this action reads`,
    hint: 'The server is not answering like the API it should be: check the URL.',
    retryable: false,
  });
}

/** Fails at once when a Content-Length already says the body is over the cap. */
export function checkDeclaredLength(contentLength: string | null | undefined, maxBytes: number): void {
  const declared = Number(contentLength ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes, `(Content-Length ${declared})`);
}

/** Every chunk of `stream`, joined, or a RequestProblem (TOO_LARGE) as soon as they pass `maxBytes`. */
export async function readCapped(
  stream: AsyncIterable<Uint8Array> | null | undefined,
  maxBytes: number,
  what = '',
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!stream) return Buffer.alloc(0);
  for await (const chunk of stream) {
    size += chunk.byteLength;
    // Leaving the loop ends the stream: the rest of the body is never read.
    if (size > maxBytes) throw tooLarge(maxBytes, what);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

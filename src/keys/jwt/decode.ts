import { InputError } from '../../errors.js';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: string;
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JWT's header and claims, decoded without verifying it. A text that is not a JWT is an InputError for
 * `input`, in words that never quote it: a JWT is a secret.
 */
export function decodeJwt(token: string, input: string, fix = ''): DecodedJwt {
  const problem = (text: string) => new InputError(input, `is not a JWT: ${text}${fix ? ` ${fix}` : ''}`);
  const segments = token.split('.');
  if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]+$/.test(s)))
    throw problem(
      `a JWT has three base64url parts separated by dots; this has ${segments.length} part${segments.length === 1 ? '' : 's'}${segments.length === 3 ? ', not all base64url' : ''}.`,
    );
  const header = decodeSegment(segments[0]);
  const claims = decodeSegment(segments[1]);
  if (!header) throw problem('its header is not base64url-encoded JSON.');
  if (!claims) throw problem('its claims part is not base64url-encoded JSON.');
  return { header, claims, signature: segments[2] };
}

import { InputError } from './errors.js';
import type { SignedJwt } from './jwt.js';
import { parseGitHubIssuer } from './providers/github.js';

export interface PresignedJwt extends SignedJwt {
  issuer: number | string;
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
 * A GitHub App JWT signed elsewhere (a KMS or HSM): checked for what can be checked without the key, so a
 * malformed or expired one fails here, before any request, with a message that never quotes it.
 */
export function decodePresignedJwt(text: string, nowSeconds = Math.floor(Date.now() / 1000)): PresignedJwt {
  const token = text.trim().replace(/^Bearer\s+/i, '');
  const segments = token.split('.');
  if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]+$/.test(s)))
    throw new InputError(
      'jwt',
      `is not a JWT: expected three base64url parts separated by dots, found ${segments.length} part${segments.length === 1 ? '' : 's'}.`,
    );
  const header = decodeSegment(segments[0]);
  const claims = decodeSegment(segments[1]);
  if (!header || !claims)
    throw new InputError('jwt', 'is not a JWT: its header or claims are not base64url-encoded JSON.');
  if (header.alg !== 'RS256')
    throw new InputError('jwt', `is signed with ${String(header.alg)}; GitHub App JWTs must be RS256.`);
  if (claims.iss === undefined)
    throw new InputError('jwt', 'has no iss claim. Set iss to the App ID (an integer) or the Client ID.');
  const issuer = parseGitHubIssuer(String(claims.iss));
  if (typeof issuer === 'object')
    throw new InputError('jwt', `has an iss claim GitHub does not accept: ${issuer.problem}`);
  if (typeof claims.exp !== 'number')
    throw new InputError('jwt', 'has no numeric exp claim; GitHub needs exp at most 10 minutes after iat.');
  if (claims.exp <= nowSeconds)
    throw new InputError(
      'jwt',
      `expired at ${new Date(claims.exp * 1000).toISOString()}, ${nowSeconds - claims.exp} s ago. GitHub App JWTs live at most 10 minutes: sign it in the step just before this one.`,
    );
  return { token, signature: segments[2], expiresAt: new Date(claims.exp * 1000), issuer };
}

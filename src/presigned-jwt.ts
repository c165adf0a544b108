import { InputError } from './errors.js';
import type { SignedJwt } from './jwt.js';
import { decodeJwt } from './jwt-claims.js';
import { parseGitHubIssuer } from './providers/github.js';

export interface PresignedJwt extends SignedJwt {
  issuer: number | string;
}

/**
 * A GitHub App JWT signed elsewhere (a KMS or HSM): checked for what can be checked without the key, so a
 * malformed or expired one fails here, before any request, with a message that never quotes it.
 */
export function decodePresignedJwt(text: string, nowSeconds = Math.floor(Date.now() / 1000)): PresignedJwt {
  const token = text.trim().replace(/^Bearer\s+/i, '');
  const decoded = decodeJwt(token);
  if ('problem' in decoded) throw new InputError('jwt', `is not a JWT: ${decoded.problem}`);
  const { header, claims } = decoded;
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
  return { token, signature: decoded.signature, expiresAt: new Date(claims.exp * 1000), issuer };
}

import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface SignedJwt {
  token: string;
  /** The third segment: masked on its own, since logs can show a JWT split at its dots. */
  signature: string;
  expiresAt: Date;
}

/** RS256 with the header {"alg":"RS256","typ":"JWT"}; the claims are written in the order given. */
export function signJwt(claims: Record<string, unknown> & { exp: number }, key: KeyObject): SignedJwt {
  const token = jwt.sign(claims, key, { algorithm: 'RS256', header: { alg: 'RS256', typ: 'JWT' } });
  return { token, signature: token.slice(token.lastIndexOf('.') + 1), expiresAt: new Date(claims.exp * 1000) };
}

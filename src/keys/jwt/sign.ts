import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface SignedJwt {
  token: string;
  /** The third segment: masked on its own, since logs can show a JWT split at its dots. */
  signature: string;
  expiresAt: Date;
}

export type JwtClaims = Record<string, unknown> & { exp: number };

/** What signs a JWT: a private key here, or (later) a key held by a signing service. */
export interface JwtSigner {
  sign(claims: JwtClaims): Promise<SignedJwt>;
}

/** The JWT and its signature: logs can show a JWT split at its dots, so both are secrets. */
export function jwtSecrets(jwt: SignedJwt): string[] {
  return [jwt.token, jwt.signature];
}

/** RS256 with the header {"alg":"RS256","typ":"JWT"}; the claims are written in the order given. */
export function signJwt(claims: JwtClaims, key: KeyObject): SignedJwt {
  const token = jwt.sign(claims, key, { algorithm: 'RS256', header: { alg: 'RS256', typ: 'JWT' } });
  return { token, signature: token.slice(token.lastIndexOf('.') + 1), expiresAt: new Date(claims.exp * 1000) };
}

export function privateKeySigner(key: KeyObject): JwtSigner {
  return { sign: async (claims) => signJwt(claims, key) };
}

// App JWTs as the action makes them (the test key, signed by a clock that carries the skew offset), for tests of
// the code that sends them; and the claims a request was sent with, to see which clock signed it.
import type { Clock } from '../src/clock.js';
import type { HttpRequest } from '../src/http.js';
import { signJwt, type SignedJwt } from '../src/jwt.js';
import { normalizePrivateKey } from '../src/private-key.js';
import { githubAppClaims } from '../src/providers/github.js';
import type { AppJwtSource } from '../src/providers/github-app-api.js';
import { APP_KEY_PEM } from './key-forms.ts';

const key = normalizePrivateKey(APP_KEY_PEM).key;

/** Signs a fresh JWT on each call, by `clock` at that moment; `signed` keeps every one in order. */
export function signingJwtSource(
  clock: Clock,
  issuer: number | string = 123456,
): AppJwtSource & { signed: SignedJwt[] } {
  const signed: SignedJwt[] = [];
  return {
    presigned: false,
    signed,
    next() {
      const jwt = signJwt(githubAppClaims(issuer, 540, clock), key);
      signed.push(jwt);
      return jwt;
    },
  };
}

/** The claims of the JWT in a request's `authorization: Bearer` header. */
export function bearerClaims(request: HttpRequest): { iat: number; exp: number; iss: number | string } {
  const token = (request.headers?.authorization ?? '').replace(/^Bearer /, '');
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

// The GitHub App JWT: its claims, and where each request's JWT comes from (signed here, or given ready-made).
import type { Clock } from '../../clock.js';
import { InputError } from '../../errors.js';
import { decodeJwt } from '../../keys/jwt/decode.js';
import { jwtSecrets, type JwtSigner, type SignedJwt } from '../../keys/jwt/sign.js';
import type { SigningKey } from '../../settings/signing-key.js';
import { secretKind, showValue } from '../../settings/value-shape.js';

/** GitHub rejects app JWTs whose exp is more than ten minutes after its clock. */
export const GITHUB_MAX_JWT_SECONDS = 600;
export const GITHUB_DEFAULT_JWT_SECONDS = 540;

/**
 * The `iss` claim: an App ID is sent as an integer, a Client ID (Iv1.<16 hex> or Iv23<letters/digits>) as is.
 * Anything else is an InputError for `input`.
 */
export function parseGitHubIssuer(value: string, input: string): number | string {
  const problem = (detail: string) => new InputError(input, detail);
  const kind = secretKind(value);
  // A key or a token in the wrong input (inputs swapped, a secret pasted into a variable): say what it is.
  if (kind)
    throw problem(
      `holds ${showValue(value)}, not an App ID or Client ID.${/PEM|PuTTY/.test(kind) ? ' The key belongs in private-key.' : ''} Set ${input} to the App ID (digits, e.g. 123456) or the Client ID (e.g. Iv23liAbCdEfGhIjKlMn) from the app's settings page, and keep secrets in their own inputs.`,
    );
  const shown = showValue(value);
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    if (id > 0 && Number.isSafeInteger(id)) return id;
    throw problem(`${shown} is not a valid App ID (a positive whole number, as shown on the app's settings page).`);
  }
  if (/^Iv1\.[0-9a-f]{16}$/.test(value) || /^Iv23[A-Za-z0-9]{16}$/.test(value)) return value;
  if (/^Ov2\d/.test(value) || /^[0-9a-f]{20}$/.test(value))
    throw problem(
      `${shown} is an OAuth App's client ID; this action needs a GitHub App. Use the App ID or Client ID from the GitHub App's settings page.`,
    );
  if (/^Iv/.test(value))
    throw problem(
      `${shown} looks like a Client ID but is not complete (Iv1. and 16 hex digits, or Iv23 and 16 letters or digits). Copy it again from the app's settings page.`,
    );
  throw problem(
    `${shown} is neither an App ID (digits, e.g. 123456) nor a Client ID (e.g. Iv23liAbCdEfGhIjKlMn). Both are on the app's settings page, under "About".`,
  );
}

/** iat 60 s in the past (GitHub's advice for clocks that drift), exp `expiresIn` seconds from now. */
export function githubAppClaims(issuer: number | string, expiresIn: number, clock: Clock) {
  const now = clock.now();
  return { iat: now - 60, exp: now + expiresIn, iss: issuer };
}

export interface PresignedJwt extends SignedJwt {
  issuer: number | string;
}

/**
 * A GitHub App JWT signed elsewhere (a KMS or HSM): checked for what can be checked without the key, so a
 * malformed or expired one fails here, before any request, with a message that never quotes it.
 */
export function decodePresignedJwt(text: string, clock: Clock): PresignedJwt {
  const token = text.trim().replace(/^Bearer\s+/i, '');
  const { header, claims, signature } = decodeJwt(token, 'jwt');
  if (header.alg !== 'RS256')
    throw new InputError('jwt', `is signed with ${String(header.alg)}; GitHub App JWTs must be RS256.`);
  if (claims.iss === undefined)
    throw new InputError('jwt', 'has no iss claim. Set iss to the App ID (an integer) or the Client ID.');
  let issuer: number | string;
  try {
    issuer = parseGitHubIssuer(String(claims.iss), 'jwt');
  } catch (error) {
    throw new InputError('jwt', `has an iss claim GitHub does not accept: ${(error as InputError).detail}`);
  }
  if (typeof claims.exp !== 'number')
    throw new InputError('jwt', 'has no numeric exp claim; GitHub needs exp at most 10 minutes after iat.');
  const now = clock.now();
  if (claims.exp <= now)
    throw new InputError(
      'jwt',
      `expired at ${new Date(claims.exp * 1000).toISOString()}, ${now - claims.exp} s ago. GitHub App JWTs live at most 10 minutes: sign it in the step just before this one.`,
    );
  return { token, signature, expiresAt: new Date(claims.exp * 1000), issuer };
}

/** How the app proves itself: a key that signs here (a PEM, or one a signing service holds), or a JWT signed elsewhere. */
export type AppCredential = SigningKey | { kind: 'presigned'; jwt: PresignedJwt };

/** Gives the app JWT for each request: freshly signed by the clock (its offset included), or the given one. */
export interface AppJwtSource {
  readonly presigned: boolean;
  next(): Promise<SignedJwt>;
  /** The JWT given out last, for the outputs. */
  last(): SignedJwt | undefined;
}

/**
 * With `clock`, one JWT serves every request of the run (requests in parallel included) until the clock's offset
 * changes (GitHub said its time is another) or it is a minute from expiring: fewer signatures, each of which may
 * be a call to a signing service. Without it, every request gets a new one.
 */
export function appJwtSource(
  credential: { kind: 'signer'; signer: JwtSigner; secrets?: string[] } | { kind: 'presigned'; jwt: PresignedJwt },
  claims: () => ReturnType<typeof githubAppClaims>,
  mask: (secret: string) => void,
  clock?: Clock,
): AppJwtSource {
  if (credential.kind === 'presigned')
    return { presigned: true, next: async () => credential.jwt, last: () => credential.jwt };
  const { signer } = credential;
  let last: SignedJwt | undefined;
  let cached: { jwt: Promise<SignedJwt>; offset: number; exp: number } | undefined;
  const sign = async () => {
    const jwt = await signer.sign(claims());
    // Masked the moment it exists: it is sent at once, and a debug log could show the request.
    for (const secret of jwtSecrets(jwt)) mask(secret);
    last = jwt;
    return jwt;
  };
  return {
    presigned: false,
    next() {
      if (!clock) return sign();
      const offset = clock.offsetSeconds();
      if (!cached || cached.offset !== offset || cached.exp - clock.now() < 60) {
        const jwt = sign();
        const entry = { jwt, offset, exp: Infinity };
        cached = entry;
        jwt.then(
          (signed) => (entry.exp = Math.floor(signed.expiresAt.getTime() / 1000)),
          () => cached === entry && (cached = undefined),
        );
      }
      return cached.jwt;
    },
    last: () => last,
  };
}

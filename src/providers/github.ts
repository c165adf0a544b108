import type { Clock } from '../clock.js';

/** GitHub rejects app JWTs whose exp is more than ten minutes after its clock. */
export const GITHUB_MAX_JWT_SECONDS = 600;
export const GITHUB_DEFAULT_JWT_SECONDS = 540;

/**
 * The `iss` claim: an App ID is sent as an integer, a Client ID (Iv1.<16 hex> or Iv23<letters/digits>) as is.
 * Returns a message instead of throwing so the caller can name the input it came from.
 */
export function parseGitHubIssuer(value: string): number | string | { problem: string } {
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    if (id > 0 && Number.isSafeInteger(id)) return id;
    return {
      problem: `'${value}' is not a valid App ID (a positive whole number, as shown on the app's settings page).`,
    };
  }
  if (/^Iv1\.[0-9a-f]{16}$/.test(value) || /^Iv23[A-Za-z0-9]{16}$/.test(value)) return value;
  if (/^Ov2\d/.test(value) || /^[0-9a-f]{20}$/.test(value))
    return {
      problem: `'${value}' is an OAuth App's client ID; this action needs a GitHub App. Use the App ID or Client ID from the GitHub App's settings page.`,
    };
  if (/^Iv/.test(value))
    return {
      problem: `'${value}' looks like a Client ID but is not complete (Iv1. and 16 hex digits, or Iv23 and 16 letters or digits). Copy it again from the app's settings page.`,
    };
  return {
    problem: `'${value}' is neither an App ID (digits, e.g. 123456) nor a Client ID (e.g. Iv23liAbCdEfGhIjKlMn). Both are on the app's settings page, under "About".`,
  };
}

/** iat 60 s in the past (GitHub's advice for clocks that drift), exp `expiresIn` seconds from now. */
export function githubAppClaims(issuer: number | string, expiresIn: number, clock: Clock) {
  const now = clock.now();
  return { iat: now - 60, exp: now + expiresIn, iss: issuer };
}

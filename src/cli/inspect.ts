import type { InputError } from '../errors.js';
import { createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeJwt } from '../keys/jwt/decode.js';
import { GITHUB_MAX_JWT_SECONDS, parseGitHubIssuer } from '../providers/github/app-jwt.js';
import { describeTime } from './relative-time.js';

export interface Inspection {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** undefined: no key given. */
  signatureValid?: boolean;
  platform: 'github' | 'vonage' | 'unknown';
  warnings: string[];
  expired: boolean;
}

export class InspectError extends Error {}

/** A public key from a file's text: a public key, a certificate, or a private key (its public half). */
export function publicKeyFrom(text: string): KeyObject {
  try {
    return createPublicKey(text);
  } catch {
    return createPublicKey(createPrivateKey(text));
  }
}

function isIssuer(value: string): boolean {
  try {
    parseGitHubIssuer(value, 'iss');
    return true;
  } catch {
    return false;
  }
}

function githubWarnings(claims: Record<string, unknown>, now: number): string[] {
  const warnings: string[] = [];
  const { iat, exp, iss } = claims;
  if (typeof iat !== 'number' || !Number.isInteger(iat)) warnings.push('GitHub: iat must be an integer.');
  else if (iat > now)
    warnings.push(`GitHub: iat is ${iat - now} s in the future; GitHub rejects it. Backdate iat by 60 s.`);
  if (typeof exp !== 'number') warnings.push('GitHub: exp must be a number.');
  else if (exp - now > GITHUB_MAX_JWT_SECONDS)
    warnings.push(`GitHub: exp is ${exp - now} s after now; GitHub refuses more than ${GITHUB_MAX_JWT_SECONDS}.`);
  if (typeof iss !== 'number' && !isIssuer(String(iss ?? '')))
    warnings.push(`GitHub: iss (${JSON.stringify(iss)}) is neither an integer App ID nor a Client ID.`);
  return warnings;
}

function vonageWarnings(claims: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  if (typeof claims.application_id !== 'string') warnings.push('Vonage: application_id is missing.');
  if (!claims.jti) warnings.push('Vonage: jti is missing; Vonage requires one.');
  if (typeof claims.iat !== 'number') warnings.push('Vonage: iat is missing.');
  if (typeof claims.iat === 'number' && typeof claims.exp === 'number' && claims.exp - claims.iat > 86_400)
    warnings.push(`Vonage: the JWT lives ${claims.exp - claims.iat} s; Vonage accepts at most 24 h (86400 s).`);
  return warnings;
}

/** Decodes a JWT, checks its signature when a key is given, and lists where it breaks a platform's rules. */
export function inspectJwt(token: string, key: KeyObject | undefined, nowSeconds: number): Inspection {
  const text = token.trim().replace(/^Bearer\s+/i, '');
  let decoded;
  try {
    decoded = decodeJwt(text, 'jwt');
  } catch (error) {
    throw new InspectError((error as InputError).detail.replace(/^is not a JWT: /, ''));
  }
  const { header, claims } = decoded;
  const segments = text.split('.');
  let signatureValid: boolean | undefined;
  if (key) {
    const algorithm =
      header.alg === 'RS256'
        ? 'sha256'
        : header.alg === 'RS384'
          ? 'sha384'
          : header.alg === 'RS512'
            ? 'sha512'
            : undefined;
    // Only an RSA key checks an RS* signature; another key (Ed25519, EC) is a key for something else.
    signatureValid =
      algorithm !== undefined &&
      key.asymmetricKeyType === 'rsa' &&
      verify(algorithm, Buffer.from(`${segments[0]}.${segments[1]}`), key, Buffer.from(segments[2], 'base64url'));
  }
  const platform = 'application_id' in claims ? 'vonage' : 'iss' in claims ? 'github' : 'unknown';
  const warnings =
    platform === 'vonage' ? vonageWarnings(claims) : platform === 'github' ? githubWarnings(claims, nowSeconds) : [];
  if (key && key.asymmetricKeyType !== 'rsa')
    warnings.unshift(`the key given is not an RSA key (${key.asymmetricKeyType}): it cannot check an RS256 signature.`);
  if (header.alg !== 'RS256') warnings.unshift(`alg is ${String(header.alg)}; GitHub and Vonage need RS256.`);
  const expired = typeof claims.exp === 'number' && claims.exp <= nowSeconds;
  return { header, claims, signatureValid, platform, warnings, expired };
}

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf']);

/** The report a person reads: header, claims with times as dates, signature, platform warnings. */
export function formatInspection(inspection: Inspection, nowSeconds: number, keySource?: string): string {
  const lines = [`Header: ${JSON.stringify(inspection.header)}`, 'Claims:'];
  const width = Math.max(...Object.keys(inspection.claims).map((k) => k.length), 3);
  for (const [name, value] of Object.entries(inspection.claims)) {
    const shown =
      TIME_CLAIMS.has(name) && typeof value === 'number'
        ? `${value}  ${describeTime(value, nowSeconds, name === 'exp' ? 'expiry' : 'time')}`
        : JSON.stringify(value);
    lines.push(`  ${name.padEnd(width)}  ${shown}`);
  }
  const platform = {
    github: 'GitHub App JWT',
    vonage: 'Vonage application JWT',
    unknown: 'unknown (no iss or application_id)',
  };
  lines.push(`Platform: ${platform[inspection.platform]}`);
  if (inspection.signatureValid === undefined)
    lines.push('Signature: not checked (give --public-key FILE or --private-key-file FILE)');
  else lines.push(`Signature: ${inspection.signatureValid ? 'valid' : 'INVALID'} for the key in ${keySource}`);
  if (inspection.expired) lines.push('Expired: yes');
  for (const warning of inspection.warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}

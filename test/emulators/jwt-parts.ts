// What the emulators share to read the JWTs they are sent. Kept apart from src/ on purpose: an emulator is
// an independent check of the action, not a second use of its code.
import { createPublicKey, type KeyObject } from 'node:crypto';

/** A base64url JSON object (a JWT's header or claims), or undefined when it is not one. */
export function parseJsonSegment(segment: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The public key for a configured key (a public or private KeyObject, or PEM text), made once per key. Keyed by
 * the configured value, so a test that rotates an app's key is seen at once.
 */
export function publicKeyCache(): (configured: KeyObject | string) => KeyObject {
  const keys = new Map<KeyObject | string, KeyObject>();
  return (configured) => {
    let key = keys.get(configured);
    if (!key) {
      key = typeof configured !== 'string' && configured.type === 'public' ? configured : createPublicKey(configured);
      keys.set(configured, key);
    }
    return key;
  };
}

// The kms-key signer, loaded on first use: a PEM-key run never loads the KMS code or any service's client.
import type { JwtSigner } from '../jwt/sign.js';
import type { KmsDependencies } from './dependencies.js';
import type { KmsKey } from './uri.js';

export async function loadKmsSigner(key: KmsKey, deps: KmsDependencies): Promise<JwtSigner> {
  const { createKmsSigner } = await import('./index.js');
  return createKmsSigner(key, deps);
}

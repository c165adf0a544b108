// The key that signs JWTs here, from the inputs: a PEM private key, or a key a signing service holds (kms-key).
// GitHub and Vonage read it the same way.
import { InputError } from '../errors.js';
import { privateKeySigner, type JwtSigner } from '../keys/jwt/sign.js';
import type { KmsDependencies } from '../keys/kms/dependencies.js';
import { loadKmsSigner } from '../keys/kms/lazy.js';
import { parseKmsKey, type KmsKey } from '../keys/kms/uri.js';
import type { InputReader } from './inputs.js';

export type SigningKey = { kind: 'signer'; signer: JwtSigner; secrets: string[] } | { kind: 'kms'; key: KmsKey };

export function readSigningKey(read: InputReader): SigningKey {
  const kmsText = read.text('kms-key');
  if (kmsText && read.text('private-key'))
    throw new InputError(
      'kms-key',
      'and private-key are both set. Give one: kms-key to sign with a key a signing service holds, or private-key to sign with the PEM.',
    );
  if (kmsText) return { kind: 'kms', key: parseKmsKey(kmsText) };
  const privateKey = read.privateKey();
  return { kind: 'signer', signer: privateKeySigner(privateKey.key), secrets: privateKey.secrets };
}

/** The secrets among the key's inputs (the PEM in every form a log could show); a KMS key has none. */
export function signingKeySecrets(key: SigningKey): string[] {
  return key.kind === 'signer' ? key.secrets : [];
}

export async function signerFor(key: SigningKey, deps: KmsDependencies): Promise<JwtSigner> {
  return key.kind === 'signer' ? key.signer : loadKmsSigner(key.key, deps);
}

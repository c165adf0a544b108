// A JwtSigner for a kms-key URI: each service's official client is loaded only when its scheme is used, so a
// PEM-key run (and every other scheme) loads none of the others.
import type { JwtSigner } from '../jwt/sign.js';
import { remoteSigner } from './remote-key.js';
import type { KmsKey } from './uri.js';
import type { KmsDependencies } from './dependencies.js';

export async function createKmsSigner(key: KmsKey, deps: KmsDependencies): Promise<JwtSigner> {
  switch (key.scheme) {
    case 'awskms':
      return remoteSigner(await (await import('./aws.js')).awsKey(key, deps));
    case 'gcpkms':
      return remoteSigner(await (await import('./gcp.js')).gcpKey(key, deps));
    case 'azurekms':
      return remoteSigner(await (await import('./azure.js')).azureKey(key, deps));
    case 'hashivault':
      return remoteSigner(await (await import('./vault.js')).vaultKey(key, deps));
  }
}

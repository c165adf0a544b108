import { KmsError, type RemoteKey } from './remote-key.js';
import type { KmsDependencies } from './dependencies.js';
import type { KmsKey } from './uri.js';

export async function gcpKey(key: Extract<KmsKey, { scheme: 'gcpkms' }>, deps: KmsDependencies): Promise<RemoteKey> {
  void deps;
  throw new KmsError(`${key.uri}: signing with this service is being built.`);
}

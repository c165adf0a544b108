// The kms-key input: a key held by a signing service, named in cosign's well-known URI forms. Parsed here, before
// any client is loaded, so a malformed URI fails at once with the form it should take.
import { InputError } from '../../errors.js';

export type KmsKey =
  | { scheme: 'awskms'; uri: string; keyId: string; endpoint?: string }
  | { scheme: 'gcpkms'; uri: string; versionName: string }
  | { scheme: 'azurekms'; uri: string; vaultUrl: string; keyName: string; version?: string }
  | { scheme: 'hashivault'; uri: string; keyName: string };

const FORMS =
  'awskms:///KEY (a key ID, key ARN, alias/NAME or alias ARN), awskms://HOST:PORT/KEY, ' +
  'gcpkms://projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V, ' +
  'azurekms://VAULT.vault.azure.net/KEY[/VERSION] or hashivault://KEY';

function problem(detail: string): InputError {
  return new InputError('kms-key', detail);
}

const GCP_VERSION = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+\/cryptoKeyVersions\/[^/]+$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

export function parseKmsKey(text: string): KmsKey {
  const uri = text.trim();
  const scheme = /^([a-z]+):\/\//.exec(uri)?.[1];
  const rest = scheme ? uri.slice(scheme.length + 3) : '';
  switch (scheme) {
    case 'awskms': {
      // awskms:///KEY, or awskms://HOST:PORT/KEY for a KMS endpoint of one's own.
      const slash = rest.indexOf('/');
      const host = slash < 0 ? '' : rest.slice(0, slash);
      const keyId = slash < 0 ? '' : rest.slice(slash + 1);
      if (!keyId || /\s/.test(keyId))
        throw problem(`names no key: write awskms:///KEY, KEY being a key ID, key ARN, alias/NAME or alias ARN.`);
      if (host && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host))
        throw problem(
          `has '${host}' where the KMS endpoint's HOST:PORT goes; write awskms:///KEY or awskms://HOST:PORT/KEY.`,
        );
      return { scheme, uri, keyId, endpoint: host ? `https://${host}` : undefined };
    }
    case 'gcpkms':
      if (!GCP_VERSION.test(rest))
        throw problem(
          'must name one key version: gcpkms://projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V (a key without its version cannot sign).',
        );
      return { scheme, uri, versionName: rest };
    case 'azurekms': {
      const [vault, keyName, version, extra] = rest.split('/');
      if (!vault || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(vault) || !keyName || !NAME.test(keyName) || extra !== undefined)
        throw problem('must be azurekms://VAULT.vault.azure.net/KEY or azurekms://VAULT.vault.azure.net/KEY/VERSION.');
      if (version !== undefined && !/^[A-Za-z0-9]+$/.test(version))
        throw problem(`has '${version}' where the key version (32 hexadecimal characters) goes, or leave it out.`);
      return { scheme, uri, vaultUrl: `https://${vault}`, keyName, version: version || undefined };
    }
    case 'hashivault':
      if (!rest || !NAME.test(rest))
        throw problem('must be hashivault://KEY, KEY being the name of a transit key (letters, digits, _ . -).');
      return { scheme, uri, keyName: rest };
    default:
      throw problem(`is not a key URI this action can sign with. Write one of: ${FORMS}.`);
  }
}

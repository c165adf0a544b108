// A JWT signed by a key held elsewhere: the header and claims are encoded here exactly as with a PEM key, only
// the signature comes from the service. The key's algorithm is checked before the first signature, and every
// signature is verified against the key's public key (fetched once), so a wrong key fails here with a clear
// message instead of as the API's 401.
import { createHash, verify, type KeyObject } from 'node:crypto';
import { ActionError } from '../../errors.js';
import type { JwtClaims, JwtSigner, SignedJwt } from '../jwt/sign.js';

/** What a signing service offers: its key's public half, and RS256 signatures of SHA-256 digests. */
export interface RemoteKey {
  /** The URI as the user wrote it, for messages. */
  readonly uri: string;
  /** The public key; throws a KmsError when the key cannot make RS256 signatures (EC, symmetric, PSS only). */
  publicKey(): Promise<KeyObject>;
  /** RSASSA-PKCS1-v1_5 over SHA-256 of the signing input, given its digest; the raw signature bytes. */
  signDigest(digest: Buffer, signingInput: Buffer): Promise<Buffer>;
}

/** A failure of a signing service, told as cause and fix, naming the key URI and never a credential. */
export class KmsError extends ActionError {}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A signer over a remote key, with the public key checked once and every signature verified. */
export function remoteSigner(key: RemoteKey): JwtSigner {
  let publicKey: Promise<KeyObject> | undefined;
  return {
    async sign(claims: JwtClaims): Promise<SignedJwt> {
      publicKey ??= key.publicKey().then((pub) => {
        const bits = pub.asymmetricKeyDetails?.modulusLength ?? 0;
        if (pub.asymmetricKeyType !== 'rsa')
          throw new KmsError(
            `${key.uri} is ${pub.asymmetricKeyType === 'ec' ? 'an EC' : `a ${String(pub.asymmetricKeyType)}`} key; RS256 JWTs need an RSA signing key (RSASSA-PKCS1-v1_5 with SHA-256), 2048 bits or more.`,
          );
        if (bits < 2048) throw new KmsError(`${key.uri} is a ${bits}-bit RSA key; RS256 needs at least 2048 bits.`);
        return pub;
      });
      const pub = await publicKey;
      const signingInput = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
      const input = Buffer.from(signingInput);
      const signature = await key.signDigest(createHash('sha256').update(input).digest(), input);
      if (!verify('sha256', input, pub, signature))
        throw new KmsError(
          `${key.uri} returned a signature that its own public key does not verify as RS256: the key signs with another algorithm (RSA-PSS?) or the service answered for another key. Use a key (version) made for RSASSA-PKCS1-v1_5 with SHA-256.`,
        );
      const encoded = base64url(signature);
      return { token: `${signingInput}.${encoded}`, signature: encoded, expiresAt: new Date(claims.exp * 1000) };
    },
  };
}

// The KMS emulator (test/emulators/aws-kms.ts) proved against AWS's own code: @aws-sdk/client-kms with its default
// HTTP handler for the operations and their errors (as the SDK parses them), and AWS's Signature V4 signer
// (@smithy/signature-v4, the one the SDK signs with) for raw requests the SDK would never send.
import {
  createHash,
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  verify,
  constants,
  type KeyObject,
} from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  GetPublicKeyCommand,
  KMSClient,
  KMSServiceException,
  NotFoundException,
  SignCommand,
  type KMSClientConfig,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  MESSAGES,
  makeAwsCredential,
  makeKmsKey,
  startAwsKmsEmulator,
  type AwsKmsEmulator,
  type AwsKmsEmulatorOptions,
  type EmulatedAwsCredential,
  type EmulatedKmsKey,
} from '../../test/emulators/aws-kms.ts';

const role = makeAwsCredential({ name: 'gha-signer' });
const reader = makeAwsCredential({ name: 'gha-reader' });
const user = makeAwsCredential({ name: 'ci-user', longTerm: true });
const expired = makeAwsCredential({ name: 'old-session', expiresAt: Math.floor(Date.now() / 1000) - 1 });
const all = ['kms:Sign', 'kms:GetPublicKey'] as const;
const allow = {
  [role.principal]: [...all],
  [user.principal]: [...all],
  [expired.principal]: [...all],
  [reader.principal]: ['kms:GetPublicKey' as const],
};

const rsa = makeKmsKey('RSA_2048', { aliases: ['alias/app', 'alias/app-2'], allow });
const rsa4096 = makeKmsKey('RSA_4096', { allow });
const ec = makeKmsKey('ECC_NIST_P256', { aliases: ['alias/ec'], allow });
const p384 = makeKmsKey('ECC_NIST_P384', { allow });
const symmetric = makeKmsKey('SYMMETRIC_DEFAULT', { allow });
const hmac = makeKmsKey('HMAC_256', { allow });
const encryption = makeKmsKey('RSA_3072', { keyUsage: 'ENCRYPT_DECRYPT', allow });
const pssOnly = makeKmsKey('RSA_2048', { signingAlgorithms: ['RSASSA_PSS_SHA_256'], allow });
const disabled = makeKmsKey('RSA_2048', { state: 'Disabled', allow });
const deleting = makeKmsKey('RSA_2048', { state: 'PendingDeletion', allow });
const importing = makeKmsKey('RSA_2048', { state: 'PendingImport', allow });
const keys = [rsa, rsa4096, ec, p384, symmetric, hmac, encryption, pssOnly, disabled, deleting, importing];
const credentials = [role, reader, user, expired];

let kms: AwsKmsEmulator;
const started: AwsKmsEmulator[] = [];
async function start(options: Partial<AwsKmsEmulatorOptions> = {}): Promise<AwsKmsEmulator> {
  const emulator = await startAwsKmsEmulator({ keys, credentials, ...options });
  started.push(emulator);
  return emulator;
}
beforeEach(async () => {
  kms = await start();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

function client(
  credential: Pick<EmulatedAwsCredential, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> = role,
  config: KMSClientConfig = {},
  emulator = kms,
): KMSClient {
  const { accessKeyId, secretAccessKey, sessionToken } = credential;
  return new KMSClient({
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    maxAttempts: 1,
    ...config,
  });
}

const sha = (name: string, data: Buffer) => createHash(name).update(data).digest();
const publicOf = (key: EmulatedKmsKey) => createPublicKey(key.privateKey!);
const message = Buffer.from('eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOjEyMzQ1Nn0');

async function sdkError(promise: Promise<unknown>): Promise<KMSServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KMSServiceException) return error;
    throw error;
  }
  throw new Error('the request succeeded');
}

/** What a user of the SDK sees of an error: its class name, its message, the HTTP status. */
async function seen(promise: Promise<unknown>): Promise<[string, string, number | undefined]> {
  const error = await sdkError(promise);
  return [error.name, error.message, error.$metadata.httpStatusCode];
}

const signCommand = (KeyId: string, overrides: Partial<ConstructorParameters<typeof SignCommand>[0]> = {}) =>
  new SignCommand({
    KeyId,
    Message: sha('sha256', message),
    MessageType: 'DIGEST',
    SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    ...overrides,
  });

// ----------------------------------------------------------------------------------------------------------

describe('Sign', () => {
  test('RSASSA_PKCS1_V1_5_SHA_256 over a DIGEST: the RS256 signature of the message', async () => {
    const answer = await client().send(signCommand(rsa.keyId));
    expect(answer.KeyId).toBe(kms.keyArn(rsa));
    expect(answer.SigningAlgorithm).toBe('RSASSA_PKCS1_V1_5_SHA_256');
    expect(verify('sha256', message, publicOf(rsa), Buffer.from(answer.Signature!))).toBe(true);
  });

  test.each([
    ['RSASSA_PKCS1_V1_5_SHA_256', 'sha256'],
    ['RSASSA_PKCS1_V1_5_SHA_384', 'sha384'],
    ['RSASSA_PKCS1_V1_5_SHA_512', 'sha512'],
    ['RSASSA_PSS_SHA_256', 'sha256'],
    ['RSASSA_PSS_SHA_384', 'sha384'],
    ['RSASSA_PSS_SHA_512', 'sha512'],
  ] as const)('%s, over a RAW message and over its DIGEST, verifies', async (algorithm, hash) => {
    const pss = algorithm.startsWith('RSASSA_PSS');
    const key = (k: KeyObject) =>
      pss ? { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: sha(hash, message).length } : k;
    for (const [MessageType, Message] of [
      ['RAW', message],
      ['DIGEST', sha(hash, message)],
    ] as const) {
      const answer = await client().send(
        signCommand(rsa4096.keyId, { SigningAlgorithm: algorithm as SigningAlgorithmSpec, MessageType, Message }),
      );
      expect(verify(hash, message, key(publicOf(rsa4096)), Buffer.from(answer.Signature!))).toBe(true);
    }
  });

  test('ECDSA_SHA_256 over a RAW message verifies (DER signature)', async () => {
    const answer = await client().send(
      signCommand('alias/ec', { SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'RAW', Message: message }),
    );
    expect(verify('sha256', message, publicOf(ec), Buffer.from(answer.Signature!))).toBe(true);
  });

  test.each([
    ['its key ID', () => rsa.keyId],
    ['its key ID in capitals', () => rsa.keyId.toUpperCase()],
    ['its key ARN', () => kms.keyArn(rsa)],
    ['an alias', () => 'alias/app'],
    ['another alias', () => 'alias/app-2'],
    ['an alias ARN', () => kms.aliasArn('alias/app')],
  ])('the key is named by %s', async (_, keyId) => {
    const answer = await client().send(signCommand(keyId()));
    expect(answer.KeyId).toBe(kms.keyArn(rsa));
  });

  test.each([
    [
      'an encryption key',
      () => encryption.keyId,
      {},
      () => MESSAGES.usageNotForSigning(kms.keyArn(encryption), 'ENCRYPT_DECRYPT'),
    ],
    [
      'an EC key with an RSA algorithm',
      () => ec.keyId,
      {},
      () => MESSAGES.algorithmIncompatible('RSASSA_PKCS1_V1_5_SHA_256', 'ECC_NIST_P256'),
    ],
    [
      'an RSA key with an ECDSA algorithm',
      () => rsa.keyId,
      { SigningAlgorithm: 'ECDSA_SHA_256' },
      () => MESSAGES.algorithmIncompatible('ECDSA_SHA_256', 'RSA_2048'),
    ],
    [
      'a PSS-only key with PKCS#1 v1.5',
      () => pssOnly.keyId,
      {},
      () => MESSAGES.algorithmIncompatible('RSASSA_PKCS1_V1_5_SHA_256', 'RSA_2048'),
    ],
    [
      'a symmetric key',
      () => symmetric.keyId,
      {},
      () => MESSAGES.usageNotForSigning(kms.keyArn(symmetric), 'ENCRYPT_DECRYPT'),
    ],
    ['an HMAC key', () => hmac.keyId, {}, () => MESSAGES.usageNotForSigning(kms.keyArn(hmac), 'GENERATE_VERIFY_MAC')],
  ] as const)('InvalidKeyUsageException for %s', async (_, keyId, overrides, said) => {
    expect(await seen(client().send(signCommand(keyId(), overrides as never)))).toEqual([
      'InvalidKeyUsageException',
      said(),
      400,
    ]);
  });

  test('a PSS-only key still signs with PSS', async () => {
    const answer = await client().send(
      signCommand(pssOnly.keyId, { SigningAlgorithm: 'RSASSA_PSS_SHA_256', MessageType: 'RAW', Message: message }),
    );
    const pss = { key: publicOf(pssOnly), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    expect(verify('sha256', message, pss, Buffer.from(answer.Signature!))).toBe(true);
  });

  test.each([
    ['a digest of the wrong length', { Message: Buffer.alloc(20) }, MESSAGES.digestLength('RSASSA_PKCS1_V1_5_SHA_256')],
    ['a message over 4096 bytes', { MessageType: 'RAW', Message: Buffer.alloc(4097) }, MESSAGES.messageLength],
    [
      'an unknown message type',
      { MessageType: 'EXTERNAL_MU' },
      MESSAGES.notInEnum('EXTERNAL_MU', 'messageType', ['DIGEST', 'RAW']),
    ],
  ] as const)('ValidationException for %s', async (_, overrides, said) => {
    expect(await seen(client().send(signCommand(rsa.keyId, overrides as never)))).toEqual([
      'ValidationException',
      said,
      400,
    ]);
  });
});

describe('GetPublicKey', () => {
  test('an RSA signing key: SPKI DER, key spec, usage and signing algorithms', async () => {
    const answer = await client().send(new GetPublicKeyCommand({ KeyId: 'alias/app' }));
    const der = createPublicKey({ key: Buffer.from(answer.PublicKey!), format: 'der', type: 'spki' });
    expect(der.equals(publicOf(rsa))).toBe(true);
    expect({ ...answer, PublicKey: undefined, $metadata: undefined }).toEqual({
      KeyId: kms.keyArn(rsa),
      PublicKey: undefined,
      CustomerMasterKeySpec: 'RSA_2048',
      KeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: [
        'RSASSA_PSS_SHA_256',
        'RSASSA_PSS_SHA_384',
        'RSASSA_PSS_SHA_512',
        'RSASSA_PKCS1_V1_5_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_384',
        'RSASSA_PKCS1_V1_5_SHA_512',
      ],
      $metadata: undefined,
    });
  });

  test('an RSA encryption key: its encryption algorithms, no signing ones', async () => {
    const answer = await client().send(new GetPublicKeyCommand({ KeyId: encryption.keyId }));
    expect([answer.KeySpec, answer.KeyUsage, answer.EncryptionAlgorithms, answer.SigningAlgorithms]).toEqual([
      'RSA_3072',
      'ENCRYPT_DECRYPT',
      ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
      undefined,
    ]);
  });

  test.each([
    [ec, 'ECC_NIST_P256', ['ECDSA_SHA_256']],
    [p384, 'ECC_NIST_P384', ['ECDSA_SHA_384']],
  ])('an EC key: its curve and ECDSA', async (key, spec, algorithms) => {
    const answer = await client().send(new GetPublicKeyCommand({ KeyId: key.keyId }));
    const der = createPublicKey({ key: Buffer.from(answer.PublicKey!), format: 'der', type: 'spki' });
    expect([der.asymmetricKeyType, answer.KeySpec, answer.SigningAlgorithms]).toEqual(['ec', spec, algorithms]);
  });

  test.each([
    ['a symmetric key', symmetric],
    ['an HMAC key', hmac],
  ])('%s has no public key: UnsupportedOperationException, its Message read by the SDK', async (_, key) => {
    expect(await seen(client().send(new GetPublicKeyCommand({ KeyId: key.keyId })))).toEqual([
      'UnsupportedOperationException',
      MESSAGES.noPublicKey(kms.keyArn(key)),
      400,
    ]);
  });
});

describe('key lookup, the key policy and key states', () => {
  test.each([
    ['an unknown alias', () => 'alias/nope', () => MESSAGES.aliasNotFound(kms.aliasArn('alias/nope'))],
    [
      'an unknown alias ARN',
      () => kms.aliasArn('alias/nope'),
      () => MESSAGES.aliasNotFound(kms.aliasArn('alias/nope')),
    ],
    [
      'an unknown key ID',
      () => '11111111-2222-3333-4444-555555555555',
      () => MESSAGES.keyNotFound(kms.keyArn({ keyId: '11111111-2222-3333-4444-555555555555' } as EmulatedKmsKey)),
    ],
    ['a malformed key ID', () => 'my-key', () => MESSAGES.invalidKeyId('my-key')],
    [
      "another account's key ARN",
      () => `arn:aws:kms:us-east-1:444455556666:key/${rsa.keyId}`,
      () => MESSAGES.keyNotFound(`arn:aws:kms:us-east-1:444455556666:key/${rsa.keyId}`),
    ],
    [
      "another region's key ARN",
      () => `arn:aws:kms:eu-west-1:${kms.accountId}:key/${rsa.keyId}`,
      () => MESSAGES.invalidArn('eu-west-1'),
    ],
  ])('NotFoundException for %s, which the SDK throws as its NotFoundException', async (_, keyId, said) => {
    const error = await sdkError(client().send(signCommand(keyId())));
    expect(error).toBeInstanceOf(NotFoundException);
    expect([error.name, error.message, error.$metadata.httpStatusCode, error.$fault]).toEqual([
      'NotFoundException',
      said(),
      400,
      'client',
    ]);
  });

  test('AccessDeniedException names the principal, the action and the key: Message read by the SDK', async () => {
    expect(await seen(client(reader).send(signCommand('alias/app')))).toEqual([
      'AccessDeniedException',
      MESSAGES.accessDenied(reader.principal, 'kms:Sign', kms.keyArn(rsa)),
      400,
    ]);
    // The reader may still read the public key.
    await client(reader).send(new GetPublicKeyCommand({ KeyId: 'alias/app' }));
    expect(kms.requests.map((r) => (r.body as Record<string, string>).KeyId)).toEqual(['alias/app', 'alias/app']);
  });

  test('a key policy that allows nothing refuses GetPublicKey too', async () => {
    const closed = await start({ keys: [{ ...rsa, allow: {} }] });
    expect(await seen(client(role, {}, closed).send(new GetPublicKeyCommand({ KeyId: rsa.keyId })))).toEqual([
      'AccessDeniedException',
      MESSAGES.accessDenied(role.principal, 'kms:GetPublicKey', closed.keyArn(rsa)),
      400,
    ]);
  });

  test.each([
    ['disabled', disabled, 'DisabledException', () => MESSAGES.disabled(kms.keyArn(disabled))],
    ['pending deletion', deleting, 'KMSInvalidStateException', () => MESSAGES.pendingDeletion(kms.keyArn(deleting))],
    ['pending import', importing, 'KMSInvalidStateException', () => MESSAGES.pendingImport(kms.keyArn(importing))],
  ])('a key %s refuses Sign and GetPublicKey', async (_, key, type, said) => {
    expect(await seen(client().send(signCommand(key.keyId)))).toEqual([type, said(), 400]);
    expect(await seen(client().send(new GetPublicKeyCommand({ KeyId: key.keyId })))).toEqual([type, said(), 400]);
  });

  test('the key state is read live: a key disabled between two requests', async () => {
    const key = makeKmsKey('RSA_2048', { allow });
    const live = await start({ keys: [key] });
    await client(role, {}, live).send(signCommand(key.keyId));
    key.state = 'Disabled';
    expect((await seen(client(role, {}, live).send(signCommand(key.keyId))))[0]).toBe('DisabledException');
    expect(live.operations().map((op) => op.outcome)).toEqual(['ok', 'DisabledException']);
  });

  test('the operations are recorded with the access key that signed them', async () => {
    await client(user).send(new GetPublicKeyCommand({ KeyId: 'alias/app' }));
    await sdkError(client(user).send(signCommand('alias/nope')));
    expect(kms.operations()).toEqual([
      { operation: 'GetPublicKey', keyId: 'alias/app', accessKeyId: user.accessKeyId, outcome: 'ok' },
      { operation: 'Sign', keyId: 'alias/nope', accessKeyId: user.accessKeyId, outcome: 'NotFoundException' },
    ]);
  });
});

describe('Signature Version 4', () => {
  test.each([
    [
      'an unknown access key',
      { ...role, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' },
      'UnrecognizedClientException',
      MESSAGES.unrecognizedClient,
    ],
    [
      'a wrong secret key',
      { ...role, secretAccessKey: 'not-the-secret' },
      'InvalidSignatureException',
      MESSAGES.signatureMismatch,
    ],
    [
      'no session token for temporary credentials',
      { ...role, sessionToken: undefined },
      'UnrecognizedClientException',
      MESSAGES.unrecognizedClient,
    ],
    [
      'a session token of another session',
      { ...role, sessionToken: reader.sessionToken },
      'UnrecognizedClientException',
      MESSAGES.unrecognizedClient,
    ],
    [
      'a long-term key sent with a session token',
      { ...user, sessionToken: role.sessionToken },
      'UnrecognizedClientException',
      MESSAGES.unrecognizedClient,
    ],
    ['expired credentials', expired, 'ExpiredTokenException', MESSAGES.expiredToken],
  ])('%s is refused, as the SDK parses it', async (_, credential, type, said) => {
    expect(await seen(client(credential).send(signCommand(rsa.keyId)))).toEqual([type, said, 400]);
    expect(kms.operations()[0].outcome).toBe(type);
  });

  test('long-term credentials (no session token) are taken', async () => {
    await client(user).send(signCommand(rsa.keyId));
    expect(kms.requests[0].headers['x-amz-security-token']).toBeUndefined();
  });

  test("a credential scoped to another region: the region from the request's scope is refused", async () => {
    expect(await seen(client(role, { region: 'eu-central-1' }).send(signCommand(rsa.keyId)))).toEqual([
      'InvalidSignatureException',
      MESSAGES.wrongRegion('eu-central-1'),
      400,
    ]);
    const euKms = await start({ region: 'eu-central-1' });
    const answer = await client(role, { region: 'eu-central-1' }, euKms).send(signCommand(rsa.keyId));
    expect(answer.KeyId).toBe(`arn:aws:kms:eu-central-1:111122223333:key/${rsa.keyId}`);
  });

  test('a body changed after signing no longer matches the signature', async () => {
    const tampering = client();
    tampering.middlewareStack.addRelativeTo(
      ((next: (args: { request: { body: Uint8Array | string } }) => Promise<unknown>) =>
        async (args: { request: { body: Uint8Array | string } }) => {
          const text = Buffer.from(args.request.body).toString('utf8');
          // The same length: the signed Content-Length still holds.
          args.request.body = text.replace('RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_512');
          return next(args);
        }) as never,
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' },
    );
    expect(await seen(tampering.send(signCommand(rsa.keyId)))).toEqual([
      'InvalidSignatureException',
      MESSAGES.signatureMismatch,
      400,
    ]);
  });

  test("a server clock 20 minutes ahead: the SDK is told 'Signature expired', corrects its clock and is taken", async () => {
    const ahead = await start({ clockOffsetSeconds: 20 * 60 });
    const answer = await client(role, { maxAttempts: 3 }, ahead).send(signCommand(rsa.keyId));
    expect(answer.$metadata.attempts).toBe(2);
    expect(ahead.operations().map((op) => op.outcome)).toEqual(['InvalidSignatureException', 'ok']);
  });

  test('the same clock, without the retry: the exact refusal', async () => {
    const ahead = await start({ clockOffsetSeconds: 20 * 60 });
    const [type, said] = await seen(client(role, {}, ahead).send(signCommand(rsa.keyId)));
    expect(type).toBe('InvalidSignatureException');
    expect(said).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const behind = await start({ clockOffsetSeconds: -20 * 60 });
    const [, later] = await seen(client(role, {}, behind).send(signCommand(rsa.keyId)));
    expect(later).toMatch(
      /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/,
    );
  });
});

// ----------------------------------------------------------------------------------------------------------
// Raw requests, signed by AWS's signer: what the SDK never sends.

const bytes = (data: string | ArrayBuffer | ArrayBufferView): string | Buffer =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** The hash AWS's signer asks for, from node:crypto. */
class Sha256 {
  readonly #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {}
}

async function raw(
  options: {
    service?: string;
    region?: string;
    credential?: EmulatedAwsCredential;
    target?: string;
    body?: string;
    contentType?: string;
    edit?: (headers: Record<string, string>) => void;
    unsigned?: boolean;
  } = {},
): Promise<{ status: number; body: Record<string, string> }> {
  const url = new URL(kms.url);
  const body = options.body ?? JSON.stringify({ KeyId: rsa.keyId });
  let request = {
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: {
      host: url.host,
      'content-type': options.contentType ?? 'application/x-amz-json-1.1',
      'x-amz-target': options.target ?? 'TrentService.GetPublicKey',
    } as Record<string, string>,
    body,
  };
  if (!options.unsigned) {
    const credential = options.credential ?? role;
    const signer = new SignatureV4({
      service: options.service ?? 'kms',
      region: options.region ?? 'us-east-1',
      credentials: credential,
      sha256: Sha256,
    });
    request = (await signer.sign(request)) as typeof request;
  }
  options.edit?.(request.headers);
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: 'POST', headers: request.headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

describe('Signature Version 4, raw requests', () => {
  test("AWS's signer, unchanged: taken", async () => {
    const answer = await raw();
    expect(answer.status).toBe(200);
    expect(answer.body.KeyId).toBe(kms.keyArn(rsa));
  });

  test.each([
    ['no signature at all', { unsigned: true }, 'MissingAuthenticationTokenException', MESSAGES.missingAuthentication],
    ['a signature for another service', { service: 'sts' }, 'InvalidSignatureException', MESSAGES.wrongService],
    [
      'a signed header changed',
      { edit: (h: Record<string, string>) => (h['x-amz-target'] = 'TrentService.Sign') },
      'InvalidSignatureException',
      MESSAGES.signatureMismatch,
    ],
    [
      'no X-Amz-Date',
      { edit: (h: Record<string, string>) => delete h['x-amz-date'] },
      'IncompleteSignatureException',
      MESSAGES.noDate,
    ],
    [
      'an Authorization without its Signature',
      { edit: (h: Record<string, string>) => (h.authorization = h.authorization.replace(/, Signature=.*$/, '')) },
      'IncompleteSignatureException',
      "Authorization header requires 'Signature' parameter.",
    ],
    [
      'Host left out of the signed headers',
      {
        edit: (h: Record<string, string>) =>
          (h.authorization = h.authorization.replace(
            'SignedHeaders=content-type;host;',
            'SignedHeaders=content-type;',
          )),
      },
      'IncompleteSignatureException',
      MESSAGES.hostNotSigned,
    ],
  ])('%s', async (_, options, type, said) => {
    expect(await raw(options)).toEqual({
      status: 400,
      body: { __type: `com.amazon.coral.service#${type}`, message: said },
    });
  });

  test('an operation KMS does not have, correctly signed', async () => {
    expect(await raw({ target: 'TrentService.Frobnicate' })).toEqual({
      status: 400,
      body: { __type: 'UnknownOperationException' },
    });
  });

  test('a body that is not a JSON object, correctly signed', async () => {
    expect(await raw({ body: '[1,2]' })).toEqual({
      status: 400,
      body: { __type: 'SerializationException', message: 'Start of structure or map found where not expected.' },
    });
  });
});

describe('the container credentials endpoint', () => {
  test('serves the credential the SDK default chain picks up (AWS_CONTAINER_CREDENTIALS_FULL_URI)', async () => {
    const task = makeAwsCredential({ name: 'ecs-task' });
    const key = makeKmsKey('RSA_2048', { allow: { [task.principal]: ['kms:Sign'] } });
    const token = 'Bearer container-token-1234';
    const emulator = await start({ keys: [key], credentials: [task], containerAuthorizationToken: token });
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: emulator.containerCredentialsUri(task),
        AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
      });
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
        delete process.env[name];
      const sdk = new KMSClient({ region: 'us-east-1', endpoint: emulator.url });
      const answer = await sdk.send(signCommand(key.keyId));
      expect(verify('sha256', message, publicOf(key), Buffer.from(answer.Signature!))).toBe(true);
      expect(emulator.requests.map((r) => [r.method, r.path, r.headers.authorization?.slice(0, 16)])).toEqual([
        ['GET', `/v2/credentials/${task.accessKeyId}`, token.slice(0, 16)],
        ['POST', '/', `AWS4-HMAC-SHA256`],
      ]);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  test('refuses a wrong authorization token and names no credential it does not have', async () => {
    const emulator = await start({ containerAuthorizationToken: 'right' });
    const get = (path: string, authorization: string) =>
      fetch(`${emulator.url}${path}`, { headers: { authorization } }).then(async (r) => [r.status, await r.json()]);
    expect(await get(`/v2/credentials/${role.accessKeyId}`, 'wrong')).toEqual([
      401,
      { Code: 'AccessDenied', Message: 'Unauthorized' },
    ]);
    expect(await get(`/v2/credentials/${user.accessKeyId}`, 'right')).toEqual([
      404,
      { Code: 'NotFound', Message: 'No credentials for this task' },
    ]);
  });
});

test('makeKmsKey refuses key material that does not fit the key spec', () => {
  const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  expect(() => makeKmsKey('RSA_2048', { privateKey: ecPem.toString() })).toThrow('is not a rsa key');
  expect(() => makeKmsKey('RSA_4096', { privateKey: rsa.privateKey })).toThrow('is not 4096 bits');
  expect(() => makeKmsKey('ECC_NIST_P256', { keyUsage: 'ENCRYPT_DECRYPT' })).toThrow(
    'cannot have usage ENCRYPT_DECRYPT',
  );
});

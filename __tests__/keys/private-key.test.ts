import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { InputError } from '../../src/errors.js';
import { normalizePrivateKey, PrivateKeyError } from '../../src/keys/private-key.js';
import { acceptedKeyForms, APP_KEY_PEM, rejectedKeyForms, type KeyForm } from '../../test/key-forms.ts';

const expectedKey = createPrivateKey(APP_KEY_PEM).export({ format: 'der', type: 'pkcs1' });
const keyLines = APP_KEY_PEM.trim().split('\n').slice(1, -1);

/** Key types and PEM blocks beyond the shared list, each with the words the action uses for it. */
function moreRejectedForms(): KeyForm[] {
  const pem = { format: 'pem', type: 'pkcs8' } as const;
  const pkcs8 = {
    dsa: generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey.export(pem),
    ed448: generateKeyPairSync('ed448').privateKey.export(pem),
    'rsa-pss': generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).privateKey.export(pem),
    x25519: generateKeyPairSync('x25519').privateKey.export(pem),
  };
  const block = (label: string, body = keyLines.slice(0, 3).join('\n')) =>
    `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
  const longText = 'x'.repeat(250);
  return [
    { name: 'a DSA key (PKCS#8)', text: pkcs8.dsa.toString(), error: /is a DSA key; RS256/ },
    { name: 'an Ed448 key', text: pkcs8.ed448.toString(), error: /is an Ed448 key; RS256/ },
    { name: 'an RSA-PSS key', text: pkcs8['rsa-pss'].toString(), error: /is an RSA-PSS key; RS256/ },
    { name: 'an X25519 key', text: pkcs8.x25519.toString(), error: /is an X25519 key; RS256/ },
    { name: 'a DSA PRIVATE KEY block', text: block('DSA PRIVATE KEY'), error: /^Input 'private-key': is a DSA key/ },
    {
      name: 'an RSA PUBLIC KEY block',
      text: createPublicKey(APP_KEY_PEM).export({ format: 'pem', type: 'pkcs1' }).toString(),
      error: /public key; signing needs the private key/,
    },
    { name: 'a block of another type', text: block('X509 CRL'), error: /a PEM block of type "X509 CRL", not an RSA/ },
    {
      name: 'a hex key fingerprint',
      text: '1f:2e:3d:4c:5b:6a:79:88:97:a6:b5:c4:d3:e2:f1:00',
      error: /key fingerprint \(as the app's settings page lists it\)/,
    },
    { name: 'a fine-grained token', text: `github_pat_${'A1'.repeat(30)}`, error: /GitHub token, not a private key/ },
    {
      name: 'a long text that is neither PEM nor base64 of one',
      text: longText,
      error: /^Input 'private-key': is 250 characters, no "-----BEGIN" line and is not a base64-encoded PEM either/,
    },
    {
      name: 'base64 that does not decode to a PEM',
      text: Buffer.from('x'.repeat(300)).toString('base64'),
      error: /no "-----BEGIN" line and is not a base64-encoded PEM either/,
    },
  ];
}

describe('accepted forms give the same RSA key', () => {
  test.each(acceptedKeyForms().map((f) => [f.name, f.text]))('%s', (_name, text) => {
    const { key } = normalizePrivateKey(text);
    expect(key.export({ format: 'der', type: 'pkcs1' }).equals(expectedKey)).toBe(true);
  });
});

describe('rejected forms say what was found and never quote the key', () => {
  test.each([...rejectedKeyForms(), ...moreRejectedForms()].map((f) => [f.name, f.text, f.error!]))(
    '%s',
    (_name, text, error) => {
      let thrown: unknown;
      try {
        normalizePrivateKey(text);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(PrivateKeyError);
      expect(thrown).toBeInstanceOf(InputError);
      expect((thrown as InputError).input).toBe('private-key');
      const message = (thrown as Error).message;
      expect(message).toMatch(/^Input 'private-key': /);
      expect(message).toMatch(error);
      for (const line of text.split(/\r?\n|\\n/).filter((l) => l.length >= 16 && !l.startsWith('-----')))
        expect(message).not.toContain(line);
      for (const line of keyLines) expect(message).not.toContain(line);
    },
  );
});

test('every line of the key is listed for masking, and no PEM armour line', () => {
  const { secrets } = normalizePrivateKey(APP_KEY_PEM);
  for (const line of keyLines) expect(secrets).toContain(line);
  expect(secrets.some((s) => s.startsWith('-----'))).toBe(false);
});

test('the base64 text of an encoded key is listed for masking too', () => {
  const encoded = Buffer.from(APP_KEY_PEM).toString('base64');
  expect(normalizePrivateKey(encoded).secrets).toContain(encoded);
});

test('a key pasted with its body on one line is masked in 64-character lines too, as a PEM shows it', () => {
  const { secrets } = normalizePrivateKey(acceptedKeyForms().find((f) => f.name.startsWith('body lines'))!.text);
  for (const line of keyLines) expect(secrets).toContain(line);
});

test('nothing shorter than 8 characters is listed for masking', () => {
  expect(normalizePrivateKey(APP_KEY_PEM).secrets.every((s) => s.length >= 8)).toBe(true);
});

describe('PEM armor that is not standard: an error that says what the line should read, never a crash', () => {
  const lines = APP_KEY_PEM.trim().split('\n');
  const body = lines.slice(1, -1).join('\n');
  const armored = (begin: string, end = begin.replace(/BEGIN/i, (w) => (w === 'BEGIN' ? 'END' : 'end'))) =>
    `${begin}\n${body}\n${end}\n`;
  const errorOf = (text: string) => {
    try {
      normalizePrivateKey(text);
    } catch (error) {
      if (error instanceof PrivateKeyError) return error.message;
      throw error;
    }
    throw new Error('accepted');
  };
  const SHOULD = 'It should read exactly -----BEGIN RSA PRIVATE KEY-----: five dashes, BEGIN in capitals, one space';

  test.each([
    [
      'lowercase',
      armored('-----begin rsa private key-----'),
      "'begin' instead of BEGIN in capitals; a label in lowercase",
    ],
    [
      'four dashes',
      armored('----BEGIN RSA PRIVATE KEY----'),
      '4 dashes before BEGIN instead of 5; 4 dashes after the label instead of 5',
    ],
    ['six dashes after', armored('-----BEGIN RSA PRIVATE KEY------'), '6 dashes after the label instead of 5'],
    ['underscores', armored('-----BEGIN RSA_PRIVATE_KEY-----'), "'_' instead of spaces in the label"],
    ['two spaces after BEGIN', armored('-----BEGIN  RSA PRIVATE KEY-----'), 'more than one space after BEGIN'],
    ['no space after BEGIN', armored('-----BEGINRSA PRIVATE KEY-----'), 'no space after BEGIN'],
    ['a space inside the dashes', armored('----- BEGIN RSA PRIVATE KEY-----'), 'a space between the dashes and BEGIN'],
    [
      'a space before the closing dashes',
      armored('-----BEGIN RSA PRIVATE KEY -----'),
      'a space before the closing dashes',
    ],
    ['no closing dashes', armored('-----BEGIN RSA PRIVATE KEY'), 'no dashes after the label'],
  ])('%s', (_what, text, problem) => {
    const message = errorOf(text);
    expect(message).toBe(
      `Input 'private-key': has a BEGIN line that is not PEM armor (${problem}). ${SHOULD}, the key type in capitals, five dashes, alone on its line. The file was changed after it was downloaded: store the .pem file in the secret unchanged.`,
    );
    for (const line of lines.slice(1, -1)) expect(message).not.toContain(line);
  });

  test('an empty label: the expected line names both common types', () => {
    expect(errorOf(armored('-----BEGIN -----', '-----END -----'))).toMatch(
      /has a BEGIN line that is not PEM armor \(no label after it \(the key type, such as RSA PRIVATE KEY\)\)\. It should read exactly -----BEGIN RSA PRIVATE KEY----- \(or -----BEGIN PRIVATE KEY-----\)/,
    );
  });

  test('a PKCS#8 key with lowercase armor is told its own label', () => {
    expect(errorOf(armored('-----begin private key-----'))).toMatch(
      /It should read exactly -----BEGIN PRIVATE KEY-----:/,
    );
  });

  test('a standard BEGIN line and an odd END line: the END line is the one named', () => {
    expect(errorOf(armored('-----BEGIN RSA PRIVATE KEY-----', '----END RSA PRIVATE KEY----'))).toMatch(
      /^Input 'private-key': has a END line that is not PEM armor \(4 dashes before END instead of 5; 4 dashes after the label instead of 5\)\. It should read exactly -----END RSA PRIVATE KEY-----/,
    );
  });

  test('BEGIN and END lines that name different types', () => {
    expect(errorOf(armored('-----BEGIN RSA PRIVATE KEY-----', '-----END PRIVATE KEY-----'))).toBe(
      'Input \'private-key\': begins with "-----BEGIN RSA PRIVATE KEY-----" but ends with "-----END PRIVATE KEY-----": the two lines must name the same type. Store the .pem file in the secret unchanged.',
    );
  });

  test('an END line with no BEGIN line: the start was lost', () => {
    expect(errorOf(`${body}\n-----END RSA PRIVATE KEY-----\n`)).toBe(
      'Input \'private-key\': has a "-----END RSA PRIVATE KEY-----" line but no "-----BEGIN RSA PRIVATE KEY-----" line: the start of the key was lost when it was copied. Store the whole .pem file in the secret, BEGIN line included.',
    );
  });

  test('odd armor inside a base64-encoded file is found too', () => {
    expect(errorOf(Buffer.from(armored('-----begin rsa private key-----')).toString('base64'))).toMatch(
      /has a BEGIN line that is not PEM armor/,
    );
  });

  test('a one-line key whose armor lost its closing dashes: no part of the body is quoted', () => {
    const oneLine = `-----BEGIN RSA PRIVATE KEY ${lines.slice(1, -1).join('')} -----END RSA PRIVATE KEY-----`;
    const message = errorOf(oneLine);
    expect(message).toMatch(/has a BEGIN line that is not PEM armor/);
    expect(message).not.toMatch(/MII/);
  });

  test('the masks of a key with odd armor are its lines still', async () => {
    const { pemPieces } = await import('../../src/keys/private-key.js');
    const pieces = pemPieces(armored('----BEGIN RSA PRIVATE KEY----'));
    for (const line of lines.slice(1, -1)) expect(pieces).toContain(line);
  });
});

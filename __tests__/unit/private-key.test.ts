import { createPrivateKey } from 'node:crypto';
import { normalizePrivateKey, PrivateKeyError } from '../../src/private-key.js';
import { acceptedKeyForms, APP_KEY_PEM, rejectedKeyForms } from '../../test/key-forms.ts';

const expectedKey = createPrivateKey(APP_KEY_PEM).export({ format: 'der', type: 'pkcs1' });
const keyLines = APP_KEY_PEM.trim().split('\n').slice(1, -1);

describe('accepted forms give the same RSA key', () => {
  test.each(acceptedKeyForms().map((f) => [f.name, f.text]))('%s', (_name, text) => {
    const { key } = normalizePrivateKey(text);
    expect(key.export({ format: 'der', type: 'pkcs1' }).equals(expectedKey)).toBe(true);
  });
});

describe('rejected forms say what was found and never quote the key', () => {
  test.each(rejectedKeyForms().map((f) => [f.name, f.text, f.error!]))('%s', (_name, text, error) => {
    let thrown: unknown;
    try {
      normalizePrivateKey(text);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PrivateKeyError);
    const message = (thrown as Error).message;
    expect(message).toMatch(error);
    for (const line of text.split(/\r?\n|\\n/).filter((l) => l.length >= 16 && !l.startsWith('-----')))
      expect(message).not.toContain(line);
    for (const line of keyLines) expect(message).not.toContain(line);
  });
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

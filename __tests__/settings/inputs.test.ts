import { InputError } from '../../src/errors.js';
import { PrivateKeyError } from '../../src/keys/private-key.js';
import { createInputReader, isSet } from '../../src/settings/inputs.js';
import { APP_KEY_PEM } from '../../test/key-forms.ts';

const reader = (inputs: Record<string, string>) => createInputReader((name) => inputs[name] ?? '');
const RANGE = { min: 1, max: 600, fallback: 540 };
const WHY = 'GitHub refuses app JWTs that expire more than 10 minutes ahead.';

async function errorOf(act: () => unknown): Promise<InputError> {
  try {
    await act();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('text', () => {
  test('is trimmed, and empty for an input that is not given', () => {
    const read = reader({ owner: '  octo-org \n' });
    expect(read.text('owner')).toBe('octo-org');
    expect(read.text('repositories')).toBe('');
  });
});

describe('boolean', () => {
  test.each(['true', 'True', 'TRUE'])('%j is true', (value) => {
    expect(reader({ exchange: value }).boolean('exchange')).toBe(true);
  });

  test.each(['', 'false', 'False', 'FALSE', '  false  '])('%j is false', (value) => {
    expect(reader({ exchange: value }).boolean('exchange')).toBe(false);
  });

  test.each(['yes', '1', 'tRUE', 'on'])('%j is an error that names the input and says what to write', async (value) => {
    const error = await errorOf(() => reader({ exchange: value }).boolean('exchange'));
    expect(error.input).toBe('exchange');
    expect(error.message).toBe(`Input 'exchange': '${value}' is not a boolean: write true or false.`);
  });
});

describe('seconds', () => {
  test('an empty input gives the fallback', () => {
    expect(reader({}).seconds('jwt-expires-in', RANGE, WHY)).toBe(540);
  });

  test('the ends of the range are accepted, and whitespace around the number is not a problem', () => {
    expect(reader({ 'jwt-expires-in': '1' }).seconds('jwt-expires-in', RANGE, WHY)).toBe(1);
    expect(reader({ 'jwt-expires-in': ' 600\n' }).seconds('jwt-expires-in', RANGE, WHY)).toBe(600);
  });

  test.each(['0', '601', '-5', '1.5', 'ten', '1e2', '0x10', '+60'])(
    '%j is an error with the range and the reason',
    async (value) => {
      const error = await errorOf(() => reader({ 'jwt-expires-in': value }).seconds('jwt-expires-in', RANGE, WHY));
      expect(error.input).toBe('jwt-expires-in');
      expect(error.message).toBe(
        `Input 'jwt-expires-in': '${value}' is not a whole number of seconds from 1 to 600. ${WHY}`,
      );
    },
  );
});

describe('privateKey', () => {
  test('reads the private-key input as an RSA key with its lines to mask', () => {
    const { key, secrets } = reader({ 'private-key': APP_KEY_PEM }).privateKey();
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(secrets).toContain(APP_KEY_PEM.trim().split('\n')[1]);
  });

  test('a private-key problem is an InputError on private-key', async () => {
    const error = await errorOf(() => reader({}).privateKey());
    expect(error).toBeInstanceOf(PrivateKeyError);
    expect(error.input).toBe('private-key');
    expect(error.message).toMatch(/^Input 'private-key': is empty/);
  });
});

describe('yamlOrJson', () => {
  test('an empty input is undefined', async () => {
    expect(await reader({ acl: '  ' }).yamlOrJson('acl')).toBeUndefined();
  });

  test('reads JSON and YAML alike; a bare YAML key is null', async () => {
    expect(await reader({ acl: '{"paths": {"/a": {}}}' }).yamlOrJson('acl')).toEqual({ paths: { '/a': {} } });
    expect(await reader({ acl: 'paths:\n  /a:\n  /b: {}\n' }).yamlOrJson('acl')).toEqual({
      paths: { '/a': null, '/b': {} },
    });
  });

  test("text that does not parse is an error with the parser's first line only", async () => {
    const error = await errorOf(() => reader({ acl: '{"paths": ' }).yamlOrJson('acl'));
    expect(error.input).toBe('acl');
    expect(error.message).toMatch(/^Input 'acl': is not valid YAML or JSON \([^\n]+\)\.$/);
  });
});

describe('isSet', () => {
  test.each([
    ['', false],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['true', true],
    ['0', true],
    ['octo-org', true],
  ])('%j: %s', (value, set) => {
    expect(isSet(value)).toBe(set);
  });
});

describe('a secret in the wrong input is described, never quoted', () => {
  const GHS = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
  test('boolean', async () => {
    const error = await errorOf(() => reader({ exchange: GHS }).boolean('exchange'));
    expect(error.message).toBe(
      "Input 'exchange': a GitHub token (40 characters) is not a boolean: write true or false.",
    );
  });

  test('seconds', async () => {
    const error = await errorOf(() => reader({ 'jwt-expires-in': APP_KEY_PEM }).seconds('jwt-expires-in', RANGE, WHY));
    expect(error.message).toMatch(
      /^Input 'jwt-expires-in': a PEM private key \(\d+ lines, \d+ characters\) is not a whole number/,
    );
  });
});

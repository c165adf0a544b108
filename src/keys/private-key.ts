import { createPrivateKey, type KeyObject } from 'node:crypto';
import { InputError } from '../errors.js';

/** Why the private-key input cannot be used. The message never quotes the key. */
export class PrivateKeyError extends InputError {
  constructor(detail: string) {
    super('private-key', detail);
  }
}

export interface PrivateKey {
  key: KeyObject;
  /** Every form of the key that could reach a log, each PEM line included, for the runner to mask. */
  secrets: string[];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)(?:-----END \1-----|$)/g;
const DOWNLOAD_HINT =
  "The key is the file downloaded when it was made (a GitHub App's settings page > Private keys > Generate a " +
  "private key; a Vonage application's private.key); store the whole file, BEGIN and END lines included, in the secret.";
const KEY_TYPE_NAMES: Record<string, string> = { ed25519: 'Ed25519', ed448: 'Ed448', 'rsa-pss': 'RSA-PSS', dsa: 'DSA' };

function unwrap(text: string): string {
  let value = text.trim();
  const quoted = /^(['"])([\s\S]*)\1$/.exec(value);
  if (quoted) value = quoted[2].trim();
  // Literal "\n" escapes (a key pasted as one JSON-ish line) and Windows line ends.
  return value.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
}

function decodeBase64Pem(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/=_\-\s]+$/.test(value)) return undefined;
  const decoded = Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
  // Armor of any form: a decoded file with odd armor gets the armor error, not "not base64".
  return hasArmor(decoded) ? unwrap(decoded) : undefined;
}

function describeNonPem(value: string): string {
  const length = `${value.length} characters, no "-----BEGIN" line`;
  if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+) /.test(value))
    return `holds an OpenSSH public key, not a private key. ${DOWNLOAD_HINT}`;
  if (value.startsWith('PuTTY-User-Key-File'))
    return 'holds a PuTTY (.ppk) key. Convert it to PEM with `puttygen key.ppk -O private-openssh -o key.pem`, or use the .pem file the app settings page downloads.';
  if (/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(value) || /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(value))
    return `holds a key fingerprint (as the app's settings page lists it), not the key itself. ${DOWNLOAD_HINT}`;
  if (/^(gh[pousr]_|github_pat_)/.test(value)) return `holds a GitHub token, not a private key. ${DOWNLOAD_HINT}`;
  if (/^[0-9a-f]{40}$/i.test(value))
    return `holds 40 hexadecimal characters, which looks like an app's client secret, not its private key. ${DOWNLOAD_HINT}`;
  if (value.length < 200)
    return `is ${length}: that is a short string (a client secret, an ID, a fingerprint, or a secret's name instead of its value?), not a private key. ${DOWNLOAD_HINT}`;
  return `is ${length} and is not a base64-encoded PEM either. ${DOWNLOAD_HINT}`;
}

function describeLabel(label: string, body: string): string | undefined {
  switch (label) {
    case 'RSA PRIVATE KEY':
    case 'PRIVATE KEY':
      return body.includes('Proc-Type: 4,ENCRYPTED') ? describeLabel('ENCRYPTED PRIVATE KEY', body) : undefined;
    case 'ENCRYPTED PRIVATE KEY':
      return 'is encrypted with a passphrase, which the action cannot use. Decrypt it with `openssl pkey -in key.pem -out key-plain.pem` (it asks for the passphrase) and store key-plain.pem in the secret.';
    case 'OPENSSH PRIVATE KEY':
      return `is an OpenSSH private key (ssh-keygen's format, as for a deploy key), not a PEM key. If it is the RSA key you mean, convert a copy to PEM with \`ssh-keygen -p -m PEM -f key\`; otherwise use the app's key. ${DOWNLOAD_HINT}`;
    case 'PUBLIC KEY':
    case 'RSA PUBLIC KEY':
      return `holds a public key; signing needs the private key. ${DOWNLOAD_HINT}`;
    case 'CERTIFICATE':
      return `holds a certificate, not a private key. ${DOWNLOAD_HINT}`;
    case 'EC PRIVATE KEY':
      return 'is an EC key; RS256 JWTs need an RSA key of 2048 bits or more.';
    case 'DSA PRIVATE KEY':
      return 'is a DSA key; RS256 JWTs need an RSA key of 2048 bits or more.';
    default:
      return `holds a PEM block of type "${label}", not an RSA private key. ${DOWNLOAD_HINT}`;
  }
}

/** Where an armor line (BEGIN or END, standard or not) starts: two dashes or more, then the word. */
const ARMOR_START = /-{2,}[ \t]*(?:begin|end)/gi;
/** An armor line as RFC 7468 writes it: five dashes, BEGIN or END, one space, the label in capitals, five dashes. */
const STRICT_ARMOR = /-----(BEGIN|END) ([A-Z0-9]+(?: [A-Z0-9]+)*)-----(?!-)/y;
/** The same, loosely, to say what is wrong with it: the label is at most 40 letters, digits, spaces or '_'. */
const LOOSE_ARMOR = /(-+)([ \t]*)(begin|end)([ \t]*)([A-Za-z0-9_ \t]{0,40})(-*)/iy;
const KNOWN_LABELS = [
  'RSA PRIVATE KEY',
  'PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'CERTIFICATE',
];

/** What is wrong with a non-standard armor line at `index`, in words that never quote the key. */
function describeArmor(value: string, index: number): string {
  LOOSE_ARMOR.lastIndex = index;
  const [, before, gap, word, space, rawLabel, after] = LOOSE_ARMOR.exec(value) ?? ['', '', '', 'BEGIN', ' ', '', ''];
  const keyword = word.toUpperCase();
  const label = rawLabel.trim();
  const problems: string[] = [];
  if (before.length !== 5) problems.push(`${before.length} dashes before ${keyword} instead of 5`);
  if (gap) problems.push(`a space between the dashes and ${keyword}`);
  if (word !== keyword) problems.push(`'${word}' instead of ${keyword} in capitals`);
  if (!label) problems.push('no label after it (the key type, such as RSA PRIVATE KEY)');
  else {
    if (space !== ' ') problems.push(space ? `more than one space after ${keyword}` : `no space after ${keyword}`);
    if (label !== label.toUpperCase()) problems.push('a label in lowercase');
    if (label.includes('_')) problems.push("'_' instead of spaces in the label");
    if (/\s{2,}|\t/.test(label)) problems.push('more than one space between the words of the label');
    if (rawLabel !== rawLabel.trimEnd()) problems.push('a space before the closing dashes');
  }
  if (after.length !== 5)
    problems.push(after ? `${after.length} dashes after the label instead of 5` : 'no dashes after the label');
  const guess = label.toUpperCase().replace(/[_\s]+/g, ' ');
  const known = KNOWN_LABELS.includes(guess) ? guess : undefined;
  const example = known
    ? `-----${keyword} ${known}-----`
    : `-----${keyword} RSA PRIVATE KEY----- (or -----${keyword} PRIVATE KEY-----)`;
  return `has a ${keyword} line that is not PEM armor (${problems.join('; ') || 'it does not follow the standard form'}). It should read exactly ${example}: five dashes, ${keyword} in capitals, one space, the key type in capitals, five dashes, alone on its line. The file was changed after it was downloaded: store the .pem file in the secret unchanged.`;
}

/** The armor lines of a text that holds some: every one standard, BEGIN and END paired; else why not. */
function checkArmor(value: string): void {
  const starts = [...value.matchAll(ARMOR_START)].map((m) => m.index);
  for (const index of starts) {
    STRICT_ARMOR.lastIndex = index;
    if (!STRICT_ARMOR.test(value)) throw new PrivateKeyError(describeArmor(value, index));
  }
  const lines = starts.map((index) => {
    STRICT_ARMOR.lastIndex = index;
    const [, keyword, label] = STRICT_ARMOR.exec(value)!;
    return { keyword, label };
  });
  const begin =
    lines.find((l) => l.keyword === 'BEGIN' && l.label.endsWith('PRIVATE KEY')) ??
    lines.find((l) => l.keyword === 'BEGIN');
  if (!begin) {
    const end = lines[0];
    throw new PrivateKeyError(
      `has a "-----END ${end.label}-----" line but no "-----BEGIN ${end.label}-----" line: the start of the key was lost when it was copied. Store the whole .pem file in the secret, BEGIN line included.`,
    );
  }
  const after = lines.slice(lines.indexOf(begin) + 1);
  const end = after.find((l) => l.keyword === 'END');
  if (end && end.label !== begin.label)
    throw new PrivateKeyError(
      `begins with "-----BEGIN ${begin.label}-----" but ends with "-----END ${end.label}-----": the two lines must name the same type. Store the .pem file in the secret unchanged.`,
    );
}

function findBlock(value: string): { label: string; body: string; complete: boolean } {
  const blocks = [...value.matchAll(PEM_BLOCK)].map((m) => ({
    label: m[1],
    body: m[2],
    complete: m[0].endsWith(`-----END ${m[1]}-----`),
  }));
  // A file may hold a certificate and then the key; the key is what we want.
  return blocks.find((b) => b.label.endsWith('PRIVATE KEY')) ?? blocks[0];
}

function parseRsaKey(label: string, body: string): KeyObject {
  const base64 = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64))
    throw new PrivateKeyError(
      'has characters between its BEGIN and END lines that are not base64: the key was damaged when it was copied. Paste the .pem file again, unchanged.',
    );
  const lines = base64.match(/.{1,64}/g) ?? [];
  const pem = [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join('\n');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new PrivateKeyError(
      `could not be read as an RSA key: its body (${base64.length} base64 characters) is damaged or incomplete. Paste the whole .pem file again, unchanged.`,
    );
  }
  const type = key.asymmetricKeyType;
  if (type !== 'rsa') {
    const label =
      type === 'ec'
        ? `EC (${key.asymmetricKeyDetails?.namedCurve ?? 'unknown curve'})`
        : (KEY_TYPE_NAMES[type ?? ''] ?? String(type).toUpperCase());
    const name = `${label.startsWith('D') ? 'a' : 'an'} ${label}`;
    throw new PrivateKeyError(`is ${name} key; RS256 JWTs need an RSA key of 2048 bits or more.`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048)
    throw new PrivateKeyError(
      `is a ${bits}-bit RSA key; RS256 needs at least 2048 bits. Generate a new key (GitHub's are 2048-bit) and register its public half with the app.`,
    );
  return key;
}

/**
 * Turns the text of a private-key input into a key, forgiving the ways secrets get mangled (quotes, literal
 * "\n", CRLF, whitespace, base64 of the whole file) and precise about everything else.
 */
const hasArmor = (value: string) => new RegExp(ARMOR_START.source, 'i').test(value);

/** The text as a key input gives it, and the PEM inside: unwrapped, base64-decoded when that is what it is. */
function pemText(text: string): { value: string; decodedFrom?: string } {
  const value = unwrap(text);
  if (!value || hasArmor(value)) return { value };
  const decoded = decodeBase64Pem(value);
  return decoded ? { value: decoded, decodedFrom: value } : { value };
}

/**
 * What is worth a mask: 8 characters or more, and not an armor line (standard or not), which holds nothing
 * secret and which messages quote: masked, it would blot out the line a message says the key should have.
 */
const maskable = (pieces: string[]) => [
  ...new Set(pieces.map((s) => s.trim()).filter((s) => s.length >= 8 && !/^-{2,}/.test(s))),
];

/**
 * Every form of a key's text that could reach a log, each PEM line included, without checking that it is a key:
 * what the edges mask when a key-shaped value is in any input.
 */
export function pemPieces(text: string): string[] {
  const { value, decodedFrom } = pemText(text);
  return maskable([text.trim(), ...(decodedFrom ? [decodedFrom] : []), ...value.split('\n')]);
}

export function normalizePrivateKey(text: string): PrivateKey {
  const { value } = pemText(text);
  if (!value)
    throw new PrivateKeyError(
      'is empty. Pass the secret that holds the key (private-key: ${{ secrets.APP_PRIVATE_KEY }}); a secret that does not exist, or one a workflow triggered from a fork cannot read, is empty.',
    );
  if (!hasArmor(value)) throw new PrivateKeyError(describeNonPem(value));
  checkArmor(value);
  const { label, body, complete } = findBlock(value);
  const problem = describeLabel(label, body);
  if (problem) throw new PrivateKeyError(problem);
  if (!complete) {
    const lines = value.split('\n').filter((l) => l.trim()).length;
    throw new PrivateKeyError(
      `was cut short: it has the "-----BEGIN ${label}-----" line but no "-----END ${label}-----" line (${lines} non-empty line${lines === 1 ? '' : 's'}; a 2048-bit key has about 27). Store the whole .pem file in the secret.`,
    );
  }
  const key = parseRsaKey(label, body);
  const chunks = body.replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
  return { key, secrets: maskable([...pemPieces(text), ...chunks]) };
}

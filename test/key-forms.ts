// Every form a private-key input may arrive in, with what the action must do with it. The unit tests feed
// them to normalizePrivateKey, the e2e tests to the built action; both lists come from here.
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

export const APP_KEY_PEM = fixture('app-key.pem');

export interface KeyForm {
  name: string;
  text: string;
  /** undefined: accepted. A pattern: rejected, with an error that matches it. */
  error?: RegExp;
}

function pkcs8(pem: string): string {
  return createPrivateKey(pem).export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function acceptedKeyForms(pem = APP_KEY_PEM): KeyForm[] {
  const lines = pem.trim().split('\n');
  return [
    { name: 'PKCS#1 PEM', text: pem },
    { name: 'PKCS#8 PEM', text: pkcs8(pem) },
    { name: 'literal \\n escapes on one line', text: lines.join('\\n') },
    { name: 'CRLF line ends', text: lines.join('\r\n') + '\r\n' },
    { name: 'surrounding whitespace and blank lines', text: `\n\n   ${pem}\n\n  \n` },
    { name: 'double quotes around it', text: `"${pem.trim()}"` },
    { name: 'single quotes around it', text: `'${pem.trim()}'` },
    { name: 'quoted, with literal \\n escapes', text: `"${lines.join('\\n')}"` },
    { name: 'the whole PEM base64-encoded', text: Buffer.from(pem).toString('base64') },
    {
      name: 'base64-encoded, wrapped at 76 columns',
      text: Buffer.from(pem).toString('base64').replace(/.{76}/g, '$&\n'),
    },
    { name: 'body lines joined by spaces', text: `${lines[0]} ${lines.slice(1, -1).join(' ')} ${lines.at(-1)}` },
    { name: 'a certificate before the key', text: fixture('certificate.pem') + pem },
  ];
}

export function rejectedKeyForms(pem = APP_KEY_PEM): KeyForm[] {
  const lines = pem.trim().split('\n');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const key = createPrivateKey(pem);
  return [
    { name: 'empty', text: '', error: /is empty/ },
    { name: 'only whitespace', text: '  \n ', error: /is empty/ },
    {
      name: 'an OpenSSH private key',
      text: fixture('openssh-ed25519'),
      error: /OpenSSH private key.*ssh-keygen -p -m PEM/,
    },
    {
      name: 'an OpenSSH public key',
      text: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGr1R2v3v4x5y6z7A8B9C0D1E2F3G4H5I6J7K8L9M0N1 test',
      error: /OpenSSH public key/,
    },
    {
      name: 'a PEM public key',
      text: createPublicKey(pem).export({ format: 'pem', type: 'spki' }).toString(),
      error: /public key; signing needs the private key/,
    },
    { name: 'a certificate', text: fixture('certificate.pem'), error: /certificate, not a private key/ },
    {
      name: 'an EC key (SEC1 PEM)',
      text: ec.privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
      error: /EC key; RS256/,
    },
    {
      name: 'an EC key (PKCS#8 PEM)',
      text: ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      error: /EC \(prime256v1\) key; RS256/,
    },
    {
      name: 'an Ed25519 key',
      text: ed.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      error: /an Ed25519 key; RS256/,
    },
    {
      name: 'a 1024-bit RSA key',
      text: small.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
      error: /1024-bit RSA key; RS256 needs at least 2048 bits/,
    },
    {
      name: 'an encrypted PKCS#8 PEM',
      text: key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
      error: /encrypted with a passphrase/,
    },
    {
      name: 'an encrypted PKCS#1 PEM',
      text: key.export({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(),
      error: /encrypted with a passphrase/,
    },
    { name: 'only its first line', text: lines[0], error: /cut short.*1 non-empty line/ },
    { name: 'the first half', text: lines.slice(0, 13).join('\n'), error: /cut short.*13 non-empty lines/ },
    {
      name: 'a body missing lines',
      text: [...lines.slice(0, 10), ...lines.slice(14)].join('\n'),
      error: /damaged or incomplete/,
    },
    {
      name: 'a body with a stray character',
      text: [lines[0], lines[1].slice(0, 10) + '!' + lines[1].slice(11), ...lines.slice(2)].join('\n'),
      error: /not base64/,
    },
    { name: 'a client secret (40 hex)', text: 'a3f1c9e2b7d4f6a8c0e1b2d3f4a5c6e7f8091a2b', error: /client secret/ },
    {
      name: 'a SHA256 key fingerprint',
      text: 'SHA256:Tq0QpVoJbT2zJ8PZf0pxq2N0zXk5lYQvHn3rP0gWq8c=',
      error: /fingerprint/,
    },
    {
      name: 'a GitHub token',
      text: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
      error: /GitHub token, not a private key/,
    },
    { name: "a secret's name", text: 'APP_PRIVATE_KEY', error: /short string/ },
    { name: 'a PuTTY key', text: 'PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n', error: /PuTTY/ },
  ];
}

/**
 * Throwaway TLS certificates for the emulators: one CA per process, made with the system openssl, and leaf
 * certificates it signs for the host names a test needs (plus 127.0.0.1 and localhost). A child process trusts
 * them when given `NODE_EXTRA_CA_CERTS=<caFile>`; in-process clients pass `caPem` as their `ca`.
 *
 * The files live in a fresh `app-jwt-tls-*` folder under the OS temp dir, removed when the process exits, and
 * under Jest after each test file (Jest gives a test file its own copy of `process`, whose 'exit' never fires).
 *
 * Run by Node directly (type stripping) as well as by ts-jest: erasable TypeScript only.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** The CA certificate's PEM file: the value for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The CA certificate, PEM: the `ca` option of an in-process client. */
  caPem: string;
  /** The leaf's private key, PEM. */
  key: string;
  /** The leaf certificate, PEM, signed by the CA. */
  cert: string;
}

const OPENSSL = '/usr/bin/openssl';
const DAYS = '2';

interface Ca {
  dir: string;
  keyFile: string;
  certFile: string;
  pem: string;
}

let ca: Ca | undefined;
const leaves = new Map<string, TestCertificates>();
let leafCount = 0;

/** Removes the folder; a later call makes a new CA. */
function removeFiles(): void {
  if (!ca) return;
  rmSync(ca.dir, { recursive: true, force: true });
  ca = undefined;
  leaves.clear();
}

process.on('exit', removeFiles);
// Jest: registered when a test file imports this module (a hook cannot be added from inside a test).
const jestAfterAll = (globalThis as { afterAll?: (hook: () => void) => void }).afterAll;
if (typeof jestAfterAll === 'function') {
  try {
    jestAfterAll(removeFiles);
  } catch {
    // Imported from inside a test: the files stay until the process exits.
  }
}

function openssl(args: string[]): void {
  execFileSync(OPENSSL, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A P-256 key and a certificate request (or, with -x509, a self-signed certificate). */
function newKeyArgs(keyFile: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];
}

function theCa(): Ca {
  if (ca) return ca;
  const dir = mkdtempSync(join(tmpdir(), 'app-jwt-tls-'));
  const keyFile = join(dir, 'ca.key');
  const certFile = join(dir, 'ca.pem');
  openssl([
    'req',
    '-x509',
    ...newKeyArgs(keyFile),
    '-out',
    certFile,
    '-days',
    DAYS,
    '-subj',
    `/CN=app-jwt-action test CA ${randomBytes(4).toString('hex')}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  ca = { dir, keyFile, certFile, pem: readFileSync(certFile, 'utf8') };
  return ca;
}

/**
 * A leaf certificate for `hostnames` (DNS names) plus 127.0.0.1 and localhost, signed by this process's CA.
 * The same names give the same certificate within a process.
 */
export function makeTestCertificates(hostnames: string[]): TestCertificates {
  const names = [...new Set([...hostnames.map((name) => name.toLowerCase()), 'localhost'])];
  const cacheKey = [...names].sort().join(',');
  const cached = leaves.get(cacheKey);
  if (cached) return cached;

  const authority = theCa();
  const base = join(authority.dir, `leaf-${++leafCount}`);
  const san = [...names.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  writeFileSync(
    `${base}.ext`,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${san}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid,issuer',
      '',
    ].join('\n'),
  );
  openssl(['req', '-new', ...newKeyArgs(`${base}.key`), '-out', `${base}.csr`, '-subj', `/CN=${names[0]}`]);
  openssl([
    'x509',
    '-req',
    '-in',
    `${base}.csr`,
    '-CA',
    authority.certFile,
    '-CAkey',
    authority.keyFile,
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    DAYS,
    '-sha256',
    '-extfile',
    `${base}.ext`,
    '-out',
    `${base}.pem`,
  ]);
  const certificates: TestCertificates = {
    caFile: authority.certFile,
    caPem: authority.pem,
    key: readFileSync(`${base}.key`, 'utf8'),
    cert: readFileSync(`${base}.pem`, 'utf8'),
  };
  leaves.set(cacheKey, certificates);
  return certificates;
}
